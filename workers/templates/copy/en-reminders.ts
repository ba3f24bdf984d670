/** English copy of the reminders (before and after the due date, gentle variants). B1, kind, never threatening. */
import type { TemplateCopy } from "../blocks";
import { EN } from "./en-words";
import type { ReminderKey } from "./families";

const { greeting, signoff } = EN;
const cta = "Pay {{amount}}";

/** English reminder copy. */
export const EN_REMINDERS: Record<ReminderKey, TemplateCopy> = {
  "pre-due-nudge": {
    subject: "{{shop_name}}: payment due on {{due_date}}",
    preheader: "A short note before the due date.",
    heading: "Your payment is due soon",
    greeting,
    intro: "This is a friendly note before the due date. The payment for {{invoice_phrase}} is due on {{due_date}}.",
    body: ["You can pay now with the button below. Then we will not need to remind you."],
    cta,
    signoff,
    sms: "{{shop_name}}: a friendly note about a payment that is due soon.",
  },
  "reminder-friendly": {
    subject: "{{shop_name}}: a friendly reminder",
    preheader: "Forgot to pay? That can happen to anyone.",
    heading: "A friendly reminder",
    greeting,
    intro: "The payment for {{invoice_phrase}} was due on {{due_date}}. We have not received it yet. Perhaps it slipped your mind. That can happen to anyone.",
    body: ["You can pay with the button below. It only takes a minute."],
    cta,
    signoff,
    sms: "{{shop_name}} has a short message for you about a payment.",
  },
  "reminder-second": {
    subject: "{{shop_name}}: second reminder about your payment",
    preheader: "We are happy to think along with you.",
    heading: "Second reminder",
    greeting,
    intro: "This is our second reminder about {{invoice_phrase}}. The payment was due on {{due_date}}.",
    body: [
      "We sent you the first reminder on {{previous_date}}, {{previous_channel}}.",
      "Could you pay soon? Is that hard right now? You can choose a later date or pay in parts. Or contact us, and we will find a solution together.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} sent you a reminder about a payment before. It is still open.",
  },
  "reminder-letter": {
    subject: "{{shop_name}}: your payment is still open",
    preheader: "We would like to hear from you.",
    heading: "Reminder about {{invoice_phrase}}",
    greeting,
    intro: "We have written to you about {{invoice_phrase}} before. We have not received the payment yet.",
    body: [
      "Our last message was on {{previous_date}}, {{previous_channel}}.",
      "Could you pay? Is that not possible right now? Please contact us. We would like to find a solution with you.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} has written to you about a payment that is still open.",
  },
  "reminder-sms": {
    subject: "{{shop_name}}: a short message about your payment",
    preheader: "Can we help you?",
    heading: "A short message about your payment",
    greeting,
    intro: "We have reminded you about {{invoice_phrase}} before.",
    body: [
      "Our last message was on {{previous_date}}, {{previous_channel}}.",
      "Is something not right, or is paying hard? Tell us. We will look for a solution together.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} wrote to you about a payment before. Can we help?",
  },
  "reminder-gentle": {
    subject: "{{shop_name}}: your payment, and help if needed",
    preheader: "No rush. There is help if money is tight.",
    heading: "About your payment",
    greeting,
    intro: "We know that paying bills is not always easy. That is nothing to be ashamed of. So we start with where you can find help.",
    body: ["The payment for {{invoice_phrase}} was due on {{due_date}}. You can pay later or in small parts. Just tell us what works for you."],
    cta,
    signoff,
    sms: "{{shop_name}} has a message for you about a payment. No rush: we are happy to help.",
  },
  "reminder-help": {
    subject: "{{shop_name}}: we would like to help you",
    preheader: "Small steps are fine.",
    heading: "We would like to help you",
    greeting,
    intro: "We wrote to you about {{invoice_phrase}} on {{previous_date}}. We have not heard from you yet. That is okay.",
    body: [
      "Maybe paying is hard right now. You can pay in small parts, or choose a date that suits you. You decide.",
      "Would you like to talk to someone? Free help is close by. You will find it in this message.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} would like to help you with a payment. Small parts or a later date are fine.",
  },
  "reminder-letter-help": {
    subject: "{{shop_name}}: our letter, and help if needed",
    preheader: "You do not have to solve it alone.",
    heading: "Help with your payment",
    greeting,
    intro: "We have written to you about {{invoice_phrase}} before.",
    body: [
      "Our last message was on {{previous_date}}, {{previous_channel}}.",
      "Money worries can happen to anyone. You do not have to solve them alone. Free help is listed in this letter.",
      "Small parts or a later date are fine. Please tell us what works for you.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} sent you a letter about a payment, with help if you need it.",
  },
};
