// The PDF letter, loaded when the first one is drawn. pdf-lib, its zlib and the measured fonts are
// a fifth of the Worker; a dynamic import keeps their module code from running at start-up
// (esbuild wraps a dynamically imported module in a lazy initialiser), so a Worker that answers
// an API call or a banner never pays for them. README "Bundle and start-up".
import type { MessageLetterProps } from "../message-letter";

/** The letter as an A4 PDF (see render-pdf.ts). */
export async function renderLetterPdf(props: MessageLetterProps): Promise<Uint8Array> {
  const pdf = await import("./render-pdf");
  return pdf.renderLetterPdf(props);
}
