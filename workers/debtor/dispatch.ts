/**
 * Sends one outbox row. "Sent once" comes from the row's state plus the provider's idempotency
 * key: the row is marked "sending" (durably) before the provider is called, and a retry after a
 * crash sends again with the same key, which the provider (or the sandbox) dedups.
 */
import { renderPaymentReminder } from "../../emails";
import { sendEmail } from "../channels/email";
import { sha256Hex } from "../crypto";
import { localParts } from "../zoned-time";
import { nextSendMoment, type Tone } from "./ladder";
import type { DebtorStore, InvoiceRow } from "./store";

export interface DispatchContext {
  store: DebtorStore;
  env: Env;
  tenantId: string;
  debtorId: string;
  now: () => number;
}

/** Attempts before a send is given up as failed. */
export const MAX_ATTEMPTS = 8;

/** Backoff after the n-th failed attempt: 1, 2, 4 ... minutes, capped at 6 hours, with jitter. */
export function retryDelayMs(attempt: number, random: number): number {
  const base = Math.min(60_000 * 2 ** (attempt - 1), 6 * 3600_000);
  return Math.round(base * (0.8 + 0.4 * random));
}

interface TenantInfo {
  display_name: string;
  contact_email: string | null;
  country: "NL" | "BE";
}

/** Dispatches outbox row `outboxId` if it is still pending; safe to call any number of times. */
export async function dispatchOutbox(ctx: DispatchContext, outboxId: string): Promise<void> {
  const { store } = ctx;
  const scheduleId = `dispatch:${outboxId}`;
  const row = store.outbox(outboxId);
  if (!row || !["pending", "sending"].includes(row.status)) {
    store.deleteSchedule(scheduleId);
    return;
  }
  const debtor = store.debtor();
  const stillOpen = () =>
    (JSON.parse(row.invoice_ids) as string[]).map((id) => store.invoice(id)).filter((i): i is InvoiceRow => i?.status === "open");

  if (stillOpen().length === 0) return finish(ctx, outboxId, "suppressed", "reminder.suppressed", { reason: "paid_or_cancelled" });
  if (!debtor?.email) return finish(ctx, outboxId, "skipped", "reminder.skipped", { reason: "no_email_address" });

  // Never in quiet hours, even when a retry or a late alarm brings us here at night.
  const allowed = nextSendMoment(ctx.now(), debtor.time_zone);
  if (allowed > ctx.now()) {
    store.putSchedule(scheduleId, "dispatch", allowed);
    return;
  }

  const tenant = await ctx.env.DB.prepare("SELECT display_name, contact_email, country FROM tenants WHERE id = ?").bind(ctx.tenantId).first<TenantInfo>();
  const invoices = stillOpen();
  const country = debtor.address?.country ?? (debtor.locale.endsWith("BE") ? "BE" : (tenant?.country ?? "NL"));
  const message = await renderPaymentReminder({
    locale: debtor.locale,
    country,
    tone: row.tone as Tone,
    debtorName: debtor.name,
    merchantName: tenant?.display_name ?? "",
    contactEmail: tenant?.contact_email ?? undefined,
    invoices: invoices.map((i) => ({ reference: i.merchant_invoice_id, dueDate: i.due_date, amountCents: i.amount_cents, outstandingCents: i.amount_cents - i.paid_cents })),
    totalCents: invoices.reduce((s, i) => s + i.amount_cents - i.paid_cents, 0),
    currency: "EUR",
    payUrl: invoices[0]?.pay_url ?? "",
  });

  // Requests interleave while we await: a payment may have arrived during rendering or the D1 read.
  const current = stillOpen();
  if (current.length === 0) return finish(ctx, outboxId, "suppressed", "reminder.suppressed", { reason: "paid_or_cancelled" });
  if (current.length !== invoices.length) return dispatchOutbox(ctx, outboxId); // render again with what is left

  // Durable before the provider call: an external send cannot be rolled back.
  store.setOutboxStatus(outboxId, "sending", ctx.now(), null, true);
  const idempotencyKey = await sha256Hex(`${ctx.tenantId}\u0000${ctx.debtorId}\u0000${outboxId}`);
  const result = await sendEmail(
    ctx.env,
    { idempotencyKey, tenantId: ctx.tenantId, debtorId: ctx.debtorId, outboxId, to: debtor.email, subject: message.subject, html: message.html, text: message.text },
    ctx.now(),
  );
  const sentData = { step: row.step_key, channel: row.channel, invoice_ids: current.map((i) => i.id), total_cents: current.reduce((s, i) => s + i.amount_cents - i.paid_cents, 0) };
  if (result.ok) return finish(ctx, outboxId, "sent", "reminder.sent", { ...sentData, sandbox: result.sandbox, sent_on: localParts(ctx.now(), debtor.time_zone).date });

  const attempts = (store.outbox(outboxId)?.attempts ?? MAX_ATTEMPTS);
  if (!result.retryable || attempts >= MAX_ATTEMPTS) {
    return finish(ctx, outboxId, "failed", "reminder.failed", { ...sentData, error: result.error, attempts });
  }
  store.setOutboxStatus(outboxId, "pending", ctx.now(), result.error);
  store.putSchedule(scheduleId, "dispatch", ctx.now() + retryDelayMs(attempts, Math.random()));
}

function finish(ctx: DispatchContext, outboxId: string, status: "sent" | "suppressed" | "skipped" | "failed", event: string, data: Record<string, unknown>): void {
  const now = ctx.now();
  const row = ctx.store.outbox(outboxId);
  ctx.store.setOutboxStatus(outboxId, status, now, typeof data.error === "string" ? data.error : null);
  ctx.store.emit(event, now, { outbox_id: outboxId, step: row?.step_key, ...data }, null, `${status}_${outboxId}`);
  ctx.store.deleteSchedule(`dispatch:${outboxId}`);
}
