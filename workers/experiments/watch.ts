/**
 * The experiment watcher: looks at a running experiment, stops a variant whose guardrail rate is
 * credibly worse than the control's (its debtors fall back to the control at their next
 * message), ends enrolment at the planned duration or sample size, completes the experiment when
 * the last window closed, keeps the daily history, and tells the shop (`experiment.stopped`,
 * `experiment.completed`). It runs on every cron tick, when the development clock moves, and
 * right after a debtor's object flushed a guardrail outcome (complaint, STOP, unsubscribe, dispute).
 */
import { loadClock } from "../clock";
import { addDays, localParts, zonedTimeToEpoch } from "../zoned-time";
import { probabilityBest, sequentialTest, summarize } from "./stats";
import type { Experiment, Variant } from "./model";
import { assess, recommendation, type VariantResult } from "./results";
import { countsStatement, emitTenantEvent, getExperiment, lastDailyDay, parseCounts, saveDaily, updateExperiment, type DailyRow } from "./store";

const TZ = "Europe/Amsterdam";
const MAX_HISTORY_DAYS = 400;

/** What the shop reads in `experiment.completed` and `experiment.stopped`. */
function summary(variants: VariantResult[]) {
  return variants.map((v) => ({ key: v.key, control: v.control, status: v.status, exposures: v.exposures, measured: v.measured, successes: v.successes, rate: v.rate }));
}

/** Looks at one experiment now; returns it as it stands afterwards (null: not this tenant's). */
export async function watchExperiment(env: Env, tenantId: string, id: string, nowIn?: number): Promise<Experiment | null> {
  const now = nowIn ?? (await loadClock(env)).now();
  const e = await getExperiment(env.DB, tenantId, id);
  if (!e || (e.status !== "running" && e.status !== "measuring")) return e;
  const { results } = await countsStatement(env.DB, e, now).all();
  const a = assess(e, parseCounts(results as Parameters<typeof parseCounts>[0]), now);
  const variants: Variant[] = e.variants.map((v) => {
    const stop = a.stops.find((s) => s.variant === v.key);
    return stop ? { ...v, status: "stopped", stopped_at: now, stopped_reason: `guardrail: ${stop.guardrail}` } : v;
  });
  const allStopped = variants.filter((v) => !v.control).every((v) => v.status === "stopped");
  const status = a.complete ? "completed" : allStopped ? "stopped" : a.endEnrolment ? "measuring" : e.status;
  const ended = status === "completed" || status === "stopped";
  const changed = await updateExperiment(env.DB, e, {
    status, variants, state: a.state,
    ...(a.endEnrolment ? { enrolmentEndedAt: now } : {}),
    ...(ended ? { endedAt: now, endedReason: status === "completed" ? "finished" : "guardrail" } : {}),
  }, now);
  if (changed === null) return getExperiment(env.DB, tenantId, id);
  // With the new updated_at, so a stop or promote right after this look is not refused as stale.
  const after: Experiment = { ...e, updatedAt: changed, status, variants, state: a.state, enrolmentEndedAt: e.enrolmentEndedAt ?? (a.endEnrolment ? now : null), endedAt: ended ? now : null, endedReason: ended ? (status === "completed" ? "finished" : "guardrail") : null };
  for (const s of a.stops) {
    await emitTenantEvent(env, tenantId, "experiment.stopped", `exp_${id}_stopped_${s.variant}`, {
      experiment_id: id, name: e.name, variant: s.variant, reason: "guardrail", guardrail: s.guardrail, variant_rate: s.variantRate, control_rate: s.controlRate, status,
    }, now);
  }
  const looked = a.variants.map((v) => ({ ...v, status: variants.find((x) => x.key === v.key)?.status ?? v.status }));
  if (status === "stopped") {
    await emitTenantEvent(env, tenantId, "experiment.stopped", `exp_${id}_stopped`, { experiment_id: id, name: e.name, reason: "guardrail", status, variants: summary(looked) }, now);
  }
  if (status === "completed") {
    await emitTenantEvent(env, tenantId, "experiment.completed", `exp_${id}_completed`, {
      experiment_id: id, name: e.name, reason: "finished", variants: summary(looked), recommendation: recommendation(after, looked, null).slice(0, 1000),
    }, now);
  }
  await keepHistory(env, after, now);
  return after;
}

