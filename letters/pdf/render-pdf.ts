/**
 * A letter as a PDF, for print-and-mail services that take one (Pingen): A4, the font embedded
 * (Noto Sans, see font.ts), every word real text (selectable and searchable), the same message
 * model and the same millimetre boxes as the HTML letter (layout.ts), drawn with pdf-lib in the
 * Worker. Page 1 has the letterhead, the window with the recipient and the information block;
 * pages 2 and later carry the sender, the reference and "page n / m" at the top; the payment
 * instructions, the help block and the closing never split over two pages; the EPC QR code is
 * drawn as vector squares. Fold and punch marks are left out: a mailing service folds by machine,
 * and the sheet's edges are where its machines print their own marks.
 *
 * The window's postal-note strip (DIN 5008 form B, 45-62.7 mm) stays blank: the print service
 * prints its postage imprint there.
 */
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { epcMatrix } from "../../workers/payments/epc-qr";
import type { MessageModel } from "../../workers/templates/model";
import { ADDRESS_ZONE, BODY_FONT_PT, BODY_MARGIN, BODY_TOP_MM, INFO_BLOCK, NEXT_PAGE_TOP_MM, QR_SIZE_MM, RECIPIENT_FONT, RUNNING_HEADER, SENDER_BLOCK, WINDOW_PADDING, destinationCountryLine, senderPlace } from "../layout";
import type { MessageLetterProps } from "../message-letter";
import { localPlaceName } from "../place-names";
import { MeasuredFont, fontBytes, measuredFontkit } from "./font";
import { PT_PER_MM, lineOps, paginate, setLines, type DrawOp, type Faces, type Item, type Run } from "./flow";
import { NOTO_SANS_BOLD, NOTO_SANS_REGULAR } from "./noto-sans";

/** A4 in millimetres. */
export const A4_MM = { width: 210, height: 297 } as const;

const FACES: Faces = { regular: new MeasuredFont(NOTO_SANS_REGULAR), bold: new MeasuredFont(NOTO_SANS_BOLD) };
const BODY_LINE = 1.3;
const BODY_WIDTH = A4_MM.width - BODY_MARGIN.left - BODY_MARGIN.right;
const PARAGRAPH_GAP = 2.5;
const BLOCK_GAP = 4;
const TEXT = 0.067;
const MUTED = 0.267;

const ptToMm = (pt: number) => pt / PT_PER_MM;

/** A paragraph as one item per line. */
function paragraph(runs: Run[], opts: { size?: number; width?: number; x?: number; gapBefore?: number; lineHeight?: number } = {}): Item[] {
  const size = opts.size ?? BODY_FONT_PT;
  const lh = ptToMm(size) * (opts.lineHeight ?? BODY_LINE);
  const x = opts.x ?? BODY_MARGIN.left;
  return setLines(runs, opts.width ?? BODY_WIDTH, FACES, size).map((line, i) => ({
    height: lh,
    gapBefore: i === 0 ? (opts.gapBefore ?? PARAGRAPH_GAP) : 0,
    draw: (top) => lineOps(line, x, top, size, lh),
  }));
}

/** Several items drawn as one block that never splits, with an optional frame around it. */
function keepTogether(items: Item[], gapBefore: number, frame?: (top: number, height: number) => DrawOp[], extra?: (top: number) => DrawOp[], minHeight = 0, padY = 0): Item {
  let height = padY;
  const placed = items.map((item, i) => {
    height += i === 0 ? 0 : item.gapBefore;
    const at = height;
    height += item.height;
    return { item, at };
  });
  height = Math.max(height + padY, minHeight);
  return {
    height,
    gapBefore,
    draw: (top) => [...(frame?.(top, height) ?? []), ...placed.flatMap(({ item, at }) => item.draw(top + at)), ...(extra?.(top) ?? [])],
  };
}

const hline = (x1: number, x2: number, y: number, width = 0.2, grey = 0.6): DrawOp => ({ kind: "line", x1, y1: y, x2, y2: y, width, grey });

