import { describe, expect, it } from "vitest";
import { assignVariant } from "../workers/experiments/assignment";
import { estimateSample, expectedLoss, guardrailBreached, probabilityBeats, probabilityBest, sequentialTest, summarize, type ArmCounts } from "../workers/experiments/stats";
import { createRng, sampleBeta } from "../workers/policy/random";
import { assess, emptyCounts, recommendation, type VariantCounts } from "../workers/experiments/results";
import { helpFirstProblems } from "../workers/experiments/help-first";
import { defaultCopy } from "../workers/templates/copy";
import { shareOf, simulate } from "../scripts/experiment-simulation";

/** log Gamma by Lanczos (g = 7, n = 9), written here so the check does not share jStat's code. */
function lgamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const y = x - 1;
  let a = c[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}
const lbeta = (a: number, b: number) => lgamma(a) + lgamma(b) - lgamma(a + b);

/**
 * Evan Miller's closed form for P(p_B > p_A), p_A ~ Beta(aA, bA), p_B ~ Beta(aB, bB), integer aB:
 * sum over i < aB of B(aA + i, bA + bB) / ((bB + i) B(1 + i, bB) B(aA, bA)).
 */
function millerProbBBeatsA(aA: number, bA: number, aB: number, bB: number): number {
  let total = 0;
  for (let i = 0; i < aB; i++) total += Math.exp(lbeta(aA + i, bA + bB) - Math.log(bB + i) - lbeta(1 + i, bB) - lbeta(aA, bA));
  return total;
}

