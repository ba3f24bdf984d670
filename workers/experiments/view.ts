/**
 * An experiment as the API shows it (GET /v1/experiments/{id}) and as CSV: per-variant results,
 * the method in one sentence, and the recommendation. Pure.
 */
import type { Experiment } from "./model";
import { assess, recommendation, type VariantCounts, type VariantResult } from "./results";
import type { DailyRow } from "./store";

const DAY_MS = 24 * 3600_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The statistics, in one sentence, as the README documents them. */
export const METHOD =
  "Beta-binomial posteriors (uniform prior) for rates, 95% intervals, probability to be best and expected loss; decisions by an always-valid mixture sequential test " +
  "of each variant against the control (Johari et al. 2022) at error_rate / (variants - 1), so looking every day keeps the false-positive rate; a debtor counts once their window has closed.";

/** Days until the smallest variant has its estimated sample and its window closed (null: unknown volume). */
function remainingDays(e: Experiment, variants: VariantResult[]): number | null {
  const est = e.state.estimate;
  if (!est || est.daily_volume <= 0 || e.status !== "running") return null;
  const total = e.variants.reduce((s, v) => s + v.weight, 0);
  const share = Math.min(...e.variants.map((v) => v.weight)) / total;
  const have = Math.min(...variants.map((v) => v.exposures));
  const more = Math.max(0, est.per_variant - have);
  return Math.ceil(more / (share * est.daily_volume)) + e.windowDays;
}

/** The full view of an experiment as of `now`. */
export function experimentView(e: Experiment, counts: VariantCounts[], now: number) {
  const a = assess(e, counts, now);
  const variants = a.variants;
  const exposures = variants.reduce((s, v) => s + v.exposures, 0);
  const measured = variants.reduce((s, v) => s + v.measured, 0);
  return {
    id: e.id, name: e.name, template: e.template, channel: e.channel, locales: e.locales, segments: e.segments, help_first: e.helpFirst, status: e.status,
    primary_metric: { kind: "paid_or_arrangement" as const, window_days: e.windowDays },
    duration_days: e.durationDays, sample_size: e.sampleSize, minimum_detectable_effect: e.mde, error_rate: e.alpha,
    estimate: e.state.estimate, method: METHOD,
    totals: { exposures, measured, waiting: exposures - measured },
    variants,
    recommendation: recommendation(e, variants, remainingDays(e, variants)),
    actor: e.actor, created_at: iso(e.createdAt) ?? "", started_at: iso(e.startedAt) ?? "", enrolment_ended_at: iso(e.enrolmentEndedAt),
    ended_at: iso(e.endedAt), ended_reason: e.endedReason, promoted_variant: e.promotedVariant,
  };
}

/** A CSV cell: quoted when it must be (RFC 4180), never a formula (a cell starting =, +, - or @ is prefixed). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v !== "number" && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const line = (xs: unknown[]) => xs.map(cell).join(",");

/** One row per variant. */
export function variantsCsv(e: Experiment, variants: VariantResult[]): string {
  const head = [
    "experiment_id", "variant", "control", "status", "exposures", "measured", "successes", "rate", "interval_low", "interval_high", "probability_best", "expected_loss",
    "p_value", "verdict", "paid", "arrangements", "days_to_pay_mean", "already_paid_share", "click_share", "open_share", "help_request_share",
    "complaints", "sms_stops", "unsubscribes", "disputes",
  ];
  const rows = variants.map((v) => [
    e.id, v.key, v.control, v.status, v.exposures, v.measured, v.successes, v.rate, v.interval?.[0], v.interval?.[1], v.probability_best, v.expected_loss,
    v.vs_control?.p_value, v.vs_control?.verdict, v.secondary.paid, v.secondary.arrangements, v.secondary.days_to_pay_mean, v.secondary.already_paid_share,
    v.secondary.click_share, v.secondary.open_share, v.secondary.help_request_share,
    v.guardrails.complaints.count, v.guardrails.sms_stops.count, v.guardrails.unsubscribes.count, v.guardrails.disputes.count,
  ]);
  return [line(head), ...rows.map(line)].join("\r\n") + "\r\n";
}

/** The daily history, one row per variant and day. */
export function dailyCsv(e: Experiment, rows: DailyRow[]): string {
  const head = ["experiment_id", "day", "variant", "exposures", "measured", "successes", "rate", "interval_low", "interval_high", "probability_best", "p_value", "complaints", "sms_stops", "unsubscribes", "disputes"];
  return [
    line(head),
    ...rows.map((r) => line([e.id, r.day, r.variant, r.exposures, r.measured, r.successes, r.rate, r.interval_low, r.interval_high, r.probability_best, r.p_value, r.guardrails.complaints, r.guardrails.sms_stops, r.guardrails.unsubscribes, r.guardrails.disputes])),
  ].join("\r\n") + "\r\n";
}
