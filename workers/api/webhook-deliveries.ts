/**
 * /v1/webhook-deliveries: what happened to each message Kindly sent to a merchant's webhook
 * endpoints (webhook-endpoints.ts), with every attempt, and a replay. Every query is scoped by tenant.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, exists, isNull, sql } from "drizzle-orm";
import { webhookAttempts as attemptsTable, webhookDeliveries as deliveries, webhookEndpoints as endpoints } from "../../schema/d1";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { db } from "../db";
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

type DeliveryRow = Omit<typeof deliveries.$inferSelect, "tenantId" | "eventId" | "maxAttempts" | "updatedAt">;
type AttemptRow = typeof attemptsTable.$inferSelect;
const DELIVERY_COLUMNS = {
  id: deliveries.id,
  endpointId: deliveries.endpointId,
  messageId: deliveries.messageId,
  eventType: deliveries.eventType,
  status: deliveries.status,
  attemptCount: deliveries.attemptCount,
  nextAttemptAt: deliveries.nextAttemptAt,
  lastStatusCode: deliveries.lastStatusCode,
  lastError: deliveries.lastError,
  createdAt: deliveries.createdAt,
  deliveredAt: deliveries.deliveredAt,
  payload: deliveries.payload,
};

/** The deliveries' attempts, by delivery id (ids come from a tenant-scoped query). */
async function attemptsOf(d1: D1Database, ids: string[]): Promise<Map<string, AttemptRow[]>> {
  const out = new Map<string, AttemptRow[]>();
  if (ids.length === 0) return out;
  const a = attemptsTable;
  // The ids travel as one JSON parameter: a page of 100 would pass D1's limit of 100 bound parameters.
  const results = await db(d1)
    .select()
    .from(a)
    .where(sql`${a.deliveryId} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
    .orderBy(asc(a.deliveryId), asc(a.attemptNo))
    .all();
  for (const r of results) out.set(r.deliveryId, [...(out.get(r.deliveryId) ?? []), r]);
  return out;
}

function deliveryView(r: DeliveryRow, attempts: AttemptRow[]): z.infer<typeof DeliverySchema> {
  return {
    id: r.id,
    endpoint_id: r.endpointId,
    message_id: r.messageId,
    event_type: r.eventType,
    status: r.status,
    attempt_count: r.attemptCount,
    next_attempt_at: iso(r.nextAttemptAt),
    last_status_code: r.lastStatusCode,
    last_error: r.lastError,
    created_at: iso(r.createdAt) ?? "",
    delivered_at: iso(r.deliveredAt),
    attempts: attempts.map((a) => ({ attempt: a.attemptNo, kind: a.kind, at: iso(a.startedAt) ?? "", status_code: a.statusCode, duration_ms: a.durationMs, error: a.error })),
  };
}

async function loadDelivery(d1: D1Database, tenantId: string, id: string) {
  const row = await db(d1)
    .select(DELIVERY_COLUMNS)
    .from(deliveries)
    .where(and(eq(deliveries.id, id), eq(deliveries.tenantId, tenantId)))
    .get();
  if (!row) throw new ApiError("not_found", `No webhook delivery ${id} in your account.`);
  const attempts = await attemptsOf(d1, [row.id]);
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
    const results = await db(c.env.DB)
      .select(DELIVERY_COLUMNS)
      .from(deliveries)
      .where(and(eq(deliveries.tenantId, c.get("tenant").id), endpoint_id === undefined ? undefined : eq(deliveries.endpointId, endpoint_id), status === undefined ? undefined : eq(deliveries.status, status)))
      .orderBy(desc(deliveries.createdAt), sql`rowid DESC`)
      .limit(limit)
      .all();
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
    const d = db(c.env.DB);
    const w = deliveries;
    const e = endpoints;
    const replayed = await d
      .update(w)
      .set({
        status: "pending",
        nextAttemptAt: now,
        updatedAt: now,
        // SQLite reads the old row on the right-hand side: `status` here is the status before this update.
        maxAttempts: sql`CASE WHEN ${w.status} = 'pending' THEN MAX(${w.maxAttempts}, ${w.attemptCount} + 1) ELSE ${w.attemptCount} + 1 END`,
      })
      .where(
        and(
          eq(w.id, id),
          eq(w.tenantId, tenantId),
          exists(
            d
              .select({ one: sql`1` })
              .from(e)
              .where(and(eq(e.id, w.endpointId), eq(e.tenantId, tenantId), eq(e.status, "active"), isNull(e.deletedAt))),
          ),
        ),
      )
      .returning({ id: w.id })
      .get();
    if (!replayed) throw new ApiError("invalid_state", "The delivery's endpoint is disabled or deleted; nothing can be sent to it.");
    await send(c.env, [id], true);
    return c.json(await loadDelivery(c.env.DB, tenantId, id), 202);
  },
);
