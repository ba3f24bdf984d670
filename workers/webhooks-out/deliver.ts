/**
 * The "kindly-webhooks" consumer: one signed POST per message, recorded in D1.
 *
 * Delivery is at least once, never exactly once: a crash between the merchant's 2xx and our
 * record, or a duplicate queue message, repeats a message. Every attempt of one message carries
 * the same `webhook-id`, so merchants deduplicate on it (documented for them). A claim in D1
 * (the attempt pushes `next_attempt_at` forward by a lease) keeps two consumers from attempting
 * the same delivery at once; the cron picks up whatever a crash left behind.
 */
import { checkWebhookUrl } from "./ssrf";
import { WebhookMessageSchema } from "./queue";
import { afterAttempt, MAX_QUEUE_DELAY_MS } from "./schedule";
import { webhookHeaders } from "./sign";
import { endpointContext, openSecret } from "../secrets-at-rest";

export const ATTEMPT_TIMEOUT_MS = 10_000;
/** How long a claimed attempt may take before the cron may hand it out again (timeout + slack). */
const LEASE_MS = 60_000;
/**
 * A message may arrive this early (clocks of different machines) and still count as due. Well
 * under the first retry wait (4.5 s at the least), so a duplicate never passes for a retry. One
 * that comes too early is dropped; the cron hands the delivery out again.
 */
const DUE_SLACK_MS = 1_000;
/** Retry of a message whose attempt could not be recorded (D1 down): after the lease ran out. */
const ERROR_RETRY_SECONDS = 90;
const USER_AGENT = "Kindly-Webhooks/1";

export interface AttemptOptions {
  /** Real epoch ms (never the development clock: merchants check the timestamp against theirs). */
  now: number;
  /** In [0, 1): the jitter of the next retry. */
  random: number;
  kind: "scheduled" | "replay";
}

export type AttemptResult =
  | { kind: "not_due" }
  | { kind: "cancelled" }
  | { kind: "delivered" }
  | { kind: "gone" }
  | { kind: "failed" }
  | { kind: "retry"; delayMs: number };

interface ClaimedDelivery {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  message_id: string;
  payload: string;
  attempt_count: number;
  max_attempts: number;
}

interface EndpointRow {
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  status: "active" | "disabled";
  deleted_at: number | null;
}

/**
 * A Worker keeps at most 6 connections open; a 7th fetch waits for one, and its timeout would
 * run while it waits. So at most 6 attempts run side by side.
 */
const PARALLEL = 6;

/** Consumer of "kindly-webhooks". Messages are independent: each is acked or retried on its own. */
export async function handleWebhookBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let m = batch.messages[next++]; m !== undefined; m = batch.messages[next++]) await handleMessage(m, env);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, batch.messages.length) }, lane));
}

async function handleMessage(message: Message<unknown>, env: Env): Promise<void> {
  const parsed = WebhookMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    console.error("webhooks: malformed message dropped", message.id);
    message.ack();
    return;
  }
  try {
    const result = await attemptDelivery(env, parsed.data.deliveryId, { now: Date.now(), random: Math.random(), kind: parsed.data.replay ? "replay" : "scheduled" });
    // Waits beyond a queue's 12 h maximum (14, 20, 24 h) are left to the cron, which finds the
    // pending delivery through next_attempt_at; the message is done either way.
    if (result.kind === "retry" && result.delayMs <= MAX_QUEUE_DELAY_MS) message.retry({ delaySeconds: Math.max(1, Math.ceil(result.delayMs / 1000)) });
    else message.ack();
  } catch (err) {
    console.error("webhooks: attempt not recorded; retrying", parsed.data.deliveryId, err);
    message.retry({ delaySeconds: ERROR_RETRY_SECONDS });
  }
}

/**
 * Claims a due pending delivery, POSTs it signed with every active secret, and records the
 * attempt and its consequence. Anything not due, already final or claimed elsewhere is left alone.
 */
