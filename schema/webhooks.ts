/**
 * Merchant webhooks (Standard Webhooks): endpoints, one delivery per (event, endpoint), and the
 * attempts of each delivery. Re-exported from schema/d1.ts. Times are real epoch milliseconds
 * (never the development clock): queue delays and the merchants' timestamp checks are real time.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * A merchant's webhook endpoint. `secret` signs every delivery; after a rotation the previous
 * secret keeps signing too until `previous_secret_expires_at` (24 h), so the receiver can switch.
 * Deleting is soft (history stays inspectable) and wipes both secrets.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    url: text("url").notNull(),
    description: text("description"),
    /** JSON array of merchant event types, or ["*"]. */
    events: text("events").notNull(),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    status: text("status", { enum: ["active", "disabled"] }).notNull().default("active"),
    /** Why it was disabled, e.g. "gone" after a 410 answer. */
    disabledReason: text("disabled_reason"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    deletedAt: integer("deleted_at"),
  },
  (t) => [index("webhook_endpoints_tenant").on(t.tenantId)],
);

/**
 * One message to one endpoint. `message_id` is the `webhook-id` header and the payload's `id`:
 * the same on every attempt and every replay. The payload is stored as sent (under 20 KB).
 * A claimed attempt pushes `next_attempt_at` forward by a lease, so a crashed attempt is found
 * again by the cron once the lease has passed.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    endpointId: text("endpoint_id").notNull(),
    /** The internal outcome event (outcome_events.id). */
    eventId: text("event_id").notNull(),
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed", "cancelled"] }).notNull(),
    attemptCount: integer("attempt_count").notNull().default(0),
    /** Attempts allowed in total: the schedule's 10; a replay allows one more. */
    maxAttempts: integer("max_attempts").notNull(),
    /** When the next attempt is due (pending only); null once final. */
    nextAttemptAt: integer("next_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [
    // One delivery per (endpoint, event) even if a fan-out ran twice; also finds an endpoint's
    // deliveries (cancel on delete or 410) and, joined from the endpoints, an event's.
    uniqueIndex("webhook_deliveries_endpoint_event").on(t.endpointId, t.eventId),
    index("webhook_deliveries_tenant_created").on(t.tenantId, t.createdAt),
    // Pruning finished deliveries by age.
    index("webhook_deliveries_created").on(t.createdAt),
    // Partial: only pending rows are in it, so finished deliveries cost no index writes for the cron.
    index("webhook_deliveries_pending").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

/** Each HTTP attempt of a delivery: when, the answer's status (null: no answer), how long, why not. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    deliveryId: text("delivery_id").notNull(),
    attemptNo: integer("attempt_no").notNull(),
    kind: text("kind", { enum: ["scheduled", "replay"] }).notNull(),
    startedAt: integer("started_at").notNull(),
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attemptNo] })],
);
