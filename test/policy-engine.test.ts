/**
 * Property tests of the policy engine: 1,000 generated cases each (10,000 under
 * `npm run test:deep`). The engine is pure, so each case is a whole debtor state, policy and
 * moment; the invariants are the product's promises.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAllowedContactTime, isPublicHoliday, weekday, type QuietHours } from "../workers/policy/calendar";
import { INTRUSIVENESS } from "../workers/policy/channel-mix";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { nlTermEndForPosting } from "../workers/policy/engine-costs";
import { isContact, planNext } from "../workers/policy/engine";
import type { EngineState, Pause } from "../workers/policy/engine-types";
import { beEarliestCostsDate } from "../workers/policy/law-be";
import { CHANNELS, parsePolicy, type Channel, type TenantPolicy } from "../workers/policy/policy-schema";
import { addDays, localParts } from "../workers/zoned-time";
import { assertProperty } from "./property";

const DAY = 24 * 3600_000;
const WEEK = 7 * DAY;
const T0 = Date.UTC(2025, 0, 1);
const T1 = Date.UTC(2028, 11, 31);
const ZONES = ["Europe/Amsterdam", "Europe/Brussels", "America/Curacao", "Asia/Tokyo"] as const;

// Policies are validated by zod, which is slow next to the engine: build a pool of them once
// (varied budgets, gaps, costs and quiet hours, with a fixed seed) and draw from it per case.
const policyParamsArb = fc.record({
  max: fc.integer({ min: 1, max: 7 }),
  gap: fc.integer({ min: 0, max: 72 }),
  bik: fc.boolean(),
  be: fc.boolean(),
  fee: fc.integer({ min: 0, max: 750 }),
  quiet: fc.option(fc.record({ start_hour: fc.integer({ min: 17, max: 20 }), end_hour: fc.integer({ min: 7, max: 10 }) }), { nil: undefined }),
});
const POLICIES: TenantPolicy[] = fc.sample(policyParamsArb, { numRuns: 64, seed: 20251201 }).map(({ max, gap, bik, be, fee, quiet }) => {
  const parsed = parsePolicy({
    ...DEFAULT_POLICY,
    contact_budget: { max_per_week: max, min_hours_between: gap },
    costs: { ...DEFAULT_POLICY.costs, nl_bik_enabled: bik, be_damages_enabled: be, be_later_reminder_fee_cents: fee },
    ...(quiet ? { quiet_hours_override: quiet } : {}),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
});
const policyArb: fc.Arbitrary<TenantPolicy> = fc.constantFrom(...POLICIES);

const channelsArb = fc.subarray([...CHANNELS]);
const statsArb = fc.dictionary(fc.constantFrom(...CHANNELS), fc.record({ successes: fc.nat(20), trials: fc.nat(40) }).map((s) => ({ successes: Math.min(s.successes, s.trials), trials: s.trials })));
const dayArb = fc.integer({ min: T0, max: T1 }).map((ms) => new Date(ms).toISOString().slice(0, 10));

const caseArb = fc
  .record({
    now: fc.integer({ min: T0, max: T1 }),
    country: fc.constantFrom("NL" as const, "BE" as const),
    tz: fc.constantFrom(...ZONES),
    late: fc.nat(6),
    hardship: fc.boolean(),
    vulnerable: fc.boolean(),
    invoices: fc.array(fc.record({ dueOffset: fc.integer({ min: -60, max: 20 }), cents: fc.integer({ min: 1, max: 500_000 }) }), { minLength: 0, maxLength: 3 }),
    nextStep: fc.nat(8),
    stepsTaken: fc.nat(8),
    ladder: fc.option(fc.constantFrom("standard_nl", "standard_be", "gentle", "often_late_nl"), { nil: null }),
    lastStepAgo: fc.option(fc.integer({ min: 0, max: 30 * DAY }), { nil: null }),
    contactsAgo: fc.array(fc.record({ ago: fc.integer({ min: 0, max: 20 * DAY }), channel: fc.constantFrom(...CHANNELS) }), { maxLength: 6 }),
    pauses: fc.array(
      fc.record({ kind: fc.constantFrom("already_paid", "payment_date", "breathing_space", "dispute", "help") as fc.Arbitrary<Pause["kind"]>, fromAgo: fc.integer({ min: 0, max: 20 * DAY }), len: fc.option(fc.integer({ min: 1, max: 40 * DAY }), { nil: null }) }),
      { maxLength: 2 },
    ),
    blocked: channelsArb,
    used: channelsArb,
    history: statsArb,
    priors: statsArb,
    posted: fc.option(dayArb, { nil: null }),
    beFirst: fc.option(fc.record({ sentOn: dayArb, channel: fc.constantFrom("email" as const, "letter" as const) }), { nil: null }),
    announced: fc.option(fc.record({ cents: fc.integer({ min: 0, max: 700_000 }), coverAll: fc.boolean() }), { nil: null }),
    seed: fc.string({ maxLength: 8 }),
  })
  .map((c): { state: EngineState; now: number; seed: string } => {
    const today = localParts(c.now, c.tz).date;
    const openInvoices = c.invoices.map((i, n) => ({ id: `inv_${n}`, dueDate: addDays(today, i.dueOffset), outstandingCents: i.cents }));
    return {
      now: c.now,
      seed: c.seed,
      state: {
        country: c.country,
        timeZone: c.tz,
        sendMinute: c.late * 17,
        facts: {
          late_payments_12m: c.late,
          total_outstanding_cents: openInvoices.reduce((s, i) => s + i.outstandingCents, 0),
          hardship_flag: c.hardship,
          vulnerable_flag: c.vulnerable,
          country: c.country,
          first_invoice: c.late === 0,
        },
        openInvoices,
        position: {
          ladderKey: c.ladder,
          nextStep: c.nextStep,
          stepsTaken: c.stepsTaken,
          anchorDueDate: openInvoices.map((i) => i.dueDate).sort()[0] ?? today,
          lastStepAt: c.lastStepAgo === null ? null : c.now - c.lastStepAgo,
        },
        contacts: c.contactsAgo.map((x) => ({ at: c.now - x.ago, channel: x.channel })),
        pauses: c.pauses.map((p) => ({ kind: p.kind, from: c.now - p.fromAgo, until: p.len === null ? null : c.now - p.fromAgo + p.len })),
        blocked: c.blocked,
        usedChannels: c.used,
        history: c.history,
        priors: { standard: c.priors, often_late_nl: c.priors, often_late_be: c.priors },
        legal: {
          fourteenDayLetterPostedOn: c.posted,
          beFirstReminder: c.beFirst,
          announced: c.announced ? { cents: c.announced.cents, invoiceIds: openInvoices.filter((_, n) => c.announced?.coverAll || n === 0).map((i) => i.id) } : null,
        },
      },
    };
  });

const overrideOf = (p: TenantPolicy): QuietHours | undefined =>
  p.quiet_hours_override ? { startHour: p.quiet_hours_override.start_hour, endHour: p.quiet_hours_override.end_hour } : undefined;

// 10,000 cases each (npm run test:deep) take a few seconds on a busy 2-core machine: allow them time.
describe("the policy engine (property tests)", { timeout: 120_000 }, () => {
  it("never plans a send when nothing is open (a full payment is known)", () => {
    assertProperty(fc.tuple(caseArb, policyArb), 1, ([{ state, now, seed }, policy], reached) => {
      const plan = planNext({ ...state, openInvoices: [] }, policy, now, seed);
      reached();
      expect(plan.kind).toBe("done");
    });
  });

  it("never plans a contact in quiet hours, on a Sunday or on a public holiday in the debtor's zone", () => {
    assertProperty(fc.tuple(caseArb, policyArb), 0.1, ([{ state, now, seed }, policy], reached) => {
      const plan = planNext(state, policy, now, seed);
      if (plan.kind !== "step" || plan.channels.length === 0) return;
      reached();
      expect(plan.at).toBeGreaterThanOrEqual(now);
      const local = localParts(plan.at, state.timeZone);
      expect(weekday(local.date)).not.toBe(0);
      expect(isPublicHoliday(local.date, state.country)).toBe(false);
      expect(local.hour).toBeGreaterThanOrEqual(7);
      expect(local.hour).toBeLessThan(20);
      expect(isAllowedContactTime(plan.at, state.timeZone, state.country, "message", overrideOf(policy))).toBe(true);
      if (plan.channels.includes("call")) expect(isAllowedContactTime(plan.at, state.timeZone, state.country, "call", overrideOf(policy))).toBe(true);
    });
  });

  it("never exceeds the contact budget, over whole simulated ladders", () => {
    assertProperty(fc.tuple(caseArb, policyArb), 0.3, ([{ state, now, seed }, policy], reached) => {
      // Start from a clean history and play the ladder out, recording every contact made.
      let s: EngineState = { ...state, contacts: [], pauses: [], position: { ...state.position, ladderKey: null, nextStep: 0, stepsTaken: 0, lastStepAt: null } };
      let t = now;
      for (let i = 0; i < 12; i++) {
        const plan = planNext(s, policy, t, seed);
        if (plan.kind !== "step") break;
        t = plan.at;
        const made = plan.channels.filter(isContact).map((channel) => ({ at: t, channel }));
        s = {
          ...s,
          contacts: [...s.contacts, ...made],
          position: { ...s.position, ladderKey: plan.ladderKey, nextStep: plan.stepIndex + 1, stepsTaken: s.position.stepsTaken + 1, lastStepAt: t },
        };
      }
      const times = s.contacts.map((c) => c.at).sort((a, b) => a - b);
      // A ladder of fewer than two contacts cannot break the budget.
      if (times.length < 2) return;
      reached();
      for (const end of times) {
        expect(times.filter((x) => x > end - WEEK && x <= end).length).toBeLessThanOrEqual(policy.contact_budget.max_per_week);
      }
      for (let i = 1; i < times.length; i++) {
        const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
        if (gap > 0) expect(gap).toBeGreaterThanOrEqual(policy.contact_budget.min_hours_between * 3600_000);
      }
    });
  });

  it("never makes costs chargeable before the legal term has passed, nor when the tenant did not enable them", () => {
    assertProperty(fc.tuple(caseArb, policyArb), 0.03, ([{ state, now, seed }, policy], reached) => {
      const plan = planNext(state, policy, now, seed);
      if (plan.kind !== "step" || plan.costs.chargeableCents === 0) return;
      reached();
      const day = localParts(plan.at, state.timeZone).date;
      // Never more than the legal notice announced (plus, in BE, the capped later-reminder fee).
      const fee = state.country === "BE" ? policy.costs.be_later_reminder_fee_cents : 0;
      expect(plan.costs.chargeableCents).toBeLessThanOrEqual((state.legal.announced?.cents ?? 0) + fee);
      if (state.country === "NL") {
        expect(policy.costs.nl_bik_enabled).toBe(true);
        const posted = state.legal.fourteenDayLetterPostedOn;
        expect(posted).not.toBeNull();
        expect(day > nlTermEndForPosting(posted ?? "")).toBe(true);
        expect(plan.step.kind).not.toBe("nl_fourteen_day_letter");
      } else {
        expect(policy.costs.be_damages_enabled || policy.costs.be_later_reminder_fee_cents > 0).toBe(true);
        const first = state.legal.beFirstReminder;
        expect(first).not.toBeNull();
        expect(day >= beEarliestCostsDate(first?.sentOn ?? "", first?.channel ?? "email")).toBe(true);
        expect(plan.step.kind).not.toBe("be_first_reminder");
      }
    });
  });

  it("never escalates a vulnerable or hardship debtor to a costlier or more intrusive channel", () => {
    assertProperty(fc.tuple(caseArb, policyArb), 0.08, ([{ state, now, seed }, policy], reached) => {
      const flagged = { ...state, facts: { ...state.facts, vulnerable_flag: true } };
      const plan = planNext(flagged, policy, now, seed);
      if (plan.kind !== "step" || plan.channels.length === 0) return;
      reached();
      const cap = Math.max(INTRUSIVENESS.email, ...state.usedChannels.map((c) => INTRUSIVENESS[c]));
      const allowed = new Set<Channel>(["banner", "email", ...state.usedChannels]);
      for (const c of plan.channels) {
        expect(allowed.has(c)).toBe(true);
        expect(INTRUSIVENESS[c]).toBeLessThanOrEqual(cap);
      }
    });
  });

  it("never uses a blocked channel (opted out, bounced, returned)", () => {
    assertProperty(fc.tuple(caseArb, policyArb), 0.1, ([{ state, now, seed }, policy], reached) => {
      const plan = planNext(state, policy, now, seed);
      // Only a step that had something blocked to avoid tests anything.
      if (plan.kind !== "step" || state.blocked.length === 0) return;
      reached();
      for (const c of plan.channels) expect(state.blocked).not.toContain(c);
    });
  });
});
