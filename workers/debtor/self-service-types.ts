/**
 * What a debtor can do from a link in any reminder, as the DebtorDO offers it over RPC.
 * Shared by the DO (which implements it) and the self-service pages (which call it).
 */
import type { Locale } from "../api/schemas";
import type { PayActions } from "../pay-action";
import type { ShopVoice } from "../shop-voice";
import type { DebtorState } from "./debtor-state";

export type SelfServiceAction =
  | { kind: "already_paid" }
  | { kind: "payment_date"; date: string }
  | { kind: "arrangement"; instalments: number }
  | { kind: "help" }
  | { kind: "dispute"; reason: string };

/** One open invoice as the debtor sees it; `payUrl` pays exactly `outstandingCents` (API contract). */
export interface OpenInvoiceView {
  reference: string;
  dueDate: string;
  outstandingCents: number;
  payUrl: string;
}

/** The shop's bank account, for paying an instalment (or anything) by transfer. */
export interface BankView {
  iban: string;
  accountHolder: string;
  bic: string | null;
}

/** What the debtor's page shows: only what the debtor may see, nothing of other debtors. */
export interface SelfServiceView {
  name: string;
  locale: Locale;
  country: "NL" | "BE";
  /** Only to find the free debt help of the debtor's region (Belgium: by postal code). */
  postalCode: string | null;
  merchantName: string;
  contactEmail: string | null;
  /** The shop's name, logo, colour and how to reach it (account profile). */
  shop: ShopVoice;
  bank: BankView | null;
  invoices: OpenInvoiceView[];
  totalCents: number;
  /** The pay action for everything open (workers/pay-action.ts): it pays exactly what it names. */
  pay: PayActions;
  /** The payment reference to quote with a bank transfer. */
  payReference: string;
  /** Where the debtor stands: what the page says first. */
  state: DebtorState;
  /** Latest date the debtor may choose to pay on (inclusive), null if date choice is off. */
  latestPaymentDate: string | null;
  /** Suggested payday-aligned dates within the limit. */
  suggestedPaymentDates: string[];
  arrangement: { enabled: boolean; maxInstalments: number; minInstalmentCents: number };
  /** The NPS question after a cycle that ended well (workers/debtor/cycle.ts), when it is open. */
  nps?: { cycle: number } | null;
}

export type SelfServiceResult =
  | { ok: true; message: "already_paid" | "payment_date" | "arrangement" | "help" | "dispute"; until: string | null; instalments?: { dueDate: string; amountCents: number }[] }
  | { ok: false; code: "not_found" | "invalid_state" | "validation_failed"; message: string; field?: string };
