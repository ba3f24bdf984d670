/**
 * The harness: a simulated year of a population under one policy, driven by the real, pure
 * policy engine (`planNext`) with the simulator's own clock, debtor state and outcomes. It does
 * what a DebtorDO does around the engine (plan after every change, run a step when it is due,
 * count trials and credit the last step's channels when a payment or arrangement follows, feed
 * the tenant priors), without Durable Objects. Pure: no I/O, no clock reads.
 */
import FlatQueue from "flatqueue";
import type { ChannelStats } from "../workers/policy/channel-mix";
import { planNext, sendMinuteFor } from "../workers/policy/engine";
import type { Contact, EngineState, LadderPosition, Pause, PauseKind, Plan } from "../workers/policy/engine-types";
import type { Channel, TenantPolicy } from "../workers/policy/policy-schema";
import { addDays, localParts, zonedTimeToEpoch } from "../workers/zoned-time";
import { checkContact, choiceValue, type StepView } from "./limits";
import { fixedLadderPolicy, oraclePolicy, truthStats, type PolicyMode } from "./policies";
import { chanceAt, type Persona, type Population } from "./population";
import { noChecks, type ContactChannel, type InvoiceRecord, type RunResult } from "./records";
import { drawCycle, drawDebtor, MAX_CONTACTS, type CycleDraws, type SimDebtor } from "./world";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
/** Channels are kept this long for the engine's "used this cycle" (protected debtors). */
const USED_WINDOW = 90 * DAY;
/** A posted letter reaches the person about two days later (the NL presumption). */
const LETTER_TRANSIT_DAYS = 2;
/** Days until a returned letter is known; a bounce is known within minutes. */
const RETURN_DAYS = 7;
/** Reminders rest this long after a help request (as `actions.ts` does). */
const HELP_PAUSE_DAYS = 30;
/** How long after the year's last due date the simulation runs on. */
const TAIL_DAYS = 150;

export interface RunOptions {
  population: Population;
  /** The tenant policy under test; the fixed ladder and the oracle are derived from it. */
  policy: TenantPolicy;
  mode: PolicyMode;
  debtors: number;
  seed: string;
  /** Tenant priors to start from (Kindly); empty = learning from cold. */
  priors?: EngineState["priors"];
  /** Stop with an error after this many engine decisions (keeps an API call bounded). */
  maxPlans?: number;
}

/** Thrown when a run would go past `maxPlans`. */
export class SimulationTooLarge extends Error {}

type EventKind = "start" | "step" | "known" | "block" | "help" | "dispute" | "dispute_end" | "arrange";
interface SimEvent {
  debtor: number;
  kind: EventKind;
  version: number;
  channel?: Channel;
}

interface Cycle {
  index: number;
  draws: CycleDraws;
  invoiceId: string;
  dueDate: string;
  dueMs: number;
  position: LadderPosition;
  legal: EngineState["legal"];
  pending: Extract<Plan, { kind: "step" }> | null;
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

interface DebtorState {
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

const bump = (stats: Partial<Record<Channel, ChannelStats>>, c: Channel, success: boolean) => {
  const s = (stats[c] ??= { successes: 0, trials: 0 });
  if (success) s.successes++;
  else s.trials++;
};

/** Runs one policy over the population and returns a record per invoice. */
export function runPolicy(o: RunOptions): RunResult {
  const { population, mode, seed } = o;
  const policy = mode === "fixed" ? fixedLadderPolicy(o.policy) : mode === "oracle" ? oraclePolicy(o.policy) : o.policy;
  const econ = population.economics;
  const priors: EngineState["priors"] = mode === "kindly" ? structuredClone(o.priors ?? {}) : {};
  const limits = noChecks();
  const invoices: InvoiceRecord[] = [];
  const queue = new FlatQueue<number>();
  const events: SimEvent[] = [];
  const yearStart = `${population.year}-01-01`;
  const end = Date.UTC(population.year + 1, 0, 1) + TAIL_DAYS * DAY;
  let plans = 0;
  // Versions are unique across debtors and cycles, so an event of a closed cycle never matches.
  let versions = 0;

  const states: DebtorState[] = [];
  for (let i = 0; i < o.debtors; i++) {
    const d = drawDebtor(population, seed, i);
    const persona = population.personas[d.persona] as Persona;
    const blocked = new Set<Channel>();
    if (!d.reach.email) blocked.add("email");
    if (!d.reach.phone) (blocked.add("sms"), blocked.add("call"));
    if (!d.reach.address) blocked.add("letter");
    states.push({ d, persona, contacts: [], pauses: [], blocked, history: {}, lateTimes: [...d.lateBefore], hardship: false, cycle: null, finished: false });
    schedule(i, "start", zonedTimeToEpoch(addDays(yearStart, d.firstDueDay + 1), 0, 0, d.timeZone), 0);
  }

  function schedule(debtor: number, kind: EventKind, at: number, version: number, channel?: Channel): void {
    if (at > end) return;
    events.push(channel ? { debtor, kind, version, channel } : { debtor, kind, version });
    queue.push(events.length - 1, at);
  }

  function engineState(s: DebtorState, c: Cycle, now: number): EngineState {
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
      history: mode === "oracle" ? truthStats(s.persona, c.contactNo + 1) : s.history,
      priors,
      legal: c.legal,
    };
  }

