/**
 * What follows from a message that went out: its route (so provider callbacks find it), the time
 * the budget counts it from, the step's send time (later steps are timed from it), the legal
 * milestone it starts, its cost and the sent event. A message kept in the sandbox records the
 * same, marked `sandbox: true`, and its milestones are marked too: they never count once the
 * shop sends for real, and never make costs chargeable.
 */
import type { ChannelAdapter, SendResult } from "../channels/adapter";
import type { OutboxDetails } from "../debtor/runner";
import type { InvoiceRow, OutboxRow } from "../debtor/store";
import { awaitPosting, recordMilestone } from "../debtor/legal-milestones";
import type { Channel } from "../policy/policy-schema";
import { localParts } from "../zoned-time";
import { finish } from "./outcome";
import { stepPrefix, type SendContext } from "./send-stage";
import type { ExperimentTag } from "../experiments/choose";
import { recordExposure } from "../experiments/ledger";
import { templateFor } from "../debtor/render";
import { messageLocale } from "../templates/model";

export interface Sent {
  row: OutboxRow;
  adapter: ChannelAdapter;
  details: OutboxDetails;
  open: InvoiceRow[];
  result: Extract<SendResult, { ok: true }>;
  sandbox: boolean;
  /** Clock ms the provider accepted it (or the sandbox kept it). */
  at: number;
  /** The provider may or may not have it (no idempotency key after an ambiguous failure). */
  unconfirmed?: boolean;
  /** Whether to record the provider's message id for its callbacks (false: no id to route by). */
  route?: boolean;
  /** The experiment whose words the message carried (experiments/choose.ts). */
  experiment?: ExperimentTag | undefined;
}

/** Records a message that went out (or was kept in the sandbox). */
export async function recordSent(ctx: SendContext, s: Sent): Promise<void> {
  const channel = s.row.channel as Channel;
  if (!s.sandbox && s.route !== false && s.adapter.callbacks) await recordRoute(ctx, s.adapter.provider, channel, s.result.providerId, s.row.id, s.at);
  // The contact budget counts this message from when it went out, not from when it was decided.
  ctx.ps.moveContact(s.row.id, s.at);
  markStepSent(ctx, s.row, s.at);
  const debtor = ctx.store.debtor();
  // A letter printed abroad travels longer than the domestic two-day presumption assumes:
  // count the term from the provider's expected delivery when it is later (never too early).
  const handedOver = localParts(s.at, debtor?.time_zone ?? "Europe/Amsterdam").date;
  const expected = s.result.expectedDeliveryDate;
  const invoiceIds = s.open.map((i) => i.id);
  // A provider that reports its posting starts the term on that day, not at this send (the sandbox has no post).
  if (!s.sandbox && s.adapter.postingDate === "provider_event") awaitPosting(ctx, s.row.id, s.details, channel, invoiceIds, s.at);
  else recordMilestone(ctx, s.details, channel, expected && expected > handedOver ? expected : handedOver, invoiceIds, s.sandbox);
  // What the message cost: the provider's price when it gives one, else the policy's; nothing was spent in the sandbox.
  const cost = s.sandbox ? 0 : (s.result.costCents ?? ctx.rc.policy.channel_costs_cents[channel]);
  const template = templateFor(s.details);
  if (s.experiment && debtor) {
    // The first message of an experiment assigns the debtor for good (kept in this object).
    const locale = messageLocale({ kind: s.details.kind, channel: channel === "letter" ? "letter" : channel === "sms" ? "sms" : "email", country: ctx.runner.country(), locale: debtor.locale });
    recordExposure(ctx.store.sql, ctx.store, s.experiment, { outboxId: s.row.id, at: s.at, locale, segment: s.details.segment, template, channel });
  }
  const experiment = s.experiment ? { experiment_id: s.experiment.id, variant: s.experiment.variant, ...(s.experiment.assigned !== s.experiment.variant ? { assigned_variant: s.experiment.assigned } : {}) } : {};
  finish(
    ctx,
    s.row,
    "sent",
    {
      channel, segment: s.details.segment, template, ...experiment, sandbox: s.sandbox, cost_cents: cost, ...(s.unconfirmed ? { unconfirmed: true } : {}),
      invoice_ids: s.open.map((i) => i.id), total_cents: s.open.reduce((sum, i) => sum + i.amount_cents - i.paid_cents, 0),
    },
    s.adapter.sentEvent,
  );
}

/** Later steps are timed from when this step's messages actually went out (the latest of them). */
function markStepSent(ctx: SendContext, row: OutboxRow, at: number): void {
  const ladder = ctx.store.ladder();
  if (!ladder || ladder.steps_taken === 0 || stepPrefix(row.id) !== `ob_c${ladder.cycle}_s${ladder.steps_taken - 1}_`) return;
  if ((ladder.last_step_at ?? 0) < at) ctx.store.saveLadder({ ...ladder, last_step_at: at });
}

/** Delivery webhooks find the debtor and outbox row of a provider message id through this row. */
async function recordRoute(ctx: SendContext, provider: string, channel: Channel, providerId: string, outboxId: string, now: number): Promise<void> {
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

