/**
 * Draws a message model on its channel: the React Email layout, the A4 letter, or the SMS text.
 * One renderer per channel serves every template, so a template is its copy plus its locked parts.
 */
import { renderMessageEmail } from "../../emails";
import { renderLetter, type MessageLetterProps } from "../../letters";
import { textAsHtml } from "../channels/sandbox";
import { messageSmsText } from "../channels/sms-text";
import type { MessageModel } from "./model";

/** A rendered message, ready for the outbox. */
export interface RenderedText {
  subject: string;
  html: string;
  text: string;
}

/** The SMS help line: the first free place, with its phone number where it has one. */
function smsHelp(m: MessageModel): string {
  const place = m.help.places[0];
  if (!place) return "";
  const phone = place.phoneNumber ? ` ${place.phoneNumber}` : "";
  return m.locked.sms.help(`${place.name}${phone}`);
}

/** Renders `m` as an email. */
export function renderEmail(m: MessageModel): Promise<RenderedText> {
  return renderMessageEmail(m);
}

/** Renders `m` as a posted letter; `letter` names sender, recipient and reference. */
export function renderPostedLetter(m: MessageModel, letter: Omit<MessageLetterProps, "model">): Promise<RenderedText> {
  return renderLetter({ model: m, ...letter });
}

/** Renders `m` as an SMS of at most `maxSegments` segments (two at least). */
export function renderSms(m: MessageModel, maxSegments: number): RenderedText {
  const link = m.input.links.short ?? m.input.links.page ?? m.pay?.url ?? "";
  const text = messageSmsText({ text: m.copy.sms, crossed: m.locked.crossedSms[m.crossedVariant], help: smsHelp(m), linkLabel: m.locked.sms.link, link, maxSegments });
  const subject = `SMS ${m.input.shop.name}`;
  return { subject, html: textAsHtml(subject, text, m.input.locale), text };
}

