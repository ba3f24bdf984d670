/**
 * Previews for real users: any copy (a version, a variant, an unsaved edit) of a template in any
 * locale, drawn from realistic sample data of the country (a Belgian sample has Belgian law, a
 * French-speaking Belgian sample a Walloon shop) with the tenant's own shop name, as the email's
 * HTML, the letter's printable A4 page, or the SMS text with its segment count.
 */
import { smsSegments, type SmsSize } from "../channels/sms-text";
import type { TemplateCopy } from "./blocks";
import type { CopyKey, CopyLocale } from "./copy";
import { lintCopy, type LintResult } from "./lint";
import { buildMessage, type MessageInput } from "./model";
import { renderEmail, renderPostedLetter, renderSms } from "./render-message";
import { sampleInput, sampleLetterParties } from "./samples";

/** A channel a preview draws. */
export type PreviewChannel = "email" | "letter" | "sms";

/** What a preview shows. */
export interface Preview {
  subject: string;
  html: string;
  text: string;
  /** The language it is written in (a Dutch 14-day letter stays Dutch for a Belgian reader). */
  writtenLocale: CopyLocale;
  country: "NL" | "BE";
  sms: (SmsSize & { budget: number }) | null;
}

/** The sample message data with the tenant's shop name (the lint measures subjects with it too). */
export function previewInput(key: CopyKey, locale: CopyLocale, channel: PreviewChannel, shopName: string, country?: "NL" | "BE"): MessageInput & { sample: ReturnType<typeof sampleInput>["sample"] } {
  const input = sampleInput(key, locale, channel, country);
  return { ...input, shop: { ...input.shop, name: shopName.trim() || input.shop.name } };
}

/** Renders `copy` as the debtor would get it on `channel`. */
export async function renderPreview(p: { key: CopyKey; locale: CopyLocale; channel: PreviewChannel; copy: TemplateCopy; shopName: string; country?: "NL" | "BE"; smsBudget: number }): Promise<Preview> {
  const input = previewInput(p.key, p.locale, p.channel, p.shopName, p.country);
  const { sample: _, ...message } = input;
  const model = buildMessage({ ...message, copy: p.copy });
  const base = { writtenLocale: model.input.locale, country: message.country };
  if (p.channel === "email") return { ...(await renderEmail(model)), ...base, sms: null };
  if (p.channel === "letter") {
    const parties = sampleLetterParties(input);
    return { ...(await renderPostedLetter(model, { ...parties, sender: { ...parties.sender, name: message.shop.name } })), ...base, sms: null };
  }
  const budget = Math.max(2, p.smsBudget);
  const sms = renderSms(model, budget);
  return { ...sms, ...base, sms: { ...smsSegments(sms.text), budget } };
}

/** Lints copy for a template and locale with the tenant's shop name (subjects are measured with it) and SMS budget. */
export function lintFor(key: CopyKey, locale: CopyLocale, copy: TemplateCopy, ctx: { shopName: string; smsBudget: number }): LintResult {
  // The SMS sample: it has the short link an SMS carries, so the segment count is the real one.
  const { sample: _, ...input } = previewInput(key, locale, "sms", ctx.shopName);
  return lintCopy(key, locale, copy, input, ctx.smsBudget);
}
