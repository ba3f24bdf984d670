/**
 * The policy engine: state + tenant policy + now in, the next step out. Pure: the DebtorDO
 * supplies everything, including the seed for the channel mix. Hard limits (pauses, the
 * contact budget, quiet hours, protected debtors, blocked channels) always win over the ladder.
 */
import { nextAllowedContactTime, type ContactKind, type QuietHours } from "./calendar";
import { chooseChannels, type ChannelScore, type ChannelStats } from "./channel-mix";
import { CHANNEL_TRAITS, FALLBACK_ORDER, isContact, protectedMayUse, quietKindOf } from "./channel-rules";
import { stepCosts } from "./engine-costs";
import { isTemplateKey, TEMPLATE_DEFS, type TemplateDef } from "../templates/keys";
import type { EngineState, Pause, Plan } from "./engine-types";
import type { Channel, Step, TenantPolicy, Tone } from "./policy-schema";
import { chooseSegment } from "./segments";
import { addDays, localParts, zonedTimeToEpoch } from "../zoned-time";

/** Local hour at which steps are planned: mid-morning, far from quiet hours. */
export const SEND_HOUR = 10;
/** Steps are spread over this many minutes after SEND_HOUR, by debtor (provider rate limits). */
export const SEND_SPREAD_MINUTES = 120;

/** A stable minute offset for a debtor, from a hash of its id. */
export function sendMinuteFor(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) % SEND_SPREAD_MINUTES;
}
const WEEK_MS = 7 * 24 * 3600_000;
const HOUR_MS = 3600_000;
/** A step whose channels are all unavailable for the shop (credentials, sender) is looked at again after this. */
export const UNAVAILABLE_RECHECK_MS = 6 * HOUR_MS;

export { isContact } from "./channel-rules";

/**
 * A contact held back until the sending window opens goes out in this debtor's own slot of that
 * day (SEND_HOUR plus its minute), not at the window's first second with everyone else's.
 */
export function inSendSlot(at: number, timeZone: string, sendMinute: number): number {
  const slot = zonedTimeToEpoch(localParts(at, timeZone).date, SEND_HOUR, sendMinute, timeZone);
  return at < slot ? slot : at;
}

/** The pause holding reminders back at `t`, if any; indefinite pauses win over timed ones. */
export function activePause(pauses: Pause[], t: number): Pause | null {
  const live = pauses.filter((p) => p.from <= t && (p.until === null || p.until > t));
  return live.find((p) => p.until === null) ?? live.sort((a, b) => (b.until ?? 0) - (a.until ?? 0))[0] ?? null;
}

/** Plans the next step for this debtor, or says why there is none. */
export function planNext(state: EngineState, policy: TenantPolicy, now: number, seed: string): Plan {
  if (state.openInvoices.length === 0) return { kind: "done", reason: "nothing is open" };
  const indefinite = activePause(state.pauses, now);
  if (indefinite && indefinite.until === null) return { kind: "paused", pause: indefinite.kind, since: indefinite.from };

  const { segment, matched } = chooseSegment(policy, state.facts);
  const ladder = policy.ladders[segment.ladder];
  if (!ladder) return { kind: "done", reason: `ladder ${segment.ladder} is missing` };
  const limits: string[] = [];
  let index = state.position.ladderKey === segment.ladder ? state.position.nextStep : indexAfter(ladder.steps, state.position.stepsTaken);
  if (state.position.ladderKey !== null && state.position.ladderKey !== segment.ladder) limits.push(`segment changed: continuing on ladder ${segment.ladder}`);
  const from = index;
  // Optional steps stay off unless a tenant edits them in; a final notice needs a handover partner.
  while (ladder.steps[index] && skipsStep(ladder.steps[index] as Step, state)) index++;
  const step = ladder.steps[index];
  if (!step) return { kind: "done", reason: "the ladder is complete" };
  // A vulnerable debtor, or one in hardship, is never handed over, whatever the ladder says.
  if (step.kind === "handover_ready" && (state.facts.vulnerable_flag || state.facts.hardship_flag)) {
    return { kind: "done", reason: "protected debtors are not handed over" };
  }

  let at = Math.max(baseTime(step, state, ladder.steps, index, from), now);
  const timed = activePause(state.pauses, at);
  if (timed?.until) {
    at = Math.max(at, timed.until);
    limits.push(`paused (${timed.kind}) until ${new Date(timed.until).toISOString()}`);
  }

  const { channels, scores, waitingFor } = pickChannels(step, state, state.priors[segment.key] ?? {}, policy, `${seed}|${segment.ladder}|${index}`, limits);
  // Nothing can send it for the shop right now (no credentials, no sender): the step waits, it is not lost.
  if (waitingFor) return { kind: "waiting", step: step.key, reason: waitingFor, at: Math.max(at, now + UNAVAILABLE_RECHECK_MS) };
  at = fitBudgetAndQuietHours(at, channels, state, policy, limits);
  const tone: Tone = segment.tone_override ?? step.tone;
  const acknowledgeAlreadyPaid = state.pauses.some((p) => p.kind === "already_paid" && p.until !== null && p.until <= at && p.from > (state.position.lastStepAt ?? -1));
  return {
    kind: "step",
    at,
    ladderKey: segment.ladder,
    stepIndex: index,
    step,
    channels,
    tone,
    costs: stepCosts(step, state, policy, localParts(at, state.timeZone).date, channels),
    acknowledgeAlreadyPaid,
    explanation: { segment: { key: segment.key, matched }, ladder: segment.ladder, step: step.key, channelScores: scores, limits },
  };
}

