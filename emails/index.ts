import { render, toPlainText } from "@react-email/render";
import { createElement } from "react";
import type { MessageModel } from "../workers/templates/model";
import { MessageEmail } from "./message-email";

export { COPY, LOCALES, type Country, type Locale, type ReminderCopy, type Tone } from "./copy";
export { formatDate, formatMoney } from "./format";
export { MessageEmail, type MessageEmailProps } from "./message-email";

// html-to-text writes headings and table headers in capitals by default; in a reminder that
// reads as shouting, which is exactly the tone this email must avoid. The QR code has no text.
const htmlToTextOptions = {
  selectors: [
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "svg", format: "skip" },
    { selector: '[data-text-format="dataTable"]', format: "dataTable", options: { uppercaseHeaderCells: false } },
  ],
};

/** A rendered email, ready for the outbox: both parts come from the same element. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Renders a message model as an email: subject, HTML and plain text (for spam scores and screen
 * readers). React renders once; the text is converted from that HTML, as `render(..., { plainText })`
 * would do after rendering the same element a second time.
 */
export async function renderMessageEmail(model: MessageModel): Promise<RenderedEmail> {
  const html = await render(createElement(MessageEmail, { model }));
  return { subject: model.copy.subject, html, text: toPlainText(html, htmlToTextOptions) };
}
