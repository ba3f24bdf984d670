/**
 * What happens after a message left: provider events (delivered, opened, bounced, returned...),
 * replies, and permanent failures. A bounced email or returned letter blocks that channel until a
 * new address arrives, a complaint stops email, and the step still reaches the person on another
 * channel when one is left. Synchronous: callers wrap it in transactionSync.
 */
import { fallbackChannel, USED_CHANNELS_WINDOW_MS } from "../policy/channel-rules";
import { activePause, earliestContact } from "../policy/engine";
import type { Channel } from "../policy/policy-schema";
import { isServiceMessage } from "../templates/keys";
import type { ActionDeps } from "./actions";
import { letterPosted } from "./legal-milestones";
import { STATUS_RANK, type ChannelEvent } from "./channel-events";
import type { OutboxRow } from "./store";

/** A failure reported later than this (a returned letter) gets no second channel for that step. */
const FALLBACK_WINDOW_MS = 48 * 3600_000;

/** Blocks the channel the message went on when the address itself does not work, and says why. */
function blockFor(ev: ChannelEvent): { channel: Channel; reason: string } | null {
  if (ev.type === "complained") return { channel: ev.channel, reason: "complained" };
  if (!ev.permanent) return null;
  const reason: Partial<Record<ChannelEvent["type"], string>> = { bounced: "bounced", returned: "returned", failed: "invalid", undelivered: "invalid" };
  const r = reason[ev.type];
  return r ? { channel: ev.channel, reason: r } : null;
}

/** Applies one provider event once (by its id); false when it was already applied or is unknown. */
export function applyChannelEvent(d: ActionDeps, ev: ChannelEvent, now: number): boolean {
  const key = `ch_${ev.provider}_${ev.providerEventId}`;
  const row = d.store.outbox(ev.outboxId);
  if (!row || d.store.hasEvent(key)) return false;
  const previous = row.delivery_status;
  // Status only moves forward: a late "delivered" after "opened" changes nothing but the log.
  if (!previous || STATUS_RANK[ev.type] > STATUS_RANK[previous as ChannelEvent["type"]]) d.store.setDeliveryStatus(row.id, ev.type);
  // Segment and the message's time: the dashboard's funnel counts this against the message's week.
  const segment = (JSON.parse(row.details) as { segment?: string }).segment ?? "unknown";
  d.store.emit(`channel.${ev.type}`, now, { outbox_id: row.id, channel: ev.channel, step: row.step_key, permanent: ev.permanent, detail: ev.detail ?? null, segment, message_at: row.created_at }, null, key);
  // The provider handed the letter to the post: a term waiting for that day starts now.
  if (ev.type === "mailed") letterPosted(d, row.id, ev.occurredAt);
  const block = blockFor(ev);
  if (block) {
    d.ps.block(block.channel, block.reason, now);
    d.store.emit("channel.blocked", now, { channel: block.channel, reason: block.reason }, null, `${key}_block`);
    if (block.reason !== "complained") fallBack(d, row, `${block.channel} ${block.reason}`, now);
  }
  d.runner.replan(now);
  return true;
}

/**
 * The step of `row` did not reach the person: try the next channel that can, within the same
 * limits (never a blocked channel, never escalating a protected debtor). The failed contact does
 * not count against the budget.
 */
export function fallBack(d: ActionDeps, row: OutboxRow, reason: string, now: number): void {
  d.ps.removeContact(row.id);
  if (isServiceMessage(row.step_key)) return;
  const debtor = d.store.debtor();
  const ladder = d.store.ladder();
  if (!debtor || !ladder) return;
  // Only the step in hand gets a second channel: not during a pause, not when a later step has
  // already run, not for a message from days ago (a letter can come back weeks later).
  const stepNo = Number(/_s(\d+)_/.exec(row.id)?.[1] ?? -1);
  const why = activePause(d.ps.pauses(), now) ? "paused" : stepNo !== ladder.steps_taken - 1 ? "a later step has run" : now - row.created_at > FALLBACK_WINDOW_MS ? "too late" : null;
  if (why) {
    d.store.emit("reminder.undeliverable", now, { outbox_id: row.id, step: row.step_key, reason, no_fallback: why }, null, `undeliverable_${row.id}`);
    return;
  }
  const prefix = row.id.slice(0, row.id.lastIndexOf("_") + 1);
  const tried = d.store.outboxWithPrefix(prefix).map((r) => r.channel as Channel);
  // Not the debtor's blocked or unreachable channels, nor ones the shop cannot send on, nor an escalation.
  const blocked = [...d.ps.unavailable(debtor), ...(Object.keys(d.runner.unavailable()) as Channel[])];
  const next = fallbackChannel(tried, { blocked, isProtected: d.ps.isProtected(), usedChannels: d.ps.channelsUsedSince(now - USED_CHANNELS_WINDOW_MS) });
  if (!next || d.store.openInvoices().length === 0) {
    d.store.emit("reminder.undeliverable", now, { outbox_id: row.id, step: row.step_key, reason }, null, `undeliverable_${row.id}`);
    return;
  }
  const id = `${prefix}${next}`;
  // Within the contact budget and outside quiet hours, like any other contact.
  const state = d.runner.engineState(now);
  const at = state ? earliestContact(now, [next], state, d.rc.policy) : now;
  d.store.createOutbox({ id, step_key: row.step_key, channel: next, tone: row.tone, status: "pending", invoice_ids: row.invoice_ids, created_at: now, details: row.details });
  d.ps.addContact(at, next, id);
  d.store.putSchedule(`dispatch:${id}`, "dispatch", at);
  d.store.emit("reminder.fallback", now, { from_outbox: row.id, to_channel: next, reason }, null, `fallback_${row.id}`);
  // The step is not done until the fallback went out: the next step waits for it.
  d.runner.replan(now);
}
