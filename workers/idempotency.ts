/**
 * Stripe-style idempotency for POST requests. The first response (status and body) is kept
 * for at least 24 hours and replayed for the same key; the same key with another request is a
 * 422; a key whose first request is still running is a 409. Server errors are not kept, so the
 * client's retry runs again.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./app";
import { sha256Hex } from "./crypto";
import { ApiError } from "./errors";

/** How long a request holds its key before a retry may take over (a crashed worker's lock). */
const LOCK_MS = 60_000;
/** Records are kept at least this long (the cron sweep deletes older ones). */
export const IDEMPOTENCY_RETENTION_MS = 48 * 3600_000;

export interface HandlerResult {
  status: ContentfulStatusCode;
  body: unknown;
}

interface Row {
  request_hash: string;
  state: "in_flight" | "done";
  locked_until: number;
  response_status: number | null;
  response_body: string | null;
}

/** Runs `handler` at most once per (tenant, Idempotency-Key) and replays its answer afterwards. */
export async function idempotent(c: Context<AppEnv>, fingerprint: unknown, handler: () => Promise<HandlerResult>): Promise<Response> {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return respond(c, await handler(), false);
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError("validation_failed", "Idempotency-Key must be 1 to 255 visible ASCII characters.", [
      { field: "header.idempotency-key", message: "Invalid value." },
    ]);
  }
  const db = c.env.DB;
  const tenantId = c.get("tenant").id;
  const hash = await sha256Hex(`${c.req.method} ${new URL(c.req.url).pathname}\n${JSON.stringify(fingerprint)}`);
  const now = Date.now();
  const claimed = await db
    .prepare(
      "INSERT OR IGNORE INTO idempotency_keys (tenant_id, key, request_hash, state, locked_until, created_at) VALUES (?, ?, ?, 'in_flight', ?, ?)",
    )
    .bind(tenantId, key, hash, now + LOCK_MS, now)
    .run();
  if (claimed.meta.changes === 0) {
    const row = await db.prepare("SELECT request_hash, state, locked_until, response_status, response_body FROM idempotency_keys WHERE tenant_id = ? AND key = ?").bind(tenantId, key).first<Row>();
    if (!row) throw new ApiError("idempotency_key_in_use", "This Idempotency-Key is being used right now; retry shortly.");
    if (row.state === "in_flight" && row.locked_until > now) {
      throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still in progress; retry shortly.");
    }
    if (row.request_hash !== hash) {
      throw new ApiError("idempotency_key_reused", "This Idempotency-Key was used with a different request. Use a new key for a new request.");
    }
    if (row.state === "done" && row.response_status !== null && row.response_body !== null) {
      return respond(c, { status: row.response_status as ContentfulStatusCode, body: JSON.parse(row.response_body) }, true);
    }
    // In flight: only a lock that expired (its request died) may be taken over, and only by one retry.
    const takeover = row.locked_until <= now
      ? await db.prepare("UPDATE idempotency_keys SET locked_until = ? WHERE tenant_id = ? AND key = ? AND state = 'in_flight' AND locked_until = ?").bind(now + LOCK_MS, tenantId, key, row.locked_until).run()
      : null;
    if (!takeover || takeover.meta.changes === 0) {
      throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still in progress; retry shortly.");
    }
  }
  let result: HandlerResult;
  try {
    result = await handler();
  } catch (err) {
    // A refused request (state conflict) or a crash releases the key: the retry runs afresh.
    await db.prepare("DELETE FROM idempotency_keys WHERE tenant_id = ? AND key = ?").bind(tenantId, key).run();
    throw err;
  }
  await db
    .prepare("UPDATE idempotency_keys SET state = 'done', response_status = ?, response_body = ? WHERE tenant_id = ? AND key = ?")
    .bind(result.status, JSON.stringify(result.body), tenantId, key)
    .run();
  return respond(c, result, false);
}

function respond(c: Context<AppEnv>, result: HandlerResult, replayed: boolean): Response {
  if (replayed) c.header("Idempotent-Replayed", "true");
  return c.json(result.body as object, result.status);
}
