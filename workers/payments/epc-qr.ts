/**
 * The EPC QR code ("GiroCode", EPC069-12 version 002): a SEPA credit transfer for the exact amount
 * and reference, which the debtor scans with their banking app instead of typing an IBAN. Pure.
 *
 * Payload, one field per line (LF):
 *   BCD / 002 / 1 (UTF-8) / SCT / BIC (may be empty within the EEA) / beneficiary name (max 70)
 *   / IBAN / EUR amount ("EUR12.34", 0.01-999999999.99) / purpose (empty) / structured reference
 *   / unstructured text (max 140): a structured reference or a text, never both; at most 331 bytes.
 * The QR code uses error correction level M, as the guidelines ask. The Belgian structured
 * communication goes in the structured field as its 12 digits (Belgian banks' "BBA" reference);
 * a Dutch reference (invoice number or kenmerk) goes in the text field.
 *
 * The matrix comes from `qrcode-generator` (Kazuhiko Arase's QR encoder, no dependencies, runs in
 * workerd) and is drawn as a scalable SVG, so it prints sharp on paper and needs no image fetch.
 */
import qrcode from "qrcode-generator";
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools";

/** What one credit transfer needs. */
export interface EpcTransfer {
  name: string;
  iban: string;
  bic?: string | undefined;
  amountCents: number;
  /** Exactly one of the two: a structured reference (BE: the 12 digits) or a free text. */
  reference: { structured: string } | { text: string };
}

const MAX_BYTES = 331;

/** The EPC069-12 payload for one transfer; throws a RangeError for data a bank app would refuse. */
export function epcPayload(t: EpcTransfer): string {
  const iban = electronicFormatIBAN(t.iban) ?? "";
  if (!isValidIBAN(iban)) throw new RangeError(`not a valid IBAN: "${t.iban}"`);
  if (t.bic && !isValidBIC(t.bic)) throw new RangeError(`not a valid BIC: "${t.bic}"`);
  if (!Number.isSafeInteger(t.amountCents) || t.amountCents < 1 || t.amountCents > 99_999_999_999) {
    throw new RangeError(`the amount must be 1 to 99999999999 cents, got ${t.amountCents}`);
  }
  const oneLine = (s: string, max: number) => s.replace(/[\r\n]+/g, " ").trim().slice(0, max);
  const name = oneLine(t.name, 70);
  if (!name) throw new RangeError("the beneficiary needs a name");
  const amount = `EUR${Math.floor(t.amountCents / 100)}.${String(t.amountCents % 100).padStart(2, "0")}`;
  const structured = "structured" in t.reference ? oneLine(t.reference.structured, 35) : "";
  const text = "text" in t.reference ? oneLine(t.reference.text, 140) : "";
  const payload = ["BCD", "002", "1", "SCT", t.bic ?? "", name, iban, amount, "", structured, text].join("\n");
  if (new TextEncoder().encode(payload).length > MAX_BYTES) throw new RangeError("the EPC payload is over 331 bytes");
  return payload;
}

/** The payload as a QR matrix (level M); each UTF-8 byte is handed to the encoder as one char. */
export function epcMatrix(payload: string): boolean[][] {
  const qr = qrcode(0, "M");
  // The encoder's default byte conversion keeps the low 8 bits of each char: give it UTF-8 bytes.
  qr.addData(String.fromCharCode(...new TextEncoder().encode(payload)), "Byte");
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/**
 * The QR code as an inline SVG, one unit per module with the 4-module quiet zone the QR standard
 * asks for; `title` is read out by screen readers. Size it with CSS (e.g. 30 mm on paper).
 */
export function epcQrSvg(t: EpcTransfer, title: string): string {
  const matrix = epcMatrix(epcPayload(t));
  const quiet = 4;
  const size = matrix.length + 2 * quiet;
  // One stroked line per horizontal run of dark modules, through the middle of its row; a row's
  // first run is placed absolutely ("M3 4.5h2"), the next ones relative to the end of the one
  // before ("m1 0h3"). That keeps the SVG small: print APIs limit a letter's inline HTML.
  let d = "";
  matrix.forEach((row, r) => {
    let end: number | null = null;
    for (let c = 0; c < row.length; c++) {
      if (!row[c]) continue;
      let last = c;
      while (row[last + 1]) last++;
      d += end === null ? `M${c + quiet} ${r + quiet}.5h${last - c + 1}` : `m${c - end} 0h${last - c + 1}`;
      end = last + 1;
      c = last;
    }
  });
  const esc = title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="img" aria-label="${esc}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#ffffff"/><path d="${d}" stroke="#000000" stroke-width="1"/></svg>`;
}
