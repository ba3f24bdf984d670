/**
 * One pay action for what is owed: the button, link or QR code a debtor uses must pay exactly
 * the amount it names. Pure: the caller passes the open invoices, the shop's consolidated pay URL
 * template (account profile `links.pay_url_template`) and the debtor's own page.
 *
 * An invoice's `pay_url` is, by the API's contract, the shop's page that pays what is still open
 * on that one invoice. So:
 * - one open invoice: its own pay_url pays its outstanding amount;
 * - several, with a template: one consolidated URL for the exact total;
 * - several, without a template: the debtor's own page, which lists each invoice with its own
 *   link; the action that leads there names no amount it does not pay.
 */

/** An open invoice as the pay action needs it. */
export interface PayableInvoice {
  id: string;
  merchantInvoiceId: string;
  outstandingCents: number;
  payUrl: string;
}

/** Placeholders a consolidated pay URL template may use (URL-encoded when filled in). */
export const PAY_URL_PLACEHOLDERS = ["debtor_id", "amount_cents", "reference", "invoice_ids"] as const;
export type PayUrlPlaceholder = (typeof PAY_URL_PLACEHOLDERS)[number];

/** The main pay action. `pays` says whether following it pays `amountCents` (false: it leads to a list). */
export interface PayAction {
  kind: "single_invoice" | "consolidated" | "debtor_page";
  url: string;
  amountCents: number;
  pays: boolean;
}

/** One invoice's own link, for lists (the debtor's page, an email with several invoices). */
export interface InvoicePayLink {
  invoiceId: string;
  merchantInvoiceId: string;
  url: string;
  amountCents: number;
}

export interface PayActions {
  /** Null only when several invoices are open, there is no template and no debtor page. */
  primary: PayAction | null;
  perInvoice: InvoicePayLink[];
}

/** Placeholders in a template that Kindly does not know (empty: the template is usable). */
export function unknownPlaceholders(template: string): string[] {
  const names = [...template.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].map((m) => m[1] ?? "");
  return names.filter((n) => !(PAY_URL_PLACEHOLDERS as readonly string[]).includes(n));
}

/** Fills a pay URL template; every value is URL-encoded. */
export function fillPayUrl(template: string, values: Record<PayUrlPlaceholder, string>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) =>
    (PAY_URL_PLACEHOLDERS as readonly string[]).includes(name) ? encodeURIComponent(values[name as PayUrlPlaceholder]) : whole,
  );
}

/** The pay action(s) for these open invoices. `reference` is the payment reference shown with them. */
export function payActions(input: {
  invoices: PayableInvoice[];
  debtorId: string;
  reference: string;
  template?: string | undefined;
  pageUrl: string | null;
}): PayActions {
  const { invoices } = input;
  const perInvoice = invoices.map((i) => ({ invoiceId: i.id, merchantInvoiceId: i.merchantInvoiceId, url: i.payUrl, amountCents: i.outstandingCents }));
  const total = invoices.reduce((s, i) => s + i.outstandingCents, 0);
  const only = invoices.length === 1 ? invoices[0] : undefined;
  if (only) return { primary: { kind: "single_invoice", url: only.payUrl, amountCents: only.outstandingCents, pays: true }, perInvoice };
  if (invoices.length === 0) return { primary: null, perInvoice };
  if (input.template && unknownPlaceholders(input.template).length === 0) {
    const url = fillPayUrl(input.template, {
      debtor_id: input.debtorId,
      amount_cents: String(total),
      reference: input.reference,
      invoice_ids: invoices.map((i) => i.merchantInvoiceId).join(","),
    });
    return { primary: { kind: "consolidated", url, amountCents: total, pays: true }, perInvoice };
  }
  return { primary: input.pageUrl ? { kind: "debtor_page", url: input.pageUrl, amountCents: total, pays: false } : null, perInvoice };
}