  function plan(s: DebtorState, c: Cycle, now: number): Plan {
    if (o.maxPlans !== undefined && plans >= o.maxPlans) throw new SimulationTooLarge(`more than ${o.maxPlans} engine decisions`);
    plans++;
    return planNext(engineState(s, c, now), policy, now, `${s.d.id}|c${c.index}`);
  }

  /** Plans again after a change, as the DebtorDO does, and keeps one pending step. */
  function replan(i: number, now: number): void {
    const s = states[i] as DebtorState;
    const c = s.cycle;
    if (!c || c.closed) return;
    const p = plan(s, c, now);
    c.stepVersion = ++versions;
    c.pending = p.kind === "step" ? p : null;
    if (p.kind === "step") schedule(i, "step", p.at, c.stepVersion);
  }

  function setPaid(i: number, c: Cycle, at: number): void {
    if (c.paidAt !== null && c.paidAt <= at) return;
    c.paidAt = at;
    c.knownVersion = ++versions;
    schedule(i, "known", at + econ.payment_known_after_days * DAY, c.knownVersion);
  }

  /** A payment or an arrangement followed the last step: its channels get the credit, once. */
  function creditLastStep(s: DebtorState, c: Cycle): void {
    if (c.credited || c.position.stepsTaken === 0) return;
    c.credited = true;
    for (const ch of c.lastChannels) {
      bump(s.history, ch, true);
      if (mode === "kindly") bump((priors[c.lastSegment ?? "unknown"] ??= {}), ch, true);
    }
  }

  function liftPauses(s: DebtorState, kinds: PauseKind[]): void {
    s.pauses = s.pauses.filter((p) => !kinds.includes(p.kind));
  }

  function closeCycle(i: number, now: number, how: "paid" | "cancelled" | "handover"): void {
    const s = states[i] as DebtorState;
    const c = s.cycle as Cycle;
    c.closed = true;
    c.pending = null;
    c.stepVersion = ++versions;
    if (how === "cancelled") c.record.cancelled = true;
    if (how === "paid" && c.paidAt !== null) {
      c.record.daysToPay = Math.max(0, (c.paidAt - c.dueMs) / DAY);
      s.lateTimes.push(now);
    }
    c.record.protected = s.hardship || s.d.vulnerable;
    invoices.push(c.record);
    // The cycle's own pauses end with its debt (a stop from outside would stay).
    liftPauses(s, ["arrangement", "payment_date", "already_paid", "dispute"]);
    if (how === "handover") {
      s.finished = true; // no more buying on account after a handover
      return;
    }
    const today = localParts(now, s.d.timeZone).date;
    const nextDue = addDays(today, Math.max(1, Math.ceil(c.draws.gapDays)));
    if (Number(nextDue.slice(0, 4)) > population.year) s.finished = true;
    else schedule(i, "start", zonedTimeToEpoch(addDays(nextDue, 1), 0, 0, s.d.timeZone), c.index + 1);
  }

