/**
 * Every word of a posted letter, per locale. Same rules as the email copy (emails/copy.ts):
 * level B1, short sentences, kind, no threats, no shame, nothing that looks like an official or
 * court document (Wki conduct rules; Book XIX CEL). The help block, greeting, closing and table
 * headings come from the email copy, so letter and email say the same thing.
 */
import type { Locale } from "../emails/copy";
import { dutchLetter } from "./copy-nl";
import { englishLetter } from "./copy-en";
import { frenchLetter } from "./copy-fr";

/** What the letter is for; the same names as the policy's step kinds. */
export type LetterKind = "reminder" | "nl_fourteen_day_letter" | "be_first_reminder";

/** How direct the opening is: a first letter, a plain one, or a clear one after earlier reminders. */
export type LetterTone = "friendly" | "neutral" | "clear";

/** Already formatted values the copy may mention. */
export interface LetterContext {
  merchant: string;
  /** Formatted total, e.g. "€ 1.234,56". */
  total: string;
  invoiceCount: number;
}

/**
 * The lawful Dutch 14-day letter (art. 6:96(6) BW). Only nl-NL and en have it: the term sentence
 * must be the exact NL_FOURTEEN_DAY_WORDING, which exists in those two languages only.
 */
export interface FourteenDayCopy {
  /** NL_FOURTEEN_DAY_WORDING, verbatim. Never a term counted from the letter's date. */
  term: string;
  /** The euro amount of BIK costs owed if the term passes unpaid. */
  costs: (amount: string) => string;
  noCosts: string;
  /** What happens next, calmly: only a step that can really be taken (handover to an agency). */
  consequence: string;
}

/** The Belgian free first reminder (Book XIX CEL): its mandatory elements in plain words. */
export interface BeFirstReminderCopy {
  free: string;
  creditor: (name: string, enterpriseNumber: string) => string;
  /** Points at the table, which names each invoice, its description and due date. */
  about: string;
  /** The 14-day term; with its end date when known. */
  term: (endDate: string | null) => string;
  damages: (amount: string) => string;
  noDamages: string;
}

/** All letter-only text in one language. */
export interface LetterCopy {
  subject: Record<LetterKind, ((merchant: string, invoiceCount: number) => string) | null>;
  datePlace: (date: string, place: string | null) => string;
  /** Labels end in their colon: French puts a non-breaking space before it. */
  referenceLabel: string;
  enterpriseNumberLabel: string;
  /** Opening paragraph per tone. */
  intro: Record<LetterTone, (c: LetterContext) => string>;
  totalLine: (total: string) => string;
  /** Payment and letter may have crossed: prevents worry and needless calls (bol.com). */
  crossed: string;
  /** The debtor told us they paid; we thank them, say we have not seen it, ask to check or send proof. */
  acknowledgeAlreadyPaid: (where: string | null) => string;
  pay: {
    heading: string;
    online: string;
    selfService: string;
    contact: (email: string) => string;
    contactByPost: string;
  };
  fourteenDay: FourteenDayCopy | null;
  beFirstReminder: BeFirstReminderCopy;
}

/** The letter text for each locale. */
export const LETTER_COPY: Record<Locale, LetterCopy> = {
  "nl-NL": dutchLetter("NL"),
  "nl-BE": dutchLetter("BE"),
  "fr-BE": frenchLetter,
  en: englishLetter,
};
