/**
 * What happens to an outbox row after its provider answered (or the sandbox kept it): recorded as
 * sent, failed with a fallback to the next channel, the channel unavailable for the shop, or a
 * retry scheduled with backoff. The send stage and provider batches both end here.
 */
import type { ChannelAdapter, SendResult } from "../channels/adapter";
import { fallBack } from "../debtor/channel-feedback";
import type { OutboxDetails } from "../debtor/runner";
import type { InvoiceRow, OutboxRow } from "../debtor/store";
import type { Channel } from "../policy/policy-schema";
import { isServiceMessage } from "../templates/keys";
import type { SendContext } from "./send-stage";
import { recordSent } from "./sent";
import type { ComposedMessage } from "../debtor/compose";
import type { ExperimentTag } from "../experiments/choose";

/** Attempts before a send is given up as failed (rate limits do not count). */
export const MAX_ATTEMPTS = 8;
/** Backoff after the n-th failed attempt: 1, 2, 4 ... minutes (from `baseMs`), capped at 6 hours, ±20 % jitter. */
export function retryDelayMs(attempt: number, random: number, baseMs = 60_000): number {
  const base = Math.min(baseMs * 2 ** (attempt - 1), 6 * 3600_000);
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Records a provider's answer for a row marked "sending": sent, failed with fallback, unavailable, or a retry scheduled. */
/** The experiment whose words a row carried: as handed over, or from the bytes stored at sending (a batch member). */
function experimentOf(p: { experiment?: ExperimentTag | undefined }, row: OutboxRow): ExperimentTag | undefined {
  if (p.experiment) return p.experiment;
  return row.rendered ? (JSON.parse(row.rendered) as ComposedMessage).experiment : undefined;
}

export async function applyResult(ctx: SendContext, p: { outboxId: string; adapter: ChannelAdapter; details: OutboxDetails; channel: Channel; key: string; experiment?: ExperimentTag | undefined }, current: OutboxRow, open: InvoiceRow[], result: SendResult, sandbox: boolean): Promise<void> {
  const { store } = ctx;
  const { outboxId, adapter, details, channel, key } = p;
  const t = ctx.rc.clock.now();
  const experiment = experimentOf(p, current);
  if (result.ok) return recordSent(ctx, { row: current, adapter, details, open, result, sandbox, at: t, experiment });
  // An adapter that cannot deduplicate: after an ambiguous failure the message may exist, and a
  // second one would break "never twice", so it counts as sent, unconfirmed; the ladder goes on.
  if (result.maybeSent && !adapter.idempotent) return recordSent(ctx, { row: current, adapter, details, open, result: { ok: true, providerId: `unconfirmed_${key.slice(0, 24)}` }, sandbox, at: t, unconfirmed: true, route: false, experiment });
  if (result.unavailable) return channelUnavailable(ctx, current, channel, result.unavailable, t, true);
  const attempts = store.outbox(outboxId)?.attempts ?? MAX_ATTEMPTS;
  if (!result.retryable || (attempts >= MAX_ATTEMPTS && result.retryAfterMs === undefined)) {
    if (result.permanentAddressProblem) ctx.ps.block(channel, result.permanentAddressProblem, t);
    finish(ctx, current, "failed", { channel, error: result.error, attempts });
    return fallBack(ctx, current, result.error, t);
  }
  // Stays "sending" with its bytes: the retry resends them under the same key.
  if (result.retryAfterMs !== undefined) store.uncountAttempt(outboxId);
  store.setOutboxError(outboxId, result.error, t);
  // The object owns the retry (attempts, backoff with jitter, the give-up point): its alarm
  // enqueues the row again, so the queue's own retries and DLQ are left for unreachable objects.
  const afterMs = result.retryAfterMs ?? retryDelayMs(attempts, Math.random(), Number(ctx.env.DISPATCH_RETRY_BASE_MS ?? 60_000));
  store.putSchedule(`dispatch:${outboxId}`, "dispatch", t + afterMs);
}

/**
 * The channel cannot send for the shop (credentials, sender, refused by the provider): the row
 * did not go out, the shop is told why (event and merchant webhook), and the step falls back to
 * another channel or waits.
 */
export function channelUnavailable(ctx: SendContext, row: OutboxRow, channel: Channel, reason: string, now: number, refusedByProvider = false): void {
  ctx.store.emit("channel.unavailable", now, { channel, reason, outbox_id: row.id, step: row.step_key }, null, `unavailable_${row.id}`);
  // A row already "sending" from an earlier attempt may have gone out then: a second channel could
  // be a second reminder. Only a provider's refusal of this very attempt proves it did not.
  if (row.status === "sending" && !refusedByProvider) return finish(ctx, row, "failed", { channel, error: `${channel} unavailable: ${reason}` });
  finish(ctx, row, "skipped", { reason: `${channel} unavailable: ${reason}` });
  fallBack(ctx, row, `${channel} unavailable`, now);
}

const EVENTS = { sent: "reminder.sent", suppressed: "reminder.suppressed", skipped: "reminder.skipped", failed: "reminder.failed" } as const;

/** Moves a row to its final status, records the event, and lets the ladder plan on. */
export function finish(ctx: SendContext, row: OutboxRow, status: keyof typeof EVENTS, data: Record<string, unknown>, sentEvent?: string): void {
  const now = ctx.rc.clock.now();
  const channel = row.channel as Channel;
  ctx.store.setOutboxStatus(row.id, status, now, typeof data.error === "string" ? data.error : null);
  // A message that never went out gives its place in the contact budget back.
  if (status === "suppressed" || status === "skipped") ctx.ps.removeContact(row.id);
  if (status === "sent" && !isServiceMessage(row.step_key)) ctx.ps.recordTrial(channel);
  const type = status === "sent" ? (sentEvent ?? EVENTS.sent) : EVENTS[status];
  // The message's segment and time of decision: the dashboard's funnel counts it in that week.
  const segment = (JSON.parse(row.details) as { segment?: string }).segment ?? "unknown";
  ctx.store.emit(type, now, { outbox_id: row.id, step: row.step_key, channel, segment, message_at: row.created_at, ...data }, null, `${status}_${row.id}`);
  ctx.store.deleteSchedule(`dispatch:${row.id}`);
  // The step this row belonged to may be complete now: the next one is planned from its send.
  ctx.runner.replan(now);
}

