/** French copy of the follow-ups (fr-BE): after "j'ai déjà payé", and the thank-you. */
import type { TemplateCopy } from "../blocks";
import type { FollowUpKey } from "./families";
import { FR } from "./fr-words";

const { NB, greeting, signoff } = FR;

/** French follow-up copy. */
export const FR_FOLLOW_UPS: Record<FollowUpKey, TemplateCopy> = {
  "already-paid-follow-up": {
    subject: `{{shop_name}}${NB}: merci pour votre message`,
    preheader: "Nous vérifions votre paiement.",
    heading: "Merci pour votre message",
    greeting,
    intro: "Le {{reported_date}}, vous nous avez dit que vous aviez payé {{invoice_phrase}}. Merci de nous avoir prévenus.",
    body: [
      "Nous vérifions. Pour l'instant, nous ne trouvons pas le paiement. Parfois, un paiement prend quelques jours, ou il arrive sur une autre facture.",
      `Pouvez-vous vérifier avec nous${NB}? Regardez le montant et le numéro de compte dans votre application bancaire. Ou envoyez-nous une preuve de paiement, par exemple une capture d'écran. Nous trouverons ainsi le paiement plus vite.`,
    ],
    cta: "Payer {{amount}}",
    signoff,
    sms: "Merci d'avoir dit à {{shop_name}} que vous avez payé. Nous vérifions, mais ne trouvons pas encore le paiement.",
  },
  "payment-thanks": {
    subject: `{{shop_name}}${NB}: merci pour votre paiement`,
    preheader: "Tout est payé.",
    heading: "Merci pour votre paiement",
    greeting,
    intro: `Nous avons bien reçu votre paiement de {{paid_amount}}. Tout est payé. Merci${NB}!`,
    body: ["Vous ne recevrez plus de rappel à ce sujet."],
    cta: "Voir votre aperçu",
    signoff,
    sms: "Merci ! Votre paiement est bien arrivé chez {{shop_name}}. Tout est payé.",
  },
};
