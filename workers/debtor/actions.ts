/**
 * What a debtor (through a signed link) or the merchant (through the API, e.g. after a phone
 * call) can change: "I already paid", a payment date, an arrangement, help, a dispute, and the
 * stops the law and the NVVK covenant require. Synchronous: callers wrap it in transactionSync.
 */
import { mayUse, USED_CHANNELS_WINDOW_MS } from "../policy/channel-rules";
import type { Channel } from "../policy/policy-schema";
import { SEND_HOUR } from "../policy/engine";
import type { PauseKind } from "../policy/engine-types";
import { latestPaymentDate } from "./self-service-view";
import type { SelfServiceAction, SelfServiceResult } from "./self-service-types";
import { addDays, localParts, zonedTimeToEpoch } from "../zoned-time";
import type { PolicyState } from "./policy-state";
import type { RunContext } from "./run-context";
import type { Runner } from "./runner";
import type { DebtorStore } from "./store";
import { announceMissedInstalment, confirmArrangement, scheduleInstalmentReminders } from "./messages";

const DAY_MS = 24 * 3600_000;
/** Help asked: reminders rest while the merchant reaches out and the debtor finds help. */
const HELP_PAUSE_DAYS = 30;
/** Days after an instalment's due date before it counts as missed (bank transfers take time). */
export const INSTALMENT_GRACE_DAYS = 3;

