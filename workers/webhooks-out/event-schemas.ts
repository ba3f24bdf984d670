/**
 * The outgoing merchant events as schemas, for the `webhooks` section of /openapi.json: one per
 * event type, field for field what `merchantEventFor` (events.ts) copies from its whitelist.
 * Optional fields are left out when Kindly does not know them (never sent as null).
 */
import { z } from "zod";
import { MERCHANT_EVENT_TYPES, type MerchantEventType } from "./events";

const ids = { debtor_id: z.string().describe("Your id of the customer."), invoice_id: z.string().optional() };
const reminder = { reminder_id: z.string().optional().describe("Kindly's id of the message."), step: z.string().optional(), channel: z.enum(["email", "letter", "sms", "call"]).optional() };
const source = z.enum(["debtor", "merchant"]).optional().describe("Who made the choice: the customer on their page, or you through the API.");
const invoiceIds = z.array(z.string()).max(100).optional();

const experimentVariants = z
  .array(z.object({ key: z.string(), control: z.boolean(), status: z.string().optional(), exposures: z.number().int().optional(), measured: z.number().int().optional(), successes: z.number().int().optional(), rate: z.number().nullable().optional() }))
  .max(5)
  .optional();
const experiment = {
  experiment_id: z.string(),
  name: z.string().optional(),
  reason: z.string().optional(),
  status: z.string().optional(),
  variants: experimentVariants,
};

const DATA: Record<MerchantEventType, { summary: string; data: z.ZodObject }> = {
  "experiment.stopped": {
    summary: "An experiment or one of its variants stopped: a guardrail (complaints, STOP replies, unsubscribes, disputes) was credibly worse than the control's, or you stopped it. Its debtors get the control's words.",
    data: z.object({
      ...experiment,
      reason: z.enum(["guardrail", "manual"]),
      variant: z.string().optional().describe("The variant a guardrail stopped; absent when the whole experiment stopped."),
      guardrail: z.enum(["complaints", "sms_stops", "unsubscribes", "disputes"]).optional(),
      variant_rate: z.number().optional(),
      control_rate: z.number().optional(),
    }),
  },
  "experiment.completed": {
    summary: "An experiment is complete: its last debtor's window closed, or you promoted a variant. Read the results at GET /v1/experiments/{id}.",
    data: z.object({ ...experiment, reason: z.enum(["finished", "promoted"]), promoted_variant: z.string().optional(), recommendation: z.string().optional() }),
  },
  "reminder.sent": { summary: "A reminder went out (or, for a sandboxed channel, was kept in the sandbox).", data: z.object({ ...ids, ...reminder, invoice_ids: invoiceIds, total_cents: z.number().int().optional() }) },
  "reminder.delivered": { summary: "The provider delivered a reminder.", data: z.object({ ...ids, reminder_id: reminder.reminder_id, channel: reminder.channel }) },
  "reminder.failed": { summary: "A reminder could not be sent after its retries; Kindly tries another channel where it can.", data: z.object({ ...ids, ...reminder, attempts: z.number().int().optional() }) },
  "debtor.paused": {
    summary: "Reminders paused: already paid, a chosen payment date, a dispute, debt counselling or a breathing space.",
    data: z.object({
      ...ids,
      reason: z.enum(["already_paid", "payment_date_chosen", "disputed", "debt_counselling", "breathing_space"]),
      source,
      until: z.string().optional().describe("When the pause ends (ISO 8601); absent for an open-ended pause."),
      payment_date: z.string().optional(),
    }),
  },
  "debtor.help_requested": { summary: "The customer asked for help: reach out kindly; reminders rest for 30 days.", data: z.object({ ...ids, source, until: z.string().optional() }) },
  "arrangement.created": {
    summary: "A payment arrangement was agreed.",
    data: z.object({ ...ids, source, instalments: z.number().int().optional(), total_cents: z.number().int().optional(), first_due_date: z.string().optional() }),
  },
  "call_task.created": {
    summary: "A call for your call centre: list and close it at /v1/call-tasks.",
    data: z.object({ ...ids, call_task_id: z.string().optional(), step: z.string().optional(), invoice_ids: invoiceIds, total_cents: z.number().int().optional() }),
  },
  "channel.unavailable": {
    summary: "A reminder could not go out on a channel because of the shop's set-up (credentials, sender); Kindly tries another channel where it can.",
    data: z.object({ ...ids, channel: z.string().optional(), reason: z.string().optional().describe("Kindly's own words about the set-up, never the debtor's data."), reminder_id: z.string().optional(), step: z.string().optional() }),
  },
  "invoice.handover_ready": {
    summary: "The ladder is done: the invoice may go to your collection partner. Only the minimal data set.",
    data: z.object({
      ...ids,
      merchant_invoice_id: z.string().optional(),
      issue_date: z.string().optional(),
      due_date: z.string().optional(),
      principal_cents: z.number().int().optional(),
      outstanding_cents: z.number().int().optional(),
      costs_cents: z.number().int().optional(),
      currency: z.literal("EUR"),
    }),
  },
};

/** The JSON schema of each event's body (Standard Webhooks: `id` is also the webhook-id header). */
export function webhookEventSchemas(): { type: MerchantEventType; summary: string; schema: Record<string, unknown> }[] {
  return MERCHANT_EVENT_TYPES.map((type) => {
    const body = z.object({
      id: z.string().describe("Also the webhook-id header: the same on every attempt and replay; deduplicate on it."),
      type: z.literal(type),
      created_at: z.string(),
      data: DATA[type].data,
    });
    const { $schema: _drop, ...schema } = z.toJSONSchema(body, { target: "draft-2020-12" }) as Record<string, unknown>;
    return { type, summary: DATA[type].summary, schema };
  });
}
