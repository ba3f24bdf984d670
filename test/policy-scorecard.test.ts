import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { parsePolicy, type TenantPolicy, type TenantPolicyInput } from "../workers/policy/policy-schema";
import { scorePolicy, type Criterion, type Scorecard } from "../workers/policy/scorecard";

const criteriaOf = (card: Scorecard) => card.themes.flatMap((t) => t.criteria);
const criterion = (card: Scorecard, key: string): Criterion => {
  const found = criteriaOf(card).find((c) => c.key === key);
  if (!found) throw new Error(`no criterion ${key}`);
  return found;
};
/** A policy derived from the default; it must still pass the schema, a scorecard never sees raw JSON. */
const variant = (change: (p: TenantPolicyInput) => void): TenantPolicy => {
  const input: TenantPolicyInput = structuredClone(DEFAULT_POLICY);
  change(input);
  const result = parsePolicy(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.policy;
};

describe("the meetlat scorecard", () => {
  const card = scorePolicy(DEFAULT_POLICY);

  it("follows the meetlat: four themes, over twenty distinct criteria, each with its three positions in words", () => {
    expect(card.themes.map((t) => t.theme)).toEqual(["vision", "policy", "execution", "preconditions"]);
    const all = criteriaOf(card);
    const keys = all.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(20);
    for (const theme of card.themes) expect(theme.criteria.length).toBeGreaterThanOrEqual(3);
    for (const c of all) {
      for (const level of ["laggard", "on_the_way", "frontrunner"] as const) expect(c.positions[level].length, `${c.key} ${level}`).toBeGreaterThan(20);
      expect(new Set(Object.values(c.positions)).size, c.key).toBe(3);
      expect(["low", "medium", "high"]).toContain(c.action.feasibility);
      expect(["low", "medium", "high"]).toContain(c.action.social_impact);
    }
    expect(card.graded_count + card.self_assessed_count).toBe(all.length);
  });

  it("scores the default policy frontrunner on every criterion graded from the policy", () => {
    const policyGraded = criteriaOf(card).filter((c) => c.basis === "setting" && c.reads.every((r) => r.startsWith("policy.")));
    expect(policyGraded.length).toBeGreaterThanOrEqual(12);
    for (const c of policyGraded) {
      expect({ key: c.key, level: c.level, to_improve: c.to_improve }).toEqual({ key: c.key, level: "frontrunner", to_improve: null });
    }
  });

  it("says honestly where Kindly's own code falls short, and what the shop must fill in", () => {
    // Built in: graded by what the code does today, naming that code.
    expect(criterion(card, "crossed_payment_wording")).toMatchObject({ basis: "built_in", level: "frontrunner" });
    expect(criterion(card, "crossed_payment_wording").why).toContain("never that line");
    expect(criterion(card, "plain_language").why).toContain("npm run readability");
    expect(criterion(card, "minimal_handover_data").why).not.toMatch(/carries[^.;]*name, address/);
    for (const c of criteriaOf(card).filter((x) => x.basis === "built_in")) expect(c.reads.length, c.key).toBeGreaterThan(0);
    // Account settings an empty profile lacks.
    expect(criterion(card, "reachability")).toMatchObject({ level: "laggard", to_improve: expect.stringContaining("service.phone") });
    expect(criterion(card, "payment_options").level).toBe("laggard");
  });

  it("marks what Kindly cannot observe as self-assessed, never graded, with the step that moves a tenant up", () => {
    const outside = criteriaOf(card).filter((c) => !c.influenced_by_kindly);
    expect(outside.map((c) => c.key).sort()).toEqual(["chain_agreements", "complaints", "customer_value", "prevention", "staff_training", "vision_on_debt"]);
    for (const c of outside) {
      expect(c.basis).toBe("self_assessed");
      expect(c.level).toBeNull();
      expect(c.reads).toEqual([]);
      expect(c.to_improve?.length).toBeGreaterThan(40);
    }
  });

  it("never grades a setting nothing reads", () => {
    const reads = criteriaOf(card).flatMap((c) => c.reads).join(" ");
    expect(reads).not.toContain("offer_help_from_step");
    expect(reads).not.toContain("vat_on_costs");
    const withVat = scorePolicy(variant((p) => void (p.costs = { ...p.costs, vat_on_costs: true })));
    const withLateHelp = scorePolicy(variant((p) => void (p.help = { offer_help_from_step: 6 })));
    expect(withVat).toEqual(card);
    expect(withLateHelp).toEqual(card);
  });

  it("marks a harsh policy laggard on the criteria it breaks, with the concrete change", () => {
    const harsh = variant((p) => {
      p.segments = p.segments.filter((s) => !["vulnerable", "hardship"].includes(s.key));
      p.contact_budget = { max_per_week: 5, min_hours_between: 12 };
      p.debt_counselling_stop_days = 60;
      p.arrangements = { ...p.arrangements, enabled: false };
      p.payment_date = { ...p.payment_date, max_days_after_due: 0, align_to_payday: false };
      p.costs = { nl_bik_enabled: true, be_damages_enabled: true, be_later_reminder_fee_cents: 750, vat_on_costs: true };
      p.help = { offer_help_from_step: 6 };
    });
    const scored = scorePolicy(harsh);
    const expectations: [string, string][] = [
      ["contact_budget", "Set contact_budget.max_per_week to 2 or lower; Set contact_budget.min_hours_between to 48"],
      ["debt_counselling_stop", "Set debt_counselling_stop_days to 240 (8 months, NVVK covenant) or more"],
      ["arrangements", "Set arrangements.enabled to true"],
      ["hardship_segment", 'Add a segment with when [{ "fact": "hardship_flag", "equals": true }] on a gentle ladder, listed first'],
      ["vulnerable_protected", 'Add a segment with when [{ "fact": "vulnerable_flag", "equals": true }] on a gentle ladder, listed first'],
    ];
    for (const [key, fix] of expectations) {
      expect(criterion(scored, key)).toMatchObject({ level: "laggard", to_improve: fix });
    }
    expect(criterion(scored, "payment_date_choice").to_improve).toBe(
      "Set payment_date.max_days_after_due to 30 (always contains a payday); Set payment_date.align_to_payday to true",
    );
    expect(criterion(scored, "costs").level).toBe("laggard");
    expect(criterion(scored, "free_interim_reminder")).toMatchObject({ level: "on_the_way", to_improve: "Set costs.be_later_reminder_fee_cents to 0" });
    expect(criterion(scored, "quiet_hours").level).toBe("frontrunner");
    expect(scored.overall).toBe("laggard");
  });

  it("sees a vulnerable ladder that can hand over, and a hardship segment that comes too late", () => {
    const scored = scorePolicy(
      variant((p) => {
        const [vulnerable, hardship, ...rest] = p.segments;
        if (!vulnerable || !hardship) throw new Error("default segments changed");
        p.segments = [{ ...vulnerable, ladder: "standard_nl", tone_override: undefined }, ...rest.slice(0, 1), hardship, ...rest.slice(1)];
      }),
    );
    const vulnerable = criterion(scored, "vulnerable_protected");
    expect(vulnerable.level).toBe("laggard");
    expect(vulnerable.to_improve).toContain('Remove the handover_ready step from ladder "standard_nl"');
    expect(vulnerable.to_improve).toContain('Remove call steps from ladder "standard_nl"');
    expect(criterion(scored, "hardship_segment")).toMatchObject({ level: "on_the_way", to_improve: 'Move segment "hardship" above "often_late_nl" (the first matching segment wins)' });
  });

  it("asks for a call, more channels, learning and friendly openings where a ladder lacks them", () => {
    const scored = scorePolicy(
      variant((p) => {
        const nl = p.ladders.standard_nl!;
        nl.steps = nl.steps.filter((s) => s.kind !== "call_task" && s.key !== "reminder_sms" && s.key !== "reminder_2");
        for (const ladder of Object.values(p.ladders)) {
          ladder.steps = ladder.steps.map((s) => (s.channels === "auto" ? { ...s, channels: ["email"], auto_candidates: undefined } : s));
        }
      }),
    );
    expect(criterion(scored, "call_before_handover")).toMatchObject({
      level: "on_the_way", to_improve: 'Add a call_task step (channels ["call"]) before handover_ready in ladder "standard_nl"',
    });
    expect(criterion(scored, "channels_before_handover")).toMatchObject({
      level: "on_the_way", to_improve: 'Use at least three channels (email, letter, sms) before handover_ready in ladder "standard_nl"',
    });
    expect(criterion(scored, "learning_channel_mix").level).toBe("laggard");
    expect(criterion(scored, "free_interim_reminder").to_improve).toContain('ladder "standard_nl"');
    // Without reminder 2 the neutral 14-day letter is the second message; first-time-late debtors
    // keep friendly wording through their tone_override, so only the plain NL segment is named.
    expect(criterion(scored, "friendly_tone")).toMatchObject({ level: "on_the_way", to_improve: 'Make the first two steps of ladder "standard_nl" tone "friendly"' });
  });
});
