/** English copy around the legal notices; the notices themselves are locked (../locked-en.ts). */
import type { TemplateCopy } from "../blocks";
import { EN } from "./en-words";
import type { LegalKey } from "./families";

const { greeting, signoff } = EN;
const cta = "Pay {{amount}}";

/** English legal-step copy. */
export const EN_LEGAL: Record<LegalKey, TemplateCopy> = {
  "nl-fourteen-day-letter": {
    subject: "{{shop_name}}: please pay within 14 days",
    preheader: "What you need to know, in plain words.",
    heading: "Reminder: 14 days to pay",
    greeting,
    intro: "We have reminded you about {{invoice_phrase}} before. The payment was due on {{due_date}}, and we have not received it yet.",
    body: [
      "Our last message was on {{previous_date}}, {{previous_channel}}.",
      "Below you can read how much time you have and what happens if you do not pay.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} has sent you an important letter about a payment. Please read it.",
  },
  "be-first-reminder": {
    subject: "{{shop_name}}: first reminder about your payment",
    preheader: "A free first reminder.",
    heading: "First reminder",
    greeting,
    intro: "The payment for {{invoice_phrase}} was due on {{due_date}}. We have not received it yet. Perhaps it slipped your mind.",
    body: ["Below you can read what you need to know: the amount, the date to pay by, and what happens after that date."],
    cta,
    signoff,
    sms: "{{shop_name}} has sent you a first reminder about a payment.",
  },
  "final-notice": {
    subject: "{{shop_name}}: our last reminder about your payment",
    preheader: "We would rather find a solution with you.",
    heading: "Our last reminder",
    greeting,
    intro: "We have reminded you several times about {{invoice_phrase}}. We have not received the payment or heard from you.",
    body: [
      "Our last message was on {{previous_date}}, {{previous_channel}}.",
      "This is our last reminder. If we have no payment or agreement from you, we will pass the invoice on to {{partner_name}}. They will then contact you about it.",
      "We would much rather find a solution with you. You can pay in parts, choose a later date, or ask for free help.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}}: this is our last reminder about a payment. Please contact us, we are happy to help.",
  },
};
