/**
 * Fan-out of outcome events to webhook deliveries, and getting deliveries onto the queue.
 *
 * The fan-out rides in the event flush's D1 batch: it runs only when the outcome_events insert
 * just before it inserted a row, so a repeated flush creates nothing twice; the unique
 * (endpoint, event) index backs that up. Enqueueing happens after the batch committed; a lost
 * enqueue (crash in between, queue unavailable) is found by the cron through `next_attempt_at`.
 */
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { webhookDeliveries as deliveries, webhookEndpoints as endpoints } from "../../schema/d1";
import { db, toD1 } from "../db";
import { merchantEventFor, type InternalEvent } from "./events";
import { MAX_ATTEMPTS } from "./schedule";

/** A queue message: one delivery to attempt. D1 holds the truth; the message is only a wake-up. */
export const WebhookMessageSchema = z.object({
  deliveryId: z.string().min(1).max(100),
  /** Set by a manual replay, so the attempt is recorded as one. */
  replay: z.boolean().optional(),
});
export type WebhookMessage = z.infer<typeof WebhookMessageSchema>;

/** A delivery is stuck when its due time passed by more than this without an attempt. */
export const STUCK_AFTER_MS = 60_000;
const REQUEUE_BATCH = 500;
const SEND_BATCH = 100; // Queues' sendBatch limit

/**
 * Statements that create one pending delivery per active endpoint of the tenant subscribed to
 * the event's merchant type. Put them directly after the event's `INSERT OR IGNORE INTO
 * outcome_events` in the same batch (or after a statement that keeps `changes()` at 0 or 1, like
 * the channel_stats upsert): they read `changes()` of that insert. Empty when merchants do not
 * get this event. `now` is real time (queue delays and webhook timestamps are real time).
 */
export function fanOutStatements(d1: D1Database, internal: InternalEvent, now: number = Date.now()): D1PreparedStatement[] {
  const mapped = merchantEventFor(internal);
  if (!mapped) return [];
  const [w, e] = [deliveries, endpoints];
  // Raw SQL (over the schema's names): an INSERT ... SELECT gated on changes() of the statement
  // before it in the batch, with ids made by SQLite; drizzle's insert builder cannot say that.
  // Returned as plain D1 statements because the event flush still batches those.
  return [
    toD1(
      d1,
      sql`INSERT OR IGNORE INTO ${w}
           (id, tenant_id, endpoint_id, event_id, message_id, event_type, payload, status, attempt_count, max_attempts, next_attempt_at, created_at, updated_at)
         SELECT 'whd_' || lower(hex(randomblob(12))), ${e.tenantId}, ${e.id}, ${internal.id}, ${mapped.payload.id}, ${mapped.type}, ${JSON.stringify(mapped.payload)}, 'pending', 0, ${MAX_ATTEMPTS}, ${now}, ${now}, ${now}
         FROM ${e}
         WHERE changes() = 1 AND ${e.tenantId} = ${internal.tenantId} AND ${e.status} = 'active' AND ${e.deletedAt} IS NULL
           AND EXISTS (SELECT 1 FROM json_each(${e.events}) j WHERE j.value IN (${mapped.type}, '*'))`,
    ),
  ];
}

/** Enqueues the first attempt of the deliveries that the fan-out of these events just created. */
export async function enqueuePending(env: Env, tenantId: string, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  // Through the tenant's few endpoints and the unique (endpoint, event) index: no tenant-wide scan.
  const [w, e] = [deliveries, endpoints];
  // The event ids travel as one JSON parameter (a flush may carry more than D1's 100 parameters).
  const results = await db(env.DB)
    .select({ id: w.id })
    .from(e)
    .innerJoin(w, eq(w.endpointId, e.id))
    .where(and(eq(e.tenantId, tenantId), sql`${w.eventId} IN (SELECT value FROM json_each(${JSON.stringify(eventIds)}))`, eq(w.status, "pending"), eq(w.attemptCount, 0)))
    .all();
  await send(env, results.map((r) => r.id));
}

/**
 * Cron: re-enqueues pending deliveries whose attempt is more than a minute overdue: a lost
 * enqueue, a crashed attempt (its lease ran out), or a wait longer than a queue delay allows
 * (14, 20 and 24 h). Marks them due now, so the next run only sends again if they are stuck
 * again. Returns how many were enqueued. `now` must be real time (`Date.now()`), not the
 * development clock.
 */
export async function requeueStuckDeliveries(env: Env, now: number): Promise<number> {
  const d = db(env.DB);
  const w = deliveries;
  const stuck = d
    .select({ id: w.id })
    .from(w)
    .where(and(eq(w.status, "pending"), lte(w.nextAttemptAt, now - STUCK_AFTER_MS)))
    .orderBy(asc(w.nextAttemptAt))
    .limit(REQUEUE_BATCH);
  const results = await d.update(w).set({ nextAttemptAt: now, updatedAt: now }).where(inArray(w.id, stuck)).returning({ id: w.id }).all();
  await send(env, results.map((r) => r.id));
  return results.length;
}

/** Sends one message per delivery; `replay` marks a manual replay. */
export async function send(env: Env, deliveryIds: string[], replay = false): Promise<void> {
  for (let i = 0; i < deliveryIds.length; i += SEND_BATCH) {
    const messages = deliveryIds.slice(i, i + SEND_BATCH).map((deliveryId) => ({ body: (replay ? { deliveryId, replay } : { deliveryId }) satisfies WebhookMessage, contentType: "json" as const }));
    await env.WEBHOOK_QUEUE.sendBatch(messages);
  }
}
