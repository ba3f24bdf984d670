/**
 * Where things sit on the A4 sheet, in millimetres from the paper's top-left corner, and the
 * address helpers that go with it. Pure data: the letter is rendered in the Worker, and whatever
 * prints it (a print-and-mail service, a headless browser) needs no fonts or files from us.
 *
 * The window zone follows DIN 5008 form B, the layout NL and BE window envelopes are made for:
 * DL (110 x 220) and C5/6 (114 x 229) envelopes have a 90 x 45 mm window 20 mm from the left and
 * 15 mm from the bottom (DIN 680; PostNL and bpost standard envelopes). An A4 folded in three
 * (folds at 105 and 210 mm) puts that window over the sheet's area of 20-110 mm from the left
 * and 45-90 mm from the top when the sheet rests on the envelope's bottom fold. The zone we print
 * in is that area, 85 x 45 mm (5 mm narrower than the window), and its text keeps 5 mm from the
 * zone's sides and 3 mm from its top: the sheet has about 5 mm of play up and down (105 mm panel
 * in a 110-114 mm envelope) and 10 mm sideways in a DL, and the address stays readable anywhere
 * in that play. The band the window can slide over is kept blank too (the body starts at 100 mm,
 * the right-hand column at 125 mm), so only the return line and the recipient ever show: the
 * debt cannot be seen from outside the envelope (Book XIX CEL; tcm.be).
 *
 * DIN 5008 form B splits that zone in two: the top 17.7 mm are for postal notes (the return line,
 * a franking imprint), the 27.3 mm below for the address itself. The address starts at 62.7 mm,
 * which also puts it inside the address area print-and-mail services read the recipient from
 * (Pingen: 22-107.5 mm x 60-85.5 mm) and clear of the strip they print postage in (40-60 mm).
 * The HTML letter and the PDF letter (letters/pdf/) both place their text by these boxes.
 */
import type { CSSProperties } from "react";
import type { Country, Locale } from "../emails/copy";

/** A box on the sheet, in millimetres. */
export interface MmBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The address window: return line plus recipient, nothing else (DIN 5008 form B). */
export const WINDOW_ZONE: MmBox = { left: 20, top: 45, width: 85, height: 45 };
/** DIN 5008 form B "Zusatz- und Vermerkzone": the return line, or a print service's postage imprint. */
export const POSTAL_NOTE_ZONE: MmBox = { left: 20, top: 45, width: 85, height: 17.7 };
/** DIN 5008 form B "Anschriftzone": the recipient, at most five lines (name, street, extra line, postcode and town, country). */
export const ADDRESS_ZONE: MmBox = { left: 20, top: 62.7, width: 85, height: 27.3 };
/** The recipient's address in 10 pt, 1.2 line height: five lines take 21.2 mm, within 62.7-85.5 mm. */
export const RECIPIENT_FONT = { pt: 10, lineHeight: 1.2 } as const;
/** Inner padding of the window zone: room for the sheet to slide in the envelope. */
export const WINDOW_PADDING = { top: 3, side: 5 } as const;
/** The sender's letterhead, top right: hidden by the envelope, clear of the window. */
export const SENDER_BLOCK: MmBox = { left: 125, top: 15, width: 65, height: 30 };
/** Place, date and reference: DIN 5008 information block, right of the window. */
export const INFO_BLOCK: MmBox = { left: 125, top: 50, width: 65, height: 40 };
/** The body text starts below the window and the first fold (DIN 5008: about 98 mm). */
export const BODY_TOP_MM = 100;
/** Margins of the body text; 25 mm left is the DIN 5008 left margin, and lines up with the address. */
export const BODY_MARGIN = { left: 25, right: 20, bottom: 12 } as const;
/** Top margin of every page after the first, where the running header sits and the body runs on. */
export const NEXT_PAGE_TOP_MM = 16;
/** Running header of pages 2 and later (sender, reference, page number), inside NEXT_PAGE_TOP_MM. */
export const RUNNING_HEADER = { top: 6, height: 6 } as const;
/** DIN 5008 form B fold marks (105 and 210 mm) and the punch mark (148.5 mm), 5 mm long at the left edge. */
export const FOLD_MARKS_MM = [105, 210] as const;
export const PUNCH_MARK_MM = 148.5;
/** The QR code for a bank transfer, printed next to the transfer details. */
export const QR_SIZE_MM = 30;
/** Body text size: 11 pt reads well for people with poor eyesight and still fits one page. */
export const BODY_FONT_PT = 11;

/** The box as inline CSS for `position: absolute`, in mm. */
export function boxStyle(box: MmBox): CSSProperties {
  return {
    position: "absolute",
    left: `${box.left}mm`,
    top: `${box.top}mm`,
    width: `${box.width}mm`,
    height: `${box.height}mm`,
    overflow: "hidden",
    boxSizing: "border-box",
  };
}

/** A string as a CSS string literal (for `content:` in a page-margin box). */
function cssString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n]+/g, " ")}"`;
}

/**
 * The page: A4. The first page has no top margin, so every absolute position (window, letterhead,
 * information block) is measured from the paper edge. Pages 2 and later get a top margin that
 * holds a running header (CSS page-margin boxes, Chromium 131 and later): the sender, the
 * reference and the page number, so a loose second sheet still says whose and which letter it
 * is. The payment instructions, the help block and the closing are never split over two pages.
 * Fonts are the ones every printer and browser has: none is fetched.
 */
