/**
 * SMS texts and their segment arithmetic. An SMS shows on a lock screen that others may see, so
 * it names no amount, invoice or debt: only that the shop has a message about a payment, and the
 * link. Texts stay in the GSM-7 alphabet where the language allows (no "€", curly quotes or
 * non-breaking spaces), so a nudge with a short link fits one segment.
 */
import type { Locale } from "../../emails/copy";
import { formatDate } from "../../emails/format";

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
  const plain = PLAIN.reduce((t, [from, to]) => t.replace(from, to), text);
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

/** Returns the first text that fits one segment, else the first one fitted to two. */
function preferOneSegment(full: string, short: string): string {
  if (smsSegments(full).segments === 1) return full;
  if (smsSegments(short).segments === 1) return short;
  return fitSms(full, 2);
}

interface ReminderSmsCopy {
  nudge: (merchant: string) => string;
  crossed: string;
  look: string;
  acknowledged: (merchant: string) => string;
  /** The agreement first, then thanks: fitting drops the thanks before any detail. */
  arrangement: (merchant: string, instalments: number, firstDate: string) => string;
  lookArrangement: string;
}

// Plain ASCII punctuation and a normal space before "?" and ":" in French: both keep GSM-7.
const dutch = (heeft: string): ReminderSmsCopy => ({
  nudge: (m) => `Hallo, ${m} heeft een bericht voor u over een betaling.`,
  crossed: "Al betaald? Dan hoeft u niets te doen.",
  look: "Bekijk het bericht:",
  acknowledged: (m) => `Bedankt dat u liet weten dat u al ${heeft} betaald. ${m} heeft daarover een bericht voor u.`,
  arrangement: (m, n, d) => `Afspraak met ${m}: u betaalt ${n === 1 ? `op ${d}` : `in ${n} delen, de eerste keer op ${d}`}. Bedankt!`,
  lookArrangement: "Bekijk de afspraak:",
});

const SMS_COPY: Record<Locale, ReminderSmsCopy> = {
  "nl-NL": dutch("heeft"),
  "nl-BE": dutch("hebt"),
  "fr-BE": {
    nudge: (m) => `Bonjour, ${m} a un message pour vous au sujet d'un paiement.`,
    crossed: "Déjà payé ? Alors vous n'avez rien à faire.",
    look: "Voir le message :",
    acknowledged: (m) => `Merci de nous avoir dit que vous avez déjà payé. ${m} a un message pour vous à ce sujet.`,
    // Month names such as "août" need UCS-2 (70 units a part), so this one is kept short.
    arrangement: (m, n, d) => `Accord avec ${m} : vous payez ${n === 1 ? `le ${d}` : `en ${n} fois, dès le ${d}`}. Merci !`,
    lookArrangement: "Détails :",
  },
  en: {
    nudge: (m) => `Hello, ${m} has a message for you about a payment.`,
    crossed: "Already paid? Then you do not need to do anything.",
    look: "See the message:",
    acknowledged: (m) => `Thank you for telling us you have already paid. ${m} has a message for you about it.`,
    arrangement: (m, n, d) => `Arrangement with ${m}: you pay ${n === 1 ? `on ${d}` : `in ${n} parts, the first on ${d}`}. Thank you!`,
    lookArrangement: "See the details:",
  },
};

/**
 * A kind nudge: the shop has a message about a payment, with the link. No amount, invoice or
 * debt word, for the lock screen. With `acknowledgeAlreadyPaid` it thanks the debtor for saying
 * they paid. One GSM-7 segment where possible (dropping the crossed line if needed), else two.
 */
export function reminderSmsText(p: { locale: Locale; merchantName: string; link: string; acknowledgeAlreadyPaid?: boolean }): string {
  const c = SMS_COPY[p.locale];
  const merchant = p.merchantName.trim();
  if (p.acknowledgeAlreadyPaid) {
    const text = `${c.acknowledged(merchant)} ${c.look} ${p.link}`;
    return preferOneSegment(text, text);
  }
  return preferOneSegment(`${c.nudge(merchant)} ${c.crossed} ${c.look} ${p.link}`, `${c.nudge(merchant)} ${c.look} ${p.link}`);
}

/**
 * Confirms an arrangement made by phone or on the self-service page (bol.com confirms phone
 * agreements by SMS): how many parts and the first date, with the link; no amounts.
 */
export function arrangementSmsText(p: { locale: Locale; merchantName: string; instalments: number; firstDueDate: string; link: string }): string {
  if (!Number.isInteger(p.instalments) || p.instalments < 1) throw new RangeError(`instalments must be a positive integer: ${p.instalments}`);
  const c = SMS_COPY[p.locale];
  const text = `${c.arrangement(p.merchantName.trim(), p.instalments, formatDate(p.firstDueDate, p.locale))} ${c.lookArrangement} ${p.link}`;
  return preferOneSegment(text, text);
}
