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

/** Debtors read from the index per round, and ticked at once (each tick is its own DebtorDO). */
const BATCH = 500;
const PARALLEL = 32;
/** How long one sweep keeps going round: well inside a cron invocation, so 10,000 due debtors are decided in one run. */
export const SWEEP_BUDGET_MS = 4 * 60_000;

export interface SweepResult {
  debtors: number;
  steps: number;
  /** Whether overdue debtors were left for the next run (the time budget ran out). */
  more: boolean;
}

/**
 * Ticks every debtor whose earliest schedule is more than `graceMs` overdue, in rounds of 500
 * (32 at a time) until none is left or `budgetMs` has passed. In live mode each tick hands its
 * messages to the dispatch queue, so sending starts while the sweep is still deciding.
 */
export async function sweepOverdue(env: Env, graceMs: number, budgetMs = SWEEP_BUDGET_MS): Promise<SweepResult> {
  const clock = await loadClock(env);
  const started = Date.now();
  const seen = new Set<string>();
  let steps = 0;
  for (;;) {
    const { results } = await env.DB.prepare(
      "SELECT tenant_id, debtor_id FROM debtor_index WHERE next_step_at IS NOT NULL AND next_step_at <= ? ORDER BY next_step_at LIMIT ?",
    )
      .bind(clock.now() - graceMs, BATCH + seen.size)
      .all<{ tenant_id: string; debtor_id: string }>();
    // The index may lag behind an object that already ran (it is written after the answer): tick each debtor once per sweep.
    const unseen = results.filter((r) => !seen.has(`${r.tenant_id}/${r.debtor_id}`));
    const fresh = unseen.slice(0, BATCH);
    const limit = BATCH + seen.size;
    for (const r of fresh) seen.add(`${r.tenant_id}/${r.debtor_id}`);
    let next = 0;
    const worker = async () => {
      while (next < fresh.length) {
        const r = fresh[next++];
        if (!r) continue;
        try {
          // One failing debtor (reset on deploy, overloaded) must not stop the sweep for the others.
          steps += (await debtorStub(env, r.tenant_id, r.debtor_id).tick()).ran;
        } catch (err) {
          console.error("sweep: tick failed", err);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const more = fresh.length > 0 && (unseen.length > fresh.length || results.length >= limit);
    if (!more) return { debtors: seen.size, steps, more: false };
    if (Date.now() - started > budgetMs) return { debtors: seen.size, steps, more: true };
  }
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
