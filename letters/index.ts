import { render } from "@react-email/render";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MessageLetter, type MessageLetterProps } from "./message-letter";

export { MessageLetter, type MessageLetterProps } from "./message-letter";
export { WINDOW_ZONE, SENDER_BLOCK, INFO_BLOCK, BODY_TOP_MM, NEXT_PAGE_TOP_MM, RUNNING_HEADER, QR_SIZE_MM, BODY_FONT_PT, type MmBox } from "./layout";

// Headings and table headers in capitals read as shouting; no hard line breaks, so a sentence
// (such as the lawful 14-day term) stays on one line for whoever reads or searches the text.
const htmlToTextOptions = {
  wordwrap: false as const,
  selectors: [
    { selector: "h2", options: { uppercase: false } },
    { selector: "title", format: "skip" },
    { selector: "style", format: "skip" },
    { selector: "svg", format: "skip" },
    { selector: '[data-text-format="dataTable"]', format: "dataTable", options: { uppercaseHeaderCells: false } },
  ],
};

/** A rendered letter: print-ready HTML (A4, window envelope) and the same letter as plain text. */
export interface RenderedLetter {
  html: string;
  text: string;
  subject: string;
}

/**
 * Renders a letter in the Worker: no browser, no fetched fonts. The HTML is a standards-mode A4
 * page for a print-and-mail service or a headless browser; the text is for the outbox and screen
 * readers.
 */
export async function renderLetter(props: MessageLetterProps): Promise<RenderedLetter> {
  let element = createElement(MessageLetter, props);
  let html = `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
  // Print APIs take a letter's HTML inline only up to a size (Lob: 10,000 characters). A long
  // letter then goes without the QR code: the IBAN, the amount and the reference are printed in
  // words next to it anyway, so it stays payable on paper.
  const bank = props.model.bank;
  if (html.length >= LETTER_HTML_LIMIT && bank?.qrSvg) {
    element = createElement(MessageLetter, { ...props, model: { ...props.model, bank: { ...bank, qrSvg: null } } });
    html = `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
  }
  const text = await render(element, { plainText: true, htmlToTextOptions });
  return { html, text, subject: props.model.copy.heading };
}

/** The inline-HTML size a letter stays under when it can (Lob's limit for inline HTML). */
export const LETTER_HTML_LIMIT = 10_000;