/**
 * True for a step the ladder passes over: an optional one (off unless switched on), or one whose
 * template needs a handover partner the shop does not have (nothing may announce a handover that
 * will not happen; Wki).
 */
export function skipsStep(step: Step, state: Pick<EngineState, "handoverPartner">): boolean {
  if (step.optional) return true;
  const def: TemplateDef | undefined = isTemplateKey(step.template) ? TEMPLATE_DEFS[step.template] : undefined;
  return def?.needsHandoverPartner === true && state.handoverPartner !== true;
}

/** After a ladder switch: the index of the `taken`-th non-optional step of the new ladder. */
function indexAfter(steps: Step[], taken: number): number {
  let seen = 0;
  for (let i = 0; i < steps.length; i++) {
    if (steps[i]?.optional) continue;
    if (seen === taken) return i;
    seen++;
  }
  return steps.length;
}

/** When the step falls due by the ladder alone, at SEND_HOUR in the debtor's zone. */
function baseTime(step: Step, state: EngineState, steps: Step[], index: number, from: number): number {
  const { anchorDueDate, lastStepAt } = state.position;
  let day: string;
  // A step skipped for want of a handover partner keeps its time: the next one (the handover
  // itself) stays as far from the legal letter as the ladder planned.
  const skippedDays = steps.slice(from, index).reduce((d, s) => d + (!s.optional && s.from === "previous_step" ? s.offset_days : 0), 0);
  if (step.from === "due_date") day = addDays(anchorDueDate, step.kind === "pre_due_nudge" ? -step.offset_days : step.offset_days);
  else if (lastStepAt !== null) day = addDays(localParts(lastStepAt, state.timeZone).date, step.offset_days + skippedDays);
  else {
    // No step ran yet (all earlier ones were skipped): count the offsets from the due date.
    let offset = 0;
    for (let i = 0; i <= index; i++) {
      const s = steps[i];
      if (!s || s.optional) continue;
      offset = s.from === "due_date" ? s.offset_days : offset + s.offset_days;
    }
    day = addDays(anchorDueDate, offset);
  }
  return zonedTimeToEpoch(day, SEND_HOUR, state.sendMinute, state.timeZone);
}

