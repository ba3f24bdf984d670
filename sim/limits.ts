/**
 * Checks made on every simulated contact, from the law and policy functions rather than the
 * engine's own arithmetic: quiet hours and holidays, the contact budget, no costs before the
 * legal term, protected debtors never escalated or handed over, nothing after a known payment.
 * And the value of each channel choice by the debtor's true chances (the oracle's yardstick).
 */
import { isAllowedContactTime, type QuietHours } from "../workers/policy/calendar";
import { COST_FLOOR_EURO } from "../workers/policy/channel-mix";
import { nlTermEndForPosting } from "../workers/policy/engine-costs";
import type { EngineState, Plan } from "../workers/policy/engine-types";
import { beEarliestCostsDate } from "../workers/policy/law-be";
import type { Channel, TenantPolicy } from "../workers/policy/policy-schema";
import { choiceCandidates } from "./policies";
import { chanceAt, type Persona } from "./population";
import type { LimitChecks } from "./records";

const HOUR = 3600_000;
/**
 * How far each channel reaches into someone's life, written out here rather than taken from the
 * engine, so the check does not share a mistake with the code it checks.
 */
const INTRUSION: Record<Channel, number> = { banner: 0, email: 1, sms: 2, letter: 3, call: 4 };
const WEEK = 7 * 24 * HOUR;

/** One step about to be carried out, as the checks see it. */
export interface StepView {
  state: EngineState;
  policy: TenantPolicy;
  plan: Extract<Plan, { kind: "step" }>;
  /** The debtor's calendar day. */
  today: string;
  now: number;
  /** The shop already knows the invoice is paid or closed. */
  known: boolean;
}

/** Counts every hard limit the step's contacts would break into `checks`. */
export function checkContact(checks: LimitChecks, v: StepView, sent: Channel[]): void {
  const { state, policy, plan, now, today } = v;
  const q = policy.quiet_hours_override;
  const override: QuietHours | undefined = q ? { startHour: q.start_hour, endHour: q.end_hour } : undefined;
  const isProtected = state.facts.vulnerable_flag || state.facts.hardship_flag;
  for (const ch of sent) {
    if (!isAllowedContactTime(now, state.timeZone, state.country, ch === "call" ? "call" : "message", override)) checks.quietHours++;
    if (v.known) checks.afterPaymentKnown++;
  }
  if (sent.length > 0) {
    const past = state.contacts.filter((c) => c.at <= now);
    if (past.filter((c) => c.at > now - WEEK).length + sent.length > policy.contact_budget.max_per_week) checks.budget++;
    const last = past.at(-1);
    if (last && now - last.at < policy.contact_budget.min_hours_between * HOUR) checks.budget++;
  }
  if (plan.costs.chargeableCents > 0) {
    checks.charged++;
    const posted = state.legal.fourteenDayLetterPostedOn;
    const first = state.legal.beFirstReminder;
    const lawful = state.country === "NL" ? posted !== null && today > nlTermEndForPosting(posted) : first !== null && today >= beEarliestCostsDate(first.sentOn, first.channel);
    if (!lawful) checks.costsBeforeTerm++;
  }
  if (isProtected) {
    if (plan.step.kind === "handover_ready") checks.protectedEscalated++;
    // "Never escalated": only the gentlest channels (banner, email) and those already used with them.
    for (const ch of sent) if (INTRUSION[ch] > INTRUSION.email && !state.usedChannels.includes(ch)) checks.protectedEscalated++;
  }
}

/** The true expected score (chance per euro, with the mix's cost floor) of one channel. */
function trueScore(persona: Persona, ch: Channel, n: number, policy: TenantPolicy): number {
  return chanceAt(persona.response[ch], n) / Math.max(policy.channel_costs_cents[ch] / 100, COST_FLOOR_EURO);
}

/**
 * At a choice point (a step where a channel may be chosen), the true value of what was sent and
 * of the best the same candidates allowed; null elsewhere. `n` is the next contact's number.
 */
export function choiceValue(v: StepView, tenantPolicy: TenantPolicy, persona: Persona, n: number, sent: Channel[]): { value: number; best: number } | null {
  const ladder = tenantPolicy.ladders[v.plan.ladderKey];
  const original = ladder?.steps[v.plan.stepIndex];
  const candidates = original ? choiceCandidates(original) : null;
  if (!candidates || sent.length === 0) return null;
  const blocked = new Set(v.state.blocked);
  const isProtected = v.state.facts.vulnerable_flag || v.state.facts.hardship_flag;
  // A protected debtor may only get the gentlest channels and those already used with them.
  const allowed = candidates.filter((c) => !blocked.has(c) && (!isProtected || INTRUSION[c] <= INTRUSION.email || v.state.usedChannels.includes(c)));
  // Nothing left to choose from: the engine's fallback decides, which is no choice.
  if (allowed.length === 0) return null;
  const scores = allowed.map((c) => trueScore(persona, c, n, v.policy)).sort((a, b) => b - a);
  const best = scores.slice(0, sent.length).reduce((s, x) => s + x, 0);
  const value = sent.reduce((s, c) => s + trueScore(persona, c, n, v.policy), 0);
  return { value, best };
}