export async function attemptDelivery(env: Env, deliveryId: string, opts: AttemptOptions): Promise<AttemptResult> {
  const { now } = opts;
  const d = await env.DB.prepare(
    `UPDATE webhook_deliveries SET attempt_count = attempt_count + 1, next_attempt_at = ?1, updated_at = ?2
     WHERE id = ?3 AND status = 'pending' AND next_attempt_at <= ?4
     RETURNING id, tenant_id, endpoint_id, message_id, payload, attempt_count, max_attempts`,
  )
    .bind(now + LEASE_MS, now, deliveryId, now + DUE_SLACK_MS)
    .first<ClaimedDelivery>();
  if (!d) return { kind: "not_due" };

  const ep = await env.DB.prepare("SELECT url, secret, previous_secret, previous_secret_expires_at, status, deleted_at FROM webhook_endpoints WHERE id = ? AND tenant_id = ?")
    .bind(d.endpoint_id, d.tenant_id)
    .first<EndpointRow>();
  if (!ep || ep.deleted_at !== null || ep.status !== "active") {
    await env.DB.prepare("UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, attempt_count = attempt_count - 1, last_error = ?, updated_at = ? WHERE id = ?")
      .bind(ep?.status === "disabled" ? "endpoint disabled" : "endpoint deleted", now, d.id)
      .run();
    return { kind: "cancelled" };
  }

  // Checked again at every attempt: the rules may have tightened since the URL was saved.
  const target = checkWebhookUrl(ep.url);
  let statusCode: number | null = null;
  let error: string | null = null;
  let durationMs = 0;
  if (!target.ok) {
    error = `url refused: ${target.reason}`;
  } else {
    const stored = [ep.secret, ...(ep.previous_secret && (ep.previous_secret_expires_at ?? 0) > now ? [ep.previous_secret] : [])];
    // Secrets are encrypted at rest (workers/secrets-at-rest.ts); they are opened only to sign.
    const secrets = await Promise.all(stored.map((s) => openSecret(env, s, endpointContext(d.endpoint_id))));
    const headers = await webhookHeaders(secrets, d.message_id, Math.floor(now / 1000), d.payload);
    const started = Date.now();
    try {
      const res = await fetch(target.url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "user-agent": USER_AGENT },
        body: d.payload,
        // A redirect could point anywhere (a private address, a metadata service): never follow.
        redirect: "manual",
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      statusCode = res.status;
      // The answer's body is neither needed nor kept (it could hold anything).
      await res.body?.cancel();
      if (statusCode >= 300 && statusCode < 400) error = "redirect not followed";
      else if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (err) {
      error = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError") ? `timeout after ${ATTEMPT_TIMEOUT_MS / 1000} s` : "connection failed";
    }
    durationMs = Math.max(0, Date.now() - started);
  }

  const outcome = target.ok ? afterAttempt(statusCode, d.attempt_count, d.max_attempts, opts.random) : ({ status: "failed" } as const);
  const statements = [
    env.DB.prepare("INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt_no, kind, started_at, status_code, duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)").bind(
      d.id,
      d.attempt_count,
      opts.kind,
      now,
      statusCode,
      durationMs,
      error,
    ),
  ];
  const finish = (status: string, nextAt: number | null, lastError: string | null) =>
    env.DB.prepare(
      `UPDATE webhook_deliveries SET status = ?1, next_attempt_at = ?2, last_status_code = ?3, last_error = ?4, updated_at = ?5,
         delivered_at = CASE WHEN ?1 = 'delivered' THEN ?5 ELSE delivered_at END
       WHERE id = ?6`,
    ).bind(status, nextAt, statusCode, lastError, now, d.id);
  switch (outcome.status) {
    case "delivered":
      statements.push(finish("delivered", null, null));
      break;
    case "retry":
      statements.push(finish("pending", now + outcome.delayMs, error));
      break;
    case "failed":
      statements.push(finish("failed", null, error));
      break;
    case "gone":
      // 410 Gone: the merchant took the endpoint down. Stop it, and everything queued for it.
      statements.push(
        finish("failed", null, "HTTP 410: endpoint disabled"),
        env.DB.prepare("UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = 'gone', updated_at = ? WHERE id = ? AND tenant_id = ?").bind(now, d.endpoint_id, d.tenant_id),
        env.DB.prepare("UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, last_error = 'endpoint disabled', updated_at = ? WHERE endpoint_id = ? AND status = 'pending' AND id != ?").bind(
          now,
          d.endpoint_id,
          d.id,
        ),
      );
      break;
  }
  await env.DB.batch(statements);
  return outcome.status === "retry" ? { kind: "retry", delayMs: outcome.delayMs } : { kind: outcome.status };
}
