/**
 * Renders one outbox row for its channel: the row's template (its `details.template`, from the
 * ladder step or the message kind) filled with what is open now, drawn as an email, an A4 letter,
 * an SMS or a call-centre task. Only what the person must read; nothing is read from env here.
 */
import { callTaskScript } from "../channels/call-task";
import { textAsHtml } from "../channels/sandbox";
import { beEarliestCostsDate } from "../policy/law-be";
import { hasCopy, type CopyKey } from "../templates/copy";
import { isTemplateKey } from "../templates/keys";
import { buildMessage, type MessageInput } from "../templates/model";
import { renderEmail, renderPostedLetter, renderSms } from "../templates/render-message";
import type { SelfServiceUrls } from "../links";
import { addDays } from "../zoned-time";
import { renderLetterPdf } from "../../letters/pdf";

/** Bytes as base64, in chunks (a spread of a whole PDF would pass the engine's argument limit). */
function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
import type { RunContext } from "./run-context";
import type { OutboxDetails } from "./runner";
import type { DebtorRecord, InvoiceRow } from "./store";

export interface RenderedMessage {
  recipient: string;
  subject: string;
  html: string;
  text: string;
  /** A letter for a print service that takes a PDF: the PDF, base64. */
  pdf?: string;
}

export interface RenderInput {
  channel: string;
  tone: string;
  details: OutboxDetails;
  debtor: DebtorRecord;
  invoices: InvoiceRow[];
  rc: RunContext;
  country: "NL" | "BE";
  links: SelfServiceUrls | null;
  /** The page's short link, on paper and in SMS. */
  shortLink: string | null;
  today: string;
  /** The agreed instalments, for arrangement messages. */
  instalments: { seq: number; dueDate: string; amountCents: number }[];
  /** What came before: the last message sent this cycle, and when the debtor said they paid. */
  history: MessageInput["history"];
  /** The debtor's 12-digit payment number (BE structured communication, NL kenmerk). */
  paymentDigits: string | null;
  /**
   * How a letter goes out: as a PDF too (the print service takes one), and whether its legal term
   * starts at the provider's posting event (then a Belgian first reminder prints no fixed date,
   * but when the 14 days start: the posting day is not known yet).
   */
  print?: { pdf: boolean; postedLater: boolean };
}

const outstanding = (i: InvoiceRow) => i.amount_cents - i.paid_cents;

/** The template a row is written with; an unknown key (a policy stored before keys were checked) falls back by kind. */
export function templateFor(details: Pick<OutboxDetails, "template" | "kind" | "acknowledgeAlreadyPaid">): CopyKey {
  if (details.acknowledgeAlreadyPaid) return "already-paid-follow-up";
  if (isTemplateKey(details.template) && hasCopy(details.template)) return details.template;
  if (details.kind === "nl_fourteen_day_letter") return "nl-fourteen-day-letter";
  if (details.kind === "be_first_reminder") return "be-first-reminder";
  if (details.kind === "pre_due_nudge") return "pre-due-nudge";
  return "reminder-friendly";
}

