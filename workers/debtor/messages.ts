/**
 * Messages outside the ladder: the arrangement confirmation, a reminder a few days before each
 * instalment, a message when an instalment is missed, and the thank-you after payment. Each is an
 * outbox row the send stage sends like any other; what it says comes from its template.
 * Synchronous: callers wrap it in transactionSync.
 */
import { npsAllowed } from "./cycle";
import { SEND_HOUR, isContact } from "../policy/engine";
import { mayUse, USED_CHANNELS_WINDOW_MS } from "../policy/channel-rules";
import type { Channel } from "../policy/policy-schema";
import { SERVICE_MESSAGE_KINDS, type TemplateKey } from "../templates/keys";
import { addDays, zonedTimeToEpoch } from "../zoned-time";
import { ARRANGEMENT_PAID_BEFORE, type ActionDeps } from "./actions";
import type { OutboxDetails } from "./runner";

/** Days before an instalment's due date that its reminder goes out. */
export const INSTALMENT_REMINDER_DAYS = 3;

type MessageKind = "arrangement_confirmation" | "instalment_reminder" | "instalment_missed" | "payment_thanks";

/**
 * Queues one message on `channels` (each reachable one gets a row). `countsAsContact`: a reminder
 * (a missed instalment) spends the contact budget; confirmations and service messages the debtor
 * agreed to do not.
 */
export function queueMessage(
  d: ActionDeps,
  m: { kind: MessageKind; template: TemplateKey; channels: Channel[]; invoiceIds: string[]; now: number; key: string; countsAsContact: boolean; extra?: Pick<OutboxDetails, "instalmentSeq" | "paidCents"> },
): number {
  const ladder = d.store.ladder();
  const details: OutboxDetails = {
    kind: m.kind, template: m.template, segment: ladder?.segment_key ?? "", ladder: ladder?.ladder_key ?? "",
    announcedCostsCents: 0, chargeableCostsCents: 0, termEndDate: null, acknowledgeAlreadyPaid: false, ...m.extra,
  };
  let queued = 0;
  for (const channel of m.channels) {
    const id = `ob_${m.key}_${channel}`;
    const created = d.store.createOutbox({ id, step_key: m.kind, channel, tone: "friendly", status: "pending", invoice_ids: JSON.stringify(m.invoiceIds), created_at: m.now, details: JSON.stringify(details) });
    if (!created) continue;
    d.store.putSchedule(`dispatch:${id}`, "dispatch", m.now);
    if (m.countsAsContact && isContact(channel)) d.ps.addContact(m.now, channel, id);
    queued++;
  }
  return queued;
}

/**
 * The channels of `order` this message may use: never one the person opted out of, that does not
 * work or that the shop cannot send on; a protected debtor only where the channel rules allow
 * (policy/channel-rules.ts).
 */
function usable(d: ActionDeps, order: readonly Channel[], now: number): Channel[] {
  const debtor = d.store.debtor();
  if (!debtor) return [];
  const blocked = [...d.ps.unavailable(debtor), ...(Object.keys(d.runner.unavailable()) as Channel[])];
  const usedChannels = d.ps.channelsUsedSince(now - USED_CHANNELS_WINDOW_MS);
  return order.filter((c) => mayUse(c, { blocked, isProtected: d.ps.isProtected(), usedChannels }));
}

/** The first channel of `order` that reaches the debtor and may be used for them. */
function firstReachable(d: ActionDeps, order: Channel[], now: number): Channel[] {
  return usable(d, order, now).slice(0, 1);
}

/** Arrangements are confirmed by SMS (bol.com practice) and by email, outside the contact budget. */
export function confirmArrangement(d: ActionDeps, now: number): void {
  if (!d.store.debtor() || !d.store.ladder()) return;
  queueMessage(d, { kind: "arrangement_confirmation", template: "arrangement-confirmation", channels: usable(d, ["sms", "email"], now), invoiceIds: d.store.openInvoices().map((i) => i.id), now, key: `arr_${now}`, countsAsContact: false });
}

/** Schedules a reminder INSTALMENT_REMINDER_DAYS before each instalment that is still far enough away. */
export function scheduleInstalmentReminders(d: ActionDeps, rows: { seq: number; due_date: string }[], timeZone: string, now: number): void {
  for (const r of rows) {
    const at = zonedTimeToEpoch(addDays(r.due_date, -INSTALMENT_REMINDER_DAYS), SEND_HOUR, 0, timeZone);
    if (at > now) d.store.putSchedule(`instalment_reminder:${r.seq}`, "instalment", at, { seq: r.seq, remind: true, from: now });
  }
}

/** An instalment is due in a few days: remind the debtor, once, by email (else SMS), if it is not paid yet. */
export function remindInstalment(d: ActionDeps, seq: number, now: number): void {
  d.store.deleteSchedule(`instalment_reminder:${seq}`);
  const rows = d.ps.instalments();
  const row = rows.find((r) => r.seq === seq);
  if (!row || row.status !== "due" || d.ps.pauseRows().every((p) => p.kind !== "arrangement")) return;
  const due = rows.filter((r) => r.seq <= seq).reduce((s, r) => s + r.amount_cents, 0);
  const paid = d.store.totalPaid() - Number(d.store.meta(ARRANGEMENT_PAID_BEFORE) ?? 0);
  if (paid >= due) return;
  queueMessage(d, { kind: "instalment_reminder", template: "instalment-reminder", channels: firstReachable(d, ["email", "sms"], now), invoiceIds: d.store.openInvoices().map((i) => i.id), now, key: `inst_${seq}_${row.due_date}`, countsAsContact: false, extra: { instalmentSeq: seq } });
}

/** An instalment was missed: a kind message about it (a reminder, so it spends the contact budget). */
export function announceMissedInstalment(d: ActionDeps, seq: number, now: number): void {
  for (const r of d.ps.instalments()) d.store.deleteSchedule(`instalment_reminder:${r.seq}`);
  queueMessage(d, { kind: "instalment_missed", template: "instalment-missed", channels: firstReachable(d, ["email", "letter", "sms"], now), invoiceIds: d.store.openInvoices().map((i) => i.id), now, key: `missed_${seq}_${now}`, countsAsContact: true, extra: { instalmentSeq: seq } });
}

/**
 * Everything is paid: a short thank-you by email, when the tenant wants it and a reminder went out
 * this cycle (thanking someone who simply paid on time would be odd). Never by paid channels.
 */
export function thankForPayment(d: ActionDeps, paidInvoiceIds: string[], paidCents: number, now: number): void {
  // The NPS question (cycle.ts) travels by this message: a cycle's old links end with it.
  if (!(d.rc.policy.thank_you_after_payment || npsAllowed(d, now)) || d.store.openInvoices().length > 0) return;
  const ladder = d.store.ladder();
  // Only after a reminder that actually went out this cycle (not one decided and then suppressed).
  if (!ladder || !d.store.lastSentMessage(`ob_c${ladder.cycle}_`, "", SERVICE_MESSAGE_KINDS)) return;
  const channels = firstReachable(d, ["email"], now);
  queueMessage(d, { kind: "payment_thanks", template: "payment-thanks", channels, invoiceIds: paidInvoiceIds, now, key: `thanks_c${ladder.cycle}`, countsAsContact: false, extra: { paidCents } });
}
