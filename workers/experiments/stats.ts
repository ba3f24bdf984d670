/**
 * The statistics of Kindly's experiments: one honest method a marketer may look at every day.
 *
 * - Reading: each variant's rate has a Beta posterior (uniform prior, beta-binomial), shown with
 *   a 95% credible interval, the probability to be best and the expected loss of choosing it.
 * - Deciding: a variant is declared better or worse than the control only by an always-valid
 *   sequential test (the mixture SPRT of Johari, Koomen, Pekelis and Walsh, "Always valid
 *   inference", Operations Research 2022), whose error rate holds however often the results are
 *   looked at; with k variants each is tested against the control at alpha / k (Bonferroni).
 *   The same test, one-sided, stops a variant whose guardrail rate (complaints, STOP replies,
 *   unsubscribes, disputes) is credibly worse than the control's.
 *
 * Pure: counts in, numbers out. The distributions come from jStat (beta and normal).
 */
import jstat from "jstat";

const { jStat } = jstat;

/** What one variant has seen: debtors exposed, and of them how many reached the outcome. */
export interface ArmCounts {
  exposures: number;
  successes: number;
}

/** A variant's Beta posterior and its 95% credible interval. */
export interface ArmSummary {
  alpha: number;
  beta: number;
  mean: number;
  interval: [number, number];
}

/** Counts made safe: 0 <= successes <= exposures, integers. */
function clean(c: ArmCounts): ArmCounts {
  const exposures = Math.max(0, Math.floor(Number.isFinite(c.exposures) ? c.exposures : 0));
  const successes = Math.min(exposures, Math.max(0, Math.floor(Number.isFinite(c.successes) ? c.successes : 0)));
  return { exposures, successes };
}

/** The posterior Beta(1 + successes, 1 + failures) with its mean and central 95% interval. */
export function summarize(counts: ArmCounts): ArmSummary {
  const c = clean(counts);
  const alpha = 1 + c.successes;
  const beta = 1 + c.exposures - c.successes;
  return { alpha, beta, mean: alpha / (alpha + beta), interval: [jStat.beta.inv(0.025, alpha, beta), jStat.beta.inv(0.975, alpha, beta)] };
}

/** Intervals of x in [0, 1] where any posterior has mass; integrating elsewhere adds nothing. */
function support(arms: ArmSummary[]): [number, number] {
  const lo = Math.min(...arms.map((a) => jStat.beta.inv(1e-10, a.alpha, a.beta)));
  const hi = Math.max(...arms.map((a) => jStat.beta.inv(1 - 1e-10, a.alpha, a.beta)));
  return [Math.max(0, lo), Math.min(1, hi)];
}

/** Composite Simpson's rule over [lo, hi] with `n` (even) intervals. */
function simpson(f: (x: number) => number, lo: number, hi: number, n = 2000): number {
  if (hi <= lo) return 0;
  const h = (hi - lo) / n;
  let sum = f(lo) + f(hi);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (sum * h) / 3;
}

/**
 * P(variant i has the highest rate) for every variant: the integral of f_i(x) times the product
 * of the other variants' CDFs at x.
 */
export function probabilityBest(counts: ArmCounts[]): number[] {
  const arms = counts.map(summarize);
  const [lo, hi] = support(arms);
  const raw = arms.map((arm, i) =>
    simpson((x) => {
      let p = jStat.beta.pdf(x, arm.alpha, arm.beta);
      for (const [j, other] of arms.entries()) if (j !== i) p *= jStat.beta.cdf(x, other.alpha, other.beta);
      return p;
    }, lo, hi),
  );
  // Integration error is tiny; normalise so the probabilities sum to exactly 1 for display.
  const total = raw.reduce((s, p) => s + p, 0);
  return raw.map((p) => (total > 0 ? p / total : 1 / raw.length));
}

/** P(variant's rate > control's rate). */
export function probabilityBeats(control: ArmCounts, variant: ArmCounts): number {
  return probabilityBest([control, variant])[1] ?? 0;
}

/**
 * Expected loss of choosing each variant: E[max_j p_j - p_i], in rate points. E[max] is the
 * integral of 1 - prod_j F_j(x) over [0, 1].
 */
export function expectedLoss(counts: ArmCounts[]): number[] {
  const arms = counts.map(summarize);
  const [lo, hi] = support(arms);
  const eMax = lo + simpson((x) => 1 - arms.reduce((p, a) => p * jStat.beta.cdf(x, a.alpha, a.beta), 1), lo, hi);
  return arms.map((a) => Math.max(0, eMax - a.mean));
}

/** Settings of the sequential test. */
export interface SequentialSettings {
  /** The false-positive rate that holds under any number of looks (e.g. 0.05). */
  alpha: number;
  /** Spread of the mixing prior over the true difference, in rate points: the effect one hopes to see. */
  tau: number;
}

