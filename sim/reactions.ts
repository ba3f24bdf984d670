/**
 * What a simulated debtor does after one contact, from the draws of their cycle: nothing (it
 * crossed a payment, bounced or was returned), a complaint, a help request, a dispute, a
 * payment or an arrangement. The harness turns the answer into events on its clock.
 */
import type { Channel } from "../workers/policy/policy-schema";
import type { Cycle, DebtorState } from "./debtor-state";
import { chanceAt } from "./population";
import type { ContactChannel } from "./records";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** A posted letter reaches the person about two days later (the NL presumption). */
const LETTER_TRANSIT_DAYS = 2;
/** Days until a returned letter is known; a bounce is known within minutes. */
const RETURN_DAYS = 7;

export type DebtorEventKind = "block" | "help" | "dispute" | "arrange";

export interface Reaction {
  /** The reminder went out after the debtor had paid (the shop did not know yet). */
  crossed: boolean;
  complaint: boolean;
  /** When the debtor pays in full because of this contact, if they do. */
  paidAt: number | null;
  events: { kind: DebtorEventKind; at: number; channel?: Channel }[];
}

export interface ContactContext {
  s: DebtorState;
  c: Cycle;
  channel: Channel;
  /** Index of the contact in the cycle (0 = first), capped to the draws there are. */
  k: number;
  now: number;
  /** The message points to free debt help; `helpMessage`: it is written around it. */
  helpStep: boolean;
  helpMessage: boolean;
}

/** The debtor's reaction to one contact. */
export function react(x: ContactContext): Reaction {
  const { s, c, channel, k, now } = x;
  const persona = s.persona;
  const out: Reaction = { crossed: false, complaint: false, paidAt: null, events: [] };
  if (c.paidAt !== null && c.paidAt <= now) return { ...out, crossed: true };
  // Paid a few hours before the first reminder landed: the two cross.
  if (k === 0 && c.draws.crossed) return { ...out, crossed: true, paidAt: now - 3 * HOUR };
  if (channel === "email" && s.d.emailBounces) return { ...out, events: [{ kind: "block", at: now + 10 * 60_000, channel }] };
  if (channel === "letter" && s.d.addressWrong) return { ...out, events: [{ kind: "block", at: now + RETURN_DAYS * DAY, channel }] };
  const arrives = now + (channel === "letter" ? LETTER_TRANSIT_DAYS * DAY : 0);
  if (c.draws.complaint[k]! < persona.complaints[channel as ContactChannel]) {
    out.complaint = true;
    // An email complaint stops email; an SMS complaint is a STOP for the number.
    if (channel === "email" || channel === "sms") out.events.push({ kind: "block", at: arrives + HOUR, channel });
  }
  if (x.helpStep && !s.hardship && !c.record.helpRequested) {
    const chance = x.helpMessage ? persona.help.per_help_message : persona.help.per_offer;
    if (c.draws.help[k]! < chance) out.events.push({ kind: "help", at: arrives + DAY });
  }
  if (k === 0 && c.draws.dispute) out.events.push({ kind: "dispute", at: arrives + DAY });
  if (c.draws.response[k]! < chanceAt(persona.response[channel], k + 1)) {
    const at = arrives + c.draws.delayDays[k]! * DAY;
    if (c.draws.arrangement[k]! < persona.arrangement.share) out.events.push({ kind: "arrange", at });
    else out.paidAt = at;
  }
  return out;
}
