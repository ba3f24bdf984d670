import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chooseChannels,
  COST_FLOOR_EURO,
  INTRUSIVENESS,
  updateStats,
  type ChannelChoiceInput,
  type ChannelStats,
} from "../workers/policy/channel-mix";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { CHANNELS, type Channel } from "../workers/policy/policy-schema";
import { createRng, sampleBeta, sampleGamma } from "../workers/policy/random";
import { assertProperty } from "./property";

const costsCents = DEFAULT_POLICY.channel_costs_cents;
// Tenant-wide outcomes for the segment: thousands of contacts, email and letter about equal.
const priors: Partial<Record<Channel, ChannelStats>> = {
  email: { successes: 3_000, trials: 10_000 },
  sms: { successes: 2_000, trials: 10_000 },
  letter: { successes: 3_500, trials: 10_000 },
};
const base: ChannelChoiceInput = { candidates: ["email", "sms", "letter"], maxChannels: 1, priors, history: {}, costsCents, blocked: [], seed: "s" };
const letterShare = (input: Omit<ChannelChoiceInput, "seed">, runs = 1_000) => {
  let letters = 0;
  for (let i = 0; i < runs; i++) if (chooseChannels({ ...input, seed: `debtor-42/${i}` }).chosen[0] === "letter") letters++;
  return letters / runs;
};

describe("choosing channels by Thompson sampling", () => {
  it("gives the same choice and draws for the same seed, and other draws for another", () => {
    expect(chooseChannels({ ...base, seed: "tenant/debtor/step" })).toEqual(chooseChannels({ ...base, seed: "tenant/debtor/step" }));
    const a = chooseChannels({ ...base, seed: "a" }).scores.map((s) => s.sampled);
    const b = chooseChannels({ ...base, seed: "b" }).scores.map((s) => s.sampled);
    expect(a).not.toEqual(b);
  });

  it("gets a letter early to a debtor who paid only after letters, against the tenant-wide average", () => {
    const history = { email: { successes: 0, trials: 6 }, sms: { successes: 0, trials: 2 }, letter: { successes: 3, trials: 3 } };
    const withHistory = letterShare({ ...base, history });
    const without = letterShare(base);
    expect(withHistory).toBeGreaterThan(0.75);
    // The same priors alone rarely justify EUR 1.20 for a letter: the debtor's history decides.
    expect(without).toBeLessThan(0.1);
  });

  it("starts a new shop on its ladder's order: no outcomes yet, email before SMS and letter, whatever the seed", () => {
    const fresh = { ...base, priors: {} };
    for (const seed of ["a", "b", "c", "d"]) expect(chooseChannels({ ...fresh, seed }).chosen).toEqual(["email"]);
  });

  it("takes an untried channel to work as well as the segment's others, and a few outcomes at their mean", () => {
    // 3 of 10 emails worked; SMS untried: both 4/12 = 0.333 after the +1/+2 of the pooled rate vs
    // the email's own (1 + 3) / (2 + 10): a tie at the cost floor goes to the gentler email.
    const few = { ...base, priors: { email: { successes: 3, trials: 10 } } };
    const { chosen, scores } = chooseChannels(few);
    expect(chosen).toEqual(["email"]);
    expect(scores.find((s) => s.channel === "sms")?.sampled).toBeCloseTo(4 / 12, 12);
    expect(scores.find((s) => s.channel === "email")?.sampled).toBeCloseTo(4 / 12, 12);
    // After this debtor ignored an email, the untried SMS is worth a try; a letter is not yet.
    expect(chooseChannels({ ...few, history: { email: { successes: 0, trials: 1 } } }).chosen).toEqual(["sms"]);
  });

  it("keeps a channel's draw when other candidates are blocked or added", () => {
    const all = chooseChannels({ ...base, candidates: [...CHANNELS] }).scores.find((s) => s.channel === "sms");
    const one = chooseChannels({ ...base, candidates: ["sms"], blocked: ["email"] }).scores.find((s) => s.channel === "sms");
    expect(one?.sampled).toBe(all?.sampled);
  });

  it("scores a free banner at the cost floor, not infinitely", () => {
    const { scores } = chooseChannels({ ...base, candidates: ["banner"] });
    expect(scores[0]?.costCents).toBe(0);
    expect(scores[0]?.score).toBeCloseTo((scores[0]?.sampled ?? 0) / COST_FLOOR_EURO, 12);
  });

  it("explains exclusions and chooses nothing when nothing is left", () => {
    const result = chooseChannels({ ...base, maxChannels: 3, blocked: ["email", "sms"], allowedMaxIntrusiveness: INTRUSIVENESS.sms });
    expect(result.chosen).toEqual([]);
    const [email, sms, letter] = result.scores.map((s) => s.excluded ?? "");
    expect(email).toMatch(/^blocked/);
    expect(sms).toMatch(/^blocked/);
    expect(letter).toBe("too intrusive for this debtor (letter is 3, the cap is 2)");
  });

  it("never chooses a blocked channel nor one above the intrusiveness cap (property)", () => {
    const stats = fc.record({ successes: fc.integer({ min: -5, max: 500 }), trials: fc.integer({ min: -5, max: 500 }) });
    const statsByChannel = fc.dictionary(fc.constantFrom(...CHANNELS), stats) as fc.Arbitrary<Partial<Record<Channel, ChannelStats>>>;
    const cost = fc.integer({ min: 0, max: 1_000 });
    const inputArb = fc.record({
      candidates: fc.array(fc.constantFrom(...CHANNELS), { maxLength: 7 }),
      maxChannels: fc.integer({ min: 0, max: 3 }),
      priors: statsByChannel,
      history: statsByChannel,
      costsCents: fc.record({ email: cost, letter: cost, sms: cost, banner: cost, call: cost }),
      blocked: fc.subarray([...CHANNELS]),
      allowedMaxIntrusiveness: fc.option(fc.integer({ min: -1, max: 4 }), { nil: undefined }),
      seed: fc.string(),
    });
    // The cases that choose something are the ones that could choose wrongly.
    assertProperty(inputArb, 0.15, (input, reached) => {
      const { chosen, scores } = chooseChannels(input);
      const cap = input.allowedMaxIntrusiveness ?? Number.POSITIVE_INFINITY;
      const eligible = new Set(input.candidates.filter((c) => !input.blocked.includes(c) && INTRUSIVENESS[c] <= cap));
      if (chosen.length > 0) reached();
      expect(new Set(chosen).size).toBe(chosen.length);
      expect(chosen.length).toBe(Math.min(input.maxChannels, eligible.size));
      for (const c of chosen) {
        expect(input.blocked).not.toContain(c);
        expect(INTRUSIVENESS[c]).toBeLessThanOrEqual(cap);
      }
      for (const s of scores) {
        expect(s.sampled).toBeGreaterThanOrEqual(0);
        expect(s.sampled).toBeLessThanOrEqual(1);
        expect(Number.isFinite(s.score)).toBe(true);
        expect(s.excluded === undefined).toBe(eligible.has(s.channel));
      }
    });
  });

  it("records outcomes without touching the input", () => {
    const before = { email: { successes: 1, trials: 4 } };
    const after = updateStats(updateStats(before, "email", true), "letter", false);
    expect(after).toEqual({ email: { successes: 2, trials: 5 }, letter: { successes: 0, trials: 1 } });
    expect(before).toEqual({ email: { successes: 1, trials: 4 } });
  });
});

