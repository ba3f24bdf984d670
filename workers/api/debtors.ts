/** /v1/debtors: one debtor's open invoices, amount owed, next step and timeline. */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { debtorStub } from "../debtor/stub";
import { ApiError } from "../errors";
import { unwrap } from "./rpc";
import { DebtorSchema, ProblemSchema } from "./schemas";

export const debtors = createApp();
debtors.use("*", requireApiKey);

debtors.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    summary: "Get a debtor",
    description: "Open invoices, the amount still owed, the next planned step and when, and a timeline of what was sent and what happened.",
    request: { params: z.object({ id: z.string().min(1).max(128).openapi({ param: { name: "id", in: "path" }, example: "cust-42" }) }) },
    responses: {
      200: { content: { "application/json": { schema: DebtorSchema } }, description: "The debtor" },
      401: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "Missing or invalid API key" },
      404: { content: { "application/problem+json": { schema: ProblemSchema } }, description: "No such debtor in your account" },
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const tenant = c.get("tenant");
    // Known ids only: an unknown id must not create (and bill) an empty Durable Object.
    const known = await c.env.DB.prepare("SELECT 1 AS one FROM invoice_index WHERE tenant_id = ? AND debtor_id = ? LIMIT 1").bind(tenant.id, id).first();
    if (!known) throw new ApiError("not_found", `No debtor ${id} in your account.`);
    return c.json(unwrap(await debtorStub(c.env, tenant.id, id).getDebtor(tenant.id)), 200);
  },
);
