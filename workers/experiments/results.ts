/**
 * An experiment's results and decisions from its counts, as of one moment. Pure: counts in,
 * numbers, verdicts and words out; the watcher (watch.ts) and the API call it.
 *
 * - Primary metric: paid in full or an arrangement agreed within N days of the first exposure.
 *   A debtor counts once their N-day window has closed ("measured"); until then they are
 *   "waiting", so a variant that only makes people pay sooner does not look better early.
 * - Reading: Beta posteriors (95% interval, probability to be best, expected loss).
 * - Deciding: the always-valid sequential test of each variant against the control at
 *   alpha / (variants - 1), tau = the stated minimum detectable effect; its p-value is the running
 *   minimum over every look, and a verdict once reached stands (stats.ts).
 * - Guardrails: per kind, the one-sided always-valid test of the variant's rate against the
 *   control's over every exposed debtor, at GUARDRAIL_ALPHA / kinds; a breach stops the variant.
 * - Opens are shown, never used for a decision; help requests are shown, never counted against a variant.
 */
import { expectedLoss, guardrailBreached, probabilityBest, sequentialTest, summarize } from "./stats";
import { GUARDRAILS, type Experiment, type ExperimentState, type Guardrail, type Variant } from "./model";

/** The false-stop rate of the guardrails per variant, spread over the guardrail kinds. */
export const GUARDRAIL_ALPHA = 0.05;
/** Spread of the guardrails' mixing prior: the rise in a complaint-type rate one worries about. */
export const GUARDRAIL_TAU = 0.05;
const DAY_MS = 24 * 3600_000;

/** What the units of one variant add up to, as of a moment (experiments/store.ts counts them). */
export interface VariantCounts {
  variant: string;
  exposures: number;
  /** Exposed at least the window ago: their outcome is known. */
  measured: number;
  /** Of the measured, paid in full or agreed an arrangement within the window. */
  successes: number;
  paid: number;
  arrangements: number;
  /** Sum of days from exposure to payment in full, and how many paid (any time so far). */
  payDays: number;
  payers: number;
  alreadyPaid: number;
  clicked: number;
  opened: number;
  help: number;
  guardrails: Record<Guardrail, number>;
}

/** An empty count for a variant nobody saw yet. */
export function emptyCounts(variant: string): VariantCounts {
  return { variant, exposures: 0, measured: 0, successes: 0, paid: 0, arrangements: 0, payDays: 0, payers: 0, alreadyPaid: 0, clicked: 0, opened: 0, help: 0, guardrails: { complaints: 0, sms_stops: 0, unsubscribes: 0, disputes: 0 } };
}

const share = (n: number, d: number) => (d > 0 ? n / d : null);
const round = (x: number | null, digits = 4) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** One variant's results. */
export interface VariantResult {
  key: string;
  control: boolean;
  status: "active" | "stopped";
  stopped_reason: string | null;
  weight: number;
  versions: Record<string, number>;
  exposures: number;
  measured: number;
  waiting: number;
  successes: number;
  rate: number | null;
  interval: [number, number] | null;
  probability_best: number | null;
  expected_loss: number | null;
  /** `decided_at`: when the verdict was reached (ISO), so a reader sees how long the test took to decide. */
  vs_control: { difference: number | null; p_value: number; verdict: "better" | "worse" | "undecided"; decided_at: string | null } | null;
  secondary: { paid: number; arrangements: number; days_to_pay_mean: number | null; already_paid_share: number | null; click_share: number | null; open_share: number | null; help_request_share: number | null };
  guardrails: Record<Guardrail, { count: number; rate: number | null; breached: boolean }>;
}

/** What the watcher must do after a look. */
export interface Assessment {
  state: ExperimentState;
  variants: VariantResult[];
  /** Variants a guardrail stops now. */
  stops: { variant: string; guardrail: Guardrail; variantRate: number; controlRate: number }[];
  /** Enrolment ends now (duration or sample size reached). */
  endEnrolment: boolean;
  /** Every window has closed: the experiment is complete. */
  complete: boolean;
}

/** Counts of the guardrail `g` as Beta-binomial arm counts. */
const arm = (c: VariantCounts, g?: Guardrail) => ({ exposures: c.exposures, successes: g ? c.guardrails[g] : c.successes });

/**
 * Looks at the experiment as of `now` with `counts`: results, verdicts (latched), guardrail stops,
 * the end of enrolment and completion. `reading: false` leaves out what only a reader needs
 * (probability to be best, expected loss), which the decisions never use (simulations).
 */
