/**
 * SMS texts and their segment arithmetic. An SMS shows on a lock screen that others may see, so
 * it names no amount, invoice or debt: only that the shop has a message about a payment, and the
 * link. Texts stay in the GSM-7 alphabet where the language allows (no "€", curly quotes or
 * non-breaking spaces); the words themselves are template copy (workers/templates/copy/).
 */

// GSM 03.38 default alphabet (3GPP TS 23.038 6.2.1), in code order, without ESC (0x1B). Note
// "Ç" (0x09) is here but "ç" is not; "é", "è", "à", "ù", "ì", "ò" are, "ê", "â", "ô", "û" are not.
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
// The extension table: each is ESC plus a code, so two septets.
const GSM_EXTENSION = new Set("\f^{}\\[~]|€");

/** How a text travels as SMS: its encoding, its length in septets or UTF-16 units, its segments. */
export interface SmsSize {
  encoding: "GSM-7" | "UCS-2";
  units: number;
  segments: number;
}

/**
 * Counts segments: GSM-7 holds 160 septets in one SMS or 153 per part of a longer one; UCS-2
 * holds 70 UTF-16 units or 67 per part. A two-septet escape or a surrogate pair (any character
 * outside the BMP, such as an emoji) is never split over two parts, as phones send it, so parts
 * are packed one character at a time. An empty text is still one SMS.
 */
export function smsSegments(text: string): SmsSize {
  const chars = Array.from(text);
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
  const weights = gsm
    ? chars.map((c) => (GSM_EXTENSION.has(c) ? 2 : 1))
    : chars.map((c) => ((c.codePointAt(0) ?? 0) > 0xffff ? 2 : 1));
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const units = weights.reduce((s, w) => s + w, 0);
  let segments = 1;
  if (units > single) {
    let used = 0;
    for (const w of weights) {
      if (used + w > part) {
        segments++;
        used = 0;
      }
      used += w;
    }
  }
  return { encoding: gsm ? "GSM-7" : "UCS-2", units, segments };
}

const LINK = /^\(?(?:https?:\/\/|www\.)\S+$/i;

// Typography that forces UCS-2 without adding meaning: replaced before anything is cut.
const PLAIN: [RegExp, string][] = [
  [/[\u2018\u2019\u201a\u2032]/g, "'"],
  [/[\u201c\u201d\u201e\u2033]/g, '"'],
  [/[\u2013\u2014\u2212]/g, "-"],
  [/\u2026/g, "..."],
  [/[\u00a0\u202f\u2007\u2009]/g, " "],
];

/** `text` with the typography that forces UCS-2 without adding meaning made plain (what a send does first when a text is too long). */
export function plainTypography(text: string): string {
  return PLAIN.reduce((t, [from, to]) => t.replace(from, to), text);
}

/**
 * Makes `text` fit `maxSegments`, never touching a link: first plain quotes, dashes and spaces
 * (which may bring it back to GSM-7), then whole sentences without a link from the end (the
 * first sentence stays; a question stays with its answer, as only "." and "!" end a sentence
 * here), then words from the end, marking the cut with "...". A text whose links alone are too
 * long comes back as just the links: the link is what the reader needs.
 */
export function fitSms(text: string, maxSegments: number): string {
  if (!Number.isInteger(maxSegments) || maxSegments < 1) throw new RangeError(`maxSegments must be a positive integer: ${maxSegments}`);
  const fits = (t: string) => smsSegments(t).segments <= maxSegments;
  if (fits(text)) return text;
  const plain = plainTypography(text);
  if (fits(plain)) return plain;

  const sentences = plain.split(/(?<=[.!])\s+/);
  const hasLink = (s: string) => s.split(/\s+/).some((w) => LINK.test(w));
  while (!fits(sentences.join(" "))) {
    const i = sentences.findLastIndex((s, idx) => idx > 0 && !hasLink(s));
    if (i < 0) break;
    sentences.splice(i, 1);
  }
  const shorter = sentences.join(" ");
  if (fits(shorter)) return shorter;

  const words = shorter.split(/\s+/).filter(Boolean);
  const withCut = () => {
    const last = words.findLastIndex((w) => !LINK.test(w));
    return words.map((w, i) => (i === last ? `${w.replace(/[.,:;!?]+$/, "")}...` : w)).join(" ");
  };
  while (!fits(withCut())) {
    const last = words.findLastIndex((w) => !LINK.test(w));
    if (last < 0) break;
    words.splice(last, 1);
  }
  return words.some((w) => !LINK.test(w)) ? withCut() : words.join(" ");
}

/** The fewest segments a message SMS may use: its crossed-payment line, help line and link always fit in two. */
export const MIN_MESSAGE_SEGMENTS = 2;

/**
 * The SMS of a message: the template's text, then the locked parts (the crossed-payment line,
 * a concrete help line, and the link to the debtor's page, where they can pay or choose). Within
 * `maxSegments` (never below two): typography first, then words of the template's text from the
 * end; the locked parts are never cut.
 */
export function messageSmsText(p: { text: string; crossed: string; help: string; linkLabel: string; link: string; maxSegments: number }): string {
  const max = Math.max(MIN_MESSAGE_SEGMENTS, p.maxSegments);
  const tail = `${p.crossed} ${p.help} ${p.linkLabel} ${p.link}`;
  const plain = plainTypography;
  const fits = (t: string) => smsSegments(t).segments <= max;
  const full = `${p.text} ${tail}`;
  if (fits(full)) return full;
  if (fits(plain(full))) return plain(full);
  const words = plain(p.text).split(/\s+/).filter(Boolean);
  while (words.length > 1) {
    words.pop();
    const cut = `${words.join(" ").replace(/[.,:;!?]+$/, "")}... ${plain(tail)}`;
    if (fits(cut)) return cut;
  }
  // A very long link or shop name: the locked parts still go out whole, in as many parts as it takes.
  return `${words.join(" ")} ${plain(tail)}`;
}
