/**
 * The API's zod schemas: one set validates requests and produces the OpenAPI document.
 * Request objects are strict: unknown fields (a client-sent status, paid amount or id) are rejected.
 */
import { z } from "@hono/zod-openapi";
import { isIsoDate, isValidTimeZone } from "../zoned-time";

export const LocaleSchema = z.enum(["nl-NL", "nl-BE", "fr-BE", "en"]).openapi({ description: "Language of the reminders." });
export type Locale = z.infer<typeof LocaleSchema>;

// Dates far outside this range are mistakes, and the calendar maths is only defined within it.
const IsoDate = z
  .string()
  .refine(isIsoDate, { message: "Must be a date in YYYY-MM-DD form." })
  .refine((d) => d >= "2000-01-01" && d <= "2099-12-31", { message: "Must be between 2000-01-01 and 2099-12-31." })
  .openapi({ example: "2026-11-30" });
const ExternalId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, { message: "Use letters, digits, '.', '_', ':' or '-' only." });
const HttpsUrl = z
  .url({ protocol: /^https$/, message: "Must be an https URL." })
  .max(2048)
  .openapi({ example: "https://shop.example/pay/INV-1001" });

export const AddressSchema = z
  .strictObject({
    line1: z.string().min(1).max(200),
    line2: z.string().max(200).optional(),
    postal_code: z.string().min(1).max(16),
    city: z.string().min(1).max(100),
    country: z.enum(["NL", "BE"]),
  })
  .openapi("Address");

export const DebtorInputSchema = z
  .strictObject({
    id: ExternalId.openapi({ description: "Your id for this customer.", example: "cust-42" }),
    name: z.string().min(1).max(200).openapi({ example: "Sanne de Vries" }),
    email: z.email().max(254).optional().openapi({ example: "sanne@example.nl" }),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, { message: "Must be an E.164 number, e.g. +31612345678." })
      .optional(),
    address: AddressSchema.optional(),
    locale: LocaleSchema,
    time_zone: z
      .string()
      .refine(isValidTimeZone, { message: "Must be an IANA time zone, e.g. Europe/Amsterdam." })
      .default("Europe/Amsterdam"),
  })
  .refine((d) => d.email !== undefined || d.address !== undefined, {
    message: "Give at least an email address or a postal address, or the debtor cannot be reminded.",
    path: ["email"],
  })
  .openapi("DebtorInput");
export type DebtorInput = z.infer<typeof DebtorInputSchema>;

export const InvoiceInputSchema = z
  .strictObject({
    merchant_invoice_id: ExternalId.openapi({ example: "INV-1001" }),
    debtor: DebtorInputSchema,
    amount_cents: z.number().int().positive().max(100_000_000).openapi({ example: 4995 }),
    currency: z.literal("EUR").default("EUR"),
    issue_date: IsoDate,
    due_date: IsoDate,
    pay_url: HttpsUrl,
    description: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "What was bought (product or service), shown in reminders; Book XIX requires it in a Belgian first reminder.", example: "Fietshelm" }),
  })
  .refine((i) => i.due_date >= i.issue_date, { message: "The due date cannot be before the issue date.", path: ["due_date"] })
  .openapi("InvoiceInput");
export type InvoiceInput = z.infer<typeof InvoiceInputSchema>;