  function startCycle(i: number, now: number, index: number): void {
    const s = states[i] as DebtorState;
    const { d, persona } = s;
    const draws = drawCycle(population, seed, d, index);
    const dueDate = addDays(localParts(now, d.timeZone).date, -1);
    const dueMs = zonedTimeToEpoch(dueDate, 0, 0, d.timeZone);
    const c: Cycle = {
      index, draws, invoiceId: `${d.id}_i${index}`, dueDate, dueMs,
      position: { ladderKey: null, nextStep: 0, stepsTaken: 0, anchorDueDate: dueDate, lastStepAt: null },
      legal: { fourteenDayLetterPostedOn: null, beFirstReminder: null, announced: null },
      pending: null, stepVersion: 0, paidAt: null, knownVersion: 0, contactNo: 0, lastChannels: [], lastSegment: null, credited: false, closed: false,
      record: {
        debtor: i, persona: d.persona, cycle: index, month: Number(dueDate.slice(5, 7)) - 1, amountCents: draws.amountCents,
        daysToPay: null, arranged: false, cancelled: false, handedOver: false, vulnerable: d.vulnerable, protected: false,
        contacts: { email: 0, sms: 0, letter: 0, call: 0 }, costCents: 0, handoverCostCents: 0, complaints: 0,
        helpOffered: false, helpRequested: false, crossed: 0, firstLetterDay: null, choices: 0, choiceValue: 0, choiceBest: 0,
      },
    };
    s.cycle = c;
    if (draws.unpromptedDays !== null) setPaid(i, c, now + draws.unpromptedDays * DAY);
    if (draws.payday) {
      const day = persona.payday.day_of_month;
      const [y, m, dd] = dueDate.split("-").map(Number) as [number, number, number];
      const month = dd < day ? m : m + 1;
      const date = `${month > 12 ? y + 1 : y}-${String(((month - 1) % 12) + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
      setPaid(i, c, zonedTimeToEpoch(date, 12, 0, d.timeZone));
    }
    replan(i, now);
  }

  function runStep(i: number, now: number, version: number): void {
    const s = states[i] as DebtorState;
    const c = s.cycle;
    if (!c || c.closed || version !== c.stepVersion || !c.pending) return;
    let p: Plan = c.pending;
    // Kindly chooses channels with the tenant priors of the moment, as the DO re-plans when the
    // step fires; fixed channels and the oracle's truth do not change between plan and step.
    if (mode === "kindly" && p.step.channels === "auto") {
      p = plan(s, c, now);
      if (p.kind !== "step" || p.at > now + 1000) {
        c.stepVersion = ++versions;
        c.pending = p.kind === "step" ? p : null;
        if (p.kind === "step") schedule(i, "step", p.at, c.stepVersion);
        return;
      }
    }
    execute(i, s, c, p, now);
  }

  function execute(i: number, s: DebtorState, c: Cycle, p: Extract<Plan, { kind: "step" }>, now: number): void {
    const { d, persona } = s;
    const r = c.record;
    const today = localParts(now, d.timeZone).date;
    const view: StepView = { state: engineState(s, c, now), policy, plan: p, today, now, known: c.closed };
    const sent = p.step.kind === "handover_ready" ? [] : p.channels.filter((ch) => ch !== "banner"); // the in-app banner is no contact
    limits.contacts += sent.length;
    checkContact(limits, view, sent);
    if (mode !== "fixed") {
      const v = choiceValue(view, o.policy, s.persona, c.contactNo + 1, sent);
      if (v) (r.choices++, (r.choiceValue += v.value), (r.choiceBest += v.best));
    }
    if (p.step.kind === "handover_ready") {
      r.handedOver = true;
      r.handoverCostCents += econ.handover_cost_cents;
      if (c.paidAt !== null && c.paidAt <= now) closeCycle(i, now, "paid");
      else closeCycle(i, now, "handover");
      return;
    }
    const helpStep = c.position.stepsTaken + 1 >= policy.help.offer_help_from_step;
    for (const ch of sent) {
      const k = Math.min(++c.contactNo, MAX_CONTACTS) - 1;
      s.contacts.push({ at: now, channel: ch });
      r.contacts[ch as ContactChannel]++;
      r.costCents += policy.channel_costs_cents[ch];
      bump(s.history, ch, false);
      if (mode === "kindly") bump((priors[p.explanation.segment.key] ??= {}), ch, false);
      if (ch === "letter" && r.firstLetterDay === null) r.firstLetterDay = (now - c.dueMs) / DAY;
      if (helpStep) r.helpOffered = true;
      if (c.paidAt !== null && c.paidAt <= now) {
        r.crossed++;
        continue;
      }
      if (k === 0 && c.draws.crossed) {
        // Paid a few hours before the first reminder landed: the two cross.
        setPaid(i, c, now - 3 * HOUR);
        r.crossed++;
        continue;
      }
      if (ch === "email" && d.emailBounces) {
        schedule(i, "block", now + 10 * 60_000, 0, "email");
        continue;
      }
      if (ch === "letter" && d.addressWrong) {
        schedule(i, "block", now + RETURN_DAYS * DAY, 0, "letter");
        continue;
      }
      const arrives = now + (ch === "letter" ? LETTER_TRANSIT_DAYS * DAY : 0);
      if (c.draws.complaint[k]! < persona.complaints[ch as ContactChannel]) {
        r.complaints++;
        // An email complaint stops email; an SMS complaint is a STOP for the number.
        if (ch === "email" || ch === "sms") schedule(i, "block", arrives + HOUR, 0, ch);
      }
      if (helpStep && !s.hardship && !r.helpRequested) {
        const chance = p.step.template.includes("help") ? persona.help.per_help_message : persona.help.per_offer;
        if (c.draws.help[k]! < chance) schedule(i, "help", arrives + DAY, c.stepVersion);
      }
      if (k === 0 && c.draws.dispute) schedule(i, "dispute", arrives + DAY, 0);
      if (c.draws.response[k]! < chanceAt(persona.response[ch], k + 1)) {
        const at = arrives + c.draws.delayDays[k]! * DAY;
        if (c.draws.arrangement[k]! < persona.arrangement.share) schedule(i, "arrange", at, 0);
        else setPaid(i, c, at);
      }
    }
    if (p.step.kind === "nl_fourteen_day_letter" && sent.includes("letter")) {
      c.legal = { ...c.legal, fourteenDayLetterPostedOn: today, announced: { cents: p.costs.announcedCents, invoiceIds: [c.invoiceId] } };
    }
    const beChannel = sent.find((x): x is "email" | "letter" => x === "email" || x === "letter");
    if (p.step.kind === "be_first_reminder" && beChannel && !c.legal.beFirstReminder) {
      c.legal = { ...c.legal, beFirstReminder: { sentOn: today, channel: beChannel }, announced: { cents: p.costs.announcedCents, invoiceIds: [c.invoiceId] } };
    }
    c.position = { ladderKey: p.ladderKey, nextStep: p.stepIndex + 1, stepsTaken: c.position.stepsTaken + 1, anchorDueDate: c.position.anchorDueDate, lastStepAt: now };
    c.lastChannels = sent;
    c.lastSegment = p.explanation.segment.key;
    c.credited = false;
    s.contacts = s.contacts.filter((x) => x.at >= now - USED_WINDOW);
    replan(i, now);
  }

  function arrange(i: number, s: DebtorState, c: Cycle, now: number): void {
    if (c.paidAt !== null && c.paidAt <= now) return;
    if (!policy.arrangements.enabled) return setPaid(i, c, now);
    c.record.arranged = true;
    creditLastStep(s, c);
    s.pauses.push({ kind: "arrangement", from: now, until: null });
    // Confirmed by SMS and email, outside the contact budget (bol.com practice).
    if (!s.blocked.has("sms")) c.record.costCents += policy.channel_costs_cents.sms;
    if (!s.blocked.has("email")) c.record.costCents += policy.channel_costs_cents.email;
    const today = localParts(now, s.d.timeZone).date;
    const payday = policy.payment_date.payday_of_month;
    let first = `${addDays(today, 5).slice(0, 8)}${String(payday).padStart(2, "0")}`;
    if (first < addDays(today, 5)) first = `${addDays(first, 31).slice(0, 8)}${String(payday).padStart(2, "0")}`;
    let last = first;
    for (let n = 1; n < s.persona.arrangement.instalments; n++) last = `${addDays(last, 31).slice(0, 8)}${String(payday).padStart(2, "0")}`;
    setPaid(i, c, zonedTimeToEpoch(last, 12, 0, s.d.timeZone));
    replan(i, now);
  }

  for (;;) {
    const at = queue.peekValue();
    const id = queue.pop();
    if (id === undefined || at === undefined) break;
    const ev = events[id] as SimEvent;
    const s = states[ev.debtor] as DebtorState;
    const c = s.cycle;
    if (ev.kind === "start") {
      if (!c || c.closed) startCycle(ev.debtor, at, ev.version);
      continue;
    }
    if (!c || c.closed) continue;
    switch (ev.kind) {
      case "step":
        runStep(ev.debtor, at, ev.version);
        break;
      case "known":
        if (ev.version !== c.knownVersion) break;
        creditLastStep(s, c);
        closeCycle(ev.debtor, at, "paid");
        break;
      case "block":
        if (ev.channel && !s.blocked.has(ev.channel)) {
          s.blocked.add(ev.channel);
          replan(ev.debtor, at);
        }
        break;
      case "help":
        if (s.hardship) break;
        s.hardship = true;
        c.record.helpRequested = true;
        s.pauses.push({ kind: "help", from: at, until: at + HELP_PAUSE_DAYS * DAY });
        replan(ev.debtor, at);
        break;
      case "dispute": {
        const dispute = c.draws.dispute;
        if (!dispute || (c.paidAt !== null && c.paidAt <= at)) break;
        s.pauses.push({ kind: "dispute", from: at, until: null });
        schedule(ev.debtor, "dispute_end", at + dispute.days * DAY, 0);
        replan(ev.debtor, at);
        break;
      }
      case "dispute_end":
        liftPauses(s, ["dispute"]);
        if (c.draws.dispute?.upheld && (c.paidAt === null || c.paidAt > at)) closeCycle(ev.debtor, at, "cancelled");
        else replan(ev.debtor, at);
        break;
      case "arrange":
        arrange(ev.debtor, s, c, at);
        break;
    }
  }
  // What is still open at the end was not paid within the simulation.
  for (const s of states) {
    if (s.cycle && !s.cycle.closed) {
      s.cycle.record.protected = s.hardship || s.d.vulnerable;
      invoices.push(s.cycle.record);
    }
  }
  invoices.sort((a, b) => a.debtor - b.debtor || a.cycle - b.cycle);
  return { mode, invoices, limits, plans };
}
