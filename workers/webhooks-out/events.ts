/**
 * Merchant event types and the mapping from Kindly's internal outcome events to them. Pure.
 *
 * Payloads carry ids, amounts, dates and enums only: the debtor is named by the merchant's own
 * id, never by name, email, phone or address; no provider ids, no error texts (they can quote an
 * address), no free text the debtor typed (a dispute reason). Fields are copied one by one from
 * a whitelist, so a new field in an internal event never leaks by accident.
 */

export const MERCHANT_EVENT_TYPES = [
  "reminder.sent",
  "reminder.delivered",
  "reminder.failed",
  "debtor.paused",
  "debtor.help_requested",
  "arrangement.created",
  "call_task.created",
  "invoice.handover_ready",
  "channel.unavailable",
  "experiment.stopped",
  "experiment.completed",
] as const;
export type MerchantEventType = (typeof MERCHANT_EVENT_TYPES)[number];

/** An outcome event as the DebtorDO flushes it to D1 (`data` parsed). */
export interface InternalEvent {
  id: string;
  type: string;
  tenantId: string;
  debtorId: string;
  invoiceId: string | null;
  occurredAt: number;
  data: Record<string, unknown>;
}

/** The body of one webhook message (Standard Webhooks: `id` equals the `webhook-id` header). */
export interface MerchantPayload {
  id: string;
  type: MerchantEventType;
  created_at: string;
  data: Record<string, unknown>;
}

/** Standard Webhooks asks for payloads under 20 KB. */
export const MAX_PAYLOAD_BYTES = 20_000;
const MAX_INVOICE_IDS = 100;

/** Why a debtor's reminders paused, per internal event type. */
const PAUSE_REASONS: Record<string, string> = {
  "debtor.already_paid": "already_paid",
  "debtor.payment_date_chosen": "payment_date_chosen",
  "debtor.disputed": "disputed",
  "debtor.dispute": "disputed", // a dispute the merchant registered through /stops
  "debtor.debt_counselling": "debt_counselling",
  "debtor.breathing_space": "breathing_space",
};

/**
 * The message id (`webhook-id` and payload `id`) of an internal event: stable, so every attempt,
 * replay and re-flush of one event carries the same id and the merchant can deduplicate on it.
 */
export function messageIdFor(internalEventId: string): string {
  return `msg_${internalEventId.replace(/^evt_/, "")}`;
}

/** Maps an internal outcome event to a merchant event, or null when merchants do not get it. */
export function merchantEventFor(internal: InternalEvent): { type: MerchantEventType; payload: MerchantPayload } | null {
  const data = mapData(internal);
  if (!data) return null;
  // Sandbox delivery mode: every payload says so, so a shop never takes a kept message for a sent one.
  const fields = internal.data.sandbox === true ? { ...data.fields, sandbox: true } : data.fields;
  const payload: MerchantPayload = { id: messageIdFor(internal.id), type: data.type, created_at: new Date(internal.occurredAt).toISOString(), data: fields };
  if (new TextEncoder().encode(JSON.stringify(payload)).length >= MAX_PAYLOAD_BYTES) return null;
  return { type: data.type, payload };
}

function mapData(e: InternalEvent): { type: MerchantEventType; fields: Record<string, unknown> } | null {
  const d = e.data;
  // About the shop's experiment, not about a debtor: no debtor id.
  if (e.type === "experiment.stopped" || e.type === "experiment.completed") return { type: e.type, fields: experimentFields(d) };
  const ids = { debtor_id: e.debtorId, ...(e.invoiceId ? { invoice_id: e.invoiceId } : {}) };
  const reminder = { reminder_id: str(d.outbox_id), step: str(d.step), channel: str(d.channel) };
  switch (e.type) {
    case "reminder.sent":
      return { type: "reminder.sent", fields: compact({ ...ids, ...reminder, ...invoiceIds(d.invoice_ids), total_cents: int(d.total_cents) }) };
    case "channel.delivered":
      return { type: "reminder.delivered", fields: compact({ ...ids, reminder_id: str(d.outbox_id), channel: str(d.channel) }) };
    case "reminder.failed":
      return { type: "reminder.failed", fields: compact({ ...ids, ...reminder, attempts: int(d.attempts) }) };
    case "debtor.help_requested":
      return { type: "debtor.help_requested", fields: compact({ ...ids, source: source(d.source), until: str(d.until) }) };
    case "arrangement.created":
      return {
        type: "arrangement.created",
        fields: compact({ ...ids, source: source(d.source), instalments: int(d.instalments), total_cents: int(d.total_cents), first_due_date: str(d.first_due_date) }),
      };
    case "call_task.created":
      return { type: "call_task.created", fields: compact({ ...ids, call_task_id: str(d.outbox_id), step: str(d.step), ...invoiceIds(d.invoice_ids), total_cents: int(d.total_cents) }) };
    case "channel.unavailable":
      // Kindly's own words about the shop's set-up (credentials, sender): never the debtor's data.
      return { type: "channel.unavailable", fields: compact({ ...ids, channel: str(d.channel), reason: str(d.reason), reminder_id: str(d.outbox_id), step: str(d.step) }) };
    case "invoice.handover_ready":
      // The minimal data set for a collection agency (Wki): the claim, not the person.
      return {
        type: "invoice.handover_ready",
        fields: compact({
          ...ids,
          merchant_invoice_id: str(d.merchant_invoice_id),
          issue_date: str(d.issue_date),
          due_date: str(d.due_date),
          principal_cents: int(d.principal_cents),
          outstanding_cents: int(d.outstanding_cents),
          costs_cents: int(d.costs_cents),
          currency: "EUR",
        }),
      };
    default: {
      const reason = PAUSE_REASONS[e.type];
      if (!reason) return null;
      return { type: "debtor.paused", fields: compact({ ...ids, reason, source: source(d.source), until: str(d.until), payment_date: str(d.date) }) };
    }
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length <= 200 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** An experiment event's fields: its id and name, why, which variant, and each variant's counts. */
function experimentFields(d: Record<string, unknown>): Record<string, unknown> {
  const variants = Array.isArray(d.variants)
    ? d.variants.slice(0, 5).map((v: unknown) => {
        const x = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
        return compact({ key: str(x.key), control: x.control === true, status: str(x.status), exposures: int(x.exposures), measured: int(x.measured), successes: int(x.successes), rate: x.rate === null ? null : num(x.rate) });
      })
    : undefined;
  return compact({
    experiment_id: str(d.experiment_id), name: str(d.name), reason: str(d.reason), status: str(d.status), variant: str(d.variant), guardrail: str(d.guardrail),
    variant_rate: num(d.variant_rate), control_rate: num(d.control_rate), promoted_variant: str(d.promoted_variant), variants,
    recommendation: typeof d.recommendation === "string" ? d.recommendation.slice(0, 1000) : undefined,
  });
}
const int = (v: unknown): number | undefined => (Number.isSafeInteger(v) ? (v as number) : undefined);
const source = (v: unknown): string | undefined => (v === "debtor" || v === "merchant" ? v : undefined);

function invoiceIds(v: unknown): { invoice_ids?: string[] } {
  if (!Array.isArray(v)) return {};
  return { invoice_ids: v.filter((x): x is string => typeof x === "string" && x.length <= 100).slice(0, MAX_INVOICE_IDS) };
}

/** Drops undefined fields (null stays: it says "none"). */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