export interface ActionDeps {
  store: DebtorStore;
  ps: PolicyState;
  rc: RunContext;
  runner: Runner;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** Meta key: what the debtor had paid when the arrangement started (instalments count from there). */
export const ARRANGEMENT_PAID_BEFORE = "arrangement_paid_before";
const fail = (code: "invalid_state" | "validation_failed", message: string, field?: string): SelfServiceResult => ({ ok: false, code, message, field });

/** Applies one choice of the debtor; every accepted choice re-plans the ladder. */
export function applyAction(d: ActionDeps, action: SelfServiceAction, now: number, source: "debtor" | "merchant"): SelfServiceResult {
  const debtor = d.store.debtor();
  const open = d.store.openInvoices();
  if (!debtor) return { ok: false, code: "not_found", message: "Debtor not found." };
  if (open.length === 0) return fail("invalid_state", "Nothing is open: there is nothing to pay.");
  const today = localParts(now, debtor.time_zone).date;
  const policy = d.rc.policy;
  let result: SelfServiceResult;
  switch (action.kind) {
    case "already_paid": {
      // Once a month is enough to let a crossed payment arrive; saying it again does not pause again.
      const recent = d.ps.pauseRows().find((p) => p.kind === "already_paid" && p.from_at > now - 30 * DAY_MS);
      if (recent) return { ok: true, message: "already_paid", until: iso(recent.until_at) };
      const until = now + policy.already_paid_pause_days * DAY_MS;
      d.ps.liftPauses(["already_paid"], now);
      d.ps.addPause("already_paid", now, until);
      d.store.emit("debtor.already_paid", now, { source, until: iso(until) });
      result = { ok: true, message: "already_paid", until: iso(until) };
      break;
    }
    case "payment_date": {
      const latest = latestPaymentDate(d, today);
      if (action.date <= today) return fail("validation_failed", "Choose a date after today.", "date");
      if (!latest || action.date > latest) return fail("validation_failed", `Choose a date on or before ${latest}.`, "date");
      // Reminders land just after the chosen date: the morning after, in the debtor's zone.
      const until = zonedTimeToEpoch(addDays(action.date, 1), SEND_HOUR, 0, debtor.time_zone);
      d.ps.liftPauses(["payment_date"], now);
      d.ps.addPause("payment_date", now, until, { date: action.date });
      d.store.emit("debtor.payment_date_chosen", now, { source, date: action.date });
      result = { ok: true, message: "payment_date", until: iso(until) };
      break;
    }
    case "arrangement":
      result = createArrangement(d, action.instalments, today, now, source);
      break;
    case "help": {
      const until = now + HELP_PAUSE_DAYS * DAY_MS;
      d.ps.addPause("help", now, until);
      // Someone who says they cannot pay is in hardship: afterwards the gentle ladder, never escalated.
      d.ps.setFlag("hardship", true);
      d.store.emit("debtor.help_requested", now, { source, until: iso(until) });
      result = { ok: true, message: "help", until: iso(until) };
      break;
    }
    case "dispute": {
      d.ps.addPause("dispute", now, null, { reason: action.reason });
      // The reason stays in this object; the event (and so D1) carries a reference.
      d.store.emit("debtor.disputed", now, { source, note_id: d.store.note("dispute_reason", action.reason, now) });
      result = { ok: true, message: "dispute", until: null };
      break;
    }
  }
  d.runner.replan(now);
  return result;
}

function createArrangement(d: ActionDeps, n: number, today: string, now: number, source: string): SelfServiceResult {
  const rules = d.rc.policy.arrangements;
  if (!rules.enabled) return fail("invalid_state", "This shop does not offer payment arrangements online. Please contact them.");
  // One arrangement at a time: a repeated request must not re-send confirmations (each SMS costs).
  if (d.ps.pauseRows().some((p) => p.kind === "arrangement")) return fail("invalid_state", "An arrangement is already running. Contact the shop to change it.");
  if (!Number.isInteger(n) || n < 2 || n > rules.max_instalments) return fail("validation_failed", `Choose between 2 and ${rules.max_instalments} instalments.`, "instalments");
  const total = d.store.openInvoices().reduce((s, i) => s + i.amount_cents - i.paid_cents, 0);
  const base = Math.floor(total / n);
  if (base < rules.min_instalment_cents) return fail("validation_failed", `Each instalment must be at least ${rules.min_instalment_cents} cents.`, "instalments");
  // First instalment on the first payday at least 5 days away, then monthly.
  const payday = d.rc.policy.payment_date.payday_of_month;
  const soonest = addDays(today, 5);
  let [y, m] = soonest.split("-").map(Number) as [number, number];
  if (Number(soonest.slice(8)) > payday) [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  const rows = Array.from({ length: n }, (_, i) => {
    const mm = ((m - 1 + i) % 12) + 1;
    const yy = y + Math.floor((m - 1 + i) / 12);
    return { seq: i + 1, due_date: `${yy}-${String(mm).padStart(2, "0")}-${String(payday).padStart(2, "0")}`, amount_cents: i === n - 1 ? total - base * (n - 1) : base };
  });
  d.ps.replaceInstalments(rows);
  d.ps.liftPauses(["arrangement"], now);
  d.ps.addPause("arrangement", now, null, { instalments: n, total_cents: total });
  const tz = d.store.debtor()?.time_zone ?? "Europe/Amsterdam";
  for (const r of rows) d.store.putSchedule(`instalment:${r.seq}`, "instalment", zonedTimeToEpoch(addDays(r.due_date, INSTALMENT_GRACE_DAYS), SEND_HOUR, 0, tz), { seq: r.seq, from: now });
  scheduleInstalmentReminders(d, rows, tz, now);
  d.store.setMeta(ARRANGEMENT_PAID_BEFORE, String(d.store.totalPaid()));
  d.store.emit("arrangement.created", now, { source, instalments: n, total_cents: total, first_due_date: rows[0]?.due_date ?? null });
  d.runner.creditLastStep(now, "arrangement");
  confirmArrangement(d, now);
  return { ok: true, message: "arrangement", until: null, instalments: rows.map((r) => ({ dueDate: r.due_date, amountCents: r.amount_cents })) };
}

/** An instalment's grace period ended: paid on time, or missed (the ladder resumes). */
export function checkInstalment(d: ActionDeps, seq: number, now: number): void {
  d.store.deleteSchedule(`instalment:${seq}`);
  const rows = d.ps.instalments();
  if (!rows.some((r) => r.seq === seq) || d.ps.pauseRows().every((p) => p.kind !== "arrangement")) return;
  const due = rows.filter((r) => r.seq <= seq).reduce((s, r) => s + r.amount_cents, 0);
  const paid = d.store.totalPaid() - Number(d.store.meta(ARRANGEMENT_PAID_BEFORE) ?? 0);
  if (paid >= due) {
    d.ps.setInstalmentStatus(seq, "paid");
    // The last instalment paid: the arrangement is done, and its pause with it.
    if (seq === Math.max(...rows.map((r) => r.seq))) {
      d.ps.liftPauses(["arrangement"], now);
      d.store.emit("arrangement.completed", now, { instalments: rows.length });
      d.runner.replan(now);
    }
    return;
  }
  d.ps.setInstalmentStatus(seq, "missed");
  d.ps.liftPauses(["arrangement"], now);
  for (const r of rows) d.store.deleteSchedule(`instalment:${r.seq}`);
  d.store.emit("arrangement.missed", now, { instalment: seq, due_cents: due, paid_cents: paid });
  announceMissedInstalment(d, seq, now);
  // NL cumulatieregeling: after a missed instalment costs need a new, valid 14-day letter.
  const ladder = d.store.ladder();
  if (ladder) {
    const steps = d.rc.policy.ladders[ladder.ladder_key ?? ""]?.steps ?? [];
    const letterAt = steps.findIndex((s) => s.kind === "nl_fourteen_day_letter");
    const next = letterAt >= 0 && ladder.next_step > letterAt ? letterAt : ladder.next_step;
    d.store.saveLadder({ ...ladder, nl_letter_posted_on: null, next_step: next, last_step_at: now });
  }
  d.runner.replan(now);
}

/** Merchant-side stops: a debt counsellor's notice (NVVK: 8 months) or a court breathing space. */
export function addStop(d: ActionDeps, kind: Extract<PauseKind, "debt_counselling" | "breathing_space" | "dispute">, until: number | null, now: number, data: Record<string, unknown>): void {
  d.ps.addPause(kind, now, until, data);
  d.store.emit(`debtor.${kind}`, now, { until: iso(until), ...data });
  d.runner.replan(now);
}

/** Lifts merchant-side stops (dispute resolved, counselling ended early); returns how many were lifted. */
export function liftStops(d: ActionDeps, kinds: PauseKind[], now: number): number {
  const n = d.ps.liftPauses(kinds, now);
  if (n > 0) d.store.emit("debtor.pause_lifted", now, { kinds });
  d.runner.replan(now);
  return n;
}
