/**
 * The population file: who the simulated debtors are and how they respond. JSON, validated
 * with zod, so a file written by anyone runs without code changes; every problem is named at
 * its path. Documented with examples in `sim/populations/`.
 */
import { z } from "zod";

const prob = z.number().min(0).max(1);
const slug = z.string().regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, "Use lowercase letters, digits, '_' or '-'");

/** A chance per contact number in the cycle (1st, 2nd, ...); the last value holds for later contacts. */
const perContact = z.union([prob, z.array(prob).min(1).max(12)]);

/** Days, drawn per event. */
export const DelaySchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("fixed"), days: z.number().min(0).max(365) }),
  z.strictObject({ kind: z.literal("exponential"), mean_days: z.number().positive().max(365) }),
  z.strictObject({ kind: z.literal("lognormal"), median_days: z.number().positive().max(365), sigma: z.number().min(0).max(3) }),
  z.strictObject({ kind: z.literal("uniform"), min_days: z.number().min(0).max(365), max_days: z.number().min(0).max(365) }).refine((d) => d.min_days <= d.max_days, {
    message: "min_days must not be above max_days",
    path: ["max_days"],
  }),
]);
export type Delay = z.infer<typeof DelaySchema>;

/** Invoice amounts in cents. */
export const AmountSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("lognormal"), median_cents: z.number().int().min(100), sigma: z.number().min(0).max(3), max_cents: z.number().int().min(100).optional() }),
  z.strictObject({ kind: z.literal("choice"), values: z.array(z.strictObject({ cents: z.number().int().min(100), weight: z.number().positive() })).min(1) }),
]);
export type Amount = z.infer<typeof AmountSchema>;

const LOCALES = ["nl-NL", "nl-BE", "fr-BE", "en"] as const;
export type SimLocale = (typeof LOCALES)[number];

/** One kind of debtor. Response chances are for a contact that reaches the person. */
export const PersonaSchema = z.strictObject({
  key: slug,
  description: z.string().max(300).optional(),
  /** Relative weight; shares are normalised over the personas. */
  share: z.number().positive(),
  /** Chance that a contact on this channel leads to payment, per contact number in the cycle. */
  response: z.strictObject({ email: perContact, sms: perContact, letter: perContact, call: perContact, banner: perContact.default(0) }),
  /** From a contact that worked to the payment. */
  response_delay: DelaySchema,
  /** Pays without any reminder (from the due date), e.g. someone who remembers by themselves. */
  unprompted: z.strictObject({ probability: prob, delay: DelaySchema }).default({ probability: 0, delay: { kind: "fixed", days: 0 } }),
  /** Pays on the first payday after the due date whatever reminders say. */
  payday: z.strictObject({ probability: prob, day_of_month: z.number().int().min(1).max(28) }).default({ probability: 0, day_of_month: 25 }),
  /** Chance of paying just before the first reminder lands: payment and reminder cross. */
  crossed_payment: prob.default(0),
  /** Of the contacts that work, the share that ends in an arrangement instead of a full payment. */
  arrangement: z.strictObject({ share: prob, instalments: z.number().int().min(2).max(24) }).default({ share: 0, instalments: 3 }),
  /** Asks for help after a message that points to it; more often after a message written around help. */
  help: z.strictObject({ per_offer: prob, per_help_message: prob }).default({ per_offer: 0, per_help_message: 0 }),
  /** Disputes the invoice after the first contact; resolved after `resolution`, cancelled if upheld. */
  dispute: z.strictObject({ probability: prob, resolution: DelaySchema, upheld_share: prob }).default({ probability: 0, resolution: { kind: "fixed", days: 14 }, upheld_share: 0 }),
  /** The email address bounces (blocks email); the postal address is wrong (the letter returns, blocks letters). */
  email_bounce: prob.default(0),
  wrong_address: prob.default(0),
  /** Per contact on the channel: a complaint (an email complaint or an SMS STOP also blocks the channel). */
  complaints: z.strictObject({ email: prob, sms: prob, letter: prob, call: prob }).default({ email: 0, sms: 0, letter: 0, call: 0 }),
  /** Which contact data the shop has for them. */
  contact_data: z.strictObject({ email: prob, phone: prob, address: prob }),
  amount: AmountSchema,
  /** Weights per locale; nl-NL and en live in NL, nl-BE and fr-BE in BE. */
  locales: z.partialRecord(z.enum(LOCALES), z.number().min(0)).refine((r) => Object.values(r).some((w) => w > 0), "Give at least one locale a positive weight"),
  /** Weights for 0, 1, 2, ... late payments in the 12 months before the simulation. */
  late_payments_12m: z.array(z.number().min(0)).min(1).max(13).refine((w) => w.some((x) => x > 0), "Give at least one count a positive weight"),
  /** Overdue invoices a year (mean; at least one). A new one comes only after the last is closed. */
  invoices_per_year: z.number().min(1).max(24).default(1),
  /** Chance the shop marks them vulnerable (gentle ladder, never escalated). */
  vulnerable: prob.default(0),
});
export type Persona = z.infer<typeof PersonaSchema>;

/** The whole file. Channel prices come from the tenant policy; these are the costs outside it. */
export const PopulationSchema = z.strictObject({
  name: z.string().min(1).max(100),
  description: z.string().max(2000).optional(),
  /** Calendar year the simulated invoices fall due in (holidays and weekdays are that year's). */
  year: z.number().int().min(2024).max(2040),
  personas: z.array(PersonaSchema).min(1).max(50).refine((ps) => new Set(ps.map((p) => p.key)).size === ps.length, "Each persona key once"),
  economics: z
    .strictObject({
      /** What handing one invoice to a collection agency costs the shop (fee, lost goodwill). */
      handover_cost_cents: z.number().int().min(0).default(1_500),
      /** Call-centre minutes per call task (for the cost model). */
      call_minutes: z.number().min(0).max(120).default(6),
      /** Days before a payment is known to the shop (bank transfer); reminders in between cross it. */
      payment_known_after_days: z.number().min(0).max(10).default(1),
    })
    .default({ handover_cost_cents: 1_500, call_minutes: 6, payment_known_after_days: 1 }),
});
/** A validated population with defaults filled in. */
export type Population = z.output<typeof PopulationSchema>;
/** A population as written. */
export type PopulationInput = z.input<typeof PopulationSchema>;

/** One problem in a population file, at a dotted path. */
export interface PopulationProblem {
  field: string;
  message: string;
}

/** Validates unknown JSON as a population, naming every problem at its dotted path. */
export function parsePopulation(input: unknown): { ok: true; population: Population } | { ok: false; problems: PopulationProblem[] } {
  const result = PopulationSchema.safeParse(input);
  if (result.success) return { ok: true, population: result.data };
  return { ok: false, problems: result.error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message })) };
}

/** The chance for contact number `n` (1-based) from a per-contact value. */
export function chanceAt(value: number | number[], n: number): number {
  if (typeof value === "number") return value;
  return value[Math.min(n, value.length) - 1] ?? 0;
}

/** The country whose law applies to a locale. */
export function countryOf(locale: SimLocale): "NL" | "BE" {
  return locale === "nl-BE" || locale === "fr-BE" ? "BE" : "NL";
}
