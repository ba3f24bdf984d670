/** Test helper: decodes the EPC QR code in a message's HTML with jsQR, an independent decoder. */
import jsQR from "jsqr";

/** Reads an SVG of dark runs ("M{x} {y}.5h{w}") into an RGBA bitmap, `scale` pixels a module. */
export function svgToBitmap(svg: string, scale = 4): { data: Uint8ClampedArray; size: number } {
  const units = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const size = units * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  for (const m of svg.matchAll(/M(\d+) (\d+)\.5h(\d+)/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < w * scale; dx++) {
        const i = ((y * scale + dy) * size + x * scale + dx) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
    }
  }
  return { data, size };
}

/** The EPC payload lines of the first QR code in `html`, or null. */
export function decodeQr(html: string): string[] | null {
  const svg = /<svg[^]*?<\/svg>/.exec(html)?.[0];
  if (!svg) return null;
  const { data, size } = svgToBitmap(svg);
  return jsQR(data, size, size)?.data.split("\n") ?? null;
}
