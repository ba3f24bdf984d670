/**
 * The "kindly-webhooks" consumer: one signed POST per message, recorded in D1.
 *
 * Delivery is at least once, never exactly once: a crash between the merchant's 2xx and our
 * record, or a duplicate queue message, repeats a message. Every attempt of one message carries
 * the same `webhook-id`, so merchants deduplicate on it (documented for them). A claim in D1
 * (the attempt pushes `next_attempt_at` forward by a lease) keeps two consumers from attempting
 * the same delivery at once; the cron picks up whatever a crash left behind.
 */
import { and, eq, lte, ne, sql } from "drizzle-orm";
import { webhookAttempts as attempts, webhookDeliveries as deliveries, webhookEndpoints as endpoints } from "../../schema/d1";
import { db, runBatch, type Statement } from "../db";
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
  const q = db(env.DB);
  const [w, e] = [deliveries, endpoints];
  const d = await q
    .update(w)
    .set({ attemptCount: sql`${w.attemptCount} + 1`, nextAttemptAt: now + LEASE_MS, updatedAt: now })
    .where(and(eq(w.id, deliveryId), eq(w.status, "pending"), lte(w.nextAttemptAt, now + DUE_SLACK_MS)))
    .returning({ id: w.id, tenantId: w.tenantId, endpointId: w.endpointId, messageId: w.messageId, payload: w.payload, attemptCount: w.attemptCount, maxAttempts: w.maxAttempts })
    .get();
  if (!d) return { kind: "not_due" };

  const ep = await q
    .select({ url: e.url, secret: e.secret, previousSecret: e.previousSecret, previousSecretExpiresAt: e.previousSecretExpiresAt, status: e.status, deletedAt: e.deletedAt })
    .from(e)
    .where(and(eq(e.id, d.endpointId), eq(e.tenantId, d.tenantId)))
    .get();
  if (!ep || ep.deletedAt !== null || ep.status !== "active") {
    await q
      .update(w)
      .set({ status: "cancelled", nextAttemptAt: null, attemptCount: sql`${w.attemptCount} - 1`, lastError: ep?.status === "disabled" ? "endpoint disabled" : "endpoint deleted", updatedAt: now })
      .where(eq(w.id, d.id))
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
    const stored = [ep.secret, ...(ep.previousSecret && (ep.previousSecretExpiresAt ?? 0) > now ? [ep.previousSecret] : [])];
    // Secrets are encrypted at rest (workers/secrets-at-rest.ts); they are opened only to sign.
    const secrets = await Promise.all(stored.map((s) => openSecret(env, s, endpointContext(d.endpointId))));
    const headers = await webhookHeaders(secrets, d.messageId, Math.floor(now / 1000), d.payload);
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

  const outcome = target.ok ? afterAttempt(statusCode, d.attemptCount, d.maxAttempts, opts.random) : ({ status: "failed" } as const);
  const attempt = { kind: opts.kind, startedAt: now, statusCode, durationMs, error };
  // A repeated attempt number (a lease that ran out mid-attempt) replaces the row, as INSERT OR REPLACE did.
  const statements: Statement[] = [
    q
      .insert(attempts)
      .values({ deliveryId: d.id, attemptNo: d.attemptCount, ...attempt })
      .onConflictDoUpdate({ target: [attempts.deliveryId, attempts.attemptNo], set: attempt }),
  ];
  const finish = (status: "delivered" | "pending" | "failed", nextAt: number | null, lastError: string | null) =>
    q
      .update(w)
      .set({ status, nextAttemptAt: nextAt, lastStatusCode: statusCode, lastError, updatedAt: now, ...(status === "delivered" ? { deliveredAt: now } : {}) })
      .where(eq(w.id, d.id));
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
        q
          .update(e)
          .set({ status: "disabled", disabledReason: "gone", updatedAt: now })
          .where(and(eq(e.id, d.endpointId), eq(e.tenantId, d.tenantId))),
        q
          .update(w)
          .set({ status: "cancelled", nextAttemptAt: null, lastError: "endpoint disabled", updatedAt: now })
          .where(and(eq(w.endpointId, d.endpointId), eq(w.status, "pending"), ne(w.id, d.id))),
      );
      break;
  }
  await runBatch(q, statements);
  return outcome.status === "retry" ? { kind: "retry", delayMs: outcome.delayMs } : { kind: outcome.status };
}
