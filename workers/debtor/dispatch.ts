/**
 * Sends one outbox row. "Sent once" comes from the row's state plus the provider's idempotency
 * key: the rendered message is stored and the row marked "sending" before the provider is
 * called, and a retry after a crash resends those exact bytes with the same key. The final
 * open-invoice check, the send and the recording of its outcome run with no other request
 * interleaving, so nothing goes out after a payment was acknowledged.
 */
import { sendLetter, lettersAreLive } from "../channels/lob";
import { keepInSandbox, type SandboxChannel } from "../channels/sandbox";
import { sendSms, smsIsLive } from "../channels/twilio";
import { sendEmail, type SendResult } from "../channels/email";
import { sha256Hex } from "../crypto";
import { nextAllowedContactTime } from "../policy/calendar";
import { activePause } from "../policy/engine";
import { announcedCosts } from "../policy/engine-costs";
import type { Channel } from "../policy/policy-schema";
import { localParts, zonedTimeToEpoch } from "../zoned-time";
import type { PolicyState } from "./policy-state";
import { fallBack } from "./channel-feedback";
import { composeMessage } from "./compose";
import type { RenderedMessage } from "./render";
import type { RunContext } from "./run-context";
import type { OutboxDetails, Runner } from "./runner";
import type { DebtorStore, InvoiceRow, OutboxRow } from "./store";