/** A table cell: its lines (a muted second line under a reference or an amount). */
type Cell = Run[][];

/** A table: columns by width and alignment; rows never split, the header repeats on a new page. */
function table(columns: { width: number; align: "left" | "right" }[], header: Cell[], rows: Cell[][], footer: Cell[]): Item[] {
  const size = 10;
  const lh = ptToMm(size) * BODY_LINE;
  const pad = { x: 1.5, y: 0.8 };
  const row = (cells: Cell[], gapBefore: number, rule: boolean): Item => {
    const set = cells.map((cell, i) => cell.flatMap((runs) => setLines(runs, (columns[i]?.width ?? 0) - 2 * pad.x, FACES, size)));
    const height = Math.max(...set.map((l) => l.length)) * lh + 2 * pad.y;
    return {
      height,
      gapBefore,
      draw: (top) => {
        let x = BODY_MARGIN.left;
        const ops: DrawOp[] = [];
        set.forEach((lines, i) => {
          const col = columns[i] as { width: number; align: "left" | "right" };
          lines.forEach((line, n) => ops.push(...lineOps(line, x + pad.x, top + pad.y + n * lh, size, lh, col.align, col.width - 2 * pad.x)));
          x += col.width;
        });
        if (rule) ops.push(hline(BODY_MARGIN.left, BODY_MARGIN.left + BODY_WIDTH, top + height));
        return ops;
      },
    };
  };
  const head = row(header, 0, true);
  return [{ ...head, gapBefore: BLOCK_GAP }, ...rows.map((r) => ({ ...row(r, 0, true), header: head })), { ...row(footer, 0, false), header: head }];
}

/** The invoice table (or the instalment plan) of the message. */
function amountsTable(m: MessageModel): Item[] {
  const l = m.locked;
  const cell = (text: string, muted?: string | null): Cell => [[{ text }], ...(muted ? [[{ text: muted, muted: true }]] : [])];
  const bold = (text: string): Cell => [[{ text, bold: true }]];
  const widths = [{ width: 95, align: "left" as const }, { width: 35, align: "left" as const }, { width: BODY_WIDTH - 130, align: "right" as const }];
  if (m.instalmentRows) {
    return table(widths, [bold(l.instalments.part), bold(l.instalments.date), bold(l.instalments.amount)], m.instalmentRows.map((r) => [cell(String(r.part)), cell(r.date), cell(r.amount)]), [bold(l.instalments.total), [], bold(m.total)]);
  }
  const rows = m.rows.map((r) => [cell(r.reference, r.description), cell(r.dueDate), cell(r.outstanding, r.original)]);
  return table(widths, [bold(l.table.reference), bold(l.table.dueDate), bold(l.table.outstanding)], rows, [bold(l.table.total), [], bold(m.total)]);
}

/** "Label   value" lines (the bank details), the values in bold in a column of their own. */
function keyValues(lines: [string, string][], x: number, width: number): Item[] {
  const size = BODY_FONT_PT;
  const lh = ptToMm(size) * BODY_LINE;
  const keyWidth = Math.min(width / 2, Math.max(...lines.map(([k]) => ptToMm(FACES.regular.widthOf(k, size)))) + 4);
  return lines.flatMap(([k, v]) => {
    const values = setLines([{ text: v, bold: true }], width - keyWidth, FACES, size);
    return values.map((line, i) => ({
      height: lh,
      gapBefore: i === 0 ? 0.3 : 0,
      draw: (top: number) => [...(i === 0 ? lineOps(setLines([{ text: k }], keyWidth, FACES, size)[0] ?? { words: [], width: 0 }, x, top, size, lh) : []), ...lineOps(line, x + keyWidth, top, size, lh)],
    }));
  });
}

