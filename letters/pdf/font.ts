/**
 * The letter font as pdf-lib embeds it. pdf-lib embeds a TrueType font through a "fontkit"
 * object (`registerFontkit`) that parses the font; @pdf-lib/fontkit, the engine it ships with, is
 * 940 KB minified, more than the rest of a letter's code together. The font a letter uses never
 * changes, so fontkit measures it once, at build time (scripts/letter-fonts.mjs writes
 * noto-sans.ts), and this module hands pdf-lib those measurements through the same interface:
 * glyph ids, advance widths and vertical metrics. pdf-lib still writes the font program, the
 * widths and the ToUnicode map (so the text stays selectable and searchable); nothing about
 * the PDF format is written here. `test/letter-pdf.test.ts` checks it against fontkit itself.
 */

/** A font measured at build time: the TrueType bytes and what pdf-lib asks of them. */
export interface FontData {
  postscriptName: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  xHeight: number;
  italicAngle: number;
  bbox: [number, number, number, number];
  familyClass: number;
  fixedPitch: boolean;
  italic: boolean;
  /** Sorted code points the font maps, with each one's glyph id and advance width (font units). */
  codePoints: number[];
  glyphIds: number[];
  advances: number[];
  ttfBase64: string;
}

/** One glyph, shaped as fontkit's Glyph for the parts pdf-lib reads. */
interface Glyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

/** A measured font with the fontkit Font members pdf-lib's CustomFontEmbedder reads. */
export class MeasuredFont {
  readonly unitsPerEm: number;
  readonly postscriptName: string;
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly xHeight: number;
  readonly italicAngle: number;
  readonly bbox: { minX: number; minY: number; maxX: number; maxY: number };
  readonly characterSet: number[];
  readonly cff = false;
  readonly "OS/2": { sFamilyClass: number };
  readonly post: { isFixedPitch: boolean };
  readonly head: { macStyle: { italic: boolean } };
  private readonly glyphs = new Map<number, Glyph>();
  private readonly notdef: Glyph;

  constructor(readonly data: FontData) {
    this.unitsPerEm = data.unitsPerEm;
    this.postscriptName = data.postscriptName;
    this.ascent = data.ascent;
    this.descent = data.descent;
    this.capHeight = data.capHeight;
    this.xHeight = data.xHeight;
    this.italicAngle = data.italicAngle;
    const [minX, minY, maxX, maxY] = data.bbox;
    this.bbox = { minX, minY, maxX, maxY };
    this.characterSet = data.codePoints;
    this["OS/2"] = { sFamilyClass: data.familyClass };
    this.post = { isFixedPitch: data.fixedPitch };
    this.head = { macStyle: { italic: data.italic } };
    data.codePoints.forEach((cp, i) => this.glyphs.set(cp, { id: data.glyphIds[i] ?? 0, advanceWidth: data.advances[i] ?? 0, codePoints: [cp] }));
    this.notdef = { id: 0, advanceWidth: this.glyphs.get(0x3f)?.advanceWidth ?? 500, codePoints: [] };
  }

  /** Whether the font has a glyph for `cp`. */
  has(cp: number): boolean {
    return this.glyphs.has(cp);
  }

  /** The glyph for a code point (.notdef when the font has none). */
  glyphForCodePoint(cp: number): Glyph {
    return this.glyphs.get(cp) ?? this.notdef;
  }

  /** One glyph per character: letters need no ligatures or kerning, and pdf-lib applies none. */
  layout(text: string): { glyphs: Glyph[] } {
    return { glyphs: [...text].map((ch) => this.glyphForCodePoint(ch.codePointAt(0) ?? 0)) };
  }

  /** Width of `text` at `size` points. */
  widthOf(text: string, size: number): number {
    let units = 0;
    for (const ch of text) units += this.glyphForCodePoint(ch.codePointAt(0) ?? 0).advanceWidth;
    return (units * size) / this.unitsPerEm;
  }

  /**
   * `text` with every character the font lacks replaced: a letter with its accent dropped
   * ("ệ" becomes "e"), a space for unusual spaces, else "?". A name is never dropped.
   */
  printable(text: string): string {
    let out = "";
    for (const ch of text.normalize("NFC")) {
      const cp = ch.codePointAt(0) ?? 0x3f;
      if (this.has(cp)) out += ch;
      else if (/\s/u.test(ch)) out += " ";
      else {
        const base = ch.normalize("NFD").replace(/\p{M}+/gu, "");
        out += base && [...base].every((b) => this.has(b.codePointAt(0) ?? 0)) ? base : "?";
      }
    }
    return out;
  }
}

const decoded = new WeakMap<FontData, Uint8Array>();

/** The font's TrueType bytes. */
export function fontBytes(data: FontData): Uint8Array {
  let bytes = decoded.get(data);
  if (!bytes) {
    bytes = Uint8Array.from(atob(data.ttfBase64), (c) => c.charCodeAt(0));
    decoded.set(data, bytes);
  }
  return bytes;
}

/**
 * The "fontkit" pdf-lib is given (`registerFontkit`): it knows only the fonts measured at build
 * time and refuses any other bytes, so no unmeasured font can slip into a letter.
 */
export function measuredFontkit(fonts: readonly MeasuredFont[]) {
  return {
    create(bytes: Uint8Array): MeasuredFont {
      const font = fonts.find((f) => fontBytes(f.data) === bytes);
      if (!font) throw new Error("letters embed only the fonts measured by scripts/letter-fonts.mjs");
      return font;
    },
  };
}
