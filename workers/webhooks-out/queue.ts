/**
 * Fan-out of outcome events to webhook deliveries, and getting deliveries onto the queue.
 *
 * The fan-out rides in the event flush's D1 batch: it runs only when the outcome_events insert
 * just before it inserted a row, so a repeated flush creates nothing twice; the unique
 * (endpoint, event) index backs that up. Enqueueing happens after the batch committed; a lost
 * enqueue (crash in between, queue unavailable) is found by the cron through `next_attempt_at`.
 */
import { z } from "zod";
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
export function fanOutStatements(db: D1Database, internal: InternalEvent, now: number = Date.now()): D1PreparedStatement[] {
  const mapped = merchantEventFor(internal);
  if (!mapped) return [];
  return [
    db
      .prepare(
        `INSERT OR IGNORE INTO webhook_deliveries
           (id, tenant_id, endpoint_id, event_id, message_id, event_type, payload, status, attempt_count, max_attempts, next_attempt_at, created_at, updated_at)
         SELECT 'whd_' || lower(hex(randomblob(12))), e.tenant_id, e.id, ?1, ?2, ?3, ?4, 'pending', 0, ?5, ?6, ?6, ?6
         FROM webhook_endpoints e
         WHERE changes() = 1 AND e.tenant_id = ?7 AND e.status = 'active' AND e.deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM json_each(e.events) j WHERE j.value IN (?3, '*'))`,
      )
      .bind(internal.id, mapped.payload.id, mapped.type, JSON.stringify(mapped.payload), MAX_ATTEMPTS, now, internal.tenantId),
  ];
}

/** Enqueues the first attempt of the deliveries that the fan-out of these events just created. */
export async function enqueuePending(env: Env, tenantId: string, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  // Through the tenant's few endpoints and the unique (endpoint, event) index: no tenant-wide scan.
  const { results } = await env.DB.prepare(
    `SELECT d.id FROM webhook_endpoints e JOIN webhook_deliveries d ON d.endpoint_id = e.id
     WHERE e.tenant_id = ?2 AND d.event_id IN (SELECT value FROM json_each(?1)) AND d.status = 'pending' AND d.attempt_count = 0`,
  )
    .bind(JSON.stringify(eventIds), tenantId)
    .all<{ id: string }>();
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
  const { results } = await env.DB.prepare(
    `UPDATE webhook_deliveries SET next_attempt_at = ?1, updated_at = ?1
     WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?2 ORDER BY next_attempt_at LIMIT ?3)
     RETURNING id`,
  )
    .bind(now, now - STUCK_AFTER_MS, REQUEUE_BATCH)
    .all<{ id: string }>();
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