describe("experiment statistics: reading the results", () => {
  it("a variant's posterior is Beta(1 + successes, 1 + failures) with its 95% interval", () => {
    const s = summarize({ exposures: 3, successes: 1 });
    expect([s.alpha, s.beta]).toEqual([2, 3]);
    expect(s.mean).toBeCloseTo(0.4, 12);
    // Beta(2, 3)'s CDF is the binomial tail sum_{j=2..4} C(4,j) x^j (1-x)^(4-j): the interval's
    // ends must sit at 2.5% and 97.5% of it.
    const cdf = (x: number) => 6 * x ** 2 * (1 - x) ** 2 + 4 * x ** 3 * (1 - x) + x ** 4;
    expect(cdf(s.interval[0])).toBeCloseTo(0.025, 6);
    expect(cdf(s.interval[1])).toBeCloseTo(0.975, 6);
  });

  it("probability to beat the control matches Evan Miller's closed form", () => {
    const cases: [ArmCounts, ArmCounts][] = [
      [{ exposures: 100, successes: 30 }, { exposures: 100, successes: 40 }],
      [{ exposures: 1000, successes: 310 }, { exposures: 980, successes: 300 }],
      [{ exposures: 12, successes: 0 }, { exposures: 12, successes: 2 }],
      [{ exposures: 5000, successes: 1500 }, { exposures: 5000, successes: 1580 }],
    ];
    for (const [a, b] of cases) {
      const expected = millerProbBBeatsA(1 + a.successes, 1 + a.exposures - a.successes, 1 + b.successes, 1 + b.exposures - b.successes);
      expect(probabilityBeats(a, b)).toBeCloseTo(expected, 4);
    }
  });

  it("probability to be best and expected loss agree with a Monte Carlo run of an independent sampler", () => {
    const arms: ArmCounts[] = [{ exposures: 400, successes: 120 }, { exposures: 410, successes: 135 }, { exposures: 395, successes: 110 }];
    const rng = createRng("mc");
    const draws = 40_000;
    const wins = [0, 0, 0];
    const loss = [0, 0, 0];
    for (let d = 0; d < draws; d++) {
      const p = arms.map((a) => sampleBeta(rng, 1 + a.successes, 1 + a.exposures - a.successes));
      const max = Math.max(...p);
      wins[p.indexOf(max)] = (wins[p.indexOf(max)] ?? 0) + 1;
      p.forEach((x, i) => (loss[i] = (loss[i] ?? 0) + (max - x)));
    }
    const best = probabilityBest(arms);
    const el = expectedLoss(arms);
    expect(best.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
    best.forEach((p, i) => expect(Math.abs(p - (wins[i] as number) / draws)).toBeLessThan(0.01));
    el.forEach((l, i) => expect(Math.abs(l - (loss[i] as number) / draws)).toBeLessThan(0.001));
  });
});

/** Daily looks at an A/B test with true rates pA, pB; returns the first day with a verdict (or null). */
function runDaily(seed: string, pA: number, pB: number, perArmPerDay: number, days: number, alpha: number, tau: number): { day: number; verdict: string } | null {
  const rng = createRng(seed);
  const a = { exposures: 0, successes: 0 };
  const b = { exposures: 0, successes: 0 };
  for (let day = 1; day <= days; day++) {
    for (let i = 0; i < perArmPerDay; i++) {
      a.exposures++;
      if (rng() < pA) a.successes++;
      b.exposures++;
      if (rng() < pB) b.successes++;
    }
    const r = sequentialTest(a, b, alpha, tau);
    if (r.verdict !== "undecided") return { day, verdict: r.verdict };
  }
  return null;
}

describe("experiment statistics: deciding, looked at every day", () => {
  it("two identical variants: the share of experiments that declare a winner stays at or below 5% with daily looks", () => {
    const experiments = 600;
    let declared = 0;
    let looked = 0;
    for (let e = 0; e < experiments; e++) {
      looked++;
      if (runDaily(`aa-${e}`, 0.3, 0.3, 40, 60, 0.05, 0.05)) declared++;
    }
    expect(looked).toBe(experiments);
    // The guarantee is <= alpha; allow the Monte Carlo error of 600 runs (2 sd ~ 1.8 points).
    expect(declared / experiments).toBeLessThanOrEqual(0.05 + 0.018);
  });

  it("a planted lift of 10 points (30% -> 40%) is found, in the right direction, within the estimated sample in most runs", () => {
    const est = estimateSample({ baseRate: 0.3, mde: 0.1, variants: 2, alpha: 0.05, power: 0.8, dailyVolume: 80 });
    const runs = 200;
    let found = 0;
    for (let r = 0; r < runs; r++) {
      const hit = runDaily(`ab-${r}`, 0.3, 0.4, 40, Math.ceil(est.perVariant / 40), 0.05, 0.1);
      if (hit) {
        expect(hit.verdict).toBe("better");
        found++;
      }
    }
    expect(found / runs).toBeGreaterThanOrEqual(0.75);
  });

  it("the always-valid test needs more debtors than a test that may only be read once (its price for daily looks)", () => {
    // Fixed-horizon two-proportion z-test, 5% two-sided, 80% power, 30% -> 40%: 356 per arm (textbook formula).
    const fixed = Math.ceil(((1.959964 * Math.sqrt(2 * 0.35 * 0.65) + 0.841621 * Math.sqrt(0.3 * 0.7 + 0.4 * 0.6)) ** 2) / 0.01);
    expect(fixed).toBe(356);
    const est = estimateSample({ baseRate: 0.3, mde: 0.1, variants: 2, alpha: 0.05, power: 0.8, dailyVolume: 50 });
    expect(est.perVariant).toBeGreaterThan(fixed);
    expect(est.perVariant).toBeLessThan(4 * fixed);
    expect(est.total).toBe(2 * est.perVariant);
    expect(est.days).toBe(Math.ceil(est.total / 50));
  });

  it("a guardrail breach needs a credibly higher rate, not noise", () => {
    expect(guardrailBreached({ exposures: 2000, successes: 4 }, { exposures: 2000, successes: 30 }, 0.05, 0.005)).toBe(true);
    expect(guardrailBreached({ exposures: 2000, successes: 4 }, { exposures: 2000, successes: 6 }, 0.05, 0.005)).toBe(false);
    // Lower is never a breach.
    expect(guardrailBreached({ exposures: 2000, successes: 30 }, { exposures: 2000, successes: 4 }, 0.05, 0.005)).toBe(false);
  });
});

describe("experiment assignment", () => {
  const variants = [
    { key: "control", weight: 50 },
    { key: "b", weight: 30 },
    { key: "c", weight: 20 },
  ];

  it("is the same for a debtor at every call, and independent across experiments", () => {
    const first = Array.from({ length: 200 }, (_, i) => assignVariant("exp1", `t1/cust-${i}`, variants));
    const again = Array.from({ length: 200 }, (_, i) => assignVariant("exp1", `t1/cust-${i}`, variants));
    expect(again).toEqual(first);
    const other = Array.from({ length: 200 }, (_, i) => assignVariant("exp2", `t1/cust-${i}`, variants));
    expect(other).not.toEqual(first);
  });

  it("splits 10,000 debtors within tolerance of the weights (chi-square, 2 df, p > 0.001)", () => {
    const n = 10_000;
    const counts: Record<string, number> = { control: 0, b: 0, c: 0 };
    for (let i = 0; i < n; i++) {
      const k = assignVariant("split", `t1/d${i}`, variants);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    const chi = variants.reduce((s, v) => {
      const expected = (n * v.weight) / 100;
      return s + ((counts[v.key] ?? 0) - expected) ** 2 / expected;
    }, 0);
    // 13.82 is the 0.999 quantile of chi-square with 2 degrees of freedom.
    expect(chi).toBeLessThan(13.82);
  });
});

describe("the experiment's decisions (results.ts), looked at every day while windows close", () => {
  const settings = { perVariantPerDay: 20, enrolDays: 30, windowDays: 14, mde: 0.05, alpha: 0.05 };

  it("identical variants declare a winner in at most 5% of experiments, with 2 and with 3 variants (Monte Carlo, daily looks)", () => {
    const two = shareOf(300, (i) => simulate({ ...settings, rates: [0.3, 0.3], complaintRates: [0, 0], seed: `t-aa2-${i}` }).firstVerdictDay !== null);
    const three = shareOf(200, (i) => simulate({ ...settings, rates: [0.3, 0.3, 0.3], complaintRates: [0, 0, 0], seed: `t-aa3-${i}` }).firstVerdictDay !== null);
    // The guarantee is <= 5%; allow two standard errors of the Monte Carlo estimate at 5%.
    expect(two.share).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt(0.05 * 0.95 / 300));
    expect(three.share).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt(0.05 * 0.95 / 200));
  });

  it("identical complaint rates stop a variant in at most 5% of experiments; a variant with ten times the complaints is stopped", () => {
    const same = shareOf(200, (i) => simulate({ ...settings, rates: [0.3, 0.3], complaintRates: [0.01, 0.01], seed: `t-g-${i}` }).firstStopDay !== null);
    expect(same.share).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt(0.05 * 0.95 / 200));
    const worse = shareOf(50, (i) => simulate({ ...settings, rates: [0.3, 0.3], complaintRates: [0.01, 0.1], seed: `t-gw-${i}` }).firstStopDay !== null);
    expect(worse.share).toBeGreaterThanOrEqual(0.95);
  });

  it("a planted lift is found in the right direction, after the window lets the first debtors count", () => {
    let found = 0;
    for (let i = 0; i < 60; i++) {
      const o = simulate({ ...settings, rates: [0.3, 0.45], complaintRates: [0, 0], seed: `t-ab-${i}` });
      if (o.verdicts.v1 === "better") found++;
      expect(o.verdicts.v1).not.toBe("worse");
      // Nobody counts before their window closed: no decision before day 14 + 1.
      if (o.firstVerdictDay !== null) expect(o.firstVerdictDay).toBeGreaterThan(settings.windowDays);
    }
    expect(found).toBeGreaterThanOrEqual(54);
  });
});

