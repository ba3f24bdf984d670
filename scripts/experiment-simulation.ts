/**
 * Simulated experiments through Kindly's own decision code (workers/experiments/results.ts
 * `assess`), looked at every day, with outcomes that take time: each debtor is exposed on a day of
 * the enrolment, pays (or not) some days later, and counts only once their window has closed,
 * exactly as the watcher counts them. Pure and seeded, so a run is reproducible. Used by
 * test/experiment-statistics.test.ts (a few hundred runs) and `npm run experiments:aa` (thousands).
 */
import { emptyCounts, assess, type VariantCounts } from "../workers/experiments/results";
import type { ExperimentState, Variant } from "../workers/experiments/model";
import { createRng } from "../workers/policy/random";

const DAY = 24 * 3600_000;

/** One simulated experiment's settings. */
export interface SimulationSettings {
  /** True rate of the primary outcome within the window, per variant (the first is the control). */
  rates: number[];
  /** True guardrail (complaint) rate per variant. */
  complaintRates: number[];
  perVariantPerDay: number;
  enrolDays: number;
  windowDays: number;
  mde: number;
  alpha: number;
  seed: string;
}

/** What happened: the first day any variant was declared better or worse, and any guardrail stop. */
export interface SimulationOutcome {
  firstVerdictDay: number | null;
  verdicts: Record<string, "better" | "worse">;
  firstStopDay: number | null;
  looks: number;
}

interface Unit {
  variant: number;
  exposedDay: number;
  successDay: number | null;
  complaintDay: number | null;
}

/** Runs one experiment, looking once a day from the first day to the close of the last window. */
export function simulate(s: SimulationSettings): SimulationOutcome {
  const rng = createRng(s.seed);
  const units: Unit[] = [];
  for (let d = 0; d < s.enrolDays; d++) {
    for (let v = 0; v < s.rates.length; v++) {
      for (let i = 0; i < s.perVariantPerDay; i++) {
        // Pays within the window with the variant's rate, on a day spread over the window.
        const pays = rng() < (s.rates[v] ?? 0);
        const complains = rng() < (s.complaintRates[v] ?? 0);
        units.push({ variant: v, exposedDay: d, successDay: pays ? d + Math.floor(rng() * s.windowDays) : null, complaintDay: complains ? d + Math.floor(rng() * 3) : null });
      }
    }
  }
  const keys = s.rates.map((_, i) => (i === 0 ? "control" : `v${i}`));
  const variants: Variant[] = keys.map((key, i) => ({ key, weight: 1, control: i === 0, versions: {}, copies: {}, status: "active", stopped_at: null, stopped_reason: null }));
  let state: ExperimentState = { estimate: null, min_p: {}, verdicts: {}, decided_at: {}, guardrail_stops: {} };
  let firstVerdictDay: number | null = null;
  let firstStopDay: number | null = null;
  let looks = 0;
  for (let day = 1; day <= s.enrolDays + s.windowDays; day++) {
    const counts: VariantCounts[] = keys.map((k) => emptyCounts(k));
    for (const u of units) {
      // As of the end of `day - 1`: exposed by then; measured once the window closed.
      if (u.exposedDay >= day) continue;
      const c = counts[u.variant] as VariantCounts;
      c.exposures++;
      if (u.complaintDay !== null && u.complaintDay < day) c.guardrails.complaints++;
      if (u.exposedDay + s.windowDays <= day) {
        c.measured++;
        if (u.successDay !== null) c.successes++;
      }
    }
    const a = assess(
      { variants, state, status: "running", alpha: s.alpha, mde: s.mde, windowDays: s.windowDays, durationDays: null, sampleSize: null, startedAt: 0, enrolmentEndedAt: null },
      counts,
      day * DAY,
      { reading: false },
    );
    looks++;
    state = a.state;
    if (firstVerdictDay === null && Object.keys(state.verdicts).length > 0) firstVerdictDay = day;
    if (firstStopDay === null && a.stops.length > 0) firstStopDay = day;
  }
  return { firstVerdictDay, verdicts: state.verdicts, firstStopDay, looks };
}

/** The share of `runs` experiments in which `hit` happened, with its binomial standard error. */
export function shareOf(runs: number, hit: (i: number) => boolean): { share: number; se: number; hits: number } {
  let hits = 0;
  for (let i = 0; i < runs; i++) if (hit(i)) hits++;
  const share = hits / runs;
  return { share, se: Math.sqrt((share * (1 - share)) / runs), hits };
}
