/**
 * The template registry's keys and what each template is for: pure data, importable without
 * React, so the policy schema can refuse an unknown key and the scorecard, previews and the future
 * copy editor can list templates without rendering anything.
 */

/** A way a template reaches the debtor; `call` is a script for the shop's call centre. */
export type TemplateChannel = "email" | "letter" | "sms" | "call";

/** Where the copy of a message family lives (one module per locale family per family). */
export type MessageFamily = "reminders" | "legal" | "follow-ups" | "arrangements" | "script" | "none";

/** Which "your payment may have crossed" line a message carries (every message has one). */
export type CrossedVariant = "reminder" | "pre_due" | "follow_up" | "arrangement" | "thanks";

/** A placeholder a template's editable blocks may use; filled in by code, never by a marketer. */
export const PLACEHOLDERS = {
  name: "The debtor's name as the shop gave it",
  shop_name: "The shop's display name",
  amount: "What is still to pay in total, formatted (€ 49,95)",
  invoice_phrase: "\"your invoice from Shop\" or \"your 2 invoices from Shop\", in the reader's language",
  due_date: "The oldest open invoice's due date, formatted",
  previous_date: "Date of the last message we sent (optional: a paragraph using it is left out when there was none)",
  previous_channel: "How that message went: by email, by post, by text message (optional, as previous_date)",
  partner_name: "The shop's handover partner (optional: a paragraph using it is left out without a partner)",
  reported_date: "The day the debtor told us they had paid",
  instalment_count: "How many instalments the arrangement has",
  instalment_number: "Which instalment this is (1, 2, ...)",
  instalment_amount: "The amount of this instalment, formatted",
  instalment_date: "The due date of this instalment, formatted",
  paid_amount: "What the debtor paid, formatted",
} as const;
/** The name of a placeholder. */
export type Placeholder = keyof typeof PLACEHOLDERS;

const BASE = ["name", "shop_name", "amount", "invoice_phrase", "due_date"] as const satisfies readonly Placeholder[];
const WITH_HISTORY = [...BASE, "previous_date", "previous_channel"] as const satisfies readonly Placeholder[];

/** What the registry knows of a template without rendering it. */
export interface TemplateDef {
  purpose: string;
  family: MessageFamily;
  channels: readonly TemplateChannel[];
  placeholders: readonly Placeholder[];
  crossed: CrossedVariant;
  /** Help comes before the amounts (hardship and gentle messages: help first, no pressure). */
  helpFirst?: boolean;
  /** Sent only when the shop has a handover partner; the ladder skips the step otherwise. */
  needsHandoverPartner?: boolean;
  /** A state change, not a message: nothing is rendered or sent. */
  noMessage?: boolean;
}

const MESSAGE: readonly TemplateChannel[] = ["email", "letter", "sms"];

