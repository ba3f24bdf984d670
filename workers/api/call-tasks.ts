/**
 * /v1/call-tasks: the shop's call centre lists the calls Kindly planned (the "call" step of the
 * ladder: who, the number, a kind script) and closes each with what came of it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { ApiError } from "../errors";
import { ProblemSchema } from "./schemas";

export const callTasks = createApp();
callTasks.use("*", requireApiKey);

const OUTCOMES = ["reached", "arrangement_made", "promised_to_pay", "no_answer", "wrong_number", "other"] as const;
const CallTaskSchema = z
  .object({
    id: z.string(),
    debtor_id: z.string(),
    status: z.enum(["open", "closed", "expired"]).openapi({ description: "expired: nobody closed it within 30 days." }),
    name: z.string(),
    phone: z.string().nullable(),
    locale: z.string(),
    subject: z.string(),
    script: z.string().openapi({ description: "What to say: short, kind, with the choices the customer has." }),
    created_at: z.string(),
    closed_at: z.string().nullable(),
    outcome: z.enum(OUTCOMES).nullable(),
    note: z.string().nullable(),
  })
  .openapi("CallTask");

type Row = { id: string; debtor_id: string; status: "open" | "closed" | "expired"; name: string; phone: string | null; locale: string; subject: string; script: string; created_at: number; closed_at: number | null; outcome: (typeof OUTCOMES)[number] | null; note: string | null };
const COLUMNS = "id, debtor_id, status, name, phone, locale, subject, script, created_at, closed_at, outcome, note";
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const view = (r: Row) => ({ ...r, created_at: iso(r.created_at) ?? "", closed_at: iso(r.closed_at) });
const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });

callTasks.openapi(
  createRoute({
    method: "get",
    path: "/",
    summary: "List call tasks",
    description: "Oldest first, so the call centre works from the top. Open tasks expire after 30 days; closed ones are kept 90 days.",
    request: { query: z.object({ status: z.enum(["open", "closed", "expired"]).optional(), debtor_id: z.string().max(128).optional(), limit: z.coerce.number().int().min(1).max(100).optional() }) },
    responses: { 200: { content: { "application/json": { schema: z.object({ data: z.array(CallTaskSchema) }) } }, description: "Tasks" }, 401: problem("Missing or invalid API key") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const { results } = await c.env.DB.prepare(
      `SELECT ${COLUMNS} FROM call_tasks WHERE tenant_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR debtor_id = ?3) ORDER BY created_at, id LIMIT ?4`,
    )
      .bind(c.get("tenant").id, q.status ?? null, q.debtor_id ?? null, q.limit ?? 50)
      .all<Row>();
    return c.json({ data: results.map(view) }, 200);
  },
);

callTasks.openapi(
  createRoute({
    method: "post",
    path: "/{id}/close",
    summary: "Close a call task with its outcome",
    request: {
      params: z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) }),
      body: { content: { "application/json": { schema: z.strictObject({ outcome: z.enum(OUTCOMES), note: z.string().max(500).optional() }).openapi("CallTaskClose") } }, required: true },
    },
    responses: { 200: { content: { "application/json": { schema: CallTaskSchema } }, description: "Closed" }, 401: problem("Missing or invalid API key"), 404: problem("No such task in your account"), 409: problem("Already closed or expired"), 422: problem("Invalid request") },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const tenantId = c.get("tenant").id;
    const row = await c.env.DB.prepare(
      `UPDATE call_tasks SET status = 'closed', closed_at = ?1, outcome = ?2, note = ?3 WHERE id = ?4 AND tenant_id = ?5 AND status = 'open' RETURNING ${COLUMNS}`,
    )
      .bind(Date.now(), body.outcome, body.note ?? null, id, tenantId)
      .first<Row>();
    if (row) return c.json(view(row), 200);
    const exists = await c.env.DB.prepare("SELECT status FROM call_tasks WHERE id = ? AND tenant_id = ?").bind(id, tenantId).first<{ status: string }>();
    if (!exists) throw new ApiError("not_found", `No call task ${id} in your account.`);
    throw new ApiError("invalid_state", `The task is already ${exists.status}.`);
  },
);