describe("seeded sampling", () => {
  const meanOf = (draw: () => number, n = 20_000) => {
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      sum += x;
      sq += x * x;
    }
    return { mean: sum / n, variance: sq / n - (sum / n) ** 2 };
  };

  it("repeats a stream for a seed and stays in [0, 1)", () => {
    const a = createRng("kindly");
    const b = createRng("kindly");
    const xs = Array.from({ length: 1_000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(createRng("kindlz")()).not.toBe(createRng("kindly")());
  });

  it.each([
    [2, 5],
    [30, 70],
    [0.5, 0.5],
    [0.1, 0.3],
  ])("draws Beta(%d, %d) with the right mean and variance", (alpha, beta) => {
    const rng = createRng(`beta-${alpha}-${beta}`);
    const { mean, variance } = meanOf(() => sampleBeta(rng, alpha, beta));
    const n = alpha + beta;
    expect(mean).toBeCloseTo(alpha / n, 2);
    expect(variance).toBeCloseTo((alpha * beta) / (n * n * (n + 1)), 2);
  });

  it("draws Gamma with mean equal to the shape, also below 1", () => {
    for (const shape of [0.3, 1, 4.5]) {
      const rng = createRng(`gamma-${shape}`);
      expect(Math.abs(meanOf(() => sampleGamma(rng, shape)).mean - shape)).toBeLessThan(0.05 * Math.max(1, shape));
    }
  });

  it("refuses shapes that are not positive", () => {
    expect(() => sampleBeta(createRng("x"), 0, 1)).toThrow(RangeError);
    expect(() => sampleBeta(createRng("x"), 1, Number.NaN)).toThrow(RangeError);
  });
});
