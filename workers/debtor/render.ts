/**
 * Renders one outbox row for its channel: the React Email reminder, the A4 letter, the SMS text
 * or the call-centre task. Only what the person must read; nothing is read from env here.
 */
import { beFirstReminderLines, renderArrangementConfirmation, renderPaymentReminder, type Locale } from "../../emails";
import { renderLetter } from "../../letters";
import { callTaskScript } from "../channels/call-task";
import { textAsHtml } from "../channels/sandbox";
import { arrangementSmsText, fitSms, reminderSmsText } from "../channels/sms-text";
import type { SelfServiceUrls } from "../links";
import { beEarliestCostsDate } from "../policy/law-be";
import { addDays } from "../zoned-time";
import type { RunContext } from "./run-context";
import type { OutboxDetails } from "./runner";
import type { DebtorRecord, InvoiceRow } from "./store";

export interface RenderedMessage {
  recipient: string;
  subject: string;
  html: string;
  text: string;
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
  today: string;
  /** The agreed instalments, for an arrangement confirmation. */
  instalments: { dueDate: string; amountCents: number }[];
}

const outstanding = (i: InvoiceRow) => i.amount_cents - i.paid_cents;

/** The message for this channel, or null when the debtor cannot be reached on it. */
export async function renderMessage(r: RenderInput): Promise<RenderedMessage | null> {
  const locale: Locale = r.debtor.locale;
  const merchant = r.rc.tenant.displayName;
  const totalCents = r.invoices.reduce((s, i) => s + outstanding(i), 0);
  const link = r.links?.page ?? r.invoices[0]?.pay_url ?? "";
  if (r.details.kind === "arrangement_confirmation") return renderConfirmation(r, locale, merchant, link);
  switch (r.channel) {
    case "email": {
      if (!r.debtor.email) return null;
      const notices =
        r.details.kind === "be_first_reminder"
          ? beFirstReminderLines({
              locale,
              creditor: merchant,
              enterpriseNumber: r.rc.tenant.enterpriseNumber,
              items: r.invoices.map((i) => ({ reference: i.merchant_invoice_id, dueDate: i.due_date })),
              balanceCents: totalCents,
              damagesCents: r.details.announcedCostsCents,
              // Counted from the day it is actually sent (Book XIX), not the day it was planned.
              termEndDate: addDays(beEarliestCostsDate(r.today, "email"), -1),
            })
          : [];
      const m = await renderPaymentReminder({
        locale,
        country: r.country,
        tone: r.tone === "friendly" ? "friendly" : "second",
        debtorName: r.debtor.name,
        merchantName: merchant,
        contactEmail: r.rc.tenant.contactEmail ?? undefined,
        invoices: r.invoices.map((i) => ({ reference: i.merchant_invoice_id, dueDate: i.due_date, amountCents: i.amount_cents, outstandingCents: outstanding(i), payUrl: i.pay_url })),
        totalCents,
        currency: "EUR",
        payUrl: r.invoices[0]?.pay_url ?? "",
        alreadyPaidUrl: r.links?.alreadyPaid,
        paymentDateUrl: r.links?.paymentDate,
        arrangementUrl: r.links?.arrangement,
        helpUrl: r.links?.help,
        acknowledgeAlreadyPaid: r.details.acknowledgeAlreadyPaid,
        notices,
      });
      return { recipient: r.debtor.email, ...m };
    }
    case "letter": {
      const address = r.debtor.address;
      if (!address) return null;
      // A 14-day letter only exists under Dutch law, a Book XIX first reminder needs the creditor's
      // enterprise number: without those, the letter is a plain kind reminder.
      const legal =
        (r.details.kind === "nl_fourteen_day_letter" && r.country === "NL") ||
        (r.details.kind === "be_first_reminder" && r.country === "BE" && r.rc.tenant.enterpriseNumber !== null);
      const kind = legal && (r.details.kind === "nl_fourteen_day_letter" || r.details.kind === "be_first_reminder") ? r.details.kind : "reminder";
      const m = await renderLetter({
        locale,
        country: r.country,
        kind,
        tone: r.tone === "friendly" || r.tone === "neutral" || r.tone === "clear" ? r.tone : "neutral",
        date: r.today,
        sender: { name: merchant, addressLines: r.rc.tenant.addressLines, contactEmail: r.rc.tenant.contactEmail ?? undefined, enterpriseNumber: r.rc.tenant.enterpriseNumber ?? undefined },
        recipient: { name: r.debtor.name, address },
        reference: r.invoices.map((i) => i.merchant_invoice_id).join(", "),
        invoices: r.invoices.map((i) => ({ reference: i.merchant_invoice_id, dueDate: i.due_date, outstandingCents: outstanding(i) })),
        totalCents,
        payUrl: r.invoices[0]?.pay_url ?? "",
        selfServiceUrl: r.links?.page,
        costs: {
          announcedCents: r.details.announcedCostsCents,
          // A Belgian letter's term runs from the third working day after posting: from today's posting.
          termEndDate: kind === "be_first_reminder" ? addDays(beEarliestCostsDate(r.today, "letter"), -1) : r.details.termEndDate,
        },
        acknowledgeAlreadyPaid: r.details.acknowledgeAlreadyPaid,
      });
      const recipient = [r.debtor.name, address.line1, address.line2, `${address.postal_code} ${address.city}`, address.country].filter(Boolean).join(", ");
      return { recipient, ...m };
    }
    case "sms": {
      if (!r.debtor.phone) return null;
      const text = fitSms(reminderSmsText({ locale, merchantName: merchant, link, acknowledgeAlreadyPaid: r.details.acknowledgeAlreadyPaid }), r.rc.policy.sms_max_segments);
      return { recipient: r.debtor.phone, subject: `SMS ${merchant}`, html: textAsHtml(`SMS ${merchant}`, text, locale), text };
    }
    case "call": {
      if (!r.debtor.phone) return null;
      const task = callTaskScript({
        locale,
        debtorName: r.debtor.name,
        merchantName: merchant,
        totalCents,
        invoices: r.invoices.map((i) => ({ reference: i.merchant_invoice_id, dueDate: i.due_date, outstandingCents: outstanding(i) })),
        notes: r.details.acknowledgeAlreadyPaid ? ["already_paid_reported"] : [],
      });
      return { recipient: r.debtor.phone, subject: task.title, html: textAsHtml(task.title, task.text, locale), text: task.text };
    }
    default:
      return null;
  }
}

/** Arrangements are confirmed in writing: by SMS (no amounts on a lock screen) and by email. */
async function renderConfirmation(r: RenderInput, locale: Locale, merchant: string, link: string): Promise<RenderedMessage | null> {
  if (r.channel === "sms" && r.debtor.phone) {
    const text = fitSms(arrangementSmsText({ locale, merchantName: merchant, instalments: r.instalments.length, firstDueDate: r.instalments[0]?.dueDate ?? r.today, link }), r.rc.policy.sms_max_segments);
    return { recipient: r.debtor.phone, subject: `SMS ${merchant}`, html: textAsHtml(`SMS ${merchant}`, text, locale), text };
  }
  if (r.channel === "email" && r.debtor.email) {
    const m = await renderArrangementConfirmation({ locale, debtorName: r.debtor.name, merchantName: merchant, instalments: r.instalments, pageUrl: r.links?.page });
    return { recipient: r.debtor.email, ...m };
  }
  return null;
}
