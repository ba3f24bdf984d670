/**
 * Test helper: reads a PDF back with PDF.js (through unpdf), a reader independent of pdf-lib,
 * which wrote it: page sizes in mm, every text item with its box in mm from the sheet's top-left
 * corner, the text of each page, and the vector QR code rasterised for jsQR.
 */
import jsQR from "jsqr";
import { getDocumentProxy } from "unpdf";

const PT = 72 / 25.4;

/** A piece of text where PDF.js found it: baseline and extent in mm from the top-left. */
export interface PlacedText {
  page: number;
  text: string;
  x: number;
  right: number;
  baseline: number;
  /** The font size in mm: the glyphs reach about this far above the baseline. */
  size: number;
}

/** What a reader sees in the PDF. */
export interface ReadPdf {
  pages: { widthMm: number; heightMm: number; text: string }[];
  items: PlacedText[];
  /** All text, pages joined, no-break spaces as spaces. */
  text: string;
  /** Decoded QR codes, per page (EPC payload lines). */
  qr: string[][];
}

const clean = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

/** Reads `pdf` back. */
export async function readPdf(pdf: Uint8Array): Promise<ReadPdf> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const pages: ReadPdf["pages"] = [];
  const items: PlacedText[] = [];
  const qr: string[][] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const heightMm = (y1 - y0) / PT;
    const content = await page.getTextContent();
    const lines: string[] = [];
    let lineY: number | null = null;
    for (const raw of content.items) {
      if (!("str" in raw) || raw.str === "") continue;
      const [, , , d, e, f] = raw.transform as number[];
      const item: PlacedText = { page: n, text: clean(raw.str), x: (e ?? 0) / PT, right: ((e ?? 0) + raw.width) / PT, baseline: heightMm - (f ?? 0) / PT, size: (d ?? 0) / PT };
      items.push(item);
      if (lineY !== null && Math.abs(lineY - item.baseline) < 0.5) lines[lines.length - 1] += ` ${item.text}`;
      else lines.push(item.text);
      lineY = item.baseline;
    }
    pages.push({ widthMm: (x1 - x0) / PT, heightMm, text: lines.join("\n") });
    const code = await readQr(page);
    if (code) qr.push(code);
  }
  return { pages, items, text: pages.map((p) => p.text).join("\n"), qr };
}

type PageProxy = Awaited<ReturnType<Awaited<ReturnType<typeof getDocumentProxy>>["getPage"]>>;

/**
 * The page's QR code: PDF.js hands each filled path over as drawing commands in the path's own
 * units (moveTo 0, lineTo 1, closePath 4); a path of many closed squares is the code, drawn as the
 * PDF describes it, one unit a module, and read by jsQR: what a banking app's camera would see.
 */
async function readQr(page: PageProxy): Promise<string[] | null> {
  const ops = await page.getOperatorList();
  for (const args of ops.argsArray as unknown[][]) {
    const data = (args?.[1] as unknown[] | undefined)?.[0];
    if (!(data instanceof Float32Array) || data.length < 200) continue;
    const squares: [number, number, number, number][] = [];
    let box: [number, number, number, number] | null = null;
    for (let i = 0; i < data.length; ) {
      const op = data[i] ?? -1;
      if (op === 0 || op === 1) {
        const [x, y] = [data[i + 1] ?? 0, data[i + 2] ?? 0];
        box = op === 0 || !box ? [x, y, x, y] : [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
        i += 3;
      } else if (op === 4) {
        if (box) squares.push(box);
        box = null;
        i += 1;
      } else break;
    }
    if (squares.length < 50) continue;
    const scale = 6;
    const size = Math.ceil(Math.max(...squares.map((b) => Math.max(b[2], b[3]))) + 4) * scale;
    const pixels = new Uint8ClampedArray(size * size * 4).fill(255);
    for (const [x0, y0, x1, y1] of squares) {
      for (let y = Math.round(y0 * scale); y < Math.round(y1 * scale); y++) {
        for (let x = Math.round(x0 * scale); x < Math.round(x1 * scale); x++) pixels.fill(0, (y * size + x) * 4, (y * size + x) * 4 + 3);
      }
    }
    const code = jsQR(pixels, size, size);
    if (code) return code.data.split("\n");
  }
  return null;
}
