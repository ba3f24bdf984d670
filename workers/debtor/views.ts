/** Row -> API view mapping for the DebtorDO's answers. */
import type { DebtorView, InvoiceView } from "../api/schemas";
import type { EventRow, InvoiceRow } from "./store";

const iso = (ms: number) => new Date(ms).toISOString();

/** The API view of one invoice. */
export function invoiceView(row: InvoiceRow, debtorId: string): InvoiceView {
  return {
    id: row.id,
    merchant_invoice_id: row.merchant_invoice_id,
    debtor_id: debtorId,
    status: row.status,
    amount_cents: row.amount_cents,
    paid_cents: row.paid_cents,
    outstanding_cents: row.amount_cents - row.paid_cents,
    currency: "EUR",
    issue_date: row.issue_date,
    due_date: row.due_date,
    pay_url: row.pay_url,
    description: row.description ?? null,
    created_at: iso(row.created_at),
    closed_at: row.closed_at === null ? null : iso(row.closed_at),
    close_reason: row.close_reason,
  };
}

/** The API view of one timeline event. */
export function timelineEntry(row: EventRow): DebtorView["timeline"][number] {
  return { at: iso(row.at), type: row.type, invoice_id: row.invoice_id, data: JSON.parse(row.data) as DebtorView["timeline"][number]["data"] };
}
