/**
 * The sweep: finds debtors whose next step is overdue and makes their DebtorDO run it.
 * It backs up alarms (which stop after six failed retries) from the cron trigger, and it plays
 * out due steps at once when the development clock moves.
 */
import { loadClock } from "./clock";
import { debtorStub } from "./debtor/stub";
import { IDEMPOTENCY_RETENTION_MS } from "./idempotency";
import { requeueStuckDeliveries } from "./webhooks-out";

const BATCH = 500;
const DAY_MS = 24 * 3600_000;
const PARALLEL = 16;

export interface SweepResult {
  debtors: number;
  steps: number;
}

/** Ticks every debtor whose earliest schedule is more than `graceMs` overdue. */
export async function sweepOverdue(env: Env, graceMs: number): Promise<SweepResult> {
  const clock = await loadClock(env);
  const { results } = await env.DB.prepare(
    "SELECT tenant_id, debtor_id FROM debtor_index WHERE next_step_at IS NOT NULL AND next_step_at <= ? ORDER BY next_step_at LIMIT ?",
  )
    .bind(clock.now() - graceMs, BATCH)
    .all<{ tenant_id: string; debtor_id: string }>();
  let steps = 0;
  for (let i = 0; i < results.length; i += PARALLEL) {
    // One failing debtor (reset on deploy, overloaded) must not stop the sweep for the others.
    const ran = await Promise.allSettled(results.slice(i, i + PARALLEL).map((r) => debtorStub(env, r.tenant_id, r.debtor_id).tick()));
    for (const r of ran) {
      if (r.status === "fulfilled") steps += r.value.ran;
      else console.error("sweep: tick failed", r.reason);
    }
  }
  return { debtors: results.length, steps };
}

/** The cron handler: the sweep plus housekeeping of expired idempotency records. */
export async function scheduled(_controller: ScheduledController, env: Env): Promise<void> {
  // Alarms normally run on time; only debtors more than five minutes late need the sweep.
  try {
    await sweepOverdue(env, 5 * 60_000);
    // Merchant webhooks whose queue message was lost, or whose next wait is longer than a queue delay.
    await requeueStuckDeliveries(env, Date.now());
  } finally {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("DELETE FROM idempotency_keys WHERE created_at < ?").bind(now - IDEMPOTENCY_RETENTION_MS),
      // Svix and Lob retry for under two days; Twilio signatures carry no timestamp, so its
      // receipts stay long enough that a captured callback cannot be replayed in practice.
      env.DB.prepare("DELETE FROM webhook_receipts WHERE provider != 'twilio' AND received_at < ?").bind(now - 7 * DAY_MS),
      env.DB.prepare("DELETE FROM webhook_receipts WHERE provider = 'twilio' AND received_at < ?").bind(now - 90 * DAY_MS),
    ]);
  }
}
