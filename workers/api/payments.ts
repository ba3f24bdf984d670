/**
 * /v1/payments: a bank transfer reported by its payment reference, as the shop's bank statement
 * shows it (camt.053, CODA). The reference finds its debtor without a scan: a structured
 * communication or kenmerk through `payment_references`, an invoice number through
 * `invoice_index`, both within the tenant. Idempotent by the bank's transaction id (and by
 * `Idempotency-Key`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { invoiceIndex } from "../../schema/d1";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { db } from "../db";
import { debtorStub } from "../debtor/stub";
import { ApiError } from "../errors";
import { idempotent } from "../idempotency";
import { debtorForPaymentDigits } from "../payments/references";
import { parseStructured } from "../payments/structured-communication";
import { unwrap } from "./rpc";
import { BankPaymentInputSchema, BankPaymentSchema, ProblemSchema } from "./schemas";

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });

export const payments = createApp();
payments.use("*", requireApiKey);

/** The debtor (and invoice, for an invoice number) a reference belongs to in this tenant, or 404. */
async function locateReference(d1: D1Database, tenantId: string, reference: string): Promise<{ debtorId: string; invoiceId: string | null }> {
  const digits = parseStructured(reference);
  if (digits) {
    const debtorId = await debtorForPaymentDigits(d1, tenantId, digits);
    if (debtorId) return { debtorId, invoiceId: null };
  }
  const i = invoiceIndex;
  const row = await db(d1)
    .select({ id: i.id, debtorId: i.debtorId })
    .from(i)
    .where(and(eq(i.tenantId, tenantId), eq(i.merchantInvoiceId, reference.trim())))
    .get();
  if (row) return { debtorId: row.debtorId, invoiceId: row.id };
  throw new ApiError("not_found", "No debtor or invoice with this payment reference in your account.", [{ field: "reference", message: "Unknown payment reference." }]);
}

payments.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Report a bank payment by its reference",
    description:
      "Matches a bank transfer to the debtor its payment reference belongs to and spreads the amount over their open invoices (the named invoice first, then the oldest). The same transaction_id is counted once; an amount above what is open is reported as unallocated_cents.",
    request: {
      headers: z.object({ "idempotency-key": z.string().optional() }),
      body: { content: { "application/json": { schema: BankPaymentInputSchema } }, required: true },
    },
    responses: {
      200: { content: { "application/json": { schema: BankPaymentSchema } }, description: "How the payment was matched" },
      401: problem("Missing or invalid API key"),
      404: problem("No debtor or invoice with this reference in your account"),
      422: problem("Invalid request; every problem is named"),
    },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const tenant = c.get("tenant");
    const res = await idempotent(c, input, async () => {
      const { debtorId, invoiceId } = await locateReference(c.env.DB, tenant.id, input.reference);
      const result = await debtorStub(c.env, tenant.id, debtorId).recordBankPayment(tenant.id, {
        transactionId: input.transaction_id, amountCents: input.amount_cents, reference: input.reference, invoiceId, paidAt: input.paid_at ?? null,
      });
      return { status: 200, body: { ...unwrap(result), reference: input.reference } };
    });
    return res as never;
  },
);
