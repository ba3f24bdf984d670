/**
 * Editable blocks: the words of a template a marketer may change (issue 8 stores them per
 * tenant, template and locale). Each block is a string with {{placeholders}}; everything the
 * law or the debtor's trust depends on (amounts, the invoice table, the crossed-payment line,
 * the help line, the pay action, legal notices) is rendered by code around them and is not a
 * block, so no edit can remove it. Pure.
 */
import { PLACEHOLDERS, type Placeholder } from "./keys";

/** The editable words of one template in one locale. Letters use all but subject and preheader; SMS uses `sms`. */
export interface TemplateCopy {
  subject: string;
  /** The line a mail app shows after the subject; never an amount (lock screens). */
  preheader: string;
  /** The email's title and the letter's subject line. */
  heading: string;
  greeting: string;
  intro: string;
  body: string[];
  /** The pay button's label when the button pays exactly {{amount}}. */
  cta: string;
  signoff: string;
  /** The SMS text; the crossed line, the help line and the link are added by code. */
  sms: string;
}

/** The names of the editable blocks, in reading order. */
export const BLOCK_NAMES = ["subject", "preheader", "heading", "greeting", "intro", "body", "cta", "signoff", "sms"] as const satisfies readonly (keyof TemplateCopy)[];

/** Filled-in blocks; a paragraph whose optional placeholder had no value is gone. */
export type ResolvedCopy = TemplateCopy;

const TOKEN = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** The placeholders a text uses. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => m[1] ?? "");
}

/** Placeholders in `copy` that the template does not declare (empty: the copy is usable). */
export function undeclaredPlaceholders(copy: TemplateCopy, declared: readonly Placeholder[]): string[] {
  const all = BLOCK_NAMES.flatMap((b) => {
    const v = copy[b];
    return Array.isArray(v) ? v.flatMap(placeholdersIn) : placeholdersIn(v);
  });
  return [...new Set(all.filter((p) => !(declared as readonly string[]).includes(p) || !Object.hasOwn(PLACEHOLDERS, p)))];
}

/** Values for one rendering; a missing or null value leaves out the paragraph that uses it. */
export type PlaceholderValues = Partial<Record<Placeholder, string | null>>;

/** Fills a text, or returns null when it uses a placeholder without a value. */
export function fill(text: string, values: PlaceholderValues): string | null {
  let missing = false;
  const out = text.replace(TOKEN, (_, name: string) => {
    const v = values[name as Placeholder];
    if (v === undefined || v === null) {
      missing = true;
      return "";
    }
    return v;
  });
  return missing ? null : out;
}

/**
 * Fills every block. Paragraphs (intro, body) that use a placeholder without a value are left
 * out ("On {{previous_date}} we sent you..." when nothing was sent before); a one-line block
 * without its value keeps the words around it, so a subject or button is never empty.
 */
export function resolveCopy(copy: TemplateCopy, values: PlaceholderValues): ResolvedCopy {
  const line = (t: string) => fill(t, values) ?? t.replace(TOKEN, "").replace(/\s{2,}/g, " ").trim();
  return {
    subject: line(copy.subject),
    preheader: line(copy.preheader),
    heading: line(copy.heading),
    greeting: line(copy.greeting),
    intro: fill(copy.intro, values) ?? "",
    body: copy.body.map((p) => fill(p, values)).filter((p): p is string => p !== null && p !== ""),
    cta: line(copy.cta),
    signoff: line(copy.signoff),
    sms: line(copy.sms),
  };
}