export function letterCss(header: { sender: string; reference: string; pageLabel: string }): string {
  const top = NEXT_PAGE_TOP_MM;
  // Minified: print APIs limit a letter's inline HTML (Lob: 10,000 characters).
  return minifyCss(`
@page { size: A4; margin: ${top}mm 0 ${BODY_MARGIN.bottom}mm 0;
  @top-left { content: ${cssString(`${header.sender} · ${header.reference}`)}; font: 8pt Arial, Helvetica, sans-serif; color: #444444; padding-left: ${BODY_MARGIN.left}mm; vertical-align: bottom; padding-bottom: ${top - RUNNING_HEADER.top - RUNNING_HEADER.height}mm; }
  @top-right { content: ${cssString(`${header.pageLabel} `)} counter(page) " / " counter(pages); font: 8pt Arial, Helvetica, sans-serif; color: #444444; padding-right: ${BODY_MARGIN.right}mm; vertical-align: bottom; padding-bottom: ${top - RUNNING_HEADER.top - RUNNING_HEADER.height}mm; }
}
@page :first { margin-top: 0; @top-left { content: none; } @top-right { content: none; } }
html, body { margin: 0; padding: 0; background: #ffffff; }
body { font-family: Arial, Helvetica, "Liberation Sans", sans-serif; font-size: ${BODY_FONT_PT}pt; line-height: 1.3; color: #111111; }
.sheet { position: relative; width: 210mm; }
.mark { position: absolute; left: 0; width: 5mm; border-top: 0.2mm solid #777777; }
.flow { padding: ${BODY_TOP_MM}mm ${BODY_MARGIN.right}mm 0 ${BODY_MARGIN.left}mm; }
p { margin: 0 0 2.5mm; }
h2 { font-size: ${BODY_FONT_PT}pt; margin: 4mm 0 1.5mm; }
.subject { font-weight: bold; margin-bottom: 4mm; }
.return-line { font-size: 7pt; line-height: 1.2; border-bottom: 0.2mm solid #555555; padding-bottom: 0.5mm; margin: 0 0 3mm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.recipient { font-size: ${RECIPIENT_FONT.pt}pt; line-height: ${RECIPIENT_FONT.lineHeight}; margin: 0; }
.sender { font-size: 9pt; line-height: 1.35; }
.sender strong { font-size: 10.5pt; }
.info { font-size: 9pt; line-height: 1.5; }
table.invoices { width: 100%; border-collapse: collapse; margin: 0 0 3.5mm; font-size: 10pt; }
table.invoices th, table.invoices td { text-align: left; vertical-align: top; padding: 0.8mm 1.5mm; border-bottom: 0.2mm solid #999999; }
table.invoices .amount { text-align: right; white-space: nowrap; }
table.invoices tr { break-inside: avoid; }
/* The total once, at the end: a footer group would repeat it at the foot of every page. */
table.invoices tfoot { display: table-row-group; }
table.invoices tfoot th, table.invoices tfoot td { border-bottom: none; font-weight: bold; }
.muted { color: #444444; font-size: 9pt; }
.url { font-family: "Courier New", Courier, monospace; word-break: break-all; }
.pay { break-inside: avoid; border: 0.3mm solid #777777; padding: 3mm 4mm; margin: 4mm 0; }
.pay h2 { margin-top: 0; }
.pay table { border-collapse: collapse; margin: 0 0 2mm; }
.pay td { padding: 0.3mm 4mm 0.3mm 0; vertical-align: top; }
.pay .qr { float: right; width: ${QR_SIZE_MM}mm; height: ${QR_SIZE_MM}mm; margin: 0 0 2mm 4mm; }
.pay .qr svg { width: 100%; height: 100%; }
.pay::after { content: ""; display: block; clear: both; }
.help { border-left: 0.8mm solid #777777; padding: 0.5mm 0 0.5mm 4mm; margin: 4mm 0; break-inside: avoid; }
.help h2 { margin-top: 0; }
.help p { margin-bottom: 1mm; }
.help ul { margin: 0; padding-left: 5mm; }
.closing { margin-top: 4mm; break-inside: avoid; }
.closing p { margin: 0; }
`);
}

/** Drops comments and spaces around punctuation, leaving quoted strings (page-header text) as they are. */
function minifyCss(css: string): string {
  return css
    .replace(/\/\*[^]*?\*\//g, "")
    .split(/("(?:[^"\\]|\\.)*")/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\s+/g, " ").replace(/\s*([{};:,])\s*/g, "$1").replace(/;}/g, "}")))
    .join("")
    .replace(/@page:/g, "@page :")
    .trim();
}

// NL postcodes are "1234 AB"; BE ones four digits. An optional "NL-"/"B-" prefix is allowed.
const NL_POSTCODE_LINE = /^\s*(?:NL-?)?\d{4}\s?[A-Z]{2}\s+(.+?)\s*$/;
const BE_POSTCODE_LINE = /^\s*(?:B-?|BE-?)?\d{4}\s+(.+?)\s*$/;

/** The sender's town and country, read from its postcode line; null when no line has a postcode. */
export function senderPlace(addressLines: readonly string[]): { place: string; country: Country } | null {
  for (let i = addressLines.length - 1; i >= 0; i--) {
    const line = addressLines[i] ?? "";
    const nl = NL_POSTCODE_LINE.exec(line);
    if (nl?.[1]) return { place: nl[1], country: "NL" };
    const be = BE_POSTCODE_LINE.exec(line);
    if (be?.[1]) return { place: be[1], country: "BE" };
  }
  return null;
}

/**
 * The country line under a cross-border address (UPU: the destination country in capitals, last
 * line); none for domestic mail, where the posts ask to leave it out. Unknown sender: none.
 */
export function destinationCountryLine(to: Country, from: Country | null, locale: Locale): string | null {
  if (from === null || from === to) return null;
  if (to === "NL") return "NEDERLAND";
  return locale === "fr-BE" ? "BELGIQUE" : "BELGIË";
}
