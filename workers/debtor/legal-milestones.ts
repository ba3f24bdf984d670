/**
 * Legal milestones of a reminder cycle: the day the NL 14-day letter was posted (its term runs
 * from the day after its presumed delivery, two days after posting without Sundays, Mondays and
 * holidays; law-nl.ts) and the BE first reminder (14 days from the day after an email, from the
 * third working day after posting a letter; law-be.ts). A milestone starts on the day the message
 * was handed over: at the send for most providers, or, for a provider that reports its posting
 * (ChannelAdapter.postingDate "provider_event"), on the day of that report, so the term never
 * starts before the letter is in the post. Synchronous: callers run it inside their transaction.
 */
import { milestoneOf } from "../policy/channel-rules";
import type { Channel } from "../policy/policy-schema";
import { localParts } from "../zoned-time";
import type { RunContext } from "./run-context";
import type { Runner } from "./runner";
import type { DebtorStore } from "./store";

/** What recording a milestone needs from the debtor's object. */
export interface MilestoneDeps {
  store: DebtorStore;
  rc: RunContext;
  runner: Runner;
}

/** What the message announced, fixed when it was written. */
export interface Announced {
  kind: string;
  announcedCostsCents: number;
}

/** The meta key of a letter waiting for its provider's posting event. */
const awaitingKey = (outboxId: string) => `posting:${outboxId}`;

/** Starts the milestone a message starts, counted from `day` (the debtor's calendar day). */
export function recordMilestone(d: MilestoneDeps, details: Announced, channel: Channel, day: string, invoiceIds: string[], sandbox: boolean): void {
  const ladder = d.store.ladder();
  const milestone = milestoneOf(details.kind, channel);
  if (!ladder || !milestone) return;
  // A live milestone replaces a sandbox one; a sandbox one never replaces a live one; the BE first
  // reminder is the first one only (a second "first reminder" starts nothing).
  if (sandbox && ladder.legal_mode !== "sandbox" && (ladder.nl_letter_posted_on || ladder.be_first_reminder)) return;
  if (milestone === "be_first_reminder" && ladder.be_first_reminder && ladder.legal_mode === (sandbox ? "sandbox" : null)) return;
  const legal = { legal_costs: JSON.stringify({ cents: details.announcedCostsCents, invoiceIds }), legal_mode: sandbox ? "sandbox" : null };
  if (milestone === "nl_fourteen_day_letter") d.store.saveLadder({ ...ladder, nl_letter_posted_on: day, ...legal });
  else d.store.saveLadder({ ...ladder, be_first_reminder: JSON.stringify({ sentOn: day, channel }), ...legal });
  d.store.emit("legal.milestone", d.rc.clock.now(), { milestone, channel, on: day, announced_costs_cents: details.announcedCostsCents }, null, `milestone_${milestone}_c${ladder.cycle}_${day}`);
  // The term now runs from a known day: plan again so the merchant's view shows when it ends.
  d.runner.replan(d.rc.clock.now());
}

/**
 * A letter that starts a term went to a provider that reports its posting: the milestone waits
 * for that report. Until it comes no term runs, so no cost can become chargeable for it.
 */
export function awaitPosting(d: MilestoneDeps, outboxId: string, details: Announced, channel: Channel, invoiceIds: string[], at: number): void {
  const milestone = milestoneOf(details.kind, channel);
  if (!milestone) return;
  d.store.setMeta(awaitingKey(outboxId), JSON.stringify({ details: { kind: details.kind, announcedCostsCents: details.announcedCostsCents }, channel, invoiceIds }));
  d.store.emit("legal.awaiting_posting", at, { milestone, channel, outbox_id: outboxId }, null, `awaiting_posting_${outboxId}`);
}

/** The provider reported posting a letter: its waiting milestone starts on that day. */
export function letterPosted(d: MilestoneDeps, outboxId: string, occurredAt: number): void {
  const waiting = d.store.meta(awaitingKey(outboxId));
  const debtor = d.store.debtor();
  if (!waiting || !debtor) return;
  const w = JSON.parse(waiting) as { details: Announced; channel: Channel; invoiceIds: string[] };
  d.store.deleteMeta(awaitingKey(outboxId));
  // A letter of a cycle that has ended (everything paid, a new cycle begun) starts nothing now.
  if (!outboxId.startsWith(`ob_c${d.store.ladder()?.cycle ?? -1}_`)) return;
  recordMilestone(d, w.details, w.channel, localParts(occurredAt, debtor.time_zone).date, w.invoiceIds, false);
}