/** Every template, by key. The policy's `template` of each step must be one of these keys. */
export const TEMPLATE_DEFS = {
  "pre-due-nudge": { purpose: "A friendly heads-up a few days before the due date. Never says a payment is missing.", family: "reminders", channels: MESSAGE, placeholders: BASE, crossed: "pre_due" },
  "reminder-friendly": { purpose: "The first reminder after the due date: kind, short, easy to pay.", family: "reminders", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder" },
  "reminder-second": { purpose: "The second reminder: names the first one, offers a date or an arrangement.", family: "reminders", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder" },
  "reminder-letter": { purpose: "A reminder on paper after emails that got no answer (Belgium's paper step).", family: "reminders", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder" },
  "reminder-sms": { purpose: "A short text message: no amount on the lock screen, a link to the debtor's page.", family: "reminders", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder" },
  "reminder-gentle": { purpose: "First reminder for someone who is vulnerable or in hardship: help first, no pressure.", family: "reminders", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder", helpFirst: true },
  "reminder-help": { purpose: "Second gentle reminder: help and small steps first, the amount second.", family: "reminders", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder", helpFirst: true },
  "reminder-letter-help": { purpose: "A gentle letter for people who do not read email: help first, no pressure.", family: "reminders", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder", helpFirst: true },
  "nl-fourteen-day-letter": { purpose: "The Dutch 14-day letter (art. 6:96 BW): the lawful term, the costs if any, what happens next.", family: "legal", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder" },
  "be-first-reminder": { purpose: "The Belgian first reminder (Book XIX CEL): free, with balance, damages, creditor, product and the 14-day term.", family: "legal", channels: MESSAGE, placeholders: WITH_HISTORY, crossed: "reminder" },
  "final-notice": { purpose: "The last reminder before a handover: names the shop's partner once, threatens nothing, offers help.", family: "legal", channels: MESSAGE, placeholders: [...WITH_HISTORY, "partner_name"], crossed: "reminder", needsHandoverPartner: true },
  "handover-ready": { purpose: "Not a message: tells the shop the invoices may be handed over (invoice.handover_ready).", family: "none", channels: [], placeholders: [], crossed: "reminder", noMessage: true },
  "already-paid-follow-up": { purpose: "After \"I already paid\" and no payment arrived: thanks, we are checking, please look with us.", family: "follow-ups", channels: MESSAGE, placeholders: [...WITH_HISTORY, "reported_date"], crossed: "follow_up" },
  "payment-thanks": { purpose: "A short thank-you after everything is paid (tenant option in the policy).", family: "follow-ups", channels: MESSAGE, placeholders: ["name", "shop_name", "paid_amount"], crossed: "thanks" },
  "arrangement-confirmation": { purpose: "Confirms an arrangement: the dates and amounts, the total, how to pay, help.", family: "arrangements", channels: MESSAGE, placeholders: [...BASE, "instalment_count", "instalment_amount", "instalment_date"], crossed: "arrangement" },
  "instalment-reminder": { purpose: "A few days before each instalment: the amount, the date, how to pay.", family: "arrangements", channels: MESSAGE, placeholders: [...BASE, "instalment_count", "instalment_number", "instalment_amount", "instalment_date"], crossed: "arrangement" },
  "instalment-missed": { purpose: "An instalment did not arrive: no blame, how to catch up or change the plan.", family: "arrangements", channels: MESSAGE, placeholders: [...BASE, "instalment_number", "instalment_amount", "instalment_date"], crossed: "arrangement" },
  "call-task": { purpose: "The script for the shop's call centre: greet, check a crossed payment, agree a date or parts, offer help.", family: "script", channels: ["call"], placeholders: [], crossed: "reminder" },
} as const satisfies Record<string, TemplateDef>;

/** A template's key. */
export type TemplateKey = keyof typeof TEMPLATE_DEFS;

/** Every template key, in registry order. */
export const TEMPLATE_KEYS = Object.keys(TEMPLATE_DEFS) as TemplateKey[];

/** True for a key the registry knows. */
export function isTemplateKey(key: string): key is TemplateKey {
  return Object.hasOwn(TEMPLATE_DEFS, key);
}

/** The definition of a template. */
export function templateDef(key: TemplateKey): TemplateDef {
  return TEMPLATE_DEFS[key];
}

/** Templates that are messages a person reads (everything but state changes). */
export const MESSAGE_TEMPLATE_KEYS = TEMPLATE_KEYS.filter((k) => !("noMessage" in TEMPLATE_DEFS[k]));

/**
 * Messages outside the ladder that the send stage sends on their own terms: confirmations and
 * service messages the debtor agreed to go out during an arrangement's pause, and the thank-you
 * goes out when nothing is open any more.
 */
export const SERVICE_MESSAGE_KINDS = ["arrangement_confirmation", "instalment_reminder", "payment_thanks"] as const;

/** True when a row of this kind is sent during pauses and never counts as a channel trial. */
export function isServiceMessage(kind: string): boolean {
  return (SERVICE_MESSAGE_KINDS as readonly string[]).includes(kind);
}

/** True when a row of this kind goes out even though nothing is open (a confirmation, a thank-you). */
export function sendsWithNothingOpen(kind: string): boolean {
  return kind === "arrangement_confirmation" || kind === "payment_thanks";
}
