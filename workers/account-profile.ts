/**
 * The shop's own voice: who a debtor sees as the sender of every email, SMS, letter, page and
 * banner, and how they can pay and reach the shop. Set by the tenant with `PATCH /v1/account`,
 * stored as validated JSON on the tenant row and read back through `parseAccountProfile`.
 * Nothing here says "Kindly" to a debtor unless the shop chooses it.
 */
import { z } from "zod";
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools";
import { PAY_URL_PLACEHOLDERS, unknownPlaceholders } from "./pay-action";

const HttpsUrl = z.url({ protocol: /^https$/, message: "Must be an https URL." }).max(2048);
const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, { message: "Must be an E.164 number, e.g. +31201234567." });
const Hostname = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { message: "Must be a host name such as betalen.shop.nl." });
const Time = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { message: "Use HH:MM, e.g. 09:00." });

/** Days of the week, Monday first (ISO 8601). */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** One block of opening hours, e.g. Monday to Friday 09:00-17:00; renderers word it per locale. */
export const OpeningHoursSchema = z
  .strictObject({ days: z.array(z.enum(WEEKDAYS)).min(1).max(7), from: Time, to: Time })
  .refine((h) => h.from < h.to, { message: "'to' must be after 'from'.", path: ["to"] });
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

/** WCAG 2.1 relative luminance of an sRGB colour "#rrggbb". */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Contrast ratio of a colour against white (WCAG 2.1), 1 to 21. */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

/** Buttons carry white text on the brand colour: AA for normal text needs 4.5:1. */
export const MIN_BRAND_CONTRAST = 4.5;

export const AccountProfileSchema = z.strictObject({
  /** The legal name on letters and legal notices when it differs from the display name ("De Spaak B.V."). */
  legal_name: z.string().min(1).max(200).optional(),
  /** Dutch Chamber of Commerce number (KvK), 8 digits. */
  kvk_number: z.string().regex(/^\d{8}$/, { message: "A KvK number has 8 digits." }).optional(),
  email: z
    .strictObject({
      /** The name in the From header, e.g. "Fietsenwinkel De Spaak". */
      from_name: z.string().min(1).max(100).regex(/^[^"<>\r\n]+$/, { message: "No quotes, angle brackets or line breaks." }),
      /** On a domain the shop has verified with the email provider (Resend sends from any verified domain). */
      from_address: z.email().max(254),
      /** Where "just reply to this email" goes: the shop's customer service. */
      reply_to: z.email().max(254).optional(),
    })
    .optional(),
  sms: z
    .strictObject({
      /** Alphanumeric sender ID (1-11 letters, digits, spaces; at least one letter), where the country allows it. */
      sender_id: z
        .string()
        .regex(/^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/, { message: "1-11 letters, digits or spaces, with at least one letter." })
        .optional(),
      /** The shop's own number, used where an alphanumeric sender is not allowed or replies are wanted. */
      from_number: E164.optional(),
    })
    .optional(),
  service: z
    .strictObject({
      /** Customer-service phone number, shown on letters, emails and pages. */
      phone: E164.optional(),
      hours: z.array(OpeningHoursSchema).max(7).optional(),
      chat_url: HttpsUrl.optional(),
      /** The shop's own page about help with money worries. */
      help_url: HttpsUrl.optional(),
    })
    .optional(),
  branding: z
    .strictObject({
      logo_url: HttpsUrl.optional(),
      brand_colour: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, { message: "Use a colour like #1e40af." })
        .refine((c) => contrastWithWhite(c) >= MIN_BRAND_CONTRAST, {
          message: `White text on this colour is hard to read; pick a darker colour (contrast at least ${MIN_BRAND_CONTRAST}:1).`,
        })
        .optional(),
    })
    .optional(),
  bank: z
    .strictObject({
      /** Validated with ibantools and stored in electronic format (no spaces). */
      iban: z
        .string()
        .transform((s) => electronicFormatIBAN(s) ?? s)
        .refine((s) => isValidIBAN(s), { message: "This is not a valid IBAN." }),
      account_holder: z.string().min(1).max(70),
      bic: z.string().refine((s) => isValidBIC(s), { message: "This is not a valid BIC." }).optional(),
    })
    .optional(),
  links: z
    .strictObject({
      /** A host name of the shop's that points at Kindly (CNAME), used in links to debtors. */
      domain: Hostname.optional(),
      /**
       * One pay page for everything a debtor owes, with placeholders the shop's checkout reads:
       * {{debtor_id}}, {{amount_cents}}, {{reference}}, {{invoice_ids}}. Without it each invoice's
       * own pay_url is used (one link per invoice).
       */
      pay_url_template: HttpsUrl.refine((t) => unknownPlaceholders(t).length === 0, {
        message: `Only these placeholders: ${PAY_URL_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}.`,
      }).optional(),
    })
    .optional(),
  /** The collection agency or bailiff the shop hands over to; without one, no message mentions a handover. */
  handover_partner: z
    .strictObject({ name: z.string().min(1).max(200), website: HttpsUrl.optional(), phone: E164.optional() })
    .nullable()
    .optional(),
  /**
   * Who prints and posts the shop's letters: "pingen" (an A4 PDF, posted inside Europe, the legal
   * term counted from Pingen's posting event) or "lob" (printed in the US). Unset: the first of
   * Lob and Pingen that this deployment has credentials for.
   */
  letters: z.strictObject({ provider: z.enum(["pingen", "lob"]) }).optional(),
  /**
   * "live": messages go to the providers (a channel without working credentials is unavailable);
   * "sandbox": every message is rendered and kept in the sandbox outbox and marked as such.
   * Unset: sandbox in development, live in production.
   */
  delivery_mode: z.enum(["live", "sandbox"]).optional(),
});
/** A tenant's sender identity, branding, payment details and delivery mode. */
export type AccountProfile = z.infer<typeof AccountProfileSchema>;

/** The stored profile, or an empty one when the stored JSON no longer parses (never blocks a reminder). */
export function parseAccountProfile(json: string | null | undefined): AccountProfile {
  if (!json) return {};
  try {
    const parsed = AccountProfileSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
