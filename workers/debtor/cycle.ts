/**
 * The end of a reminder cycle and what follows from it: the chain KPIs of seed 004 (principal
 * recovered, costs and lead time next to satisfaction and repeat purchases) need to know, per
 * cycle, how it ended, for whom (segment, ladder, policy version, experiment variant) and when.
 *
 * A cycle starts with the first invoice registered while nothing is open and ends when nothing is
 * open any more. Its events are the ones after the previous `cycle.ended`. At the end the object
 * records `cycle.ended` (D1 keeps one row per cycle from it) and, when the tenant asks for it and
 * the cycle ended well, `nps.offered`: the debtor's page then asks one NPS question (seed 002:
 * bol.com measures NPS after contact). Never to protected debtors, at most once per half year.
 * Orders the shop reports later (`order.reported`) are matched to ended cycles in D1.
 */
import type { EventRow } from "./store";
import type { ActionDeps } from "./actions";
import type { LadderRow } from "./store";
import { addDays, localParts } from "../zoned-time";
import { daysBetween } from "../dashboard/weeks";

/** At most one NPS question per debtor in this many days (the issue: once per half year). */
export const NPS_INTERVAL_DAYS = 183;
/** The question stays on the debtor's page this many days after the cycle ended. */
export const NPS_OPEN_DAYS = 30;
const DAY_MS = 24 * 3600_000;

export type CycleOutcome = "paid" | "arrangement_kept" | "handed_over" | "cancelled";

/** What D1 keeps of an ended cycle (the `cycle.ended` event's data). */
export interface CycleEnd {
  cycle: number;
  end_date: string;
  outcome: CycleOutcome;
  ended_well: boolean;
  segment: string;
  ladder: string;
  policy_version: number;
  /** "experiment:variant" of the first message in an experiment, else "none". */
  variant: string;
  principal_cents: number;
  recovered_cents: number;
  costs_cents: number;
  /** Days from the earliest due date of the cycle to its end (0 when paid before it was due). */
  lead_days: number;
  /** Messages that went out (or were kept in the sandbox) in this cycle. */
  messages: number;
}

type Data = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);
const SENT = new Set(["reminder.sent", "call_task.created"]);

/** Summarises one cycle from its events (pure): what was owed, recovered, spent, and how it ended. */
export function summarizeCycle(
  events: { type: string; data: Data }[],
  at: { cycle: number; endDate: string; segment: string | null; ladder: string | null; policyVersion: number },
): CycleEnd {
  let principal = 0, recovered = 0, costs = 0, messages = 0, paid = 0;
  let handedOver = false, arrangementKept = false;
  let firstDue: string | null = null;
  let variant: string | null = null;
  let policyVersion: number | null = null;
  let segment = at.segment;
  for (const e of events) {
    const d = e.data;
    if (e.type === "invoice.registered") {
      principal += num(d.amount_cents);
      const due = str(d.due_date);
      if (due && (firstDue === null || due < firstDue)) firstDue = due;
    } else if (e.type === "payment.received") recovered += num(d.amount_cents);
    else if (e.type === "invoice.closed" && d.reason === "paid") paid++;
    else if (e.type === "invoice.handover_ready") handedOver = true;
    else if (e.type === "arrangement.completed") arrangementKept = true;
    else if (e.type === "reminder.decided") {
      policyVersion ??= typeof d.policy_version === "number" ? d.policy_version : null;
      segment = str(d.segment) ?? segment;
    } else if (SENT.has(e.type)) {
      messages++;
      costs += num(d.cost_cents);
      // The variant the debtor saw first is the one the whole cycle counts for.
      const experiment = str(d.experiment_id) ?? str(d.experiment);
      if (variant === null && experiment && str(d.variant)) variant = `${experiment}:${String(d.variant)}`;
    }
  }
  const outcome: CycleOutcome = handedOver ? "handed_over" : paid === 0 ? "cancelled" : arrangementKept ? "arrangement_kept" : "paid";
  return {
    cycle: at.cycle,
    end_date: at.endDate,
    outcome,
    ended_well: outcome === "paid" || outcome === "arrangement_kept",
    segment: segment ?? "none",
    ladder: at.ladder ?? "none",
    policy_version: policyVersion ?? at.policyVersion,
    variant: variant ?? "none",
    principal_cents: principal,
    recovered_cents: recovered,
    costs_cents: costs,
    lead_days: firstDue ? Math.max(0, daysBetween(firstDue, at.endDate)) : 0,
    messages,
  };
}

const parse = (e: EventRow): { type: string; data: Data } => ({ type: e.type, data: JSON.parse(e.data) as Data });

/**
 * Records the end of the cycle (once: the event key names the cycle) and, when the tenant asks
 * for feedback, offers the NPS question. Synchronous: runs inside the caller's transaction.
 */
