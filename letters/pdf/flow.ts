/**
 * The flowing part of a PDF letter: words set into lines by the font's real widths, lines and
 * table rows laid out down the page, and a new page where the body runs out. Everything here is
 * in millimetres from the sheet's top-left corner (as layout.ts); what is drawn is collected as
 * plain operations, so the pages can be counted before anything is drawn (page "n / m").
 */
import type { MeasuredFont } from "./font";

/** Points per millimetre. */
export const PT_PER_MM = 72 / 25.4;
const mm = (pt: number) => pt / PT_PER_MM;

/** A piece of text in one font. */
export interface Run {
  text: string;
  bold?: boolean;
  muted?: boolean;
}

/** The two faces of the letter font. */
export interface Faces {
  regular: MeasuredFont;
  bold: MeasuredFont;
}

/** What a page shows, in mm from the top-left; `y` of text is its baseline. */
export type DrawOp =
  | { kind: "text"; x: number; y: number; text: string; bold: boolean; muted: boolean; size: number }
  | { kind: "line"; x1: number; y1: number; x2: number; y2: number; width: number; grey: number }
  | { kind: "qr"; x: number; y: number; size: number; payload: string };

/** A piece of a word in one style. */
interface Piece {
  text: string;
  width: number;
  bold: boolean;
  muted: boolean;
}

/** A word (pieces in different styles may touch: "Geldfit" + ","); `space` is the space that may follow it. */
interface Word {
  pieces: Piece[];
  width: number;
  space: number;
}

/** One set line: its pieces and where each starts, relative to the line. */
export interface Line {
  /** Pieces of text; `spaced`: a space separates it from the piece before. */
  words: { text: string; x: number; bold: boolean; muted: boolean; spaced: boolean }[];
  width: number;
}

const face = (faces: Faces, bold: boolean) => (bold ? faces.bold : faces.regular);

/** Splits runs into words at spaces (a no-break space joins its neighbours), measured at `size` pt. */
function words(runs: Run[], faces: Faces, size: number): Word[] {
  const out: Word[] = [];
  let word: Word | null = null;
  for (const run of runs) {
    const bold = run.bold === true;
    const muted = run.muted === true;
    const font = face(faces, bold);
    for (const part of font.printable(run.text).split(/([ \t\n]+)/)) {
      if (!part) continue;
      if (/^[ \t\n]+$/.test(part)) {
        if (word) out.push({ ...word, space: mm(font.widthOf(" ", size)) });
        word = null;
        continue;
      }
      word ??= { pieces: [], width: 0, space: 0 };
      const width = mm(font.widthOf(part, size));
      word.pieces.push({ text: part, width, bold, muted });
      word.width += width;
    }
  }
  if (word) out.push(word);
  return out;
}

/** Cuts a word wider than the line into words that fit (long links), character by character. */
function cut(word: Word, max: number, faces: Faces, size: number): Word[] {
  const out: Word[] = [];
  let current: Word = { pieces: [], width: 0, space: 0 };
  for (const piece of word.pieces) {
    const font = face(faces, piece.bold);
    for (const ch of piece.text) {
      const w = mm(font.widthOf(ch, size));
      if (current.width + w > max && current.width > 0) {
        out.push(current);
        current = { pieces: [], width: 0, space: 0 };
      }
      const last = current.pieces.at(-1);
      if (last && last.bold === piece.bold && last.muted === piece.muted) {
        last.text += ch;
        last.width += w;
      } else current.pieces.push({ text: ch, width: w, bold: piece.bold, muted: piece.muted });
      current.width += w;
    }
  }
  out.push({ ...current, space: word.space });
  return out;
}

/** Sets `runs` into lines of at most `width` mm. */
export function setLines(runs: Run[], width: number, faces: Faces, size: number): Line[] {
  const lines: Line[] = [];
  let current: Line = { words: [], width: 0 };
  let gap = 0;
  for (const original of words(runs, faces, size)) {
    for (const w of original.width > width ? cut(original, width, faces, size) : [original]) {
      if (current.words.length > 0 && current.width + gap + w.width > width) {
        lines.push(current);
        current = { words: [], width: 0 };
      }
      let x = current.words.length === 0 ? 0 : current.width + gap;
      w.pieces.forEach((p, i) => {
        current.words.push({ text: p.text, x, bold: p.bold, muted: p.muted, spaced: i === 0 && current.words.length > 0 });
        x += p.width;
      });
      current.width = x;
      gap = w.space;
    }
  }
  if (current.words.length > 0) lines.push(current);
  return lines;
}

/**
 * Text ops for a line whose box starts at (x, top); the baseline sits as CSS would put it. Words
 * of one style are drawn as one string with real spaces, so a text extractor reads the sentence.
 */
export function lineOps(line: Line, x: number, top: number, size: number, lineHeight: number, align: "left" | "right" = "left", boxWidth = 0): DrawOp[] {
  const baseline = top + (lineHeight - mm(size)) / 2 + mm(size) * 0.8;
  const shift = align === "right" ? boxWidth - line.width : 0;
  const ops: Extract<DrawOp, { kind: "text" }>[] = [];
  for (const w of line.words) {
    const last = ops.at(-1);
    if (last && last.bold === w.bold && last.muted === w.muted) last.text += (w.spaced ? " " : "") + w.text;
    else ops.push({ kind: "text", x: x + shift + w.x, y: baseline, text: w.text, bold: w.bold, muted: w.muted, size });
  }
  return ops;
}

/**
 * One thing placed down the page: a line of text, a table row or a block that never splits.
 * `draw` gets its top; `header` is drawn first when it lands at the top of a new page.
 */
export interface Item {
  height: number;
  gapBefore: number;
  draw: (top: number) => DrawOp[];
  header?: Item;
}

/** Where the flowing body may go on each page. */
export interface Frame {
  firstTop: number;
  nextTop: number;
  bottom: number;
}

/** Places the items page by page; returns the ops of every page. */
export function paginate(items: Item[], frame: Frame): DrawOp[][] {
  const pages: DrawOp[][] = [[]];
  let y = frame.firstTop;
  let fresh = true;
  for (const item of items) {
    let top = fresh ? y : y + item.gapBefore;
    if (top + item.height > frame.bottom && !fresh) {
      pages.push([]);
      y = frame.nextTop;
      if (item.header) {
        (pages.at(-1) as DrawOp[]).push(...item.header.draw(y));
        y += item.header.height;
      }
      top = y;
    }
    (pages.at(-1) as DrawOp[]).push(...item.draw(top));
    y = top + item.height;
    fresh = false;
  }
  return pages;
}
