/**
 * What the simulator keeps per debtor and per cycle (one overdue invoice), and the engine's view
 * of it: the same plain data a DebtorDO builds from its tables. Pure helpers, no clock.
 */
import type { ChannelStats } from "../workers/policy/channel-mix";
import { sendMinuteFor } from "../workers/policy/engine";
import type { Contact, EngineState, LadderPosition, Pause } from "../workers/policy/engine-types";
import type { Channel } from "../workers/policy/policy-schema";
import { addDays } from "../workers/zoned-time";
import { truthStats } from "./policies";
import type { Persona } from "./population";
import type { InvoiceRecord } from "./records";
import type { CycleDraws, SimDebtor } from "./world";

const DAY = 24 * 3600_000;
const YEAR = 365 * DAY;
/** Channels are kept this long for the engine's "used this cycle" (protected debtors). */
export const USED_WINDOW = 90 * DAY;

/** One overdue invoice under one policy, from its due date until it is paid, cancelled or handed over. */
export interface Cycle {
  index: number;
  draws: CycleDraws;
  invoiceId: string;
  dueDate: string;
  dueMs: number;
  position: LadderPosition;
  legal: EngineState["legal"];
  /** When the armed "step" event fires (a step is due, or a waiting step is looked at again). */
  pending: number | null;
  stepVersion: number;
  paidAt: number | null;
  knownVersion: number;
  contactNo: number;
  lastChannels: Channel[];
  lastSegment: string | null;
  credited: boolean;
  closed: boolean;
  record: InvoiceRecord;
}

export interface DebtorState {
  d: SimDebtor;
  persona: Persona;
  contacts: Contact[];
  pauses: Pause[];
  blocked: Set<Channel>;
  history: Partial<Record<Channel, ChannelStats>>;
  lateTimes: number[];
  hardship: boolean;
  cycle: Cycle | null;
  /** No more invoices (handed over, or the year is over). */
  finished: boolean;
}

/** One more trial, or one more success, on a channel. */
export const bump = (stats: Partial<Record<Channel, ChannelStats>>, c: Channel, success: boolean) => {
  const s = (stats[c] ??= { successes: 0, trials: 0 });
  if (success) s.successes++;
  else s.trials++;
};

/** The engine's view of the debtor now (the oracle sees the true chances as its history). */
export function engineStateOf(s: DebtorState, c: Cycle, now: number, oracle: boolean, priors: EngineState["priors"]): EngineState {
  const { d } = s;
  const recent = s.contacts.filter((x) => x.at > now - 28 * DAY);
  return {
    country: d.country,
    timeZone: d.timeZone,
    sendMinute: sendMinuteFor(d.id),
    facts: {
      late_payments_12m: s.lateTimes.filter((t) => t >= now - YEAR).length,
      total_outstanding_cents: c.closed ? 0 : c.draws.amountCents,
      hardship_flag: s.hardship,
      vulnerable_flag: d.vulnerable,
      country: d.country,
      first_invoice: d.firstInvoice && c.index === 0,
    },
    openInvoices: c.closed ? [] : [{ id: c.invoiceId, dueDate: c.dueDate, outstandingCents: c.draws.amountCents }],
    position: c.position,
    contacts: recent,
    pauses: s.pauses,
    blocked: [...s.blocked],
    usedChannels: [...new Set(s.contacts.filter((x) => x.at >= now - USED_WINDOW).map((x) => x.channel))],
    history: oracle ? truthStats(s.persona, c.contactNo + 1) : s.history,
    priors,
    legal: c.legal,
  };
}

/** A new cycle: the ladder at its start, nothing sent, nothing paid. */
export function newCycle(d: SimDebtor, index: number, draws: CycleDraws, dueDate: string, dueMs: number): Cycle {
  return {
    index, draws, invoiceId: `${d.id}_i${index}`, dueDate, dueMs,
    position: { ladderKey: null, nextStep: 0, stepsTaken: 0, anchorDueDate: dueDate, lastStepAt: null },
    legal: { fourteenDayLetterPostedOn: null, beFirstReminder: null, announced: null },
    pending: null, stepVersion: 0, paidAt: null, knownVersion: 0, contactNo: 0, lastChannels: [], lastSegment: null, credited: false, closed: false,
    record: {
      debtor: d.index, persona: d.persona, cycle: index, month: Number(dueDate.slice(5, 7)) - 1, amountCents: draws.amountCents,
      daysToPay: null, arranged: false, cancelled: false, handedOver: false, vulnerable: d.vulnerable, protected: false,
      contacts: { email: 0, sms: 0, letter: 0, call: 0 }, costCents: 0, handoverCostCents: 0, complaints: 0,
      helpOffered: false, helpRequested: false, crossed: 0, firstLetterDay: null, choices: 0, choiceValue: 0, choiceBest: 0,
    },
  };
}

const onPayday = (date: string, payday: number) => `${date.slice(0, 8)}${String(payday).padStart(2, "0")}`;

/** An arrangement's last instalment: monthly on payday, the first at least five days away (as `actions.ts`). */
export function lastInstalmentDate(today: string, payday: number, instalments: number): string {
  const soonest = addDays(today, 5);
  let date = onPayday(soonest, payday);
  if (date < soonest) date = onPayday(addDays(date, 31), payday);
  for (let n = 1; n < instalments; n++) date = onPayday(addDays(date, 31), payday);
  return date;
}

/** The first payday (day of the month) after the due date. */
export function paydayAfter(dueDate: string, day: number): string {
  const [y, m, d] = dueDate.split("-").map(Number) as [number, number, number];
  const month = d < day ? m : m + 1;
  return `${month > 12 ? y + 1 : y}-${String(((month - 1) % 12) + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
