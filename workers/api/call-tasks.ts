/**
 * /v1/call-tasks: the shop's call centre lists the calls Kindly planned (the "call" step of the
 * ladder: who, the number, a kind script) and closes each with what came of it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { callTasks as tasks } from "../../schema/d1";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { db, type RowOf } from "../db";
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

/** A task as the API shows it: the answer's field names, typed by the schema's columns. */
const COLUMNS = {
  id: tasks.id,
  debtor_id: tasks.debtorId,
  status: tasks.status,
  name: tasks.name,
  phone: tasks.phone,
  locale: tasks.locale,
  subject: tasks.subject,
  script: tasks.script,
  created_at: tasks.createdAt,
  closed_at: tasks.closedAt,
  outcome: tasks.outcome,
  note: tasks.note,
};
type Row = RowOf<typeof COLUMNS>;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const view = (r: Row) => ({ ...r, created_at: iso(r.created_at) ?? "", closed_at: iso(r.closed_at), outcome: OUTCOMES.find((o) => o === r.outcome) ?? null });
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
    const results = await db(c.env.DB)
      .select(COLUMNS)
      .from(tasks)
      .where(and(eq(tasks.tenantId, c.get("tenant").id), q.status === undefined ? undefined : eq(tasks.status, q.status), q.debtor_id === undefined ? undefined : eq(tasks.debtorId, q.debtor_id)))
      .orderBy(asc(tasks.createdAt), asc(tasks.id))
      .limit(q.limit ?? 50)
      .all();
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
    const d = db(c.env.DB);
    const mine = and(eq(tasks.id, id), eq(tasks.tenantId, tenantId));
    const row = await d
      .update(tasks)
      .set({ status: "closed", closedAt: Date.now(), outcome: body.outcome, note: body.note ?? null })
      .where(and(mine, eq(tasks.status, "open")))
      .returning(COLUMNS)
      .get();
    if (row) return c.json(view(row), 200);
    const exists = await d.select({ status: tasks.status }).from(tasks).where(mine).get();
    if (!exists) throw new ApiError("not_found", `No call task ${id} in your account.`);
    throw new ApiError("invalid_state", `The task is already ${exists.status}.`);
  },
);
