import { render } from "@react-email/render";
import { createElement } from "react";
import { ArrangementConfirmation, arrangementConfirmationSubject, type ArrangementConfirmationProps } from "./arrangement-confirmation";
import { PaymentReminder, paymentReminderSubject, type PaymentReminderProps } from "./payment-reminder";

export { COPY, LOCALES, type Country, type Locale, type ReminderCopy, type Tone } from "./copy";
export { formatDate, formatMoney } from "./format";
export { ALREADY_PAID_ACK, beFirstReminderLines, type BeFirstReminderFacts } from "./notices";
export {
  PaymentReminder,
  paymentReminderSubject,
  type PaymentReminderProps,
  type ReminderInvoice,
} from "./payment-reminder";

// html-to-text writes headings and table headers in capitals by default; in a reminder that
// reads as shouting, which is exactly the tone this email must avoid.
const htmlToTextOptions = {
  selectors: [
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: '[data-text-format="dataTable"]', format: "dataTable", options: { uppercaseHeaderCells: false } },
  ],
};

/** A rendered email, ready for the outbox: both parts come from the same element. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Renders the payment reminder to subject, HTML and plain text (plain text helps spam scores and screen readers). */
export async function renderPaymentReminder(props: PaymentReminderProps): Promise<RenderedEmail> {
  const element = createElement(PaymentReminder, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true, htmlToTextOptions })]);
  return { subject: paymentReminderSubject(props), html, text };
}

/** Renders the arrangement confirmation to subject, HTML and plain text. */
export async function renderArrangementConfirmation(props: ArrangementConfirmationProps): Promise<RenderedEmail> {
  const element = createElement(ArrangementConfirmation, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true, htmlToTextOptions })]);
  return { subject: arrangementConfirmationSubject(props), html, text };
}

export type { ArrangementConfirmationProps };