/** Chooses the step's channels under every hard limit, noting each limit that applied. */
function pickChannels(
  step: Step,
  state: EngineState,
  priors: Partial<Record<Channel, ChannelStats>>,
  policy: TenantPolicy,
  seed: string,
  limits: string[],
): { channels: Channel[]; scores: ChannelScore[] | null; waitingFor?: string } {
  const unavailable = state.unavailable ?? {};
  const blocked = new Set<Channel>([...state.blocked, ...(Object.keys(unavailable) as Channel[])]);
  const isProtected = state.facts.vulnerable_flag || state.facts.hardship_flag;
  if (isProtected) {
    // Never escalate a vulnerable or hardship debtor: only gentle channels and those already used.
    for (const c of Object.keys(CHANNEL_TRAITS) as Channel[]) if (!protectedMayUse(c, state.usedChannels)) blocked.add(c);
  }
  const maxChannels = Math.min(step.max_channels, policy.contact_budget.max_per_week);
  let channels: Channel[];
  let scores: ChannelScore[] | null = null;
  if (step.channels === "auto") {
    const result = chooseChannels({
      candidates: step.auto_candidates ?? [],
      maxChannels,
      priors,
      history: state.history,
      costsCents: policy.channel_costs_cents,
      blocked: [...blocked],
      seed,
    });
    channels = result.chosen;
    scores = result.scores;
  } else {
    channels = step.channels.filter((c) => !blocked.has(c)).slice(0, maxChannels);
  }
  const wanted = step.channels === "auto" ? (step.auto_candidates ?? []) : step.channels;
  const dropped = wanted.filter((c) => blocked.has(c));
  if (dropped.length > 0) limits.push(`not used: ${dropped.join(", ")} (${isProtected ? "protected debtor or " : ""}blocked or unreachable)`);
  if (channels.length === 0 && step.kind !== "handover_ready" && step.kind !== "call_task") {
    // The step still reminds, on the gentlest channel that reaches the person.
    const fallback = FALLBACK_ORDER.find((c) => !blocked.has(c));
    if (fallback) {
      channels = [fallback];
      limits.push(`fallback channel: ${fallback}`);
    }
  }
  // Channels the person could be reached on but the shop cannot send on yet: wait for them
  // rather than skip the step (a skipped step would be lost, and the shop is told why).
  const candidates = wanted.concat(step.kind === "call_task" || step.kind === "handover_ready" ? [] : FALLBACK_ORDER);
  const waiting = candidates.filter((c) => unavailable[c] !== undefined && !state.blocked.includes(c) && (!isProtected || protectedMayUse(c, state.usedChannels)));
  if (channels.length === 0 && waiting.length > 0) {
    return { channels, scores, waitingFor: [...new Set(waiting)].map((c) => `${c}: ${unavailable[c]}`).join("; ") };
  }
  return { channels, scores };
}

/** The earliest moment at or after `start` when the budget and quiet hours allow these channels. */
export function earliestContact(start: number, channels: Channel[], state: EngineState, policy: TenantPolicy): number {
  return fitBudgetAndQuietHours(start, channels, state, policy, []);
}

/** Moves `at` forward until the contact budget and quiet hours both allow the step's contacts. */
function fitBudgetAndQuietHours(start: number, channels: Channel[], state: EngineState, policy: TenantPolicy, limits: string[]): number {
  const contacts = channels.filter(isContact).length;
  const kinds: ContactKind[] = [...new Set<ContactKind>(["message", ...channels.map(quietKindOf)])];
  const q = policy.quiet_hours_override;
  const override: QuietHours | undefined = q ? { startHour: q.start_hour, endHour: q.end_hour } : undefined;
  // Contacts are recorded when made, so all lie before `start`: the 7-day window ending at the
  // new contact is the fullest one it belongs to.
  const past = state.contacts.map((c) => c.at).sort((a, b) => a - b);
  const { max_per_week, min_hours_between } = policy.contact_budget;
  let at = start;
  for (let round = 0; round < 50; round++) {
    let next = at;
    if (contacts > 0) {
      const last = past.filter((t) => t <= next).at(-1);
      if (last !== undefined && next < last + min_hours_between * HOUR_MS) next = last + min_hours_between * HOUR_MS;
      const inWindow = past.filter((t) => t > next - WEEK_MS && t <= next);
      const excess = inWindow.length + contacts - max_per_week;
      if (excess > 0) next = Math.max(next, (inWindow[excess - 1] ?? next) + WEEK_MS + 1);
    }
    const quiet = next;
    for (const kind of kinds) next = Math.max(next, nextAllowedContactTime(next, state.timeZone, state.country, kind, override));
    // Held back by quiet hours: into this debtor's slot of the morning, not the window's first second.
    if (next > quiet) next = inSendSlot(next, state.timeZone, state.sendMinute);
    if (next === at) break;
    at = next;
  }
  if (at > start) limits.push(`moved to ${new Date(at).toISOString()} for the contact budget or quiet hours`);
  return at;
}
