/** English copy of the arrangement messages: confirmation, a reminder before each part, a missed part. */
import type { TemplateCopy } from "../blocks";
import { EN } from "./en-words";
import type { ArrangementKey } from "./families";

const { greeting, signoff } = EN;
const cta = "Pay {{instalment_amount}}";

/** English arrangement copy. */
export const EN_ARRANGEMENTS: Record<ArrangementKey, TemplateCopy> = {
  "arrangement-confirmation": {
    subject: "{{shop_name}}: your payment plan",
    preheader: "Your plan, with all dates.",
    heading: "Your payment plan",
    greeting,
    intro: "Thank you for making a payment plan with us. You pay {{amount}} in {{instalment_count}} parts.",
    body: [
      "The first part is {{instalment_amount}}, on {{instalment_date}}. You can see all dates below.",
      "We will send you a short reminder a few days before each part. As long as you pay on time, we will not send other reminders.",
      "Is a payment not possible one month? Tell us before the date. Then we will look at it together.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}}: your payment plan is confirmed. {{instalment_count}} parts, the first on {{instalment_date}}. Thank you!",
  },
  "instalment-reminder": {
    subject: "{{shop_name}}: part {{instalment_number}} of your payment plan",
    preheader: "A short note before the date.",
    heading: "Your next part",
    greeting,
    intro: "A short note about your payment plan. Part {{instalment_number}} of {{instalment_count}} is due on {{instalment_date}}: {{instalment_amount}}.",
    body: ["You can pay now, or on the date itself. Is that not possible this time? Tell us before the date."],
    cta,
    signoff,
    sms: "{{shop_name}}: a friendly note. Part {{instalment_number}} of your payment plan is due on {{instalment_date}}.",
  },
  "instalment-missed": {
    subject: "{{shop_name}}: about part {{instalment_number}} of your payment plan",
    preheader: "That can happen. Let us look at it together.",
    heading: "About your payment plan",
    greeting,
    intro: "Part {{instalment_number}} of your payment plan was due on {{instalment_date}}. We have not received it yet.",
    body: [
      "That can happen. Could you still pay {{instalment_amount}}? Or does the plan no longer work for you? Tell us. We can change it together.",
      "If we do not hear from you, we will send you our usual reminders again.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}}: a part of your payment plan has not arrived yet. Can you look at it?",
  },
};
