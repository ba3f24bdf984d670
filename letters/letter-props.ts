/**
 * What a letter is made of, and the checks that keep an unlawful or wrong letter from being
 * posted. Pure: plain data in, plain data out.
 */
import { LETTER_COPY } from "./letter-copy";

/** Everything a posted letter shows; URLs, names and amounts come from the caller, never from env. */
export interface LetterProps {
  locale: "nl-NL" | "nl-BE" | "fr-BE" | "en"; country: "NL" | "BE";
  kind: "reminder" | "nl_fourteen_day_letter" | "be_first_reminder";
  tone: "friendly" | "neutral" | "clear";
  date: string; // letter date YYYY-MM-DD
  sender: { name: string; addressLines: string[]; contactEmail?: string; enterpriseNumber?: string };
  recipient: { name: string; address: { line1: string; line2?: string; postal_code: string; city: string; country: "NL" | "BE" } };
  reference: string;
  invoices: { reference: string; dueDate: string; description?: string; outstandingCents: number }[];
  totalCents: number;
  payUrl: string; selfServiceUrl?: string;
  costs: { announcedCents: number; termEndDate: string | null };
  acknowledgeAlreadyPaid?: boolean;
}

/**
 * The language the letter is written in. The lawful 14-day term sentence exists only in Dutch and
 * English (NL_FOURTEEN_DAY_WORDING), so a 14-day letter to a debtor in the Netherlands who reads
 * Belgian Dutch or French is written in Dutch, the language the wording was vetted in.
 */
export function letterLocale(p: Pick<LetterProps, "locale" | "kind">): LetterProps["locale"] {
  return p.kind === "nl_fourteen_day_letter" && p.locale !== "en" ? "nl-NL" : p.locale;
}

/**
 * Refuses a letter that would be unlawful or wrong rather than post it: a 14-day letter outside
 * the Netherlands, a Belgian first reminder
 * without the enterprise number Book XIX requires, or a total that does not add up.
 */
export function assertLetterProps(p: LetterProps): void {
  if (p.kind === "nl_fourteen_day_letter" && p.country !== "NL") {
    throw new RangeError("a 14-day letter (art. 6:96 BW) is for debtors in the Netherlands only");
  }
  if (p.kind === "be_first_reminder") {
    if (p.country !== "BE") throw new RangeError("a Book XIX first reminder is for debtors in Belgium only");
    if (!p.sender.enterpriseNumber?.trim()) throw new RangeError("a Belgian first reminder must name the creditor's enterprise number");
  }
  if (p.invoices.length === 0) throw new RangeError("a letter needs at least one invoice");
  const sum = p.invoices.reduce((s, i) => s + i.outstandingCents, 0);
  if (sum !== p.totalCents) throw new RangeError(`total ${p.totalCents} is not the sum of the invoices (${sum})`);
  if (!Number.isSafeInteger(p.costs.announcedCents) || p.costs.announcedCents < 0) {
    throw new RangeError(`announced costs must be whole, non-negative cents: ${p.costs.announcedCents}`);
  }
}

/** The subject line: names the shop, calm, never "final notice" or "summons". */
export function letterSubject(p: Pick<LetterProps, "locale" | "kind" | "sender" | "invoices">): string {
  const subject = LETTER_COPY[letterLocale(p)].subject[p.kind];
  if (!subject) throw new RangeError(`no ${p.kind} letter in locale ${p.locale}`);
  return subject(p.sender.name, p.invoices.length);
}
