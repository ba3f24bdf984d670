/**
 * The harness: a simulated year of a population under one policy, driven by the real, pure
 * policy engine (`planNext`) with the simulator's own clock, debtor state and outcomes. It does
 * what a DebtorDO does around the engine (plan after every change, run a step when it is due,
 * count trials and credit the last step's channels when a payment or arrangement follows, feed
 * the tenant priors), without Durable Objects. Pure: no I/O, no clock reads.
 */
import FlatQueue from "flatqueue";
import { planNext } from "../workers/policy/engine";
import type { EngineState, PauseKind, Plan } from "../workers/policy/engine-types";
import type { Channel, TenantPolicy } from "../workers/policy/policy-schema";
import { addDays, localParts, zonedTimeToEpoch } from "../workers/zoned-time";
import { bump, engineStateOf, lastInstalmentDate, newCycle, paydayAfter, USED_WINDOW, type Cycle, type DebtorState } from "./debtor-state";
import { checkContact, choiceValue, type StepView } from "./limits";
import { fixedLadderPolicy, oraclePolicy, type PolicyMode } from "./policies";
import type { Persona, Population } from "./population";
import { noChecks, type ContactChannel, type InvoiceRecord, type RunResult } from "./records";
import { react, type DebtorEventKind } from "./reactions";
import { drawCycle, drawDebtor, MAX_CONTACTS } from "./world";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
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

type EventKind = "start" | "step" | "known" | "dispute_end" | DebtorEventKind;
interface SimEvent {
  debtor: number;
  kind: EventKind;
  version: number;
  channel?: Channel;
}

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

  const engineState = (s: DebtorState, c: Cycle, now: number): EngineState => engineStateOf(s, c, now, mode === "oracle", priors);

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
    arm(i, c, plan(s, c, now));
  }

  /** Keeps one "step" event for the plan: a step when it is due, a wait when it is looked at again. */
  function arm(i: number, c: Cycle, p: Plan): void {
    c.stepVersion = ++versions;
    c.pending = p.kind === "step" || p.kind === "waiting" ? p.at : null;
    if (c.pending !== null) schedule(i, "step", c.pending, c.stepVersion);
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
    const c = newCycle(d, index, draws, dueDate, dueMs);
    s.cycle = c;
    if (draws.unpromptedDays !== null) setPaid(i, c, now + draws.unpromptedDays * DAY);
    if (draws.payday) setPaid(i, c, zonedTimeToEpoch(paydayAfter(dueDate, persona.payday.day_of_month), 12, 0, d.timeZone));
    replan(i, now);
  }

  function runStep(i: number, now: number, version: number): void {
    const s = states[i] as DebtorState;
    const c = s.cycle;
    if (!c || c.closed || version !== c.stepVersion || c.pending === null) return;
    // Plan again when the step fires, as the DO does: the tenant priors, the channels used in the
    // last 90 days and the late payments of the last 12 months all move with the clock.
    const p = plan(s, c, now);
    if (p.kind === "step" && p.at <= now + 1000) execute(i, s, c, p, now);
    else arm(i, c, p);
  }

  function execute(i: number, s: DebtorState, c: Cycle, p: Extract<Plan, { kind: "step" }>, now: number): void {
    const r = c.record;
    const today = localParts(now, s.d.timeZone).date;
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
      const reaction = react({ s, c, channel: ch, k, now, helpStep, helpMessage: p.step.template.includes("help") });
      if (reaction.crossed) r.crossed++;
      if (reaction.complaint) r.complaints++;
      if (reaction.paidAt !== null) setPaid(i, c, reaction.paidAt);
      for (const e of reaction.events) schedule(i, e.kind, e.at, 0, e.channel);
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
    const last = lastInstalmentDate(localParts(now, s.d.timeZone).date, policy.payment_date.payday_of_month, s.persona.arrangement.instalments);
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
