/**
 * The locked words: everything a marketer's edit may never remove or change, because the law or
 * the debtor's trust depends on it (the crossed-payment line, the help line, how to pay, the
 * legal notices, the invoice table). Rendered by code around the editable blocks. Per locale.
 */
import type { CrossedVariant } from "./keys";
import { LOCKED_EN } from "./locked-en";
import { LOCKED_FR } from "./locked-fr";
import { lockedDutch } from "./locked-nl";

/** All locked text of one locale. Values arrive formatted. */
export interface LockedCopy {
  /** "your invoice from Shop" / "your 2 invoices from Shop". */
  invoicePhrase: (shop: string, count: number) => string;
  /** How an earlier message went: "by email", "by post", "by text message", "by phone". */
  channelPhrase: Record<"email" | "letter" | "sms" | "call", string>;
  crossed: Record<CrossedVariant, string>;
  /** The same in an SMS: short, GSM-7. */
  crossedSms: Record<CrossedVariant, string>;
  table: { reference: string; dueDate: string; outstanding: string; total: string; partOf: (amount: string) => string };
  instalments: { heading: string; part: string; date: string; amount: string; total: string };
  pay: {
    heading: string;
    /** The button to the debtor's page when it does not pay one amount itself. */
    toPage: string;
    perInvoice: (amount: string) => string;
    /** Lead-in of the bank transfer: "Transfer € 49,95 to:". */
    transfer: (amount: string) => string;
    iban: string;
    holder: string;
    bic: string;
    amount: string;
    /** The reference's name where the debtor lives: a Belgian structured communication, a Dutch kenmerk. */
    reference: Record<"NL" | "BE", string>;
    /** Why the reference matters. */
    referenceNote: Record<"NL" | "BE", string>;
    qr: Record<"NL" | "BE", string>;
    qrTitle: string;
    /** On paper: the page's short link as an extra, never the only way to pay. */
    online: (url: string) => string;
    options: string;
    phone: (phone: string, hours: string | null) => string;
    mail: (address: string) => string;
    reply: string;
    writeUs: string;
  };
  help: { heading: string; intro: string; phone: (display: string) => string; shop: string };
  sms: { link: string; help: (place: string) => string };
  nl14: {
    term: string;
    costs: (amount: string) => string;
    /** VAT on the costs, only when the creditor cannot deduct VAT (and must say so). */
    vat: string;
    noCosts: string;
    /** The next step, only when the shop has a handover partner (Wki: no measure that will not be taken). */
    handover: (partner: string) => string;
    noHandover: string;
  };
  be: {
    free: string;
    creditor: (name: string, enterpriseNumber: string | null) => string;
    items: string;
    balance: (amount: string) => string;
    term: (endDate: string | null) => string;
    damages: (amount: string) => string;
    noDamages: string;
  };
  letter: {
    referenceLabel: string;
    enterpriseNumberLabel: string;
    kvkLabel: string;
    datePlace: (date: string, place: string | null) => string;
    page: string;
  };
  hours: (days: string, from: string, to: string) => string;
  weekdays: Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", string>;
}

/** The locked text per locale. */
export const LOCKED: Record<"nl-NL" | "nl-BE" | "fr-BE" | "en", LockedCopy> = {
  "nl-NL": lockedDutch("NL"),
  "nl-BE": lockedDutch("BE"),
  "fr-BE": LOCKED_FR,
  en: LOCKED_EN,
};
