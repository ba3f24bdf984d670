/** French copy of the arrangement messages (fr-BE: plan de paiement). */
import type { TemplateCopy } from "../blocks";
import type { ArrangementKey } from "./families";
import { FR } from "./fr-words";

const { NB, greeting, signoff } = FR;
const cta = "Payer {{instalment_amount}}";

/** French arrangement copy. */
export const FR_ARRANGEMENTS: Record<ArrangementKey, TemplateCopy> = {
  "arrangement-confirmation": {
    subject: `{{shop_name}}${NB}: votre plan de paiement`,
    preheader: "Votre plan, avec toutes les dates.",
    heading: "Votre plan de paiement",
    greeting,
    intro: "Merci pour votre plan de paiement. Vous payez {{amount}} en {{instalment_count}} fois.",
    body: [
      "Le premier montant est de {{instalment_amount}}, le {{instalment_date}}. Toutes les dates sont ci-dessous.",
      "Quelques jours avant chaque paiement, nous vous envoyons un petit rappel. Si vous payez à temps, vous ne recevez pas d'autres rappels.",
      `Un mois, vous ne pouvez pas payer${NB}? Prévenez-nous avant la date. Nous verrons ensemble ce qui est possible.`,
    ],
    cta,
    signoff,
    sms: "{{shop_name}} : votre plan de paiement est confirmé. {{instalment_count}} paiements, le premier le {{instalment_date}}. Merci !",
  },
  "instalment-reminder": {
    subject: `{{shop_name}}${NB}: paiement {{instalment_number}} de votre plan`,
    preheader: "Un petit message avant la date.",
    heading: "Votre prochain paiement",
    greeting,
    intro: `Un petit message au sujet de votre plan de paiement. Le paiement {{instalment_number}} sur {{instalment_count}} est prévu le {{instalment_date}}${NB}: {{instalment_amount}}.`,
    body: [`Vous pouvez payer maintenant, ou à la date prévue. Ce n'est pas possible cette fois${NB}? Prévenez-nous avant la date.`],
    cta,
    signoff,
    sms: "{{shop_name}} : un petit message. Le paiement {{instalment_number}} de votre plan est prévu le {{instalment_date}}.",
  },
  "instalment-missed": {
    subject: `{{shop_name}}${NB}: le paiement {{instalment_number}} de votre plan`,
    preheader: "Cela peut arriver. Voyons ensemble ce qui est possible.",
    heading: "Au sujet de votre plan de paiement",
    greeting,
    intro: "Le paiement {{instalment_number}} de votre plan était prévu le {{instalment_date}}. Nous ne l'avons pas encore reçu.",
    body: [
      `Cela peut arriver. Pouvez-vous encore payer {{instalment_amount}}${NB}? Ou le plan ne vous convient plus${NB}? Dites-le-nous. Nous pouvons le changer ensemble.`,
      "Sans nouvelles de votre part, nous vous enverrons à nouveau nos rappels habituels.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} : un paiement de votre plan n'est pas encore arrivé. Pouvez-vous regarder ?",
  },
};
