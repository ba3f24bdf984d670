/** What one simulated run produces: a record per invoice and the hard-limit checks. */
import type { PolicyMode } from "./policies";

export const CONTACT_CHANNELS = ["email", "sms", "letter", "call"] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** One overdue invoice (one cycle) under one policy. */
export interface InvoiceRecord {
  debtor: number;
  persona: number;
  cycle: number;
  /** Month (0-11) of the simulated year in which it fell due. */
  month: number;
  amountCents: number;
  /** Days from the due date to the payment, or null when it was not paid to the shop. */
  daysToPay: number | null;
  arranged: boolean;
  cancelled: boolean;
  handedOver: boolean;
  /** Marked vulnerable by the shop (the same under every policy). */
  vulnerable: boolean;
  /** Vulnerable or in hardship at the end of the cycle. */
  protected: boolean;
  contacts: Record<ContactChannel, number>;
  /** Contact costs (reminders and confirmations), in cents. */
  costCents: number;
  handoverCostCents: number;
  complaints: number;
  helpOffered: boolean;
  helpRequested: boolean;
  /** Reminders that went out after the debtor had paid (the payment was not known yet). */
  crossed: number;
  /** Days from the due date to the first letter, or null. */
  firstLetterDay: number | null;
  /** Choice points: how many, and the summed true expected score of the chosen channels. */
  choices: number;
  choiceValue: number;
  /** The same, had the oracle's choice been made at those points. */
  choiceBest: number;
}

/** Counts of hard-limit checks made on every simulated contact, and how many failed. */
export interface LimitChecks {
  contacts: number;
  /** Steps that charged collection costs (each checked against the legal term). */
  charged: number;
  quietHours: number;
  budget: number;
  costsBeforeTerm: number;
  protectedEscalated: number;
  afterPaymentKnown: number;
}

export interface RunResult {
  mode: PolicyMode;
  invoices: InvoiceRecord[];
  limits: LimitChecks;
  /** Engine decisions made (planNext calls), for the run-time figures. */
  plans: number;
}

/** A fresh, all-zero set of checks. */
export function noChecks(): LimitChecks {
  return { contacts: 0, charged: 0, quietHours: 0, budget: 0, costsBeforeTerm: 0, protectedEscalated: 0, afterPaymentKnown: 0 };
}
