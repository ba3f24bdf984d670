/** /v1/invoices: register invoices, read them, report payments and cancel them. */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { newId } from "../crypto";
import { indexPhone, phoneIndexSecret } from "../phone-index";
import { debtorStub } from "../debtor/stub";
import { ApiError } from "../errors";
import { idempotent } from "../idempotency";
import { unwrap } from "./rpc";
import { CancelInputSchema, InvoiceInputSchema, InvoiceSchema, PaymentInputSchema, ProblemSchema } from "./schemas";

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const problems = {
  401: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Missing or invalid API key" },
  404: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Not found in your account" },
  409: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Conflict with the invoice's state or a running request" },
  422: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Invalid request; every problem is named" },
};
const IdempotencyHeader = z.object({
  "idempotency-key": z.string().optional().openapi({ description: "Makes retries safe: the first answer is replayed for 24 hours." }),
});
const InvoiceParams = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" }, example: "inv_8FqS0v1Jx2Lm4Np6Qr8T" }) });

export const invoices = createApp();
invoices.use("*", requireApiKey);

/** Finds which debtor holds invoice `id` of this tenant, or 404. */
async function locate(db: D1Database, tenantId: string, id: string): Promise<string> {
  const row = await db.prepare("SELECT debtor_id FROM invoice_index WHERE tenant_id = ? AND id = ?").bind(tenantId, id).first<{ debtor_id: string }>();
  if (!row) throw new ApiError("not_found", `No invoice ${id} in your account.`);
  return row.debtor_id;
}

invoices.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Register an unpaid invoice",
    description: "Registers an invoice for reminders. The same merchant_invoice_id (or Idempotency-Key) registers nothing twice.",
    request: { headers: IdempotencyHeader, body: { content: { "application/json": { schema: InvoiceInputSchema } }, required: true } },
    responses: { 201: json(InvoiceSchema, "Registered"), 200: json(InvoiceSchema, "Already registered"), ...problems },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const tenant = c.get("tenant");
    // A number must be indexable for opt-outs before anything is written (no partial write).
    if (input.debtor.phone) phoneIndexSecret(c.env);
    const res = await idempotent(c, input, async () => {
      const db = c.env.DB;
      // Claim (tenant, merchant invoice id) first: the unique index makes a duplicate impossible.
      const claimId = newId("inv");
      await db
        .prepare("INSERT OR IGNORE INTO invoice_index (id, tenant_id, merchant_invoice_id, debtor_id, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(claimId, tenant.id, input.merchant_invoice_id, input.debtor.id, Date.now())
        .run();
      const row = await db
        .prepare("SELECT id, debtor_id FROM invoice_index WHERE tenant_id = ? AND merchant_invoice_id = ?")
        .bind(tenant.id, input.merchant_invoice_id)
        .first<{ id: string; debtor_id: string }>();
      if (!row) throw new Error("invoice index row vanished");
      if (row.debtor_id !== input.debtor.id) {
        throw new ApiError("conflict", `Invoice ${input.merchant_invoice_id} is already registered for another debtor.`, [
          { field: "merchant_invoice_id", message: "Already registered for another debtor." },
        ]);
      }
      // If the debtor's object refuses, our new claim must not stay behind (no partial write). If
      // the call fails, the object may still have stored the invoice under this id: the claim
      // stays, so the retry (same key or same merchant id) finds one invoice, under one id.
      const result = await debtorStub(c.env, tenant.id, row.debtor_id).registerInvoice(tenant.id, row.id, input);
      if (!result.ok && row.id === claimId) await db.prepare("DELETE FROM invoice_index WHERE id = ? AND tenant_id = ?").bind(claimId, tenant.id).run();
      // An inbound SMS "STOP" finds every debtor with that number (stored hashed).
      if (result.ok && input.debtor.phone) {
        await indexPhone(c.env, tenant.id, input.debtor.id, input.debtor.phone);
      }
      const { created, ...invoice } = unwrap(result);
      return { status: created ? 201 : 200, body: invoice };
    });
    return res as never;
  },
);

invoices.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    summary: "Get an invoice",
    request: { params: InvoiceParams },
    responses: { 200: json(InvoiceSchema, "The invoice"), ...problems },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const tenant = c.get("tenant");
    const debtorId = await locate(c.env.DB, tenant.id, id);
    return c.json(unwrap(await debtorStub(c.env, tenant.id, debtorId).getInvoice(tenant.id, id)), 200);
  },
);

invoices.openapi(
  createRoute({
    method: "post",
    path: "/{id}/payments",
    summary: "Report a payment",
    description: "Partial or full. A full payment closes the invoice: no reminder is sent for it after this call returns.",
    request: { params: InvoiceParams, headers: IdempotencyHeader, body: { content: { "application/json": { schema: PaymentInputSchema } }, required: true } },
    responses: { 200: json(InvoiceSchema, "The invoice after the payment"), ...problems },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const tenant = c.get("tenant");
    const res = await idempotent(c, input, async () => {
      const debtorId = await locate(c.env.DB, tenant.id, id);
      const key = c.req.header("idempotency-key");
      return { status: 200, body: unwrap(await debtorStub(c.env, tenant.id, debtorId).recordPayment(tenant.id, id, input, key)) };
    });
    return res as never;
  },
);

invoices.openapi(
  createRoute({
    method: "post",
    path: "/{id}/cancel",
    summary: "Cancel an invoice",
    description: "For a credit note or a return: the invoice closes and is no longer reminded.",
    request: { params: InvoiceParams, headers: IdempotencyHeader, body: { content: { "application/json": { schema: CancelInputSchema } }, required: false } },
    responses: { 200: json(InvoiceSchema, "The cancelled invoice"), ...problems },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    // A missing body skips validation: parse {} so the default reason applies.
    const input = CancelInputSchema.parse(c.req.valid("json") ?? {});
    const tenant = c.get("tenant");
    const res = await idempotent(c, input, async () => {
      const debtorId = await locate(c.env.DB, tenant.id, id);
      return { status: 200, body: unwrap(await debtorStub(c.env, tenant.id, debtorId).cancelInvoice(tenant.id, id, input)) };
    });
    return res as never;
  },
);
