import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { parsePolicy, type TenantPolicyInput } from "../workers/policy/policy-schema";
import { chooseSegment, type SegmentFacts } from "../workers/policy/segments";

const copy = (): TenantPolicyInput => structuredClone(DEFAULT_POLICY);
const fieldsOf = (input: unknown) => {
  const result = parsePolicy(input);
  if (result.ok) throw new Error("expected the policy to be rejected");
  return result.problems.map((p) => p.field);
};

describe("the tenant policy schema", () => {
  it("accepts the default policy unchanged", () => {
    const result = parsePolicy(structuredClone(DEFAULT_POLICY));
    expect(result).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });

  it("fills in the lawful defaults a tenant leaves out", () => {
    const input: Record<string, unknown> = { ...copy(), contact_budget: { min_hours_between: 24 }, costs: {} };
    delete input.already_paid_pause_days;
    delete input.debt_counselling_stop_days;
    const result = parsePolicy(input);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.policy.contact_budget.max_per_week).toBe(2);
    expect(result.policy.already_paid_pause_days).toBe(7);
    expect(result.policy.debt_counselling_stop_days).toBe(240);
    expect(result.policy.costs).toEqual({ nl_bik_enabled: false, be_damages_enabled: false, be_later_reminder_fee_cents: 0, vat_on_costs: false });
  });

  it("names every problem of a bad policy at once, each at its dotted path", () => {
    const bad = copy();
    const ladders = bad.ladders;
    const [nl, gentle, oftenLate] = [ladders.standard_nl, ladders.gentle, ladders.often_late_nl];
    if (!nl || !gentle || !oftenLate) throw new Error("default ladders missing");
    bad.segments[0] = { ...bad.segments[0]!, ladder: "no_such_ladder" };
    bad.segments[bad.segments.length - 1] = { key: "standard", when: [{ fact: "country", equals: "NL" }], ladder: "standard_nl" };
    nl.steps[2] = { ...nl.steps[2]!, channels: ["email", "email"] };
    nl.steps[3] = { ...nl.steps[3]!, channels: ["fax"] } as unknown as (typeof nl.steps)[number];
    gentle.steps[1] = { ...gentle.steps[1]!, key: "reminder_1" };
    delete oftenLate.steps[2]!.auto_candidates;
    ladders.emails_only = {
      steps: [
        { key: "r1", kind: "reminder", offset_days: 3, from: "due_date", channels: ["email"], tone: "friendly", template: "reminder-friendly" },
        { key: "handover", kind: "handover_ready", offset_days: 14, from: "previous_step", channels: ["banner"], tone: "clear", template: "handover-ready" },
      ],
    };
    bad.costs = { ...bad.costs, be_later_reminder_fee_cents: 1_000 };
    bad.quiet_hours_override = { start_hour: 22, end_hour: 6 };
    bad.contact_budget = { max_per_week: 9, min_hours_between: 48 };
    const withTypo = { ...bad, sms_segments: 3 };

    expect(fieldsOf(withTypo).sort()).toEqual(
      [
        "segments.0.ladder",
        `segments.${bad.segments.length - 1}.when`,
        "ladders.standard_nl.steps.2.channels",
        "ladders.standard_nl.steps.3.channels.0",
        "ladders.gentle.steps.1.key",
        "ladders.often_late_nl.steps.2.auto_candidates",
        "ladders.emails_only.steps.1.kind",
        "costs.be_later_reminder_fee_cents",
        "quiet_hours_override.start_hour",
        "quiet_hours_override.end_hour",
        "contact_budget.max_per_week",
        "sms_segments",
      ].sort(),
    );
  });

  it("explains each problem in words", () => {
    const bad = copy();
    bad.costs = { ...bad.costs, be_later_reminder_fee_cents: 751 };
    const result = parsePolicy({ ...bad, debt_counselling_stop_days: 10 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.find((p) => p.field === "costs.be_later_reminder_fee_cents")?.message).toContain("EUR 7.50");
    expect(result.problems.map((p) => p.field)).toContain("debt_counselling_stop_days");
  });

  it("refuses collection costs without a 14-day letter", () => {
    const bad = copy();
    for (const ladder of Object.values(bad.ladders)) {
      ladder.steps = ladder.steps.map((s) => (s.kind === "nl_fourteen_day_letter" ? { ...s, kind: "reminder" } : s));
    }
    bad.costs = { ...bad.costs, nl_bik_enabled: true };
    expect(fieldsOf(bad)).toEqual(["costs.nl_bik_enabled"]);
  });

  it("refuses a ladder that runs backwards in time or a pre-due nudge that is not first", () => {
    const bad = copy();
    const steps = bad.ladders.standard_nl!.steps;
    steps[2] = { ...steps[2]!, from: "due_date", offset_days: 1 };
    bad.ladders.standard_be!.steps.reverse();
    const fields = fieldsOf(bad);
    expect(fields).toContain("ladders.standard_nl.steps.2.offset_days");
    expect(fields).toContain("ladders.standard_be.steps.0.from");
    expect(fields).toContain("ladders.standard_be.steps.7.kind");
  });

  it("refuses a step whose template the registry does not know, naming the known ones", () => {
    const bad = copy();
    bad.ladders.standard_nl!.steps[1] = { ...bad.ladders.standard_nl!.steps[1]!, template: "reminder-frendly" };
    const result = parsePolicy(bad);
    expect(result.ok).toBe(false);
    const problem = result.ok ? undefined : result.problems.find((p) => p.field === "ladders.standard_nl.steps.1.template");
    expect(problem?.message).toMatch(/Unknown template "reminder-frendly"\. Use one of: pre-due-nudge, reminder-friendly/);
  });

  it("accepts stricter quiet hours and rejects a non-object", () => {
    expect(parsePolicy({ ...copy(), quiet_hours_override: { start_hour: 19, end_hour: 9 } }).ok).toBe(true);
    expect(fieldsOf("policy")).toEqual([""]);
  });
});

describe("segments", () => {
  const facts = (over: Partial<SegmentFacts>): SegmentFacts => ({
    late_payments_12m: 1, total_outstanding_cents: 4_000, hardship_flag: false, vulnerable_flag: false, country: "NL", first_invoice: false, ...over,
  });

  it("puts a vulnerable debtor in the gentle segment before any other, and says why", () => {
    const { segment, matched } = chooseSegment(DEFAULT_POLICY, facts({ vulnerable_flag: true, late_payments_12m: 5, total_outstanding_cents: 90_000 }));
    expect(segment.key).toBe("vulnerable");
    expect(segment.ladder).toBe("gentle");
    expect(matched).toEqual(["vulnerable flag is set"]);
  });

  it("sends often-late, high-amount, first-time-late and other debtors to their own ladders", () => {
    expect(chooseSegment(DEFAULT_POLICY, facts({ late_payments_12m: 3, country: "BE" })).segment.ladder).toBe("often_late_be");
    const high = chooseSegment(DEFAULT_POLICY, facts({ total_outstanding_cents: 50_000 }));
    expect(high.segment.ladder).toBe("high_amount_nl");
    expect(high.matched).toEqual(["total outstanding EUR 500.00 >= EUR 500.00", "country is NL"]);
    expect(chooseSegment(DEFAULT_POLICY, facts({ late_payments_12m: 0 })).segment.tone_override).toBe("friendly");
    expect(chooseSegment(DEFAULT_POLICY, facts({ country: "BE" })).segment.ladder).toBe("standard_be");
    expect(chooseSegment(DEFAULT_POLICY, facts({})).matched).toEqual(["catch-all segment: no conditions"]);
  });
});
