/**
 * Pay-later advice for the shop (GET /v1/debtors/{id}/pay-later): offer pay-later to this
 * customer, offer it with a lower limit, or not. Pure: it weighs only Kindly's own history of this
 * debtor with this shop (`PayLaterFacts`), and every reason is one the shop could tell the
 * customer. Advice, not a decision: the shop decides.
 *
 * Prevention, from the seeds (002, 003): risky products and customers with a troubled payment
 * history are better served without pay-later, to keep them from debts. Two rules protect:
 * a help request is never weighed (the facts do not even carry it: asking for help must never cost
 * a customer anything), and debt counselling or a court breathing space is weighed only to protect
 * (no new credit while someone works their way out of debt; NL BNPL code: no debt stacking).
 *
 * The rules, first match of each level; "no" wins over "lower_limit" wins over "yes":
 *   no          debt counselling running; court breathing space running; an invoice handed over
 *               for collection in the last 12 months; an arrangement not kept in the last 12
 *               months; an invoice 30 days or more overdue now
 *   lower_limit an arrangement running; an invoice overdue now (under 30 days); 2 or more
 *               reminders in the last 12 months
 *   yes         otherwise
 */
import type { Locale } from "./api/schemas";
import { addDays } from "./zoned-time";

/** What Kindly knows of one debtor with one shop, counted over the last 12 months where it says so. */
export interface PayLaterFacts {
  locale: Locale;
  /** The debtor's local date. */
  today: string;
  remindersLast12Months: number;
  handoversLast12Months: number;
  missedInstalmentsLast12Months: number;
  arrangementRunning: boolean;
  debtCounsellingActive: boolean;
  breathingSpaceActive: boolean;
  /** Due date of the oldest open invoice, or null when nothing is open. */
  oldestOpenDueDate: string | null;
  paidOnTimeLast12Months: number;
  invoicesLast12Months: number;
}

export type PayLaterAdvice = "yes" | "lower_limit" | "no";

export type ReasonCode =
  | "debt_counselling"
  | "breathing_space"
  | "handed_over"
  | "missed_instalment"
  | "long_overdue"
  | "arrangement_running"
  | "overdue"
  | "reminders"
  | "paid_on_time"
  | "no_history";

export interface PayLaterReason {
  code: ReasonCode;
  /** The advice this reason leads to on its own. */
  leads_to: PayLaterAdvice;
  /** Words the shop may use with the customer, in the customer's language (B1). */
  message: string;
}

/** Days overdue from which an open invoice alone means "no". */
export const LONG_OVERDUE_DAYS = 30;
/** Reminders in 12 months from which the advice is a lower limit. */
export const REMINDERS_FOR_LOWER_LIMIT = 2;