/** Looks at every running experiment (the cron, and the development clock). */
export async function watchExperiments(env: Env, now?: number): Promise<number> {
  const { results } = await env.DB.prepare("SELECT id, tenant_id FROM experiments WHERE status IN ('running', 'measuring') ORDER BY updated_at LIMIT 200").all<{ id: string; tenant_id: string }>();
  for (const r of results) {
    try {
      await watchExperiment(env, r.tenant_id, r.id, now);
    } catch (err) {
      console.error("experiment watch failed; the next tick looks again", r.id, err);
    }
  }
  return results.length;
}

/**
 * The daily history from the day before the last one kept up to today (late flushes land in
 * the last days), each day as of its end, the p-value the running minimum since the start.
 */
export async function keepHistory(env: Env, e: Experiment, now: number): Promise<void> {
  const today = localParts(now, TZ).date;
  const start = localParts(e.startedAt, TZ).date;
  const last = await lastDailyDay(env.DB, e.id);
  let from = last ? addDays(last, -1) : start;
  if (from < start) from = start;
  const days: string[] = [];
  for (let d = from; d <= today && days.length < MAX_HISTORY_DAYS; d = addDays(d, 1)) days.push(d);
  if (days.length === 0) return;
  const asOf = (d: string) => Math.min(now, zonedTimeToEpoch(addDays(d, 1), 0, 0, TZ) - 1);
  const before = addDays(from, -1);
  const [prev, ...perDay] = await env.DB.batch([
    env.DB.prepare("SELECT variant, p_value FROM experiment_daily WHERE experiment_id = ? AND day = ?").bind(e.id, before),
    ...days.map((d) => countsStatement(env.DB, e, asOf(d))),
  ]);
  const minP = new Map(((prev?.results ?? []) as { variant: string; p_value: number | null }[]).map((r) => [r.variant, r.p_value ?? 1]));
  const control = e.variants.find((v) => v.control);
  const comparisons = Math.max(1, e.variants.length - 1);
  const rows: DailyRow[] = [];
  days.forEach((day, i) => {
    const counts = parseCounts((perDay[i]?.results ?? []) as Parameters<typeof parseCounts>[0]);
    const of = (k: string) => counts.find((c) => c.variant === k);
    const arms = e.variants.map((v) => ({ exposures: of(v.key)?.measured ?? 0, successes: of(v.key)?.successes ?? 0 }));
    const best = arms.some((x) => x.exposures > 0) ? probabilityBest(arms) : null;
    const c0 = control ? of(control.key) : undefined;
    e.variants.forEach((v, j) => {
      const c = of(v.key);
      const arm = arms[j] ?? { exposures: 0, successes: 0 };
      const s = arm.exposures > 0 ? summarize(arm) : null;
      let p: number | null = null;
      if (!v.control) {
        const t = sequentialTest({ exposures: c0?.measured ?? 0, successes: c0?.successes ?? 0 }, arm, e.alpha / comparisons, e.mde);
        p = Math.min(minP.get(v.key) ?? 1, t.pValue);
        minP.set(v.key, p);
      }
      rows.push({
        day, variant: v.key, exposures: c?.exposures ?? 0, measured: arm.exposures, successes: arm.successes,
        rate: arm.exposures > 0 ? arm.successes / arm.exposures : null, interval_low: s ? s.interval[0] : null, interval_high: s ? s.interval[1] : null,
        probability_best: best ? (best[j] ?? null) : null, p_value: p, guardrails: c ? { ...c.guardrails } : { complaints: 0, sms_stops: 0, unsubscribes: 0, disputes: 0 },
      });
    });
  });
  await saveDaily(env.DB, e, rows, Date.now());
}