/** The mixture likelihood ratio of a normal difference estimate `diff` with variance `v`. */
function mixtureRatio(diff: number, v: number, tau: number): number {
  const t2 = tau * tau;
  return Math.sqrt(v / (v + t2)) * Math.exp((t2 * diff * diff) / (2 * v * (v + t2)));
}

/** Difference of rates (variant - control) and its variance, with a continuity floor on the rates. */
function difference(control: ArmCounts, variant: ArmCounts): { diff: number; v: number } | null {
  const a = clean(control);
  const b = clean(variant);
  if (a.exposures < 2 || b.exposures < 2) return null;
  // Plug-in variances from rates kept off 0 and 1 (half a success either way), so a run of
  // zeros early on does not make the variance vanish and the ratio explode.
  const rate = (c: ArmCounts) => Math.min(Math.max(c.successes, 0.5), c.exposures - 0.5) / c.exposures;
  const pa = rate(a);
  const pb = rate(b);
  return { diff: b.successes / b.exposures - a.successes / a.exposures, v: (pa * (1 - pa)) / a.exposures + (pb * (1 - pb)) / b.exposures };
}

/** The outcome of the sequential test of one variant against the control at one look. */
export interface SequentialResult {
  /** Mixture likelihood ratio; the test rejects when it reaches 1 / threshold. */
  ratio: number;
  /** Always-valid p-value at this look (min(1, 1 / ratio)); keep the running minimum across looks. */
  pValue: number;
  /** "better" / "worse": the variant differs from the control at the stated error rate. */
  verdict: "better" | "worse" | "undecided";
}

/**
 * Tests `variant` against `control` at significance `threshold` (already divided by the number
 * of comparisons). Two-sided; the verdict's direction is the sign of the observed difference.
 */
export function sequentialTest(control: ArmCounts, variant: ArmCounts, threshold: number, tau: number): SequentialResult {
  const d = difference(control, variant);
  if (!d || d.v <= 0) return { ratio: 1, pValue: 1, verdict: "undecided" };
  const ratio = mixtureRatio(d.diff, d.v, tau);
  const pValue = Math.min(1, 1 / ratio);
  const verdict = pValue <= threshold ? (d.diff > 0 ? "better" : "worse") : "undecided";
  return { ratio, pValue, verdict };
}

/**
 * Whether a variant's guardrail rate (complaints, STOP replies, unsubscribes, disputes) is
 * credibly worse (higher) than the control's: the one-sided sequential test at `alpha`.
 */
export function guardrailBreached(control: ArmCounts, variant: ArmCounts, alpha: number, tau: number): boolean {
  const r = sequentialTest(control, variant, 2 * alpha, tau);
  return r.verdict === "better"; // "better" here means a higher rate of the bad outcome
}

/** What an experiment needs to find a stated effect, from the tenant's own volume and base rate. */
export interface SampleEstimate {
  /** Debtors per variant at which a true effect of `mde` is found with the stated power. */
  perVariant: number;
  /** All variants together. */
  total: number;
  /** Days at the tenant's volume of debtors entering the experiment per day (null: no volume yet). */
  days: number | null;
}

const z = (p: number) => jStat.normal.inv(p, 0, 1);

/**
 * Sample needed by the sequential test: the smallest n per variant at which an estimate lying
 * `z(power)` standard errors below a true lift of `mde` (absolute rate points) still crosses the
 * always-valid threshold. `variants` counts the control too.
 */
export function estimateSample(input: {
  baseRate: number;
  mde: number;
  variants: number;
  alpha: number;
  power: number;
  tau?: number;
  dailyVolume: number;
}): SampleEstimate {
  const p1 = Math.min(Math.max(input.baseRate, 1e-4), 1 - 1e-4);
  const p2 = Math.min(Math.max(p1 + input.mde, 1e-4), 1 - 1e-4);
  const comparisons = Math.max(1, input.variants - 1);
  const threshold = input.alpha / comparisons;
  const tau = input.tau ?? Math.abs(input.mde);
  const crosses = (n: number) => {
    const v = (p1 * (1 - p1) + p2 * (1 - p2)) / n;
    const seen = Math.abs(p2 - p1) - z(input.power) * Math.sqrt(v);
    return seen > 0 && mixtureRatio(seen, v, tau) >= 1 / threshold;
  };
  let hi = 16;
  while (!crosses(hi) && hi < 1e9) hi *= 2;
  let lo = hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (crosses(mid)) hi = mid;
    else lo = mid;
  }
  const perVariant = Math.ceil(hi);
  const total = perVariant * input.variants;
  return { perVariant, total, days: input.dailyVolume > 0 ? Math.ceil(total / input.dailyVolume) : null };
}
