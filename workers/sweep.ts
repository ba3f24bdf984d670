/**
 * The sweep: finds debtors whose next step is overdue and makes their DebtorDO run it.
 * It backs up alarms (which stop after six failed retries) from the cron trigger, and it plays
 * out due steps at once when the development clock moves.
 */
import { isDevelopment, loadClock } from "./clock";
import { debtorStub } from "./debtor/stub";
import { reindexLegacyPhones } from "./phone-index";
import { applyRetention, pruneRecords } from "./privacy";
import { reencryptSecrets } from "./secrets-at-rest";
import { requeueStuckDeliveries } from "./webhooks-out";
import { watchExperiments } from "./experiments/watch";

const BATCH = 500;
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

/** The cron handler: the sweep, retention and pruning, and the moves of secrets and indexes to their current keys. */
export async function scheduled(_controller: ScheduledController, env: Env): Promise<void> {
  // Alarms normally run on time; only debtors more than five minutes late need the sweep.
  try {
    await sweepOverdue(env, 5 * 60_000);
    // Merchant webhooks whose queue message was lost, or whose next wait is longer than a queue delay.
    await requeueStuckDeliveries(env, Date.now());
  } finally {
    await housekeeping(env);
  }
}

/** Retention, pruning, re-keying and the experiments' looks; each part on its own, so one failing does not stop the others. */
export async function housekeeping(env: Env): Promise<void> {
  const clock = await loadClock(env);
  const parts: [string, () => Promise<unknown>][] = [
    ["prune", () => pruneRecords(env, Date.now(), clock.now(), !isDevelopment(env))],
    ["retention", () => applyRetention(env, clock.now())],
    ["phone index", () => reindexLegacyPhones(env)],
    ["secrets at rest", () => reencryptSecrets(env)],
    // Guardrails are also looked at the moment a complaint, STOP or dispute reaches D1 (object-base.ts).
    ["experiments", () => watchExperiments(env, clock.now())],
  ];
  for (const [name, run] of parts) {
    try {
      await run();
    } catch (err) {
      console.error(`housekeeping: ${name} failed; the next run retries`, err);
    }
  }
}
