import { describe, expect, it } from "vitest";
import { assignVariant } from "../workers/experiments/assignment";
import { estimateSample, expectedLoss, guardrailBreached, probabilityBeats, probabilityBest, sequentialTest, summarize, type ArmCounts } from "../workers/experiments/stats";
import { createRng, sampleBeta } from "../workers/policy/random";

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