export function recordCycleEnd(d: ActionDeps, ladder: LadderRow, now: number): void {
  const key = `cycle_ended_c${ladder.cycle}`;
  if (d.store.hasEvent(key)) return;
  const tz = d.store.debtor()?.time_zone ?? "Europe/Amsterdam";
  const events = d.store.eventsAfterLast("cycle.ended").map(parse);
  const end = summarizeCycle(events, {
    cycle: ladder.cycle, endDate: localParts(now, tz).date, segment: ladder.segment_key, ladder: ladder.ladder_key, policyVersion: d.rc.policyVersion,
  });
  // Decided before the end is recorded: the rules look at this cycle's events.
  const ask = end.ended_well && end.messages > 0 && npsAllowed(d, now);
  d.store.emit("cycle.ended", now, { ...end }, null, key);
  if (ask) {
    d.store.emit("nps.offered", now, { cycle: end.cycle, open_until: addDays(end.end_date, NPS_OPEN_DAYS) }, null, `nps_offered_c${end.cycle}`);
  }
}

/**
 * Whether this debtor may be asked when the current cycle ends well: the tenant wants feedback,
 * the person is not protected (now or during this cycle), and was not asked in the last half year.
 */
export function npsAllowed(d: Pick<ActionDeps, "store" | "ps" | "rc">, now: number): boolean {
  if (!d.rc.policy.nps_after_cycle) return false;
  const flags = d.ps.flags();
  if (flags.hardship || flags.vulnerable) return false;
  // A debtor in debt counselling or a breathing space, now or during this cycle, is protected too.
  if (d.ps.pauseRows().some((p) => p.kind === "debt_counselling" || p.kind === "breathing_space")) return false;
  if (d.store.eventsAfterLast("cycle.ended").some((e) => e.type === "debtor.debt_counselling" || e.type === "debtor.breathing_space")) return false;
  const last = d.store.lastEvent("nps.offered");
  return last === null || now - last.at >= NPS_INTERVAL_DAYS * DAY_MS;
}

/** The NPS question open for this debtor now, if any: the cycle it is about. */
export function openNps(d: Pick<ActionDeps, "store">, now: number): { cycle: number } | null {
  const offered = d.store.lastEvent("nps.offered");
  if (!offered) return null;
  const { cycle, open_until } = JSON.parse(offered.data) as { cycle: number; open_until: string };
  const tz = d.store.debtor()?.time_zone ?? "Europe/Amsterdam";
  if (localParts(now, tz).date > open_until || d.store.hasEvent(`nps_answered_c${cycle}`)) return null;
  // A new cycle began since (something is open again): the question is about a finished story only.
  if (d.store.openInvoices().length > 0) return null;
  return { cycle };
}

export type NpsResult = { ok: true; cycle: number } | { ok: false; code: "not_found" | "invalid_state"; message: string };

/**
 * Stores the debtor's answer once, for the cycle it was asked about, with that cycle's segment,
 * ladder, policy version and variant. A second answer for the same cycle changes nothing.
 */
export function answerNps(d: Pick<ActionDeps, "store">, score: number, comment: string | null, now: number): NpsResult {
  const offered = d.store.lastEvent("nps.offered");
  if (!offered) return { ok: false, code: "invalid_state", message: "No question is open." };
  const { cycle } = JSON.parse(offered.data) as { cycle: number };
  if (d.store.hasEvent(`nps_answered_c${cycle}`)) return { ok: true, cycle };
  if (!openNps(d, now)) return { ok: false, code: "invalid_state", message: "The question is closed." };
  const ended = d.store.eventByKey(`cycle_ended_c${cycle}`);
  if (!ended) return { ok: false, code: "invalid_state", message: "No question is open." };
  const end = JSON.parse(ended.data) as CycleEnd;
  d.store.emit(
    "nps.answered",
    now,
    { cycle, score, comment: comment?.trim() ? comment.trim().slice(0, 1000) : null, segment: end.segment, ladder: end.ladder, policy_version: end.policy_version, variant: end.variant, end_date: end.end_date },
    null,
    `nps_answered_c${cycle}`,
  );
  return { ok: true, cycle };
}

/** A later order the shop reported. */
export interface OrderInput {
  order_id: string;
  date: string;
  amount_cents: number;
}

export type OrderResult = { order_id: string; status: "recorded" | "duplicate" } | { order_id: string; status: "conflict"; message: string };

/**
 * Records later orders once each (the order id is the key): the same order again is a duplicate,
 * the same id with another date or amount a conflict. D1 matches them to ended cycles.
 */
export function recordOrders(d: Pick<ActionDeps, "store">, orders: OrderInput[], now: number): OrderResult[] {
  return orders.map((o) => {
    const key = `order_${o.order_id}`;
    const known = d.store.eventByKey(key);
    if (known) {
      const k = JSON.parse(known.data) as OrderInput;
      if (k.date === o.date && k.amount_cents === o.amount_cents) return { order_id: o.order_id, status: "duplicate" };
      return { order_id: o.order_id, status: "conflict", message: `Order ${o.order_id} was reported before with another date or amount.` };
    }
    d.store.emit("order.reported", now, { order_id: o.order_id, date: o.date, amount_cents: o.amount_cents }, null, key);
    return { order_id: o.order_id, status: "recorded" };
  });
}