/** The message input for a row on a message channel. */
function messageInput(r: RenderInput, channel: MessageInput["channel"]): MessageInput {
  const profile = r.rc.tenant.profile;
  const beChannel = channel === "letter" ? "letter" : "email";
  return {
    template: templateFor(r.details),
    kind: r.details.kind,
    channel,
    // buildMessage writes a 14-day letter in Dutch for a reader of Belgian Dutch or French (messageLocale).
    locale: r.debtor.locale,
    country: r.country,
    today: r.today,
    debtor: { id: r.debtor.id, name: r.debtor.name, postalCode: r.debtor.address?.postal_code },
    shop: {
      name: r.rc.tenant.displayName,
      email: r.rc.tenant.contactEmail ?? profile.email?.reply_to,
      phone: profile.service?.phone,
      hours: profile.service?.hours,
      helpUrl: profile.service?.help_url,
      enterpriseNumber: r.rc.tenant.enterpriseNumber ?? undefined,
      bank: profile.bank,
      payUrlTemplate: profile.links?.pay_url_template,
      partnerName: profile.handover_partner?.name,
      brandColour: profile.branding?.brand_colour,
    },
    invoices: r.invoices.map((i) => ({ id: i.id, reference: i.merchant_invoice_id, description: i.description ?? undefined, dueDate: i.due_date, amountCents: i.amount_cents, outstandingCents: outstanding(i), payUrl: i.pay_url })),
    links: {
      page: r.links?.page ?? null,
      short: channel === "email" ? null : r.shortLink,
      ...(channel === "email" && r.links ? { alreadyPaid: r.links.alreadyPaid, paymentDate: r.links.paymentDate, arrangement: r.links.arrangement } : {}),
    },
    history: r.history,
    legal: {
      announcedCents: r.details.announcedCostsCents,
      // A Belgian first reminder's term runs from the day it is actually sent (Book XIX), not the planned day.
      termEndDate: r.details.kind === "be_first_reminder" ? (beChannel === "letter" && r.print?.postedLater ? null : addDays(beEarliestCostsDate(r.today, beChannel), -1)) : r.details.termEndDate,
      vatOnCosts: r.rc.policy.costs.vat_on_costs,
    },
    paymentDigits: r.paymentDigits,
    instalments: r.instalments,
    ...(r.details.instalmentSeq !== undefined ? { instalmentSeq: r.details.instalmentSeq } : {}),
    ...(r.details.paidCents !== undefined ? { paidCents: r.details.paidCents } : {}),
  };
}

/** The message for this channel, or null when the debtor cannot be reached on it. */
export async function renderMessage(r: RenderInput): Promise<RenderedMessage | null> {
  switch (r.channel) {
    case "email": {
      if (!r.debtor.email) return null;
      return { recipient: r.debtor.email, ...(await renderEmail(buildMessage(messageInput(r, "email")))) };
    }
    case "letter": {
      const address = r.debtor.address;
      if (!address) return null;
      const profile = r.rc.tenant.profile;
      const model = buildMessage(messageInput(r, "letter"));
      const parties = {
        sender: {
          name: profile.legal_name ?? r.rc.tenant.displayName,
          addressLines: r.rc.tenant.addressLines,
          email: r.rc.tenant.contactEmail ?? profile.email?.reply_to,
          phone: profile.service?.phone,
          enterpriseNumber: r.country === "BE" ? (r.rc.tenant.enterpriseNumber ?? undefined) : undefined,
          kvkNumber: r.country === "NL" ? profile.kvk_number : undefined,
        },
        recipient: { name: r.debtor.name, address },
        reference: r.paymentDigits ?? r.invoices.map((i) => i.merchant_invoice_id).join(", "),
      };
      const m = await renderPostedLetter(model, parties);
      const recipient = [r.debtor.name, address.line1, address.line2, `${address.postal_code} ${address.city}`, address.country].filter(Boolean).join(", ");
      return { recipient, ...m, ...(r.print?.pdf ? { pdf: bytesToBase64(await renderLetterPdf({ model, ...parties })) } : {}) };
    }
    case "sms": {
      if (!r.debtor.phone) return null;
      return { recipient: r.debtor.phone, ...renderSms(buildMessage(messageInput(r, "sms")), r.rc.policy.sms_max_segments) };
    }
    case "call": {
      if (!r.debtor.phone) return null;
      const task = callTaskScript({
        locale: r.debtor.locale,
        debtorName: r.debtor.name,
        merchantName: r.rc.tenant.displayName,
        totalCents: r.invoices.reduce((s, i) => s + outstanding(i), 0),
        invoices: r.invoices.map((i) => ({ reference: i.merchant_invoice_id, dueDate: i.due_date, outstandingCents: outstanding(i) })),
        notes: r.details.acknowledgeAlreadyPaid ? ["already_paid_reported"] : [],
        country: r.country,
        postalCode: r.debtor.address?.postal_code,
      });
      return { recipient: r.debtor.phone, subject: task.title, html: textAsHtml(task.title, task.text, r.debtor.locale), text: task.text };
    }
    default:
      return null;
  }
}
