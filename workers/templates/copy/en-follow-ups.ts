/** English copy of the follow-ups: after "I already paid", and the thank-you after a payment. */
import type { TemplateCopy } from "../blocks";
import { EN } from "./en-words";
import type { FollowUpKey } from "./families";

/** English follow-up copy. */
export const EN_FOLLOW_UPS: Record<FollowUpKey, TemplateCopy> = {
  "already-paid-follow-up": {
    subject: "{{shop_name}}: thank you for telling us you paid",
    preheader: "We are checking your payment.",
    heading: "Thank you for your message",
    greeting: EN.greeting,
    intro: "On {{reported_date}} you told us that you had paid {{invoice_phrase}}. Thank you for letting us know.",
    body: [
      "We are checking it. So far we cannot find the payment. Sometimes a payment takes a few days, or it ends up with the wrong invoice.",
      "Could you look at it with us? Check the amount and the account number in your banking app. Or send us proof of payment, for example a screenshot. Then we can find it faster.",
    ],
    cta: "Pay {{amount}}",
    signoff: EN.signoff,
    sms: "Thank you for telling {{shop_name}} that you paid. We are checking it, but cannot find it yet.",
  },
  "payment-thanks": {
    subject: "{{shop_name}}: thank you for your payment",
    preheader: "Everything is paid.",
    heading: "Thank you for your payment",
    greeting: EN.greeting,
    intro: "We have received your payment of {{paid_amount}}. Everything is paid now. Thank you!",
    body: ["You will not get any more reminders about this."],
    cta: "See your overview",
    signoff: EN.signoff,
    sms: "Thank you! {{shop_name}} has received your payment. Everything is paid.",
  },
};
