/**
 * What a debtor can do from a link in any reminder, as the DebtorDO offers it over RPC.
 * Shared by the DO (which implements it) and the self-service pages (which call it).
 */
import type { Locale } from "../api/schemas";

export type SelfServiceAction =
  | { kind: "already_paid" }
  | { kind: "payment_date"; date: string }
  | { kind: "arrangement"; instalments: number }
  | { kind: "help" }
  | { kind: "dispute"; reason: string };

/** What the debtor's page shows: only what the debtor may see, nothing of other debtors. */
export interface SelfServiceView {
  name: string;
  locale: Locale;
  country: "NL" | "BE";
  merchantName: string;
  contactEmail: string | null;
  invoices: { reference: string; dueDate: string; outstandingCents: number }[];
  totalCents: number;
  payUrl: string | null;
  /** Latest date the debtor may choose to pay on (inclusive), null if date choice is off. */
  latestPaymentDate: string | null;
  /** Suggested payday-aligned dates within the limit. */
  suggestedPaymentDates: string[];
  arrangement: { enabled: boolean; maxInstalments: number; minInstalmentCents: number };
  /** A pause that is running now, so the page can say "we wait until ...". */
  activePause: { kind: string; until: string | null } | null;
}

export type SelfServiceResult =
  | { ok: true; message: "already_paid" | "payment_date" | "arrangement" | "help" | "dispute"; until: string | null; instalments?: { dueDate: string; amountCents: number }[] }
  | { ok: false; code: "not_found" | "invalid_state" | "validation_failed"; message: string; field?: string };
