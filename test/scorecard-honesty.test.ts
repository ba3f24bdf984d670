/**
 * The scorecard credits only what the code does. For every criterion graded from settings, the
 * test moves a setting it names and sees two things move: the grade, and what the product does
 * (the ladder the engine plans, the costs it computes, what the debtor's page offers). A graded
 * criterion without a probe here fails the first test, so a new criterion cannot credit a
 * setting nothing reads.
 */
import { describe, expect, it } from "vitest";
import type { AccountProfile } from "../workers/account-profile";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { announcedCosts, stepCosts } from "../workers/policy/engine-costs";
import { earliestContact, planNext } from "../workers/policy/engine";
import type { EngineState } from "../workers/policy/engine-types";
import { parsePolicy, type TenantPolicy, type TenantPolicyInput } from "../workers/policy/policy-schema";
import { chooseSegment, type SegmentFacts } from "../workers/policy/segments";
import { CRITERIA, type Level, scorecard } from "../workers/policy/scorecard";
import { addDays, localParts, zonedTimeToEpoch } from "../workers/zoned-time";
import { call, DAY, invoiceBody, newDebtorId, newTenant, openDebtorPage, register } from "./helpers";
import { debtorLinkSecret, signDebtorLink } from "../workers/links";
import { env } from "cloudflare:workers";

const TZ = "Europe/Amsterdam";
const NOW = zonedTimeToEpoch("2026-12-01", 13, 0, TZ);

