/**
 * /v1/debtors/{id}: what a shop needs to answer its customers and regulators (AVG/GDPR): the
 * export of everything Kindly holds about one debtor, erasure, revoking the debtor's links, and
 * the pay-later advice. Mounted beside debtors.ts on the same prefix.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createApp, type AppEnv } from "../app";
import { requireApiKey } from "../auth";
import { debtorStub } from "../debtor/stub";
import { ApiError } from "../errors";
import { type PayLaterFacts, payLaterAdvice } from "../pay-later";
import { eraseDebtor, exportDebtor } from "../privacy";
import { ProblemSchema } from "./schemas";

export const debtorPrivacy = createApp();
debtorPrivacy.use("*", requireApiKey);

const Params = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: "id", in: "path" }, example: "cust-42" }) });
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const ok = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 401: problem("Missing or invalid API key"), 403: problem("The key lacks the scope"), 404: problem("No such debtor in your account") };
const Rows = z.array(z.record(z.string(), z.unknown()));

async function requireKnown(c: Context<AppEnv>, id: string): Promise<void> {
  const known = await c.env.DB.prepare("SELECT 1 AS one FROM invoice_index WHERE tenant_id = ? AND debtor_id = ? LIMIT 1").bind(c.get("tenant").id, id).first();
  if (!known) throw new ApiError("not_found", `No debtor ${id} in your account.`);
}

const DebtorExport = z
  .object({
    debtor_id: z.string(),
    exported_at: z.string(),
    contact: z.record(z.string(), z.unknown()).nullable().openapi({ description: "Name, email, phone, postal address, language and time zone, as the shop last sent them." }),
    invoices: Rows,
    payments: Rows,
    messages: Rows.openapi({ description: "Every reminder, with its status and, once sent, the message exactly as sent (as_sent: recipient, subject, text, html)." }),
    pauses: Rows.openapi({ description: "Choices and stops: already paid, payment date, arrangement, help, dispute, debt counselling, breathing space." }),
    instalments: Rows,
    blocked_channels: Rows,
    flags: z.object({ hardship: z.boolean(), vulnerable: z.boolean() }),
    notes: z.array(z.object({ id: z.string(), kind: z.string(), body: z.string(), at: z.string() })).openapi({ description: "What the debtor wrote: dispute reasons, SMS replies." }),
    events: z.array(z.object({ at: z.string(), type: z.string(), invoice_id: z.string().nullable(), data: z.record(z.string(), z.unknown()) })),
    call_tasks: Rows,
    sandbox_messages: Rows,
    short_links: Rows,
    webhook_deliveries: Rows,
    nps_answers: Rows.openapi({ description: "NPS answers after a reminder cycle, with the comment the debtor wrote." }),
    later_orders: Rows.openapi({ description: "Later orders the shop reported (POST /v1/debtors/{id}/orders)." }),
  })
  .openapi("DebtorExport");

debtorPrivacy.openapi(
  createRoute({
    method: "get",
    path: "/{id}/export",
    summary: "Export everything Kindly holds about a debtor",
    description: "For a data subject's access request (AVG/GDPR art. 15 and 20): contact data, invoices and payments, every message as sent, choices, notes, events, call tasks and the shop's webhook deliveries about them, as JSON.",
    request: { params: Params },
    responses: { 200: ok(DebtorExport, "Everything about the debtor"), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    await requireKnown(c, id);
    const data = await exportDebtor(c.env, c.get("tenant").id, id);
    if (!data) throw new ApiError("not_found", `No debtor ${id} in your account.`);
    c.header("Cache-Control", "no-store");
    c.header("Content-Disposition", `attachment; filename="kindly-debtor-export.json"`);
    return c.json({ debtor_id: id, exported_at: new Date().toISOString(), ...data } as z.infer<typeof DebtorExport>, 200);
  },
);

debtorPrivacy.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    summary: "Erase a debtor's personal data",
    description:
      "Erases the debtor everywhere (their object, stored messages, notes, call tasks, links, indexes, queued work). What the shop's books need stays, pseudonymised: invoice numbers, amounts and dates. Refused with 409 open_invoices while invoices are open, unless force=true (their reminders stop and they close as 'erased').",
    request: { params: Params, query: z.object({ force: z.enum(["true", "false"]).optional().openapi({ description: "Erase even with open invoices." }) }) },
    responses: { 200: ok(z.object({ erased: z.literal(true), invoices_closed: z.number().int() }).openapi("Erasure"), "Erased"), ...errors, 409: problem("The debtor has open invoices (open_invoices)") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const force = c.req.valid("query").force === "true";
    await requireKnown(c, id);
    const outcome = await eraseDebtor(c.env, c.get("tenant").id, id, { force });
    if (!outcome.ok) throw new ApiError(outcome.code === "open_invoices" ? "open_invoices" : "not_found", outcome.message);
    return c.json({ erased: true as const, invoices_closed: outcome.closedInvoices }, 200);
  },
);

debtorPrivacy.openapi(
  createRoute({
    method: "post",
    path: "/{id}/links/revoke",
    summary: "Revoke the debtor's links",
    description: "Every link to the debtor's page in messages sent so far stops working (the page says the link is gone); later messages carry new links. Links are also revoked when a reminder cycle ends and on erasure.",
    request: { params: Params },
    responses: { 200: ok(z.object({ revoked: z.literal(true) }).openapi("LinksRevoked"), "Revoked"), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    await requireKnown(c, id);
    const tenantId = c.get("tenant").id;
    if (!(await debtorStub(c.env, tenantId, id).revokeLinks(tenantId))) throw new ApiError("not_found", `No debtor ${id} in your account.`);
    await c.env.DB.prepare("DELETE FROM link_codes WHERE tenant_id = ? AND debtor_id = ?").bind(tenantId, id).run();
    return c.json({ revoked: true as const }, 200);
  },
);

const PayLater = z
  .object({
    debtor_id: z.string(),
    advice: z.enum(["yes", "lower_limit", "no"]).openapi({ description: "Advice to the shop, not a decision: offer pay-later, offer it with a lower limit, or not." }),
    reasons: z.array(
      z.object({
        code: z.enum(["debt_counselling", "breathing_space", "handed_over", "missed_instalment", "long_overdue", "arrangement_running", "overdue", "reminders", "paid_on_time", "no_history"]),
        leads_to: z.enum(["yes", "lower_limit", "no"]),
        message: z.string().openapi({ description: "Words the shop may use with the customer, in the customer's language." }),
      }),
    ),
    based_on: z.string().openapi({ description: "Only Kindly's own history of this customer with this shop, over the last 12 months." }),
  })
  .openapi("PayLaterAdvice");

debtorPrivacy.openapi(
  createRoute({
    method: "get",
    path: "/{id}/pay-later",
    summary: "Advice: offer this customer pay-later?",
    description:
      "yes, lower_limit or no, with reasons a customer could be told, from Kindly's own history of this customer with this shop only. A help request is never held against anyone; debt counselling and a breathing space count only to protect (no new credit). Off unless enabled in PATCH /v1/settings (409 until then). An unknown customer answers yes (no_history).",
    request: { params: Params },
    responses: { 200: ok(PayLater, "The advice"), ...errors, 409: problem("Pay-later advice is off for this account") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const tenantId = c.get("tenant").id;
    const setting = await c.env.DB.prepare("SELECT pay_later_enabled FROM tenants WHERE id = ?").bind(tenantId).first<{ pay_later_enabled: number }>();
    if (setting?.pay_later_enabled !== 1) throw new ApiError("invalid_state", "Pay-later advice is off for this account; turn it on with PATCH /v1/settings {\"pay_later_enabled\": true}.");
    const known = await c.env.DB.prepare("SELECT 1 AS one FROM invoice_index WHERE tenant_id = ? AND debtor_id = ? LIMIT 1").bind(tenantId, id).first();
    const facts = known ? ((await debtorStub(c.env, tenantId, id).payLaterFacts(tenantId)) as PayLaterFacts | null) : null;
    const { advice, reasons } = payLaterAdvice(facts ?? NO_HISTORY);
    c.header("Cache-Control", "no-store");
    return c.json({ debtor_id: id, advice, reasons, based_on: "Kindly's history of this customer with this shop, last 12 months" }, 200);
  },
);

const NO_HISTORY: PayLaterFacts = {
  locale: "en", today: "2000-01-01", remindersLast12Months: 0, handoversLast12Months: 0, missedInstalmentsLast12Months: 0, arrangementRunning: false,
  debtCounsellingActive: false, breathingSpaceActive: false, oldestOpenDueDate: null, paidOnTimeLast12Months: 0, invoicesLast12Months: 0,
};