type Copy = Record<ReasonCode, (n: number) => string>;
const COPY: Record<"nl" | "fr" | "en", Copy> = {
  nl: {
    debt_counselling: () => "U krijgt hulp bij schulden. Daarom bieden we nu geen achteraf betalen aan. Zo komt er niets bij.",
    breathing_space: () => "Er loopt een adempauze van de rechter. Daarom bieden we nu geen achteraf betalen aan.",
    handed_over: () => "In de laatste 12 maanden is een rekening naar een incassobureau gegaan.",
    missed_instalment: () => "In de laatste 12 maanden is een betalingsregeling niet gelukt.",
    long_overdue: () => `Een rekening staat al ${LONG_OVERDUE_DAYS} dagen of langer open.`,
    arrangement_running: () => "Er loopt een betalingsregeling.",
    overdue: () => "Een rekening is nog niet betaald.",
    reminders: (n) => `${n} herinneringen in de laatste 12 maanden.`,
    paid_on_time: (n) => `${n} ${n === 1 ? "rekening" : "rekeningen"} op tijd betaald in de laatste 12 maanden.`,
    no_history: () => "Nog geen betalingen bij ons om naar te kijken.",
  },
  fr: {
    debt_counselling: () => "Vous êtes aidé pour vos dettes. C'est pourquoi nous ne proposons pas le paiement différé pour le moment. Ainsi, rien ne s'ajoute.",
    breathing_space: () => "Un sursis du tribunal est en cours. C'est pourquoi nous ne proposons pas le paiement différé pour le moment.",
    handed_over: () => "Au cours des 12 derniers mois, une facture a été confiée à une agence de recouvrement.",
    missed_instalment: () => "Au cours des 12 derniers mois, un plan de paiement n'a pas été respecté.",
    long_overdue: () => `Une facture est impayée depuis ${LONG_OVERDUE_DAYS} jours ou plus.`,
    arrangement_running: () => "Un plan de paiement est en cours.",
    overdue: () => "Une facture n'est pas encore payée.",
    reminders: (n) => `${n} rappels au cours des 12 derniers mois.`,
    paid_on_time: (n) => `${n} ${n === 1 ? "facture payée" : "factures payées"} à temps au cours des 12 derniers mois.`,
    no_history: () => "Pas encore de paiements chez nous.",
  },
  en: {
    debt_counselling: () => "You are getting help with debts. That is why we do not offer pay later now, so nothing is added.",
    breathing_space: () => "A court breathing space is running. That is why we do not offer pay later now.",
    handed_over: () => "In the last 12 months an invoice went to a collection agency.",
    missed_instalment: () => "In the last 12 months a payment arrangement was not kept.",
    long_overdue: () => `An invoice has been open for ${LONG_OVERDUE_DAYS} days or more.`,
    arrangement_running: () => "A payment arrangement is running.",
    overdue: () => "An invoice is not paid yet.",
    reminders: (n) => `${n} reminders in the last 12 months.`,
    paid_on_time: (n) => `${n} ${n === 1 ? "invoice" : "invoices"} paid on time in the last 12 months.`,
    no_history: () => "No payments with us yet to look at.",
  },
};

const copyFor = (locale: Locale) => COPY[locale.startsWith("nl") ? "nl" : locale.startsWith("fr") ? "fr" : "en"];
const RANK: Record<PayLaterAdvice, number> = { yes: 0, lower_limit: 1, no: 2 };

/** Days from `a` to `b` (ISO dates). */
function daysBetween(a: string, b: string): number {
  let n = 0;
  for (let d = a; d < b && n < 10_000; d = addDays(d, 1)) n++;
  return n;
}

/** The advice and its reasons, worst first. */
export function payLaterAdvice(f: PayLaterFacts): { advice: PayLaterAdvice; reasons: PayLaterReason[] } {
  const copy = copyFor(f.locale);
  const reasons: PayLaterReason[] = [];
  const add = (code: ReasonCode, leads_to: PayLaterAdvice, n = 0) => reasons.push({ code, leads_to, message: copy[code](n) });
  const overdueDays = f.oldestOpenDueDate !== null && f.oldestOpenDueDate < f.today ? daysBetween(f.oldestOpenDueDate, f.today) : 0;

  if (f.debtCounsellingActive) add("debt_counselling", "no");
  if (f.breathingSpaceActive) add("breathing_space", "no");
  if (f.handoversLast12Months > 0) add("handed_over", "no", f.handoversLast12Months);
  if (f.missedInstalmentsLast12Months > 0) add("missed_instalment", "no", f.missedInstalmentsLast12Months);
  if (overdueDays >= LONG_OVERDUE_DAYS) add("long_overdue", "no", overdueDays);
  if (f.arrangementRunning) add("arrangement_running", "lower_limit");
  if (overdueDays > 0 && overdueDays < LONG_OVERDUE_DAYS) add("overdue", "lower_limit", overdueDays);
  if (f.remindersLast12Months >= REMINDERS_FOR_LOWER_LIMIT) add("reminders", "lower_limit", f.remindersLast12Months);

  const advice = reasons.reduce<PayLaterAdvice>((worst, r) => (RANK[r.leads_to] > RANK[worst] ? r.leads_to : worst), "yes");
  if (advice === "yes") {
    if (f.paidOnTimeLast12Months > 0) add("paid_on_time", "yes", f.paidOnTimeLast12Months);
    else add("no_history", "yes");
  }
  return { advice, reasons };
}