const variant = (change: (p: TenantPolicyInput) => void): TenantPolicy => {
  const input: TenantPolicyInput = structuredClone(DEFAULT_POLICY);
  change(input);
  const result = parsePolicy(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.policy;
};
const levelOf = (key: string, policy: TenantPolicy, profile: AccountProfile = {}, contactEmail: string | null = null): Level | null =>
  scorecard({ policy, profile, contactEmail }).themes.flatMap((t) => t.criteria).find((c) => c.key === key)?.level ?? null;

const FACTS: SegmentFacts = { late_payments_12m: 1, total_outstanding_cents: 9_000, hardship_flag: false, vulnerable_flag: false, country: "NL", first_invoice: false };

function engineState(facts: Partial<SegmentFacts> = {}, extra: Partial<EngineState> = {}): EngineState {
  const f = { ...FACTS, ...facts };
  const dueDate = addDays(localParts(NOW, TZ).date, -3);
  return {
    country: f.country,
    timeZone: TZ,
    sendMinute: 0,
    facts: f,
    openInvoices: [{ id: "inv_1", dueDate, outstandingCents: f.total_outstanding_cents }],
    position: { ladderKey: null, nextStep: 0, stepsTaken: 0, anchorDueDate: dueDate, lastStepAt: null },
    contacts: [],
    pauses: [],
    blocked: [],
    usedChannels: [],
    history: {},
    priors: {},
    legal: { fourteenDayLetterPostedOn: null, beFirstReminder: null, announced: null },
    ...extra,
  };
}

/** The ladder as the engine plays it for these facts: each planned step's kind, channels and tone. */
function walk(policy: TenantPolicy, facts: Partial<SegmentFacts> = {}): { kind: string; channels: string[]; tone: string; learned: boolean }[] {
  let state = engineState(facts);
  let now = NOW;
  const out: { kind: string; channels: string[]; tone: string; learned: boolean }[] = [];
  for (let i = 0; i < 12; i++) {
    const plan = planNext(state, policy, now, "honesty");
    if (plan.kind !== "step") break;
    out.push({ kind: plan.step.kind, channels: plan.channels, tone: plan.tone, learned: plan.explanation.channelScores !== null });
    now = plan.at;
    state = {
      ...state,
      position: { ...state.position, ladderKey: plan.ladderKey, nextStep: plan.stepIndex + 1, stepsTaken: state.position.stepsTaken + 1, lastStepAt: plan.at },
      contacts: [...state.contacts, ...plan.channels.map((channel) => ({ at: plan.at, channel }))],
      usedChannels: [...new Set([...state.usedChannels, ...plan.channels])],
    };
  }
  return out;
}
const before = (steps: ReturnType<typeof walk>, kind: string) => steps.slice(0, Math.max(0, steps.findIndex((s) => s.kind === kind)));

/** What the debtor's page offers under a tenant's policy and account (the real Worker and DebtorDO). */
async function pageUnder(policy: TenantPolicy | null, account: Record<string, unknown> | null = null): Promise<string> {
  const t = await newTenant();
  if (policy) expect((await call(t.key, "PUT", "/v1/policy", { ...policy, version: 1 })).status).toBe(200);
  if (account) expect((await call(t.key, "PATCH", "/v1/account", account)).status).toBe(200);
  const d = newDebtorId();
  await register(t.key, await invoiceBody(d, -1, { amount_cents: 30000 }));
  await register(t.key, await invoiceBody(d, -2, { amount_cents: 6000 }));
  const link = await signDebtorLink(debtorLinkSecret(env) ?? "", { tenantId: t.id, debtorId: d, exp: Date.now() + 30 * DAY });
  return (await (await openDebtorPage(`/d/${link}`)).text()).replace(/[\u00a0\u202f]/g, " ");
}

/** Each graded-from-settings criterion's probe: the grade and the product's behaviour both move. */
const PROBES: Record<string, () => void | Promise<void>> = {
  hardship_segment: () => {
    const without = variant((p) => void (p.segments = p.segments.filter((s) => s.key !== "hardship")));
    expect(levelOf("hardship_segment", DEFAULT_POLICY)).toBe("frontrunner");
    expect(levelOf("hardship_segment", without)).toBe("laggard");
    const facts = { ...FACTS, hardship_flag: true };
    expect(chooseSegment(DEFAULT_POLICY, facts).segment.key).toBe("hardship");
    expect(chooseSegment(without, facts).segment.key).not.toBe("hardship");
    expect(walk(DEFAULT_POLICY, { hardship_flag: true }).every((s) => s.tone === "friendly")).toBe(true);
    expect(walk(without, { hardship_flag: true }).every((s) => s.tone === "friendly")).toBe(false);
  },
  vulnerable_protected: () => {
    const without = variant((p) => void (p.segments = p.segments.filter((s) => s.key !== "vulnerable")));
    expect(levelOf("vulnerable_protected", without)).toBe("laggard");
    const facts = { ...FACTS, vulnerable_flag: true };
    expect(chooseSegment(DEFAULT_POLICY, facts).segment.key).toBe("vulnerable");
    expect(chooseSegment(without, facts).segment.key).not.toBe("vulnerable");
    expect(walk(DEFAULT_POLICY, { vulnerable_flag: true }).map((s) => s.kind)).not.toEqual(walk(without, { vulnerable_flag: true }).map((s) => s.kind));
  },
  debt_counselling_stop: async () => {
    const short = variant((p) => void (p.debt_counselling_stop_days = 60));
    expect(levelOf("debt_counselling_stop", short)).toBe("laggard");
    const t = await newTenant();
    expect((await call(t.key, "PUT", "/v1/policy", { ...short, version: 1 })).status).toBe(200);
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const res = await call(t.key, "POST", `/v1/debtors/${d}/stops`, { kind: "debt_counselling" });
    const view = (await res.json()) as { pauses: { kind: string; from: string; until: string | null }[] };
    const stop = view.pauses.find((p) => p.kind === "debt_counselling");
    expect(Date.parse(stop?.until ?? "") - Date.parse(stop?.from ?? "")).toBe(60 * DAY);
  },
  costs: () => {
    const charged = variant((p) => void (p.costs = { ...p.costs, nl_bik_enabled: true, be_damages_enabled: true, be_later_reminder_fee_cents: 750 }));
    expect(levelOf("costs", DEFAULT_POLICY)).toBe("frontrunner");
    expect(levelOf("costs", charged)).toBe("laggard");
    expect(announcedCosts("nl_fourteen_day_letter", "NL", DEFAULT_POLICY, 10_000)).toBe(0);
    expect(announcedCosts("nl_fourteen_day_letter", "NL", charged, 10_000)).toBe(4_000);
    expect(announcedCosts("be_first_reminder", "BE", charged, 10_000)).toBe(2_000);
    // A Belgian later reminder, long after the free first one: the fee is charged only when set.
    const be = engineState({ country: "BE" }, { legal: { fourteenDayLetterPostedOn: null, beFirstReminder: { sentOn: "2026-10-01", channel: "email" }, announced: null } });
    const later = DEFAULT_POLICY.ladders.standard_be?.steps.find((s) => s.kind === "reminder" && s.from === "previous_step");
    if (!later) throw new Error("the BE ladder has no later reminder");
    expect(stepCosts(later, be, DEFAULT_POLICY, "2026-12-01").chargeableCents).toBe(0);
    expect(stepCosts(later, be, charged, "2026-12-01").chargeableCents).toBe(750);
  },
  free_interim_reminder: () => {
    const oneFree = variant((p) => {
      const nl = p.ladders.standard_nl;
      if (nl) nl.steps = nl.steps.filter((s) => s.key !== "reminder_2");
    });
    expect(levelOf("free_interim_reminder", oneFree)).toBe("on_the_way");
    const free = (policy: TenantPolicy) => before(walk(policy), "nl_fourteen_day_letter").filter((s) => s.kind === "reminder").length;
    expect(free(DEFAULT_POLICY)).toBe(2);
    expect(free(oneFree)).toBe(1);
  },
  payment_date_choice: async () => {
    const short = variant((p) => void (p.payment_date = { ...p.payment_date, max_days_after_due: 0, align_to_payday: false }));
    expect(levelOf("payment_date_choice", short)).toBe("laggard");
    expect(await pageUnder(null)).toContain('id="pd-date"');
    expect(await pageUnder(short)).not.toContain('id="pd-date"');
  },
  arrangements: async () => {
    const off = variant((p) => void (p.arrangements = { ...p.arrangements, enabled: false }));
    expect(levelOf("arrangements", off)).toBe("laggard");
    expect(await pageUnder(null)).toContain('name="instalments"');
    expect(await pageUnder(off)).not.toContain('name="instalments"');
  },
  contact_budget: () => {
    const tight = variant((p) => void (p.contact_budget = { max_per_week: 5, min_hours_between: 12 }));
    expect(levelOf("contact_budget", tight)).toBe("laggard");
    const state = engineState({}, { contacts: [{ at: NOW - 3600_000, channel: "email" }] });
    const gap = (policy: TenantPolicy) => earliestContact(NOW, ["email"], state, policy) - NOW;
    expect(gap(tight)).toBeLessThan(gap(DEFAULT_POLICY));
  },
  channels_before_handover: () => {
    const emailOnly = variant((p) => {
      for (const l of Object.values(p.ladders)) l.steps = l.steps.map((s) => (s.kind === "call_task" || s.kind === "handover_ready" || s.kind === "nl_fourteen_day_letter" ? s : { ...s, channels: ["email"], auto_candidates: undefined }));
    });
    expect(levelOf("channels_before_handover", emailOnly)).toBe("on_the_way");
    const used = (policy: TenantPolicy) => new Set(before(walk(policy), "handover_ready").flatMap((s) => s.channels)).size;
    expect(used(DEFAULT_POLICY)).toBeGreaterThanOrEqual(3);
    expect(used(emailOnly)).toBeLessThan(used(DEFAULT_POLICY));
  },
  call_before_handover: () => {
    const noCall = variant((p) => {
      for (const l of Object.values(p.ladders)) l.steps = l.steps.filter((s) => s.kind !== "call_task");
    });
    expect(levelOf("call_before_handover", noCall)).toBe("laggard");
    expect(before(walk(DEFAULT_POLICY), "handover_ready").some((s) => s.kind === "call_task")).toBe(true);
    expect(before(walk(noCall), "handover_ready").some((s) => s.kind === "call_task")).toBe(false);
  },
  learning_channel_mix: () => {
    const fixedChannels = variant((p) => {
      for (const l of Object.values(p.ladders)) l.steps = l.steps.map((s) => (s.channels === "auto" ? { ...s, channels: ["email"], auto_candidates: undefined } : s));
    });
    expect(levelOf("learning_channel_mix", fixedChannels)).toBe("laggard");
    // Often-late debtors (3+ late payments) are on the ladder whose second reminder learns.
    expect(walk(DEFAULT_POLICY, { late_payments_12m: 4 }).some((s) => s.learned)).toBe(true);
    expect(walk(fixedChannels, { late_payments_12m: 4 }).some((s) => s.learned)).toBe(false);
  },
  friendly_tone: () => {
    const stern = variant((p) => {
      for (const s of p.segments) s.tone_override = undefined;
      for (const l of Object.values(p.ladders)) l.steps = l.steps.map((s) => ({ ...s, tone: "clear" as const }));
    });
    expect(levelOf("friendly_tone", stern)).toBe("laggard");
    expect(walk(DEFAULT_POLICY)[0]?.tone).toBe("friendly");
    expect(walk(stern)[0]?.tone).toBe("clear");
  },
  reachability: async () => {
    const account = { service: { phone: "+31201234567", hours: [{ days: ["mon"], from: "09:00", to: "17:00" }] }, email: { from_name: "Shop", from_address: "a@shop.example", reply_to: "service@shop.example" } };
    expect(levelOf("reachability", DEFAULT_POLICY, {}, null)).toBe("laggard");
    expect(levelOf("reachability", DEFAULT_POLICY, account as AccountProfile, null)).toBe("frontrunner");
    const bare = await pageUnder(null);
    const filled = await pageUnder(null, account);
    expect(bare).not.toContain("tel:+31201234567");
    expect(filled).toContain('<a href="tel:+31201234567">020 123 4567</a>');
    expect(filled).toContain("service@shop.example");
  },
  payment_options: async () => {
    const account = { links: { pay_url_template: "https://shop.example/pay?a={{amount_cents}}" }, bank: { iban: "NL91ABNA0417164300", account_holder: "Shop B.V." } };
    expect(levelOf("payment_options", DEFAULT_POLICY)).toBe("laggard");
    expect(levelOf("payment_options", DEFAULT_POLICY, account as AccountProfile)).toBe("frontrunner");
    const bare = await pageUnder(null);
    const filled = await pageUnder(null, account);
    expect(bare).not.toContain('class="pay"');
    expect(filled).toContain('<a class="pay" href="https://shop.example/pay?a=36000"');
    expect(filled).toContain("NL91 ABNA 0417 1643 00");
  },
};

describe("the scorecard credits only what the code does", () => {
  it("every criterion graded from settings has a probe here, and names only settings that exist", () => {
    const graded = CRITERIA.filter((c) => c.basis === "setting").map((c) => c.key);
    expect(graded.sort()).toEqual(Object.keys(PROBES).sort());
    for (const c of CRITERIA.filter((x) => x.basis === "setting")) {
      for (const path of c.reads) expect(path, c.key).toMatch(/^(policy|account)\.[a-z_]+/);
    }
  });

  for (const [key, probe] of Object.entries(PROBES)) {
    it(`${key}: moving its setting moves the grade and what the product does`, probe);
  }
});
