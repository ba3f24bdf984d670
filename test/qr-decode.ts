/** Test helper: decodes the EPC QR code in a message's HTML with jsQR, an independent decoder. */
import jsQR from "jsqr";

/**
 * Reads the SVG's path of dark runs into an RGBA bitmap, `scale` pixels a module: "M{x} {y}.5"
 * moves to column x of row y, "m{dx} 0" moves dx modules right, "h{w}" draws w dark modules.
 */
export function svgToBitmap(svg: string, scale = 4): { data: Uint8ClampedArray; size: number } {
  const units = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const size = units * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  const path = /<path d="([^"]*)"/.exec(svg)?.[1] ?? "";
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of path.matchAll(/([Mmh])([\d.]+)(?: ([\d.]+))?/g)) {
    if (cmd === "M") [x, y] = [Number(a), Math.floor(Number(b))];
    else if (cmd === "m") x += Number(a);
    else {
      const w = Number(a);
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < w * scale; dx++) {
          const i = ((y * scale + dy) * size + x * scale + dx) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
      x += w;
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