export function assess(
  e: Pick<Experiment, "variants" | "state" | "status" | "alpha" | "mde" | "windowDays" | "durationDays" | "sampleSize" | "startedAt" | "enrolmentEndedAt">,
  countsIn: VariantCounts[],
  now: number,
  opts: { reading?: boolean } = {},
): Assessment {
  const counts = new Map(countsIn.map((c) => [c.variant, c]));
  const of = (v: Variant) => counts.get(v.key) ?? emptyCounts(v.key);
  const control = e.variants.find((v) => v.control) ?? e.variants[0];
  const controlCounts = control ? of(control) : emptyCounts("control");
  const comparisons = Math.max(1, e.variants.length - 1);
  const state: ExperimentState = { ...e.state, min_p: { ...e.state.min_p }, verdicts: { ...e.state.verdicts }, decided_at: { ...e.state.decided_at }, guardrail_stops: { ...e.state.guardrail_stops } };

  const measuredArms = e.variants.map((v) => ({ exposures: of(v).measured, successes: of(v).successes }));
  const anyMeasured = measuredArms.some((a) => a.exposures > 0);
  const reading = opts.reading !== false && anyMeasured;
  const best = reading ? probabilityBest(measuredArms) : null;
  const loss = reading ? expectedLoss(measuredArms) : null;

  const stops: Assessment["stops"] = [];
  const variants = e.variants.map((v, i): VariantResult => {
    const c = of(v);
    const s = c.measured > 0 ? summarize({ exposures: c.measured, successes: c.successes }) : null;
    let vs: VariantResult["vs_control"] = null;
    if (!v.control && control) {
      const t = sequentialTest({ exposures: controlCounts.measured, successes: controlCounts.successes }, { exposures: c.measured, successes: c.successes }, e.alpha / comparisons, e.mde);
      const minP = Math.min(state.min_p[v.key] ?? 1, t.pValue);
      state.min_p[v.key] = minP;
      if (!state.verdicts[v.key] && t.verdict !== "undecided") {
        state.verdicts[v.key] = t.verdict;
        state.decided_at[v.key] = now;
      }
      const rc = share(controlCounts.successes, controlCounts.measured);
      const rv = share(c.successes, c.measured);
      const decidedAt = state.decided_at[v.key];
      vs = {
        difference: rc !== null && rv !== null ? round(rv - rc) : null, p_value: round(minP, 6) ?? 1, verdict: state.verdicts[v.key] ?? "undecided",
        decided_at: decidedAt === undefined ? null : new Date(decidedAt).toISOString(),
      };
    }
    const guardrails = Object.fromEntries(
      GUARDRAILS.map((g) => {
        let breached = state.guardrail_stops[v.key]?.guardrail === g;
        if (!v.control && control && v.status === "active" && !breached && guardrailBreached(arm(controlCounts, g), arm(c, g), GUARDRAIL_ALPHA / GUARDRAILS.length, GUARDRAIL_TAU)) {
          breached = true;
          const stop = { variant: v.key, guardrail: g, variantRate: c.guardrails[g] / Math.max(1, c.exposures), controlRate: controlCounts.guardrails[g] / Math.max(1, controlCounts.exposures) };
          if (!stops.some((x) => x.variant === v.key)) {
            stops.push(stop);
            state.guardrail_stops[v.key] = { guardrail: g, variant_rate: stop.variantRate, control_rate: stop.controlRate, at: now };
          }
        }
        return [g, { count: c.guardrails[g], rate: round(share(c.guardrails[g], c.exposures)), breached }];
      }),
    ) as VariantResult["guardrails"];
    return {
      key: v.key, control: v.control, status: v.status, stopped_reason: v.stopped_reason, weight: v.weight, versions: v.versions,
      exposures: c.exposures, measured: c.measured, waiting: c.exposures - c.measured, successes: c.successes,
      rate: round(share(c.successes, c.measured)), interval: s ? [round(s.interval[0]) ?? 0, round(s.interval[1]) ?? 0] : null,
      probability_best: best ? round(best[i] ?? null) : null, expected_loss: loss ? round(loss[i] ?? null, 5) : null, vs_control: vs,
      secondary: {
        paid: c.paid, arrangements: c.arrangements, days_to_pay_mean: c.payers > 0 ? round(c.payDays / c.payers, 1) : null,
        already_paid_share: round(share(c.alreadyPaid, c.exposures)), click_share: round(share(c.clicked, c.exposures)),
        open_share: round(share(c.opened, c.exposures)), help_request_share: round(share(c.help, c.exposures)),
      },
      guardrails,
    };
  });

  const total = countsIn.reduce((s, c) => s + c.exposures, 0);
  const enrolling = e.status === "running";
  const endEnrolment = enrolling && ((e.durationDays !== null && now >= e.startedAt + e.durationDays * DAY_MS) || (e.sampleSize !== null && total >= e.sampleSize));
  const enrolmentEnd = e.enrolmentEndedAt ?? (endEnrolment ? now : null);
  const complete = (e.status === "running" || e.status === "measuring") && enrolmentEnd !== null && now >= enrolmentEnd + e.windowDays * DAY_MS;
  return { state, variants, stops, endEnrolment, complete };
}

