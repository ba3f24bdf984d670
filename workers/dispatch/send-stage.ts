/**
 * The send stage: takes one outbox row (a channel, what it must say, the invoices it covers) and
 * either sends it once, holds it back, or gives it up, on whatever adapter the registry has for
 * its channel. It knows no channel or provider by name.
 *
 * "Sent once" comes from the row's state plus the provider's idempotency key: the rendered
 * message is stored and the row marked "sending" before the provider is called, and a retry after
 * a crash resends those exact bytes with the same key. The final checks, the send and the
 * recording of its outcome run in the debtor's exclusive section (the DebtorDO's
 * blockConcurrencyWhile), so nothing goes out after a payment was acknowledged.
 *
 * Nothing counts as sent unless it was sent: in live mode a channel without working credentials
 * or a valid sender is unavailable (the step falls back or waits, and the shop is told); in
 * sandbox mode the message is kept in the sandbox outbox, and every event and milestone says so.
 */
import type { ChannelAdapter, SendInput, WireSender } from "../channels/adapter";
import { keepInSandbox } from "../channels/sandbox";
import { senderOf } from "../channels/registry";
import { sha256Hex } from "../crypto";
import { fallBack } from "../debtor/channel-feedback";
import { composeMessage, type ComposedMessage } from "../debtor/compose";
import { isServiceMessage, sendsWithNothingOpen } from "../templates/keys";
import type { PolicyState } from "../debtor/policy-state";
import type { RenderedMessage } from "../debtor/render";
import { identityOf, type RunContext } from "../debtor/run-context";
import type { OutboxDetails, Runner } from "../debtor/runner";
import type { DebtorStore, InvoiceRow, OutboxRow } from "../debtor/store";
import { nextAllowedContactTime } from "../policy/calendar";
import { isContact, mayUse, quietKindOf, USED_CHANNELS_WINDOW_MS } from "../policy/channel-rules";
import { activePause, earliestContact, inSendSlot } from "../policy/engine";
import { announcedCosts } from "../policy/engine-costs";
import type { Channel } from "../policy/policy-schema";
import { localParts, zonedTimeToEpoch } from "../zoned-time";
import { applyResult, channelUnavailable, finish } from "./outcome";
import { recordSent } from "./sent";