/** How to pay: bank transfer with its QR code, the online link, the shop's phone and email. */
function payBlock(m: MessageModel): Item {
  const l = m.locked;
  const padX = 4;
  const inner = BODY_WIDTH - 2 * padX;
  const qr = m.bank?.qrPayload ?? null;
  const textWidth = qr ? inner - QR_SIZE_MM - 4 : inner;
  const x = BODY_MARGIN.left + padX;
  const items: Item[] = [...paragraph([{ text: l.pay.heading, bold: true }], { x, width: textWidth, gapBefore: 0 })];
  if (m.bank) {
    items.push(...paragraph([{ text: m.bank.intro }], { x, width: textWidth, gapBefore: 1.5 }));
    items.push(...keyValues(m.bank.lines, x, textWidth));
    items.push(...paragraph([{ text: m.bank.note }], { x, width: textWidth, gapBefore: 2 }));
    if (qr) items.push(...paragraph([{ text: m.bank.qrText }], { x, width: textWidth, gapBefore: 1.5 }));
  }
  const page = m.input.links.short ?? m.input.links.page;
  if (page) items.push(...paragraph([{ text: l.pay.online(page) }], { x, width: inner, gapBefore: 2 }));
  for (const c of m.contact) items.push(...paragraph([{ text: c }], { x, width: inner, gapBefore: 1.5 }));
  const pad = 3;
  const frame = (top: number, height: number): DrawOp[] => {
    const [l0, r0, b0] = [BODY_MARGIN.left, BODY_MARGIN.left + BODY_WIDTH, top + height];
    return [hline(l0, r0, top, 0.3, 0.47), hline(l0, r0, b0, 0.3, 0.47), { kind: "line", x1: l0, y1: top, x2: l0, y2: b0, width: 0.3, grey: 0.47 }, { kind: "line", x1: r0, y1: top, x2: r0, y2: b0, width: 0.3, grey: 0.47 }];
  };
  const code = (top: number): DrawOp[] => (qr ? [{ kind: "qr", x: BODY_MARGIN.left + BODY_WIDTH - padX - QR_SIZE_MM, y: top + pad, size: QR_SIZE_MM, payload: qr }] : []);
  return keepTogether(items.map((i, n) => (n === 0 ? { ...i, gapBefore: 0 } : i)), BLOCK_GAP, frame, code, qr ? QR_SIZE_MM + 2 * pad : 0, pad);
}

/** Free debt help for the debtor's country and region, with a bar at its left. */
function helpBlock(m: MessageModel): Item {
  const x = BODY_MARGIN.left + 4.8;
  const width = BODY_WIDTH - 4.8;
  const items: Item[] = [...paragraph([{ text: m.help.heading, bold: true }], { x, width, gapBefore: 0 }), ...paragraph([{ text: m.help.intro }], { x, width, gapBefore: 1.5 })];
  for (const p of m.help.places) {
    const detail = [` – ${p.detail}`, p.phone ? `, ${p.phone}` : "", p.url ? `, ${p.url.replace(/^https:\/\//, "")}` : ""].join("");
    items.push(...paragraph([{ text: "• " }, { text: p.name, bold: true }, { text: detail }], { x, width, gapBefore: 1 }));
  }
  if (m.help.shop) items.push(...paragraph([{ text: `${m.help.shop.label}: ${m.help.shop.url}` }], { x, width, gapBefore: 1 }));
  const bar = (top: number, height: number): DrawOp[] => [{ kind: "line", x1: BODY_MARGIN.left + 0.4, y1: top, x2: BODY_MARGIN.left + 0.4, y2: top + height, width: 0.8, grey: 0.47 }];
  return keepTogether(items, BLOCK_GAP, bar);
}

