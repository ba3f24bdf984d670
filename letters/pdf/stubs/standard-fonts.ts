/**
 * Stands in for @pdf-lib/standard-fonts in the Worker (wrangler.toml and vitest.config.ts alias
 * it here). That package holds the metrics of the 14 standard PDF fonts, 99 KB of the bundle
 * gzipped, and letters never use them: a standard font is not embedded in the PDF, and a print
 * service may print another font in its place. pdf-lib reads only these names at load time; the
 * day any code asks for a standard font, it gets this error instead of a letter without its font.
 */
export const FontNames = {
  Courier: "Courier",
  CourierBold: "Courier-Bold",
  CourierOblique: "Courier-Oblique",
  CourierBoldOblique: "Courier-BoldOblique",
  Helvetica: "Helvetica",
  HelveticaBold: "Helvetica-Bold",
  HelveticaOblique: "Helvetica-Oblique",
  HelveticaBoldOblique: "Helvetica-BoldOblique",
  TimesRoman: "Times-Roman",
  TimesRomanBold: "Times-Bold",
  TimesRomanItalic: "Times-Italic",
  TimesRomanBoldItalic: "Times-BoldItalic",
  Symbol: "Symbol",
  ZapfDingbats: "ZapfDingbats",
} as const;

const refuse = (): never => {
  throw new Error("letters embed their own font; the standard PDF fonts are not part of this Worker");
};

export const Encodings = {};
export const Font = { load: refuse };
