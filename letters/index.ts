import { render } from "@react-email/render";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { assertLetterProps, letterSubject, type LetterProps } from "./letter-props";
import { ReminderLetter } from "./reminder-letter";

export { assertLetterProps, letterLocale, letterSubject, type LetterProps } from "./letter-props";
export { ReminderLetter } from "./reminder-letter";
export { LETTER_COPY, type LetterCopy, type LetterKind, type LetterTone } from "./letter-copy";
export { WINDOW_ZONE, SENDER_BLOCK, INFO_BLOCK, BODY_TOP_MM, type MmBox } from "./layout";

// Headings and table headers in capitals read as shouting; no hard line breaks, so a sentence
// (such as the lawful 14-day term) stays on one line for whoever reads or searches the text.
const htmlToTextOptions = {
  wordwrap: false as const,
  selectors: [
    { selector: "h2", options: { uppercase: false } },
    { selector: "title", format: "skip" },
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
 * readers. Throws a RangeError for a letter that must not be sent (see assertLetterProps).
 */
export async function renderLetter(props: LetterProps): Promise<RenderedLetter> {
  assertLetterProps(props);
  const element = createElement(ReminderLetter, props);
  const html = `<!DOCTYPE html>${renderToStaticMarkup(element)}`;
  const text = await render(element, { plainText: true, htmlToTextOptions });
  return { html, text, subject: letterSubject(props) };
}