/** The letter's body, top to bottom, in the order of the HTML letter. */
function bodyItems(m: MessageModel): Item[] {
  const thanks = m.input.template === "payment-thanks";
  const help = helpBlock(m);
  const items: Item[] = [...paragraph([{ text: m.copy.heading, bold: true }], { gapBefore: 0 }), ...paragraph([{ text: m.copy.greeting }], { gapBefore: BLOCK_GAP })];
  if (m.helpFirst) items.push(help);
  for (const t of [m.copy.intro, ...m.copy.body].filter(Boolean)) items.push(...paragraph([{ text: t }]));
  for (const p of m.legal ?? []) items.push(...paragraph([{ text: p.text, bold: p.strong }]));
  if (!thanks) items.push(...amountsTable(m));
  items.push(...paragraph([{ text: m.crossed }], { gapBefore: thanks ? PARAGRAPH_GAP : BLOCK_GAP }));
  if (!thanks) items.push(payBlock(m));
  if (!m.helpFirst) items.push(help);
  const closing = m.copy.signoff.split("\n").flatMap((line, i) => paragraph([{ text: line }], { gapBefore: i === 0 ? 0 : 0 }));
  items.push(keepTogether(closing, BLOCK_GAP));
  return items;
}

/** What sits at fixed places on page 1: letterhead, recipient, date and reference. */
function firstPageOps(props: MessageLetterProps): DrawOp[] {
  const { model: m, sender, recipient, reference } = props;
  const l = m.locked;
  const ops: DrawOp[] = [];
  const stack = (lines: Run[][], box: { left: number; top: number; width: number }, size: number, lineHeight: number) => {
    let y = box.top;
    for (const runs of lines) {
      for (const line of setLines(runs, box.width, FACES, size)) {
        ops.push(...lineOps(line, box.left, y, size, ptToMm(size) * lineHeight));
        y += ptToMm(size) * lineHeight;
      }
    }
  };
  stack([[{ text: sender.name, bold: true }]], SENDER_BLOCK, 10.5, 1.35);
  const senderLines = [...sender.addressLines, sender.phone, sender.email, sender.enterpriseNumber ? `${l.letter.enterpriseNumberLabel} ${sender.enterpriseNumber}` : undefined, sender.kvkNumber ? `${l.letter.kvkLabel} ${sender.kvkNumber}` : undefined];
  stack(senderLines.filter((s): s is string => Boolean(s)).map((text) => [{ text }]), { ...SENDER_BLOCK, top: SENDER_BLOCK.top + ptToMm(10.5) * 1.35 }, 9, 1.35);

  const from = senderPlace(sender.addressLines);
  const to = recipient.address;
  const countryLine = destinationCountryLine(to.country, from?.country ?? null, m.input.locale);
  const address = [recipient.name, to.line1, to.line2, `${to.postal_code} ${to.city}`, countryLine].filter((s): s is string => Boolean(s));
  // One line per address line, never wrapped: the post reads the address line by line.
  const zone = { left: ADDRESS_ZONE.left + WINDOW_PADDING.side, top: ADDRESS_ZONE.top, width: ADDRESS_ZONE.width - 2 * WINDOW_PADDING.side };
  const lh = ptToMm(RECIPIENT_FONT.pt) * RECIPIENT_FONT.lineHeight;
  address.forEach((text, i) => {
    const [line] = setLines([{ text }], Number.POSITIVE_INFINITY, FACES, RECIPIENT_FONT.pt);
    if (line) ops.push(...lineOps(line, zone.left, zone.top + i * lh, RECIPIENT_FONT.pt, lh));
  });

  const place = from ? localPlaceName(from.place, m.input.locale) : null;
  stack([[{ text: l.letter.datePlace(m.day(m.input.today), place) }], [{ text: `${l.letter.referenceLabel} ${reference}` }]], INFO_BLOCK, 9, 1.5);
  return ops;
}

