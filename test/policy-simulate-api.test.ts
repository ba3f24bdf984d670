/**
 * POST /v1/policy/simulate as a shop uses it: try a candidate policy against the live one on the
 * same simulated debtors, on a population of its own, fitted from its history, or the example;
 * every mistake named; bounded in size.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import example from "../sim/populations/example.json";
import { call, newTenant } from "./helpers";

interface Row {
  invoices: number;
  paid: number;
  cost_per_paid_eur: number | null;
  letters_per_1000: number;
  sms_per_1000: number;
}
interface Headline {
  gap_closed: { cost_per_paid: number | null; paid: number | null };
  policies: { fixed: Row; kindly: Row; oracle: Row };
  hard_limit_violations: number;
  markdown: string;
}
interface Simulation {
  population: { name: string; source: string; personas: { key: string; share: number }[] };
  debtors: number;
  current: Headline & { version: number };
  candidate: Headline;
}
interface Problem {
  status: number;
  errors?: { field: string; message: string }[];
}

/** The default policy without any channel choice: every reminder by email, the bol.com way. */
const emailOnly = (() => {
  const p = structuredClone(DEFAULT_POLICY);
  for (const ladder of Object.values(p.ladders)) {
    for (const step of ladder.steps) {
      if (step.channels === "auto") {
        step.channels = ["email"];
        delete step.auto_candidates;
      }
    }
  }
  return p;
})();

const simulate = (key: string, body: Record<string, unknown>) => call(key, "POST", "/v1/policy/simulate", body);

// Each call simulates two policies three ways: a few seconds on a busy machine.
describe("POST /v1/policy/simulate", { timeout: 60_000 }, () => {
  it("compares the live policy with a candidate on the same debtors and draws", async () => {
    const t = await newTenant();
    const small = { ...example, personas: example.personas.slice(0, 4) };
    const res = await simulate(t.key, { policy: emailOnly, population: small, debtors: 150, seed: "api" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Simulation;
    expect(body.population).toMatchObject({ source: "request", name: example.name });
    expect(body.population.personas.map((p) => p.key)).toEqual(["forgets", "payday", "letter_payer", "digital_only"]);
    expect(body.current.version).toBe(0);
    // The fixed ladder is the same under both (same debtors, draws and prices): a fair comparison.
    expect(body.candidate.policies.fixed).toEqual(body.current.policies.fixed);
    // The candidate never chooses a channel, so its reminders stay on email: fewer SMS than the adaptive live policy.
    expect(body.candidate.policies.kindly.sms_per_1000).toBeLessThan(body.current.policies.kindly.sms_per_1000);
    expect(body.current.hard_limit_violations).toBe(0);
    expect(body.candidate.hard_limit_violations).toBe(0);
    expect(body.current.markdown).toContain("| Kindly (adaptive) |");
  });

  it("fits the population from the shop's own outcome history, one persona per segment", async () => {
    const t = await newTenant();
    const now = Date.now();
    const stats = [
      ["first_time_late_nl", "email", 300, 500],
      ["first_time_late_nl", "letter", 40, 100],
      ["often_late_nl", "email", 20, 200],
      ["often_late_nl", "letter", 60, 100],
    ] as const;
    const statements = stats.map(([segment, channel, successes, trials]) =>
      env.DB.prepare("INSERT INTO channel_stats (tenant_id, segment, channel, successes, trials) VALUES (?, ?, ?, ?, ?)").bind(t.id, segment, channel, successes, trials),
    );
    for (let i = 0; i < 6; i++) {
      const segment = i < 4 ? "first_time_late_nl" : "often_late_nl";
      statements.push(env.DB.prepare("INSERT INTO outcome_events (id, tenant_id, debtor_id, invoice_id, type, occurred_at, data) VALUES (?, ?, ?, NULL, 'reminder.decided', ?, ?)").bind(`ev_${t.id}_${i}`, t.id, `d${i}`, now - 86_400_000, JSON.stringify({ segment })));
    }
    await env.DB.batch(statements);
    const res = await simulate(t.key, { policy: DEFAULT_POLICY, debtors: 100 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Simulation;
    expect(body.population.source).toBe("history");
    // Shares: the debtors the policy placed in each segment this year (in the policy's order).
    expect(body.population.personas).toEqual([
      { key: "often_late_nl", share: 2 },
      { key: "first_time_late_nl", share: 4 },
    ]);
  });

  it("uses the example population while the shop has too little history", async () => {
    const t = await newTenant();
    const res = await simulate(t.key, { policy: DEFAULT_POLICY, debtors: 60 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Simulation;
    expect(body.population.source).toBe("example");
    expect(body.current.policies.kindly.invoices).toBeGreaterThan(60);
  });

  it("names every problem in the policy and the population, and refuses more than 2,000 debtors", async () => {
    const t = await newTenant();
    const badPolicy = { ...DEFAULT_POLICY, contact_budget: { max_per_week: 9, min_hours_between: 48 } };
    const badPopulation = { ...example, personas: [{ ...example.personas[0], share: -1 }] };
    let res = await simulate(t.key, { policy: badPolicy, debtors: 60 });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).errors?.map((e) => e.field)).toContain("policy.contact_budget.max_per_week");
    res = await simulate(t.key, { policy: DEFAULT_POLICY, population: badPopulation, debtors: 60 });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).errors?.map((e) => e.field)).toContain("population.personas.0.share");
    res = await simulate(t.key, { policy: DEFAULT_POLICY, debtors: 2_001 });
    expect(res.status).toBe(422);
    expect(((await res.json()) as Problem).errors?.map((e) => e.field)).toContain("debtors");
    expect((await call(null, "POST", "/v1/policy/simulate", { policy: DEFAULT_POLICY })).status).toBe(401);
  });
});