export interface SendContext {
  store: DebtorStore;
  ps: PolicyState;
  runner: Runner;
  env: Env;
  rc: RunContext;
  tenantId: string;
  debtorId: string;
  /** Outbox ids being sent by this instance right now (a second tick must not send them too). */
  inFlight: Set<string>;
  /** Runs `fn` with no other request or alarm interleaving (blockConcurrencyWhile). */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * If a queued dispatch never arrives (a lost message), the alarm enqueues it again after this;
 * a row still waiting after that waits twice as long each time, so a backed-up queue gets few copies.
 */
export const SAFETY_NET_MS = 60_000;

/** Marks a row whose provider call has started and not yet ended (known-safe failures clear it). */
export const IN_FLIGHT = "in_flight";

/**
 * Messages the person asked for or agreed to (an arrangement confirmation, a reminder before an
 * instalment, the thank-you) go out during the pause the arrangement itself started and outside
 * the contact budget (templates/keys.ts).
 */
const requested = (details: OutboxDetails) => isServiceMessage(details.kind);

const signature = (rows: InvoiceRow[]) => rows.map((i) => `${i.id}:${i.paid_cents}`).join(",");

export function openOf(store: DebtorStore, row: OutboxRow): InvoiceRow[] {
  return (JSON.parse(row.invoice_ids) as string[]).map((id) => store.invoice(id)).filter((i): i is InvoiceRow => i?.status === "open");
}

/** The step a row belongs to: its id up to the channel (`ob_c1_s3_`); fallback rows share it. */
export const stepPrefix = (outboxId: string) => outboxId.slice(0, outboxId.lastIndexOf("_") + 1);

/** Sends outbox row `outboxId` if it is still due; safe to call any number of times. */
export async function sendOutboxRow(ctx: SendContext, outboxId: string): Promise<void> {
  // Another delivery of the same message is sending it right now: that one decides.
  if (ctx.inFlight.has(outboxId)) return;
  ctx.inFlight.add(outboxId);
  try {
    await sendOnce(ctx, outboxId);
  } finally {
    ctx.inFlight.delete(outboxId);
  }
}

/** Why a decided message may no longer go out now: an active pause, a block, or protection. */
function stillRefused(ctx: SendContext, channel: Channel, now: number): "paused" | string | null {
  if (activePause(ctx.ps.pauses(), now)) return "paused";
  const block = ctx.ps.blocked().find((b) => b.channel === channel);
  if (block) return `${channel} ${block.reason}`;
  const usedChannels = ctx.ps.channelsUsedSince(now - USED_CHANNELS_WINDOW_MS);
  if (!mayUse(channel, { blocked: [], isProtected: ctx.ps.isProtected(), usedChannels })) return `${channel} not used for a protected debtor`;
  return null;
}

/**
 * When this row may go out at the earliest: outside quiet hours (a row held back goes in the
 * debtor's own slot of the morning) and, unless the person asked for it, within the contact
 * budget counted from what actually went out (other steps' sent messages, at their send time).
 */
function earliestSend(ctx: SendContext, row: OutboxRow, channel: Channel, details: OutboxDetails, tz: string, now: number): number {
  const q = ctx.rc.policy.quiet_hours_override;
  const override = q ? { startHour: q.start_hour, endHour: q.end_hour } : undefined;
  const state = ctx.runner.engineState(now);
  const allowed = nextAllowedContactTime(now, tz, ctx.runner.country(), quietKindOf(channel), override);
  const quietOk = allowed > now ? inSendSlot(allowed, tz, state?.sendMinute ?? 0) : now;
  // A row already "sending" was counted when it first went to the provider: only quiet hours apply.
  if (row.status !== "pending" || requested(details) || !state || !isContact(channel)) return quietOk;
  const prefix = stepPrefix(row.id);
  // The step's own messages count together (a two-channel step is one moment), never against each other.
  const stepChannels = ctx.store
    .outboxWithPrefix(prefix)
    .filter((r) => r.status === "pending" || r.status === "sending" || r.status === "sent")
    .map((r) => r.channel as Channel)
    .filter(isContact);
  return Math.max(quietOk, earliestContact(now, stepChannels.length > 0 ? stepChannels : [channel], { ...state, contacts: ctx.ps.sentContacts(now, prefix) }, ctx.rc.policy));
}

/** A row ready to go out: its bytes, sender, adapter and key, worked out before the exclusive section. */
export interface Prepared {
  outboxId: string;
  channel: Channel;
  details: OutboxDetails;
  adapter: ChannelAdapter;
  who: { sender: WireSender | null; problem?: string };
  rendered: ComposedMessage;
  invoicesAtRender: InvoiceRow[];
  key: string;
}

async function sendOnce(ctx: SendContext, outboxId: string): Promise<void> {
  const p = await prepareSend(ctx, outboxId);
  if (!p) return;
  const { store } = ctx;
  const { mode, channels } = ctx.rc.delivery;
  await ctx.exclusive(async () => {
    // From here to the recorded outcome nothing interleaves: a payment waits for us, or we see it.
    const checked = finalCheck(ctx, p);
    if (!checked) return;
    const { current, open, now: now2 } = checked;
    const { adapter, key, rendered, who } = p;
    const sandbox = mode === "sandbox";
    // A provider without idempotency keys: a row found "in flight" may have been sent before a crash.
    if (!sandbox && !adapter.idempotent && current.status === "sending" && current.last_error === IN_FLIGHT) {
      return recordSent(ctx, { row: current, adapter, details: p.details, open, result: { ok: true, providerId: `unconfirmed_${key.slice(0, 24)}` }, sandbox, at: now2, unconfirmed: true, route: false, experiment: rendered.experiment });
    }
    store.markSending(outboxId, JSON.stringify(rendered), ctx.rc.clock.now(), IN_FLIGHT);
    const result = sandbox ? await keepInSandbox(ctx.env.DB, sandboxRow(ctx, current, rendered, key, who), now2) : await channels.send(adapter, sendInput(ctx, p, now2));
    await applyResult(ctx, { ...p, experiment: rendered.experiment }, current, open, result, sandbox);
  });
}

/**
 * Everything before the exclusive section: still due, outside quiet hours and within the budget
 * (else held back), the channel available (else fallback), the message rendered (or the bytes a
 * crashed attempt stored). Null: handled here, nothing to send now.
 */
export async function prepareSend(ctx: SendContext, outboxId: string): Promise<Prepared | null> {
  const { store } = ctx;
  store.setQueued(outboxId, null);
  const scheduleId = `dispatch:${outboxId}`;
  const row = store.outbox(outboxId);
  const debtor = store.debtor();
  if (!row || !debtor || !["pending", "sending"].includes(row.status)) {
    store.deleteSchedule(scheduleId);
    return null;
  }
  const channel = row.channel as Channel;
  const planned = JSON.parse(row.details) as OutboxDetails;
  const country = ctx.runner.country();
  const now = ctx.rc.clock.now();
  if (openOf(store, row).length === 0 && !sendsWithNothingOpen(planned.kind)) {
    finish(ctx, row, "suppressed", { reason: "paid_or_cancelled" });
    return null;
  }

  // Never in quiet hours, on a Sunday or a holiday, and never over the contact budget, even when
  // a retry, a late alarm or a fast-moving clock lands here: the alarm enqueues it again then.
  const at = earliestSend(ctx, row, channel, planned, debtor.time_zone, now);
  if (at > now) {
    store.putSchedule(scheduleId, "dispatch", at);
    store.emit("reminder.deferred", now, { outbox_id: row.id, step: row.step_key, channel, until: new Date(at).toISOString() }, null, `deferred_${row.id}_${at}`);
    return null;
  }

  const { mode, channels } = ctx.rc.delivery;
  const adapter = channels.forChannel(channel);
  const tenant = identityOf(ctx.rc.tenant);
  const ready = !adapter ? { ok: false as const, reason: `no provider is registered for ${channel}` } : mode === "live" ? adapter.live() : { ok: true as const };
  const who = adapter ? senderOf(adapter, tenant, debtor) : { sender: null, problem: undefined };
  // Live: a channel without credentials or a sender is unavailable. It never falls back to the sandbox.
  const unavailable = !ready.ok ? ready.reason : mode === "live" && !who.sender ? (who.problem ?? "no sender") : null;
  if (unavailable || !adapter) {
    channelUnavailable(ctx, row, channel, unavailable ?? "no adapter", now);
    return null;
  }

  // A row already in "sending" crashed mid-send: resend exactly what was rendered then.
  let message: ComposedMessage | null = row.rendered ? (JSON.parse(row.rendered) as ComposedMessage) : null;
  const invoicesAtRender = openOf(store, row);
  // A legal notice announces costs for what is owed when it is written, not when it was planned.
  const principal = invoicesAtRender.reduce((s, i) => s + i.amount_cents - i.paid_cents, 0);
  const details: OutboxDetails = { ...planned, announcedCostsCents: announcedCosts(planned.kind, country, ctx.rc.policy, principal) };
  if (!message) {
    // A print service that takes a PDF gets one (live only: the sandbox shows the same letter as HTML).
    const print = { pdf: mode === "live" && adapter.format === "letter_pdf", postedLater: mode === "live" && adapter.postingDate === "provider_event" };
    message = await composeMessage(ctx, row, details, debtor, invoicesAtRender, country, now, print);
    if (!message) {
      finish(ctx, row, "skipped", { reason: `not reachable by ${channel}` });
      return null;
    }
  }
  const key = await sha256Hex(`${ctx.tenantId}\u0000${ctx.debtorId}\u0000${outboxId}`);
  return { outboxId, channel, details, adapter, who, rendered: message, invoicesAtRender, key };
}

/**
 * The last checks, inside the exclusive section: still open, not paused, blocked or protected,
 * amounts unchanged since rendering. Null: handled (suppressed, skipped with fallback, or
 * rendered again later), nothing goes out.
 */
export function finalCheck(ctx: SendContext, p: Prepared): { current: OutboxRow; open: InvoiceRow[]; now: number } | null {
  const { store } = ctx;
  const current = store.outbox(p.outboxId);
  if (!current || !["pending", "sending"].includes(current.status)) return null;
  const open = openOf(store, current);
  if (open.length === 0 && !sendsWithNothingOpen(p.details.kind)) {
    finish(ctx, current, "suppressed", { reason: "paid_or_cancelled" });
    return null;
  }
  // A row decided before a stop, a pause, a block or a protection flag must not go out now.
  const now = ctx.rc.clock.now();
  const refusal = requested(p.details) ? null : stillRefused(ctx, p.channel, now);
  if (refusal === "paused") {
    finish(ctx, current, "suppressed", { reason: "paused" });
    return null;
  }
  if (refusal) {
    finish(ctx, current, "skipped", { reason: refusal });
    fallBack(ctx, current, refusal, now);
    return null;
  }
  if (!current.rendered && signature(open) !== signature(p.invoicesAtRender)) {
    // Amounts changed while we rendered (a part payment): render again with what is left.
    store.putSchedule(`dispatch:${p.outboxId}`, "dispatch", now);
    return null;
  }
  return { current, open, now };
}

/** What the adapter is handed for this row. */
export function sendInput(ctx: SendContext, p: Prepared, now: number): SendInput {
  const debtor = ctx.store.debtor();
  return {
    idempotencyKey: p.key, tenantId: ctx.tenantId, debtorId: ctx.debtorId, outboxId: p.outboxId, message: p.rendered, sender: p.who.sender as WireSender,
    recipient: debtor ?? { name: "" }, expiresAt: quietStart(now, debtor?.time_zone ?? "Europe/Amsterdam"), now,
  };
}

/** When quiet hours begin today for the person: a provider that can expire a queued message drops it then. */
function quietStart(now: number, tz: string): number {
  return zonedTimeToEpoch(localParts(now, tz).date, 20, 0, tz);
}

function sandboxRow(ctx: SendContext, row: OutboxRow, m: RenderedMessage, key: string, who: { sender: WireSender | null; problem?: string }) {
  return {
    idempotencyKey: key, tenantId: ctx.tenantId, debtorId: ctx.debtorId, channel: row.channel as Channel, recipient: m.recipient, subject: m.subject, html: m.html, text: m.text, outboxId: row.id,
    sender: who.sender,
    // Shown to the shop in the sandbox: what would stop this message in live mode.
    ...(who.problem ? { senderNote: `not sendable in live mode: ${who.problem}` } : {}),
  };
}
