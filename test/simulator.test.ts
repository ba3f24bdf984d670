/**
 * The population simulator: deterministic, its ceiling is a ceiling, Kindly learns what the seed
 * says it should (letters earlier for letter-payers, email stays for email-payers), and no
 * simulated contact breaks a hard limit. Small populations, so the whole file runs in seconds.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { parsePolicy } from "../workers/policy/policy-schema";
import { simulate } from "../sim/index";
import { fitPopulation } from "../sim/fit";
import { checkContact } from "../sim/limits";
import { outcomes } from "../sim/metrics";
import { parsePopulation, type Population, type PopulationInput } from "../sim/population";
import example from "../sim/populations/example.json";
import holdout from "../sim/populations/holdout.json";
import { noChecks, type InvoiceRecord } from "../sim/records";
import { renderReport } from "../sim/report";
import { planNext } from "../workers/policy/engine";
import type { EngineState } from "../workers/policy/engine-types";

type PersonaInput = PopulationInput["personas"][number];

const persona = (key: string, over: Partial<PersonaInput>): PersonaInput => ({
  key,
  share: 1,
  response: { email: 0.3, sms: 0.3, letter: 0.3, call: 0.3 },
  response_delay: { kind: "lognormal", median_days: 1.5, sigma: 0.5 },
  contact_data: { email: 1, phone: 0.9, address: 1 },
  amount: { kind: "lognormal", median_cents: 5000, sigma: 0.5 },
  locales: { "nl-NL": 0.7, "nl-BE": 0.2, "fr-BE": 0.1 },
  late_payments_12m: [0.5, 0.3, 0.2],
  invoices_per_year: 3,
  ...over,
});

function population(input: unknown): Population {
  const parsed = parsePopulation(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.population;
}

const build = (name: string, personas: PersonaInput[]) => population({ name, year: 2026, personas });

// Email is every persona's best channel per euro: SMS and letters work less well, or not at all.
const emailPayers = build("email payers", [
  persona("quick", { share: 3, response: { email: [0.7, 0.6, 0.5], sms: 0.2, letter: 0.3, call: 0.2 } }),
  persona("slow", { share: 2, response: { email: [0.4, 0.35, 0.3], sms: 0.05, letter: 0.15, call: 0.1 } }),
  persona("never", { share: 1, response: { email: 0, sms: 0, letter: 0, call: 0 } }),
]);

// Half the debtors pay only after a letter (seed 002): they should get their letter earlier.
const letterPayers = build("letter payers", [
  persona("letter_payer", { share: 1, response: { email: 0.03, sms: 0.03, letter: [0.8, 0.7, 0.6], call: 0.3 }, invoices_per_year: 5 }),
  persona("email_payer", { share: 1, response: { email: [0.6, 0.5], sms: 0.3, letter: 0.4, call: 0.3 } }),
]);

const run = (p: Population, debtors: number, seed = "test") => simulate({ population: p, policy: DEFAULT_POLICY, debtors, seed });

describe("the population file", () => {
  it("accepts the documented example and the hold-out population", () => {
    expect(parsePopulation(example).ok).toBe(true);
    expect(parsePopulation(holdout).ok).toBe(true);
  });

  it("names every problem at its path", () => {
    const bad = structuredClone(example) as { personas: Record<string, unknown>[] };
    bad.personas[0] = { ...bad.personas[0], share: -1, response: { email: 2, sms: 0.1, letter: 0.1, call: 0.1 } };
    const result = parsePopulation(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(expect.arrayContaining(["personas.0.share", "personas.0.response.email"]));
  });
});

// Whole simulated years: about a second each on an idle machine; generous limits for a busy one.
describe("the simulator", { timeout: 60_000 }, () => {
  it("gives byte-identical reports for the same population, seed and policy, and another for another seed", () => {
    const p = population(example);
    const a = renderReport(run(p, 100, "same").summary);
    const b = renderReport(run(p, 100, "same").summary);
    const c = renderReport(run(p, 100, "other").summary);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a).toContain("## Cost model (rekenmodel) per 10,000 invoices");
  });

  it("keeps every hard limit on every simulated contact, under every policy, also with costs enabled", () => {
    const costs = parsePolicy({ ...DEFAULT_POLICY, costs: { ...DEFAULT_POLICY.costs, nl_bik_enabled: true, be_damages_enabled: true, be_later_reminder_fee_cents: 750 } });
    if (!costs.ok) throw new Error("policy");
    const { summary } = simulate({ population: population(example), policy: costs.policy, debtors: 400, seed: "limits" });
    let contacts = 0;
    let charged = 0;
    for (const limits of Object.values(summary.limits)) {
      contacts += limits.contacts;
      charged += limits.charged;
      expect({ ...limits, contacts: 0, charged: 0 }).toEqual({ contacts: 0, charged: 0, quietHours: 0, budget: 0, costsBeforeTerm: 0, protectedEscalated: 0, afterPaymentKnown: 0 });
    }
    // The checks were reached: thousands of contacts, and steps that charged costs after the term.
    expect(contacts).toBeGreaterThan(2_000);
    expect(charged).toBeGreaterThan(10);
  });

  it("counts a contact in quiet hours, over budget or escalating a protected debtor (the checks can fail)", () => {
    const evening = Date.UTC(2026, 2, 3, 21, 30); // 22:30 in Amsterdam, a Tuesday
    const state: EngineState = {
      country: "NL", timeZone: "Europe/Amsterdam", sendMinute: 0,
      facts: { late_payments_12m: 0, total_outstanding_cents: 5000, hardship_flag: true, vulnerable_flag: false, country: "NL", first_invoice: false },
      openInvoices: [{ id: "i", dueDate: "2026-02-20", outstandingCents: 5000 }],
      position: { ladderKey: null, nextStep: 0, stepsTaken: 0, anchorDueDate: "2026-02-20", lastStepAt: null },
      contacts: [{ at: evening - 3_600_000, channel: "email" }, { at: evening - 7_200_000, channel: "email" }],
      pauses: [], blocked: [], usedChannels: ["email"], history: {}, priors: {},
      legal: { fourteenDayLetterPostedOn: null, beFirstReminder: null, announced: null },
    };
    const plan = planNext({ ...state, contacts: [] }, DEFAULT_POLICY, evening, "s");
    if (plan.kind !== "step") throw new Error("expected a step");
    const checks = noChecks();
    checkContact(checks, { state, policy: DEFAULT_POLICY, plan: { ...plan, costs: { ...plan.costs, chargeableCents: 4000 } }, today: "2026-03-03", now: evening, known: true }, ["letter"]);
    expect(checks).toEqual({ contacts: 0, charged: 1, quietHours: 1, budget: 2, costsBeforeTerm: 1, protectedEscalated: 1, afterPaymentKnown: 1 });
  });

  it("has a ceiling that is one: the oracle chooses the best at every choice point and is not beaten beyond noise", () => {
    for (const p of [population(example), population(holdout), emailPayers]) {
      const { summary, runs } = run(p, 250, "ceiling");
      const o = summary.overall;
      expect(o.oracle.choiceValue).toBeCloseTo(o.oracle.choiceBest ?? Number.NaN, 9);
      expect(o.kindly.choiceValue ?? 0).toBeLessThanOrEqual((o.kindly.choiceBest ?? 0) + 1e-9);
      for (const r of runs.kindly.invoices) expect(r.choiceValue).toBeLessThanOrEqual(r.choiceBest + 1e-9);
      // On outcomes, noise allowed: two standard errors on the paid rate, 5% on cost per paid invoice.
      const se = Math.sqrt((o.oracle.paid * (1 - o.oracle.paid)) / o.oracle.invoices);
      expect(o.oracle.paid).toBeGreaterThanOrEqual(o.kindly.paid - 2 * se);
      expect(o.oracle.paid).toBeGreaterThanOrEqual(o.fixed.paid - 2 * se);
      expect(o.oracle.costPerPaid ?? Infinity).toBeLessThanOrEqual((o.kindly.costPerPaid ?? 0) * 1.05);
    }
  });

  it("converges to the fixed ladder's cost or lower when email is every persona's best channel", () => {
    const { runs } = run(emailPayers, 600, "email");
    // Once it has learned (the second half of the year), its cost per paid invoice is the fixed ladder's or lower.
    const secondHalf = (rs: InvoiceRecord[]) => outcomes(rs.filter((r) => r.month >= 6)).costPerPaid ?? Infinity;
    expect(secondHalf(runs.kindly.invoices)).toBeLessThanOrEqual(secondHalf(runs.fixed.invoices));
    // Its choices come close to the oracle's (email) as it learns: the true value of what it
    // chose, as a share of the best, is higher late in the year than in the first months.
    const share = (rs: InvoiceRecord[]) => rs.reduce((s, r) => s + r.choiceValue, 0) / rs.reduce((s, r) => s + r.choiceBest, 0);
    const early = runs.kindly.invoices.filter((r) => r.month < 2);
    const late = runs.kindly.invoices.filter((r) => r.month >= 6);
    expect(late.reduce((s, r) => s + r.choices, 0)).toBeGreaterThan(300);
    expect(share(late)).toBeGreaterThan(0.9);
    expect(share(late)).toBeGreaterThan(share(early));
  });

  it("sends letter-payers their letter earlier than the fixed ladder, and the report shows it", () => {
    const { summary, runs } = run(letterPayers, 400, "letters");
    const row = summary.personas.find((p) => p.key === "letter_payer");
    if (!row) throw new Error("persona missing");
    const fixedDay = row.rows.fixed.medianFirstLetterDay ?? 0;
    expect(fixedDay).toBeGreaterThan(14); // the bol.com letter is the third reminder, day 17
    // From their second invoice on, most letter-payers get a letter as the first reminder (day 3).
    const repeat = runs.kindly.invoices.filter((r) => r.persona === 0 && r.cycle >= 1 && r.firstLetterDay !== null);
    expect(outcomes(repeat).medianFirstLetterDay ?? Infinity).toBeLessThan(5);
    expect(row.rows.kindly.medianFirstLetterDay ?? Infinity).toBeLessThan(fixedDay - 5);
    expect(row.rows.kindly.paid30).toBeGreaterThan(row.rows.fixed.paid30);
    const line = renderReport(summary).split("\n").find((l) => l.startsWith("| letter_payer |"));
    expect(line).toBe(`| letter_payer | ${fixedDay.toFixed(1)} | ${(row.rows.kindly.medianFirstLetterDay ?? 0).toFixed(1)} | ${(row.rows.oracle.medianFirstLetterDay ?? 0).toFixed(1)} |`);
  });
});

describe("a population fitted from a shop's history", () => {
  it("has one persona per segment with its response rates, placed in that segment by its facts", () => {
    const stats = [
      { segment: "often_late_be", channel: "email" as const, successes: 10, trials: 98 },
      { segment: "often_late_be", channel: "letter" as const, successes: 49, trials: 98 },
      { segment: "standard", channel: "email" as const, successes: 150, trials: 300 },
      { segment: "standard", channel: "sms" as const, successes: 0, trials: 0 },
    ];
    const fitted = fitPopulation(DEFAULT_POLICY, stats, [{ segment: "often_late_be", debtors: 30 }, { segment: "standard", debtors: 70 }], 2026);
    if (!fitted) throw new Error("expected a population");
    const p = population(fitted);
    expect(p.personas.map((x) => [x.key, x.share])).toEqual([["often_late_be", 30], ["standard", 70]]);
    const late = p.personas[0];
    // (successes + 1) / (trials + 2); a channel the segment never used takes the tenant's rate on it.
    expect(late?.response.email).toBeCloseTo(11 / 100, 4);
    expect(late?.response.letter).toBeCloseTo(50 / 100, 4);
    expect(p.personas[1]?.response.letter).toBeCloseTo(50 / 100, 4);
    expect(p.personas[1]?.response.sms).toBeCloseTo(1 / 2, 4);
    // Three late payments in Belgium: the simulated debtors land in often_late_be.
    expect(late?.late_payments_12m).toEqual([0, 0, 0, 1]);
    expect(Object.keys(late?.locales ?? {}).sort()).toEqual(["fr-BE", "nl-BE"]);
    expect(fitPopulation(DEFAULT_POLICY, stats.slice(0, 1), [], 2026)).toBeNull();
  });
});
