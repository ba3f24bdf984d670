/**
 * The three policies the simulator compares, all run by the real engine (`planNext`) under the
 * same hard limits: the fixed bol.com ladder, the tenant's policy with the adaptive channel mix
 * (Kindly), and the oracle that knows each debtor's true response chances.
 */
import type { ChannelStats } from "../workers/policy/channel-mix";
import { parsePolicy, type Channel, type Ladder, type Step, type TenantPolicy } from "../workers/policy/policy-schema";
import { chanceAt, type Persona } from "./population";

export type PolicyMode = "fixed" | "kindly" | "oracle";
export const MODES: readonly PolicyMode[] = ["fixed", "kindly", "oracle"];

type StepInit = Omit<Step, "max_channels" | "tone"> & Partial<Pick<Step, "max_channels" | "tone">>;
const step = (s: StepInit): Step => ({ max_channels: 1, tone: "neutral", ...s });

/** bol.com (seed 002): two emails, a letter, a phone call before the agency; no learning. */
function bolLadder(country: "NL" | "BE"): Ladder {
  return {
    steps: [
      step({ key: "reminder_1", kind: country === "BE" ? "be_first_reminder" : "reminder", offset_days: 3, from: "due_date", channels: ["email"], tone: "friendly", template: country === "BE" ? "be-first-reminder" : "reminder-friendly" }),
      step({ key: "reminder_2", kind: "reminder", offset_days: 7, from: "previous_step", channels: ["email"], tone: "friendly", template: "reminder-second" }),
      country === "NL"
        ? step({ key: "fourteen_day_letter", kind: "nl_fourteen_day_letter", offset_days: 7, from: "previous_step", channels: ["letter"], template: "nl-fourteen-day-letter" })
        : step({ key: "reminder_letter", kind: "reminder", offset_days: 7, from: "previous_step", channels: ["letter"], template: "reminder-letter" }),
      step({ key: "call", kind: "call_task", offset_days: 6, from: "previous_step", channels: ["call"], template: "call-task" }),
      step({ key: "handover_ready", kind: "handover_ready", offset_days: 10, from: "previous_step", channels: ["banner"], tone: "clear", template: "handover-ready" }),
    ],
  };
}

/**
 * The fixed ladder as a tenant policy: the same prices, budget, law and help settings as the
 * tenant's own, so only the ladder and the learning differ.
 */
export function fixedLadderPolicy(base: TenantPolicy): TenantPolicy {
  const parsed = parsePolicy({
    ...base,
    segments: [
      { key: "fixed_be", when: [{ fact: "country", equals: "BE" }], ladder: "bol_be" },
      { key: "fixed_nl", when: [], ladder: "bol_nl" },
    ],
    ladders: { bol_nl: bolLadder("NL"), bol_be: bolLadder("BE") },
  });
  if (!parsed.ok) throw new Error(`fixed ladder policy is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.policy;
}

const MESSAGE_CHANNELS: Channel[] = ["email", "sms", "letter"];

/**
 * Where the oracle chooses a channel, and from what: every reminder among email, SMS and letter,
 * whatever candidates the tenant listed (a candidate list is a preference, not a limit, so the
 * ceiling does not drop when a policy narrows itself); the Belgian first reminder by email or
 * post (Book XIX); other "auto" steps from their candidates. The paper step before a handover,
 * the legal letters and the calls stay what they are.
 */
export function choiceCandidates(s: Step): Channel[] | null {
  if (s.kind === "be_first_reminder") return ["email", "letter"];
  const paperStep = s.channels !== "auto" && s.channels.length === 1 && s.channels[0] === "letter";
  if ((s.kind === "reminder" || s.kind === "pre_due_nudge") && !paperStep) return MESSAGE_CHANNELS;
  if (s.channels === "auto") return s.auto_candidates ?? null;
  return null;
}

/** The tenant's policy with every choice point opened to the oracle ("auto" over its candidates). */
export function oraclePolicy(base: TenantPolicy): TenantPolicy {
  const ladders: Record<string, Ladder> = {};
  for (const [key, ladder] of Object.entries(base.ladders)) {
    ladders[key] = {
      steps: ladder.steps.map((s) => {
        const candidates = choiceCandidates(s);
        return candidates ? { ...s, channels: "auto" as const, auto_candidates: candidates } : s;
      }),
    };
  }
  return { ...base, ladders };
}

/** Pseudo-trials that make the mix's posterior the true chance (its draw varies by ~1e-4). */
const TRUTH_TRIALS = 1_000_000_000;

/**
 * The oracle's "history": each channel's true chance at contact number `n`, as counts so large
 * that the channel mix scores the truth. The engine then picks what an all-knowing mix would.
 */
export function truthStats(persona: Persona, n: number): Partial<Record<Channel, ChannelStats>> {
  const out: Partial<Record<Channel, ChannelStats>> = {};
  for (const c of ["email", "sms", "letter", "call", "banner"] as const) {
    out[c] = { successes: Math.round(chanceAt(persona.response[c], n) * TRUTH_TRIALS), trials: TRUTH_TRIALS };
  }
  return out;
}