export interface DispatchContext {
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

/** Attempts before a send is given up as failed (rate limits do not count). */
export const MAX_ATTEMPTS = 8;
/** If a queued dispatch never arrives (a lost message), the alarm enqueues it again after this. */
export const SAFETY_NET_MS = 15 * 60_000;

/** The consumer acks every handed-over row: the object owns its retries (its alarm re-enqueues). */
export type DispatchOutcome = { outcome: "done" };
const DONE: DispatchOutcome = { outcome: "done" };

/** Backoff after the n-th failed attempt: 1, 2, 4 ... minutes (from `baseMs`), capped at 6 hours, ±20 % jitter. */
export function retryDelayMs(attempt: number, random: number, baseMs = 60_000): number {
  const base = Math.min(baseMs * 2 ** (attempt - 1), 6 * 3600_000);
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Marks a row whose provider call has started and not yet ended (known-safe failures clear it). */
const IN_FLIGHT = "in_flight";

/** Why a decided message may no longer go out now: an active pause, a blocked channel, protection. */
function stillRefused(ctx: DispatchContext, channel: Channel, now: number): "paused" | string | null {
  if (activePause(ctx.ps.pauses(), now)) return "paused";
  const block = ctx.ps.blocked().find((b) => b.channel === channel);
  if (block) return `${channel} ${block.reason}`;
  if (ctx.ps.isProtected() && channel !== "email" && !ctx.ps.channelsUsedSince(now - 90 * 24 * 3600_000).includes(channel)) {
    return `${channel} not used for a protected debtor`;
  }
  return null;
}

const signature = (rows: InvoiceRow[]) => rows.map((i) => `${i.id}:${i.paid_cents}`).join(",");

/** Dispatches outbox row `outboxId` if it is still due; safe to call any number of times. */
export async function dispatchOutbox(ctx: DispatchContext, outboxId: string): Promise<DispatchOutcome> {
  // Another delivery of the same message is sending it right now: that one decides.
  if (ctx.inFlight.has(outboxId)) return DONE;
  ctx.inFlight.add(outboxId);
  try {
    return await dispatchOnce(ctx, outboxId);
  } finally {
    ctx.inFlight.delete(outboxId);
  }
}

function openOf(store: DebtorStore, row: OutboxRow): InvoiceRow[] {
  return (JSON.parse(row.invoice_ids) as string[]).map((id) => store.invoice(id)).filter((i): i is InvoiceRow => i?.status === "open");
}

async function dispatchOnce(ctx: DispatchContext, outboxId: string): Promise<DispatchOutcome> {
  const { store } = ctx;
  store.setQueued(outboxId, null);
  const scheduleId = `dispatch:${outboxId}`;
  const row = store.outbox(outboxId);
  const debtor = store.debtor();
  if (!row || !debtor || !["pending", "sending"].includes(row.status)) {
    store.deleteSchedule(scheduleId);
    return DONE;
  }
  const channel = row.channel as Channel;
  const planned = JSON.parse(row.details) as OutboxDetails;
  const country = ctx.runner.country();
  const now = ctx.rc.clock.now();
  if (openOf(store, row).length === 0 && planned.kind !== "arrangement_confirmation") return finish(ctx, row, "suppressed", { reason: "paid_or_cancelled" });

  // Never in quiet hours, on a Sunday or a holiday, even when a retry or late alarm lands there.
  const override = ctx.rc.policy.quiet_hours_override;
  const allowed = nextAllowedContactTime(now, debtor.time_zone, country, channel === "call" ? "call" : "message", override ? { startHour: override.start_hour, endHour: override.end_hour } : undefined);
  if (allowed > now) {
    // The alarm enqueues it again when the window opens.
    store.putSchedule(scheduleId, "dispatch", allowed);
    return DONE;
  }

  // A row already in "sending" crashed mid-send: resend exactly what was rendered then.
  let message: RenderedMessage | null = row.rendered ? (JSON.parse(row.rendered) as RenderedMessage) : null;
  const invoicesAtRender = openOf(store, row);
  // A legal notice announces costs for what is owed when it is written, not when it was planned.
  const principal = invoicesAtRender.reduce((s, i) => s + i.amount_cents - i.paid_cents, 0);
  const details: OutboxDetails = { ...planned, announcedCostsCents: announcedCosts(planned.kind, country, ctx.rc.policy, principal) };
  if (!message) {
    message = await composeMessage(ctx, row, details, debtor, invoicesAtRender, country, now);
    if (!message) return finish(ctx, row, "skipped", { reason: `not reachable by ${channel}` });
  }
  const rendered = message;
  const key = await sha256Hex(`${ctx.tenantId}\u0000${ctx.debtorId}\u0000${outboxId}`);

  return ctx.exclusive(async (): Promise<DispatchOutcome> => {
    // From here to the recorded outcome nothing interleaves: a payment waits for us, or we see it.
    const current = store.outbox(outboxId);
    if (!current || !["pending", "sending"].includes(current.status)) return DONE;
    const open = openOf(store, current);
    if (open.length === 0 && details.kind !== "arrangement_confirmation") return finish(ctx, current, "suppressed", { reason: "paid_or_cancelled" });
    // A row decided before a stop, a pause, a block or a protection flag must not go out now.
    const now2 = ctx.rc.clock.now();
    const refusal = details.kind === "arrangement_confirmation" ? null : stillRefused(ctx, channel, now2);
    if (refusal === "paused") return finish(ctx, current, "suppressed", { reason: "paused" });
    if (refusal) {
      const out = finish(ctx, current, "skipped", { reason: refusal });
      fallBack(ctx, current, refusal, now2);
      return out;
    }
    // Twilio has no idempotency key: a row found "in flight" may have been sent before a crash.
    if (channel === "sms" && current.status === "sending" && current.last_error === IN_FLIGHT) {
      return finish(ctx, current, "sent", { channel, segment: details.segment, unconfirmed: true, invoice_ids: open.map((i) => i.id) });
    }
    if (!current.rendered && signature(open) !== signature(invoicesAtRender)) {
      // Amounts changed while we rendered (a part payment): render again with what is left.
      store.putSchedule(scheduleId, "dispatch", ctx.rc.clock.now());
      return DONE;
    }
    store.markSending(outboxId, JSON.stringify(rendered), ctx.rc.clock.now(), IN_FLIGHT);
    const result = await send(ctx, channel, key, outboxId, rendered);
    const t = ctx.rc.clock.now();
    if (result.ok) {
      if (!result.sandbox) await recordRoute(ctx, channel, result.providerId, outboxId, t);
      // A letter printed abroad travels longer than the domestic two-day presumption assumes:
      // count the term from the provider's expected delivery when it is later (never too early).
      const handedOver = localParts(t, debtor.time_zone).date;
      const expected = "expectedDeliveryDate" in result && typeof result.expectedDeliveryDate === "string" ? result.expectedDeliveryDate : null;
      recordMilestones(ctx, details, channel, expected && expected > handedOver ? expected : handedOver, open.map((i) => i.id));
      // What the message cost: the print API's price when it gives one, else the policy's price.
      const cost = "costCents" in result && typeof result.costCents === "number" ? result.costCents : ctx.rc.policy.channel_costs_cents[channel];
      return finish(ctx, current, "sent", {
        channel, segment: details.segment, sandbox: result.sandbox, cost_cents: cost,
        invoice_ids: open.map((i) => i.id), total_cents: open.reduce((s, i) => s + i.amount_cents - i.paid_cents, 0),
      });
    }
    const attempts = store.outbox(outboxId)?.attempts ?? MAX_ATTEMPTS;
    if (!result.retryable || (attempts >= MAX_ATTEMPTS && result.retryAfterMs === undefined)) {
      if (result.permanentAddressProblem) ctx.ps.block(channel, result.permanentAddressProblem, t);
      const out = finish(ctx, current, "failed", { channel, error: result.error, attempts });
      fallBack(ctx, current, result.error, t);
      return out;
    }
    // Stays "sending" with its bytes: the retry resends them under the same key.
    if (result.retryAfterMs !== undefined) store.uncountAttempt(outboxId);
    store.setOutboxError(outboxId, result.error, t);
    // The object owns the retry (attempts, backoff with jitter, the give-up point): its alarm
    // enqueues the row again, so the queue's own retries and DLQ are left for unreachable objects.
    const afterMs = result.retryAfterMs ?? retryDelayMs(attempts, Math.random(), Number(ctx.env.DISPATCH_RETRY_BASE_MS ?? 60_000));
    store.putSchedule(scheduleId, "dispatch", t + afterMs);
    return DONE;
  });
}

type ChannelResult = SendResult & { permanentAddressProblem?: "opted_out" | "invalid" };

async function send(ctx: DispatchContext, channel: Channel, key: string, outboxId: string, m: RenderedMessage): Promise<ChannelResult> {
  const { env } = ctx;
  const now = ctx.rc.clock.now();
  const sandbox = (c: SandboxChannel) =>
    keepInSandbox(env.DB, { idempotencyKey: key, tenantId: ctx.tenantId, debtorId: ctx.debtorId, channel: c, recipient: m.recipient, subject: m.subject, html: m.html, text: m.text, outboxId }, now);
  try {
    if (channel === "email") return await sendEmail(env, { idempotencyKey: key, tenantId: ctx.tenantId, debtorId: ctx.debtorId, outboxId, to: m.recipient, subject: m.subject, html: m.html, text: m.text }, now);
    if (channel === "sms") {
      if (!smsIsLive(env)) return await sandbox("sms");
      // An SMS still queued at the provider when quiet hours begin must expire, not arrive at night.
      const debtor = ctx.store.debtor();
      const tz = debtor?.time_zone ?? "Europe/Amsterdam";
      const quietAt = zonedTimeToEpoch(localParts(now, tz).date, 20, 0, tz);
      const validitySeconds = Math.max(60, Math.min(14_400, Math.floor((quietAt - now) / 1000)));
      const r = await sendSms(env, { to: m.recipient, body: m.text, statusCallbackUrl: `${env.PUBLIC_BASE_URL.replace(/\/+$/, "")}/webhooks/twilio`, validitySeconds }, now);
      // Twilio has no idempotency keys: after an ambiguous failure the message may exist. A second
      // SMS would break "never twice", so it counts as sent, unconfirmed; the ladder goes on anyway.
      if (!r.ok && r.maybeSent) return { ok: true, providerId: `unconfirmed_${key.slice(0, 24)}`, sandbox: false };
      return r;
    }
    if (channel === "letter") {
      const debtor = ctx.store.debtor();
      const from = senderAddress(ctx.rc.tenant.addressLines, ctx.rc.tenant.displayName, ctx.rc.tenant.country);
      if (!lettersAreLive(env) || !debtor?.address || !from) return await sandbox("letter");
      const a = debtor.address;
      return await sendLetter(env, {
        idempotencyKey: key,
        html: m.html,
        description: `Kindly ${outboxId}`,
        to: { name: debtor.name, line1: a.line1, line2: a.line2, postalCode: a.postal_code, city: a.city, country: a.country },
        from,
        metadata: { outbox: outboxId },
      }, now);
    }
    // Call tasks go to the merchant's call centre (a webhook); the sandbox shows the script.
    return await sandbox(channel === "call" ? "call" : "banner");
  } catch (err) {
    return { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
  }
}

/** The sender's postal address from the account's address lines ("Street 1", "1234 AB Town"). */
function senderAddress(lines: string[], name: string, country: "NL" | "BE") {
  const last = lines.at(-1) ?? "";
  const m = /^(\d{4}\s?[A-Z]{0,2})\s+(.+)$/.exec(last.trim());
  if (!m || lines.length < 2) return null;
  return { name, line1: lines[0] ?? "", line2: lines.length > 2 ? lines.slice(1, -1).join(", ") : undefined, postalCode: m[1] ?? "", city: m[2] ?? "", country };
}

/** Delivery webhooks find the debtor and outbox row of a provider message id through this row. */
async function recordRoute(ctx: DispatchContext, channel: Channel, providerId: string, outboxId: string, now: number): Promise<void> {
  const provider = channel === "email" ? "resend" : channel === "sms" ? "twilio" : "lob";
  try {
    await ctx.env.DB.prepare(
      "INSERT OR IGNORE INTO message_routes (provider, provider_message_id, tenant_id, debtor_id, outbox_id, channel, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
      .bind(provider, providerId, ctx.tenantId, ctx.debtorId, outboxId, channel, now)
      .run();
  } catch (err) {
    // The message went out; only its later status events would lack a route. Never resend for this.
    console.error("message route not recorded", outboxId, err);
  }
}

/** Legal milestones start when the message is handed over: the NL letter's posting day, the BE first reminder. */
function recordMilestones(ctx: DispatchContext, details: OutboxDetails, channel: Channel, today: string, invoiceIds: string[]): void {
  const ladder = ctx.store.ladder();
  if (!ladder) return;
  const legalCosts = JSON.stringify({ cents: details.announcedCostsCents, invoiceIds });
  if (details.kind === "nl_fourteen_day_letter" && channel === "letter") ctx.store.saveLadder({ ...ladder, nl_letter_posted_on: today, legal_costs: legalCosts });
  if (details.kind === "be_first_reminder" && (channel === "email" || channel === "letter") && !ladder.be_first_reminder) {
    ctx.store.saveLadder({ ...ladder, be_first_reminder: JSON.stringify({ sentOn: today, channel }), legal_costs: legalCosts });
  }
  // The term now runs from a known day: plan again so the merchant's view shows when it ends.
  ctx.runner.replan(ctx.rc.clock.now());
}

const EVENTS = { sent: "reminder.sent", suppressed: "reminder.suppressed", skipped: "reminder.skipped", failed: "reminder.failed" } as const;

function finish(ctx: DispatchContext, row: OutboxRow, status: keyof typeof EVENTS, data: Record<string, unknown>): DispatchOutcome {
  const now = ctx.rc.clock.now();
  const channel = row.channel as Channel;
  ctx.store.setOutboxStatus(row.id, status, now, typeof data.error === "string" ? data.error : null);
  // A message that never went out gives its place in the contact budget back.
  if (status === "suppressed" || status === "skipped") ctx.ps.removeContact(row.id);
  if (status === "sent" && row.step_key !== "arrangement_confirmation") ctx.ps.recordTrial(channel);
  const type = channel === "call" && status === "sent" ? "call_task.created" : EVENTS[status];
  ctx.store.emit(type, now, { outbox_id: row.id, step: row.step_key, channel, ...data }, null, `${status}_${row.id}`);
  ctx.store.deleteSchedule(`dispatch:${row.id}`);
  return DONE;
}
