/**
 * What the debtor sees outside messages, read from the DebtorDO's tables and the run context:
 * the open invoices, where the debtor stands (debtor-state.ts), the shop's voice and the pay
 * action that pays exactly what it names (pay-action.ts). The self-service page and the banner
 * both start from `situation()`, so they never disagree. Synchronous, like the store.
 */
import { type PayActions, payActions } from "../pay-action";
import { shopVoice } from "../shop-voice";
import { addDays, localParts } from "../zoned-time";
import { ARRANGEMENT_PAID_BEFORE, type ActionDeps } from "./actions";
import { type DebtorState, type PauseFact, debtorState } from "./debtor-state";
import type { BankView, OpenInvoiceView, SelfServiceView } from "./self-service-types";
import type { DebtorRecord } from "./store";
import { openNps } from "./cycle";

/** The latest date a debtor may pick: the tenant's limit counted from the oldest due date. */
export function latestPaymentDate(d: ActionDeps, _today: string): string | null {
  // Counted from the oldest due date, not from today: picking a new date every month must not
  // postpone reminders for ever.
  const oldest = d.store.openInvoices()[0]?.due_date;
  if (!oldest) return null;
  return addDays(oldest, d.rc.policy.payment_date.max_days_after_due);
}

/** Payday-aligned dates from tomorrow up to `latest` (the tenant's payday of the month). */
function paydays(d: ActionDeps, today: string, latest: string, count = 3): string[] {
  const day = d.rc.policy.payment_date.payday_of_month;
  const out: string[] = [];
  let [y, m] = today.split("-").map(Number) as [number, number];
  for (let i = 0; i < 6 && out.length < count; i++) {
    const date = `${y}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    if (date > today && date <= latest) out.push(date);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
  return out;
}

/** What page and banner share: the debtor, the open invoices, the state and the shop. */
export interface Situation {
  debtor: DebtorRecord;
  country: "NL" | "BE";
  invoices: OpenInvoiceView[];
  /** Kindly's invoice ids, parallel to `invoices` (the pay action names them). */
  invoiceIds: string[];
  totalCents: number;
  state: DebtorState;
  payReference: string;
}

/** The debtor's situation at `now`, or null before the first invoice. */
export function situation(d: ActionDeps, now: number): Situation | null {
  const debtor = d.store.debtor();
  if (!debtor) return null;
  const open = d.store.openInvoices();
  const invoices = open.map((i) => ({ reference: i.merchant_invoice_id, dueDate: i.due_date, outstandingCents: i.amount_cents - i.paid_cents, payUrl: i.pay_url }));
  const pauses: PauseFact[] = d.ps.pauseRows().map((p) => {
    const data = JSON.parse(p.data) as { date?: unknown };
    return { kind: p.kind, from: p.from_at, until: p.until_at, ...(typeof data.date === "string" ? { date: data.date } : {}) };
  });
  const state = debtorState({
    openCount: open.length,
    pauses,
    instalments: d.ps.instalments().map((r) => ({ seq: r.seq, dueDate: r.due_date, amountCents: r.amount_cents })),
    paidSinceArrangement: d.store.totalPaid() - Number(d.store.meta(ARRANGEMENT_PAID_BEFORE) ?? 0),
    now,
  });
  return {
    debtor,
    country: d.runner.country(),
    invoices,
    invoiceIds: open.map((i) => i.id),
    totalCents: invoices.reduce((s, i) => s + i.outstandingCents, 0),
    state,
    // The shop's invoice numbers: what its bookkeeping matches a transfer or a checkout on.
    payReference: invoices.map((i) => i.reference).join(", "),
  };
}

/** The pay action for this situation; `pageUrl` is where a list of per-invoice links lives. */
export function situationPay(s: Situation, d: ActionDeps, debtorId: string, pageUrl: string | null): PayActions {
  return payActions({
    invoices: s.invoices.map((i, n) => ({ id: s.invoiceIds[n] ?? "", merchantInvoiceId: i.reference, outstandingCents: i.outstandingCents, payUrl: i.payUrl })),
    debtorId,
    reference: s.payReference,
    template: d.rc.tenant.profile.links?.pay_url_template,
    pageUrl,
  });
}

/** The shop's bank account from its profile, if it gave one. */
export function bankOf(d: ActionDeps): BankView | null {
  const bank = d.rc.tenant.profile.bank;
  return bank ? { iban: bank.iban, accountHolder: bank.account_holder, bic: bank.bic ?? null } : null;
}

/** What the debtor's page shows. */
export function selfServiceView(d: ActionDeps, debtorId: string, now: number): SelfServiceView | null {
  const s = situation(d, now);
  if (!s) return null;
  const today = localParts(now, s.debtor.time_zone).date;
  const latest = latestPaymentDate(d, today);
  const rules = d.rc.policy.arrangements;
  return {
    name: s.debtor.name,
    locale: s.debtor.locale,
    country: s.country,
    postalCode: s.debtor.address?.postal_code ?? null,
    merchantName: d.rc.tenant.displayName,
    contactEmail: d.rc.tenant.contactEmail,
    shop: shopVoice(d.rc.tenant),
    bank: bankOf(d),
    invoices: s.invoices,
    totalCents: s.totalCents,
    // On the page itself the per-invoice links are the list: no page to send the debtor to.
    pay: situationPay(s, d, debtorId, null),
    payReference: s.payReference,
    state: s.state,
    latestPaymentDate: latest,
    suggestedPaymentDates: latest && d.rc.policy.payment_date.align_to_payday ? paydays(d, today, latest) : [],
    arrangement: { enabled: rules.enabled, maxInstalments: rules.max_instalments, minInstalmentCents: rules.min_instalment_cents },
    nps: openNps(d, now),
  };
}

// A sanity bound only; the debtor's own limit comes from the policy (at most 24).
const MAX_INSTALMENTS = 60;

/** One arrangement choice: `months` payments of at most `amountCents`. */
export interface InstalmentOption {
  months: number;
  amountCents: number;
  exact: boolean;
}

/** The arrangements the debtor may pick: 2..maxInstalments months, none below the minimum. */
export function instalmentOptions(view: Pick<SelfServiceView, "arrangement" | "totalCents">): InstalmentOption[] {
  const { enabled, maxInstalments, minInstalmentCents } = view.arrangement;
  const out: InstalmentOption[] = [];
  if (!enabled || view.totalCents <= 0) return out;
  for (let n = 2; n <= Math.min(maxInstalments, MAX_INSTALMENTS); n++) {
    if (Math.floor(view.totalCents / n) < minInstalmentCents) break;
    out.push({ months: n, amountCents: Math.ceil(view.totalCents / n), exact: view.totalCents % n === 0 });
  }
  return out;
}