/** Draws the collected ops on a pdf-lib page (mm from the top-left to points from the bottom-left). */
function draw(page: PDFPage, ops: DrawOp[], fonts: { regular: PDFFont; bold: PDFFont }): void {
  const h = page.getHeight();
  const pt = (v: number) => v * PT_PER_MM;
  for (const op of ops) {
    if (op.kind === "text") {
      const font = op.bold ? fonts.bold : fonts.regular;
      const grey = op.muted ? MUTED : TEXT;
      page.drawText(op.text, { x: pt(op.x), y: h - pt(op.y), size: op.size, font, color: rgb(grey, grey, grey) });
    } else if (op.kind === "line") {
      page.drawLine({ start: { x: pt(op.x1), y: h - pt(op.y1) }, end: { x: pt(op.x2), y: h - pt(op.y2) }, thickness: pt(op.width), color: rgb(op.grey, op.grey, op.grey) });
    } else {
      // The QR code's dark modules as filled squares, one path per row run: vector, sharp at any print resolution.
      const matrix = epcMatrix(op.payload);
      const quiet = 4;
      const module = pt(op.size) / (matrix.length + 2 * quiet);
      let d = "";
      matrix.forEach((row, r) => {
        for (let c = 0; c < row.length; c++) {
          if (!row[c]) continue;
          let end = c;
          while (row[end + 1]) end++;
          d += `M${c + quiet} ${r + quiet}h${end - c + 1}v1h${-(end - c + 1)}z`;
          c = end;
        }
      });
      page.drawSvgPath(d, { x: pt(op.x), y: h - pt(op.y), scale: module, color: rgb(0, 0, 0) });
    }
  }
}

/**
 * Renders the letter as a PDF (A4, fonts embedded, text selectable). The same input gives the
 * same bytes: the dates in the file come from the letter's own date.
 */
export async function renderLetterPdf(props: MessageLetterProps): Promise<Uint8Array> {
  const { model: m, sender, reference } = props;
  const doc = await PDFDocument.create({ updateMetadata: false });
  // pdf-lib types the whole fontkit API; it calls only what MeasuredFont has (font.ts).
  doc.registerFontkit(measuredFontkit([FACES.regular, FACES.bold]) as unknown as Parameters<PDFDocument["registerFontkit"]>[0]);
  // Fixed font names instead of pdf-lib's random suffix keep the output reproducible.
  const fonts = {
    regular: await doc.embedFont(fontBytes(NOTO_SANS_REGULAR), { customName: `KNDLYA+${NOTO_SANS_REGULAR.postscriptName}` }),
    bold: await doc.embedFont(fontBytes(NOTO_SANS_BOLD), { customName: `KNDLYB+${NOTO_SANS_BOLD.postscriptName}` }),
  };
  const date = new Date(`${m.input.today}T00:00:00Z`);
  doc.setTitle(FACES.regular.printable(m.copy.heading));
  doc.setAuthor(FACES.regular.printable(sender.name));
  doc.setLanguage(m.input.locale);
  doc.setCreator("Kindly");
  doc.setProducer("Kindly (pdf-lib)");
  doc.setCreationDate(date);
  doc.setModificationDate(date);

  const pages = paginate(bodyItems(m), { firstTop: BODY_TOP_MM, nextTop: NEXT_PAGE_TOP_MM, bottom: A4_MM.height - BODY_MARGIN.bottom });
  pages[0]?.unshift(...firstPageOps(props));
  const headerSize = 8;
  pages.forEach((ops, i) => {
    const page = doc.addPage([A4_MM.width * PT_PER_MM, A4_MM.height * PT_PER_MM]);
    if (i > 0) {
      // Pages 2 and later: whose letter, which letter, which page.
      const top = RUNNING_HEADER.top + RUNNING_HEADER.height - ptToMm(headerSize) * 1.2;
      const [left] = setLines([{ text: `${sender.name} · ${reference}`, muted: true }], BODY_WIDTH * 0.75, FACES, headerSize);
      const [right] = setLines([{ text: `${m.locked.letter.page} ${i + 1} / ${pages.length}`, muted: true }], BODY_WIDTH * 0.25, FACES, headerSize);
      if (left) ops.push(...lineOps(left, BODY_MARGIN.left, top, headerSize, ptToMm(headerSize) * 1.2));
      if (right) ops.push(...lineOps(right, BODY_MARGIN.left, top, headerSize, ptToMm(headerSize) * 1.2, "right", BODY_WIDTH));
    }
    draw(page, ops, fonts);
  });
  return doc.save({ useObjectStreams: true });
}
