/**
 * A bank transfer reported by its payment reference: the amount is spread over the debtor's open
 * invoices (the named invoice first, then the oldest due date first), once per bank transaction.
 * Synchronous: callers wrap it in transactionSync.
 */
import type { ActionDeps } from "./actions";
import { thankForPayment } from "./messages";

/** How one bank payment was matched. */
export interface BankPaymentResult {
  transaction_id: string;
  amount_cents: number;
  allocated: { invoice_id: string; merchant_invoice_id: string; amount_cents: number; outstanding_cents: number; status: "open" | "paid" | "cancelled" }[];
  /** More than was open: the shop refunds or keeps it as credit; Kindly never counts it twice. */
  unallocated_cents: number;
  /** True when this transaction was reported before: nothing changed now. */
  replayed: boolean;
}

/** Applies a bank payment; the same transaction id again returns the first allocation unchanged. */
export function applyBankPayment(
  d: ActionDeps,
  p: { transactionId: string; amountCents: number; reference: string; invoiceId: string | null; paidAt: string | null },
  now: number,
): BankPaymentResult {
  const key = `bank:${p.transactionId}`;
  const view = (rows: { invoice_id: string; amount_cents: number }[], replayed: boolean): BankPaymentResult => {
    const allocated = rows.map((r) => {
      const inv = d.store.invoice(r.invoice_id);
      return { invoice_id: r.invoice_id, merchant_invoice_id: inv?.merchant_invoice_id ?? "", amount_cents: r.amount_cents, outstanding_cents: inv ? inv.amount_cents - inv.paid_cents : 0, status: inv?.status ?? ("open" as const) };
    });
    const used = allocated.reduce((s, a) => s + a.amount_cents, 0);
    return { transaction_id: p.transactionId, amount_cents: p.amountCents, allocated, unallocated_cents: p.amountCents - used, replayed };
  };
  if (d.store.hasPaymentReference(key) || d.store.meta(`bank_unallocated:${p.transactionId}`) !== null) {
    return view(d.store.paymentsByReference(key), true);
  }
  const open = d.store.openInvoices();
  const ordered = [...open.filter((i) => i.id === p.invoiceId), ...open.filter((i) => i.id !== p.invoiceId)];
  let left = p.amountCents;
  const rows: { invoice_id: string; amount_cents: number }[] = [];
  const paidIds: string[] = [];
  const runner = d.runner;
  for (const inv of ordered) {
    if (left <= 0) break;
    const owed = inv.amount_cents - inv.paid_cents;
    const part = Math.min(owed, left);
    if (part <= 0) continue;
    left -= part;
    const paid = inv.paid_cents + part;
    const full = paid === inv.amount_cents;
    d.store.insertPayment(inv.id, part, key, now);
    d.store.updateInvoice(inv.id, paid, full ? "paid" : "open", full ? now : null, full ? "paid" : null);
    d.store.emit("payment.received", now, { amount_cents: part, outstanding_cents: inv.amount_cents - paid, paid_at: p.paidAt, via: "bank_transfer", reference: p.reference }, inv.id);
    if (full) {
      d.store.emit("invoice.closed", now, { reason: "paid", due_date: inv.due_date, amount_cents: inv.amount_cents }, inv.id);
      paidIds.push(inv.id);
    }
    rows.push({ invoice_id: inv.id, amount_cents: part });
  }
  if (left > 0) {
    // Remembered so a repeat of this transaction is recognised even when nothing could be allocated.
    d.store.setMeta(`bank_unallocated:${p.transactionId}`, String(left));
    d.store.emit("payment.unallocated", now, { amount_cents: left, transaction_id: p.transactionId, reference: p.reference });
  }
  if (paidIds.length > 0) {
    runner.creditLastStep(now);
    thankForPayment(d, paidIds, p.amountCents - left, now);
  }
  runner.replan(now);
  return view(rows, false);
}
