/**
 * /v1/webhook-deliveries: what happened to each message Kindly sent to a merchant's webhook
 * endpoints (webhook-endpoints.ts), with every attempt, and a replay. Every query is scoped by tenant.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { ApiError } from "../errors";
import { send } from "../webhooks-out/queue";
import { ProblemSchema } from "./schemas";

export const webhookDeliveries = createApp();
webhookDeliveries.use("*", requireApiKey);

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const ok = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 401: problem("Missing or invalid API key"), 404: problem("Not in your account") };
const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const DeliveryStatus = z.enum(["pending", "delivered", "failed", "cancelled"]);

const AttemptSchema = z
  .object({
    attempt: z.number().int(),
    kind: z.enum(["scheduled", "replay"]),
    at: z.string(),
    status_code: z.number().int().nullable().openapi({ description: "The HTTP status your endpoint answered; null when it did not answer." }),
    duration_ms: z.number().int(),
    error: z.string().nullable(),
  })
  .openapi("WebhookAttempt");

const DeliverySchema = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    message_id: z.string().openapi({ description: "The webhook-id header and the payload's id: the same on every attempt and replay." }),
    event_type: z.string(),
    status: DeliveryStatus,
    attempt_count: z.number().int(),
    next_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
    attempts: z.array(AttemptSchema),
  })
  .openapi("WebhookDelivery");

const DeliveryWithPayload = DeliverySchema.extend({ payload: z.record(z.string(), z.unknown()).openapi({ description: "The message body exactly as signed and sent." }) }).openapi(
  "WebhookDeliveryWithPayload",
);

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  status: z.infer<typeof DeliveryStatus>;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  payload: string;
}
interface AttemptRow {
  delivery_id: string;
  attempt_no: number;
  kind: "scheduled" | "replay";
  started_at: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}
const DELIVERY_COLUMNS = "id, endpoint_id, message_id, event_type, status, attempt_count, next_attempt_at, last_status_code, last_error, created_at, delivered_at, payload";

/** The deliveries' attempts, by delivery id (ids come from a tenant-scoped query). */
async function attemptsOf(db: D1Database, ids: string[]): Promise<Map<string, AttemptRow[]>> {
  const out = new Map<string, AttemptRow[]>();
  if (ids.length === 0) return out;
  const { results } = await db
    .prepare("SELECT delivery_id, attempt_no, kind, started_at, status_code, duration_ms, error FROM webhook_attempts WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY delivery_id, attempt_no")
    .bind(JSON.stringify(ids))
    .all<AttemptRow>();
  for (const a of results) out.set(a.delivery_id, [...(out.get(a.delivery_id) ?? []), a]);
  return out;
}

function deliveryView(r: DeliveryRow, attempts: AttemptRow[]): z.infer<typeof DeliverySchema> {
  return {
    id: r.id,
    endpoint_id: r.endpoint_id,
    message_id: r.message_id,
    event_type: r.event_type,
    status: r.status,
    attempt_count: r.attempt_count,
    next_attempt_at: iso(r.next_attempt_at),
    last_status_code: r.last_status_code,
    last_error: r.last_error,
    created_at: iso(r.created_at) ?? "",
    delivered_at: iso(r.delivered_at),
    attempts: attempts.map((a) => ({ attempt: a.attempt_no, kind: a.kind, at: iso(a.started_at) ?? "", status_code: a.status_code, duration_ms: a.duration_ms, error: a.error })),
  };
}

async function loadDelivery(db: D1Database, tenantId: string, id: string) {
  const row = await db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = ? AND tenant_id = ?`).bind(id, tenantId).first<DeliveryRow>();
  if (!row) throw new ApiError("not_found", `No webhook delivery ${id} in your account.`);
  const attempts = await attemptsOf(db, [row.id]);
  return { ...deliveryView(row, attempts.get(row.id) ?? []), payload: JSON.parse(row.payload) as Record<string, unknown> };
}

webhookDeliveries.openapi(
  createRoute({
    method: "get",
    path: "/",
    summary: "List webhook deliveries",
    description: "Newest first, each with its attempts.",
    request: {
      query: z.object({
        endpoint_id: z.string().max(64).optional(),
        status: DeliveryStatus.optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
    },
    responses: { 200: ok(z.object({ data: z.array(DeliverySchema) }), "Deliveries"), 401: errors[401], 422: problem("Invalid query") },
  }),
  async (c) => {
    const { endpoint_id, status, limit } = c.req.valid("query");
    const { results } = await c.env.DB.prepare(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE tenant_id = ?1 AND (?2 IS NULL OR endpoint_id = ?2) AND (?3 IS NULL OR status = ?3)
       ORDER BY created_at DESC, rowid DESC LIMIT ?4`,
    )
      .bind(c.get("tenant").id, endpoint_id ?? null, status ?? null, limit)
      .all<DeliveryRow>();
    const attempts = await attemptsOf(
      c.env.DB,
      results.map((r) => r.id),
    );
    return c.json({ data: results.map((r) => deliveryView(r, attempts.get(r.id) ?? [])) }, 200);
  },
);

webhookDeliveries.openapi(
  createRoute({ method: "get", path: "/{id}", summary: "Get a webhook delivery", request: { params: IdParam }, responses: { 200: ok(DeliveryWithPayload, "The delivery, its payload and attempts"), ...errors } }),
  async (c) => c.json(await loadDelivery(c.env.DB, c.get("tenant").id, c.req.valid("param").id), 200),
);

webhookDeliveries.openapi(
  createRoute({
    method: "post",
    path: "/{id}/replay",
    summary: "Send a delivery again",
    description: "Queues one more attempt now, with the same webhook-id (deduplicate on it). A delivery that was still being retried keeps its remaining schedule.",
    request: { params: IdParam },
    responses: { 202: ok(DeliveryWithPayload, "Queued"), ...errors, 409: problem("The endpoint is disabled or deleted") },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const { id } = c.req.valid("param");
    await loadDelivery(c.env.DB, tenantId, id);
    const now = Date.now();
    // One more attempt: a final delivery gets exactly one; a pending one keeps its schedule.
    const replayed = await c.env.DB.prepare(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?1, updated_at = ?1,
         max_attempts = CASE WHEN status = 'pending' THEN MAX(max_attempts, attempt_count + 1) ELSE attempt_count + 1 END
       WHERE id = ?2 AND tenant_id = ?3
         AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = endpoint_id AND e.tenant_id = ?3 AND e.status = 'active' AND e.deleted_at IS NULL)
       RETURNING id`,
    )
      .bind(now, id, tenantId)
      .first<{ id: string }>();
    if (!replayed) throw new ApiError("invalid_state", "The delivery's endpoint is disabled or deleted; nothing can be sent to it.");
    await send(c.env, [id], true);
    return c.json(await loadDelivery(c.env.DB, tenantId, id), 202);
  },
);