export const PaymentInputSchema = z
  .strictObject({
    amount_cents: z.number().int().positive().max(100_000_000),
    reference: ExternalId.optional().openapi({ description: "Your payment id; a repeated reference is counted once." }),
    paid_at: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi("PaymentInput");
export type PaymentInput = z.infer<typeof PaymentInputSchema>;

export const BankPaymentInputSchema = z
  .strictObject({
    reference: z
      .string()
      .min(1)
      .max(64)
      .openapi({ description: "The payment reference on the transfer: the structured communication (+++123/4567/89002+++), the 12-digit kenmerk, or the invoice number.", example: "+++123/4567/89002+++" }),
    amount_cents: z.number().int().positive().max(100_000_000),
    transaction_id: ExternalId.openapi({ description: "The bank's id for this transaction (e.g. camt.053 AcctSvcrRef): the same id is counted once.", example: "2026112000123" }),
    paid_at: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi("BankPaymentInput");
export type BankPaymentInput = z.infer<typeof BankPaymentInputSchema>;

export const BankPaymentSchema = z
  .object({
    debtor_id: z.string(),
    reference: z.string(),
    transaction_id: z.string(),
    amount_cents: z.number().int(),
    allocated: z.array(
      z.object({ invoice_id: z.string(), merchant_invoice_id: z.string(), amount_cents: z.number().int(), outstanding_cents: z.number().int(), status: z.enum(["open", "paid", "cancelled"]) }),
    ),
    unallocated_cents: z.number().int(),
    replayed: z.boolean(),
  })
  .openapi("BankPayment");

export const CancelInputSchema = z
  .strictObject({
    reason: z.enum(["credit_note", "returned", "error", "other"]).default("other"),
  })
  .openapi("CancelInput");
export type CancelInput = z.infer<typeof CancelInputSchema>;

export const InvoiceSchema = z
  .object({
    id: z.string().openapi({ example: "inv_8FqS0v1Jx2Lm4Np6Qr8T" }),
    merchant_invoice_id: z.string(),
    debtor_id: z.string(),
    status: z.enum(["open", "paid", "cancelled"]),
    amount_cents: z.number().int(),
    paid_cents: z.number().int(),
    outstanding_cents: z.number().int(),
    currency: z.literal("EUR"),
    issue_date: z.string(),
    due_date: z.string(),
    pay_url: z.string(),
    description: z.string().nullable(),
    created_at: z.string(),
    closed_at: z.string().nullable(),
    close_reason: z.string().nullable(),
  })
  .openapi("Invoice");
export type InvoiceView = z.infer<typeof InvoiceSchema>;

export const TimelineEntrySchema = z
  .object({
    at: z.string(),
    type: z.string(),
    invoice_id: z.string().nullable(),
    data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
  })
  .openapi("TimelineEntry");

export const DebtorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: AddressSchema.nullable(),
    locale: LocaleSchema,
    time_zone: z.string(),
    open_invoices: z.array(InvoiceSchema),
    outstanding_cents: z.number().int(),
    currency: z.literal("EUR"),
    next_step: z
      .object({
        key: z.string(),
        kind: z.string(),
        channel: z.string(),
        channels: z.array(z.string()),
        at: z.string(),
        why: z.object({
          segment: z.string(),
          segment_reasons: z.array(z.string()),
          ladder: z.string(),
          channel_scores: z.array(
            z.object({ channel: z.string(), expected_success: z.number(), sampled: z.number(), cost_cents: z.number(), score: z.number(), excluded: z.string().nullable() }),
          ),
          limits: z.array(z.string()),
          announced_costs_cents: z.number().int(),
          chargeable_costs_cents: z.number().int(),
          term_end_date: z.string().nullable(),
        }),
      })
      .nullable()
      .openapi({ description: "The next planned step, when, and why: segment, channel scores and the limits that applied. Null when nothing is planned." }),
    paused: z.object({ kind: z.string(), since: z.string().nullable() }).nullable().openapi({ description: "Set while a pause without an end holds all reminders (dispute, arrangement)." }),
    flags: z.object({ hardship: z.boolean(), vulnerable: z.boolean() }),
    pauses: z.array(z.object({ kind: z.string(), from: z.string(), until: z.string().nullable() })),
    blocked_channels: z.array(z.object({ channel: z.string(), reason: z.string() })),
    instalments: z.array(z.object({ seq: z.number().int(), due_date: z.string(), amount_cents: z.number().int(), status: z.string() })),
    timeline: z.array(TimelineEntrySchema),
  })
  .openapi("Debtor");
export type DebtorView = z.infer<typeof DebtorSchema>;

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");