describe("assess: one look at an experiment, on worked examples", () => {
  const DAY = 24 * 3600_000;
  const v = (key: string, control = false) => ({ key, weight: 1, control, versions: {}, copies: {}, status: "active" as const, stopped_at: null, stopped_reason: null });
  const exp = (over: Partial<Parameters<typeof assess>[0]> = {}): Parameters<typeof assess>[0] => ({
    variants: [v("control", true), v("b")], state: { estimate: null, min_p: {}, verdicts: {}, decided_at: {}, guardrail_stops: {} },
    status: "running", alpha: 0.05, mde: 0.1, windowDays: 7, durationDays: 30, sampleSize: null, startedAt: 0, enrolmentEndedAt: null, ...over,
  });
  const counts = (variant: string, measured: number, successes: number, extra: Partial<VariantCounts> = {}): VariantCounts => ({ ...emptyCounts(variant), exposures: measured, measured, successes, ...extra });
  /** The mixture likelihood ratio written out again from the paper's formula (not stats.ts). */
  const ratio = (a: ArmCounts, b: ArmCounts, tau: number) => {
    const pa = a.successes / a.exposures;
    const pb = b.successes / b.exposures;
    const V = (pa * (1 - pa)) / a.exposures + (pb * (1 - pb)) / b.exposures;
    return Math.sqrt(V / (V + tau * tau)) * Math.exp((tau * tau * (pb - pa) ** 2) / (2 * V * (V + tau * tau)));
  };

  it("rates and intervals count only measured debtors; the p-value is the mixture SPRT's at alpha / (variants - 1)", () => {
    const a = assess(exp(), [counts("control", 200, 60, { exposures: 260 }), counts("b", 200, 90, { exposures: 250 })], 10 * DAY);
    const b = a.variants[1];
    expect(a.variants[0]).toMatchObject({ exposures: 260, measured: 200, waiting: 60, rate: 0.3 });
    expect(b).toMatchObject({ rate: 0.45, waiting: 50 });
    const s = summarize({ exposures: 200, successes: 90 });
    expect(b?.interval?.[0]).toBeCloseTo(s.interval[0], 4);
    expect(b?.vs_control?.p_value).toBeCloseTo(Math.min(1, 1 / ratio({ exposures: 200, successes: 60 }, { exposures: 200, successes: 90 }, 0.1)), 5);
    expect(b?.vs_control?.verdict).toBe("better");
    expect((a.variants[0]?.probability_best ?? 0) + (b?.probability_best ?? 0)).toBeCloseTo(1, 6);
  });

  it("a verdict, once reached, stands; the p-value is the running minimum over the looks", () => {
    const first = assess(exp(), [counts("control", 200, 60), counts("b", 200, 90)], 10 * DAY);
    expect(first.state.verdicts).toEqual({ b: "better" });
    const later = assess(exp({ state: first.state }), [counts("control", 400, 130), counts("b", 400, 135)], 20 * DAY);
    expect(later.variants[1]?.vs_control).toMatchObject({ verdict: "better", p_value: first.variants[1]?.vs_control?.p_value });
    expect(later.state.decided_at.b).toBe(10 * DAY);
    // The reader sees when the test decided: the look of day 10, not the later one.
    expect(later.variants[1]?.vs_control?.decided_at).toBe("1970-01-11T00:00:00.000Z");
  });

  it("a credibly higher complaint rate stops the variant; a lower or equal one never does", () => {
    const g = (n: number) => ({ complaints: n, sms_stops: 0, unsubscribes: 0, disputes: 0 });
    const stop = assess(exp(), [counts("control", 300, 90, { guardrails: g(1) }), counts("b", 300, 90, { guardrails: g(30) })], 10 * DAY);
    expect(stop.stops).toEqual([{ variant: "b", guardrail: "complaints", variantRate: 0.1, controlRate: 1 / 300 }]);
    expect(stop.variants[1]?.guardrails.complaints).toMatchObject({ count: 30, breached: true });
    const calm = assess(exp(), [counts("control", 300, 90, { guardrails: g(30) }), counts("b", 300, 90, { guardrails: g(1) })], 10 * DAY);
    expect(calm.stops).toEqual([]);
  });

  it("enrolment ends at the duration or the sample size; the experiment completes when the last window closed", () => {
    expect(assess(exp(), [counts("control", 10, 1)], 29 * DAY).endEnrolment).toBe(false);
    expect(assess(exp(), [counts("control", 10, 1)], 30 * DAY).endEnrolment).toBe(true);
    expect(assess(exp({ durationDays: null, sampleSize: 100 }), [counts("control", 50, 1), counts("b", 50, 1)], DAY).endEnrolment).toBe(true);
    const measuring = exp({ status: "measuring", enrolmentEndedAt: 30 * DAY });
    expect(assess(measuring, [], 36 * DAY).complete).toBe(false);
    expect(assess(measuring, [], 37 * DAY).complete).toBe(true);
  });

  it("recommends in plain words: too early, a winner to promote, a stopped variant, more help asked", () => {
    const early = assess(exp(), [counts("control", 0, 0, { exposures: 12 }), counts("b", 0, 0, { exposures: 11 })], DAY);
    expect(recommendation({ id: "exp_x", status: "running", windowDays: 7, promotedVariant: null, state: early.state }, early.variants, 20)).toContain("Too early to tell: none of the 23 debtors");
    const won = assess(exp(), [counts("control", 200, 60), counts("b", 200, 90, { help: 20 })], 10 * DAY);
    const text = recommendation({ id: "exp_x", status: "running", windowDays: 7, promotedVariant: null, state: won.state }, won.variants, null);
    expect(text).toContain('Variant "b" does better than the control: 45% paid in full or agreed an arrangement within 7 days, against 30%');
    expect(text).toContain('POST /v1/experiments/exp_x/promote {"variant": "b"}');
    expect(text).toContain('"b" led more people to ask for help: that counts as good');
  });
});

describe("help-first variants", () => {
  const control = defaultCopy("reminder-gentle", "nl-NL");
  it("may add help and take pressure away, nothing else", () => {
    expect(helpFirstProblems(control, { ...control, intro: `${control.intro} Wilt u praten? Wij helpen u graag.` }, "nl-NL")).toEqual([]);
    expect(helpFirstProblems(control, { ...control, body: [...control.body, "Betaal vandaag nog!"] }, "nl-NL")).toEqual([
      expect.stringContaining("pressure words"), expect.stringContaining("exclamation marks"),
    ]);
    expect(helpFirstProblems(control, { ...control, subject: "{{shop_name}}: {{amount}} voor {{due_date}}" }, "nl-NL").join(" ")).toMatch(/names the amount .* names the due date|names the due date/);
    const noHelp = { ...control, subject: "{{shop_name}}", preheader: "", heading: "Betaling", intro: "Er staat een factuur open.", body: [], sms: "{{shop_name}}: een bericht." };
    expect(helpFirstProblems(control, noHelp, "nl-NL")).toEqual([expect.stringContaining("offers less help")]);
  });
});
