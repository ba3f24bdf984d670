/**
 * Stands in for @pdf-lib/upng (PNG decoding) in the Worker, aliased like standard-fonts.ts:
 * letters draw their QR code as vector paths and embed no images.
 */
const refuse = (): never => {
  throw new Error("letters embed no PNG images");
};

export default { decode: refuse, toRGBA8: refuse };