const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(x < 0.1 && x > 0 ? 1 : 0)}%`);

/** The plain-language recommendation a marketer reads first. */
export function recommendation(e: Pick<Experiment, "id" | "status" | "windowDays" | "promotedVariant" | "state">, variants: VariantResult[], remainingDays: number | null): string {
  const control = variants.find((v) => v.control);
  const metric = `paid in full or agreed an arrangement within ${e.windowDays} days`;
  const parts: string[] = [];
  for (const v of variants.filter((x) => x.status === "stopped" && e.state.guardrail_stops[x.key])) {
    const g = e.state.guardrail_stops[v.key];
    if (!g) continue;
    parts.push(`Variant "${v.key}" was stopped on ${new Date(g.at).toISOString().slice(0, 10)}: its rate of ${g.guardrail.replace("_", " ")} (${pct(g.variant_rate)}) was credibly higher than the control's (${pct(g.control_rate)}). Its debtors get the control's words now.`);
  }
  const measured = variants.reduce((s, v) => s + v.measured, 0);
  const exposed = variants.reduce((s, v) => s + v.exposures, 0);
  const better = variants.filter((v) => v.vs_control?.verdict === "better" && v.status === "active").sort((a, b) => (b.probability_best ?? 0) - (a.probability_best ?? 0));
  const rates = variants.map((v) => `"${v.key}" ${pct(v.rate)}`).join(", ");
  if (e.promotedVariant) {
    parts.push(e.promotedVariant === control?.key ? `The control was kept; the experiment is complete.` : `Variant "${e.promotedVariant}" was promoted: it is your published copy now.`);
  } else if (better[0] && control) {
    const w = better[0];
    parts.push(
      `Variant "${w.key}" does better than the control: ${pct(w.rate)} ${metric}, against ${pct(control.rate)} (95% interval ${pct(w.interval?.[0] ?? null)}-${pct(w.interval?.[1] ?? null)}; probability to be best ${pct(w.probability_best)}). ` +
        `Promote it with POST /v1/experiments/${e.id}/promote {"variant": "${w.key}"}.`,
    );
  } else if (control && variants.filter((v) => !v.control).every((v) => v.vs_control?.verdict === "worse" || v.status === "stopped")) {
    parts.push(`The control does best (${rates}). Keep it: promote "${control.key}" to close the experiment.`);
  } else if (measured === 0) {
    parts.push(exposed === 0 ? "No debtor has seen a variant yet." : `Too early to tell: none of the ${exposed} debtors in it has finished their ${e.windowDays}-day window yet. Looking every day is safe: the test stays honest however often you look.`);
  } else if (e.status === "completed" || e.status === "stopped") {
    parts.push(`No credible difference after ${measured} debtors (${rates}). Keep the control, or test a bolder change.`);
  } else {
    const lead = [...variants].sort((a, b) => (b.probability_best ?? 0) - (a.probability_best ?? 0))[0];
    parts.push(
      `No credible difference yet after ${measured} of ${exposed} debtors (${rates}; "${lead?.key}" is ahead with a ${pct(lead?.probability_best ?? null)} probability to be best). ` +
        `Keep it running${remainingDays !== null ? `: about ${remainingDays} more days at your volume` : ""}. Looking every day is safe.`,
    );
  }
  const moreHelp = variants.filter((v) => !v.control && control && (v.secondary.help_request_share ?? 0) > (control.secondary.help_request_share ?? 0));
  if (moreHelp.length > 0) parts.push(`${moreHelp.map((v) => `"${v.key}"`).join(", ")} led more people to ask for help: that counts as good, never against a variant.`);
  return parts.join(" ");
}
