/** French copy around the legal notices (fr-BE); the notices themselves are locked. */
import type { TemplateCopy } from "../blocks";
import type { LegalKey } from "./families";
import { FR } from "./fr-words";

const { NB, greeting, signoff } = FR;
const cta = "Payer {{amount}}";

/** French legal-step copy. The Dutch 14-day letter is written in Dutch (see letterLocale); this is its email fallback. */
export const FR_LEGAL: Record<LegalKey, TemplateCopy> = {
  "nl-fourteen-day-letter": {
    subject: `{{shop_name}}${NB}: payez dans les 14 jours`,
    preheader: "Ce que vous devez savoir, en mots simples.",
    heading: `Rappel${NB}: 14 jours pour payer`,
    greeting,
    intro: "Nous vous avons déjà rappelé {{invoice_phrase}}. Le paiement était prévu le {{due_date}}. Nous ne l'avons pas encore reçu.",
    body: [
      "Notre dernier message date du {{previous_date}}, {{previous_channel}}.",
      "Vous lirez ci-dessous combien de temps vous avez et ce qui se passe si vous ne payez pas.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} vous a envoyé une lettre importante au sujet d'un paiement. Merci de la lire.",
  },
  "be-first-reminder": {
    subject: `{{shop_name}}${NB}: premier rappel de paiement`,
    preheader: "Un premier rappel gratuit.",
    heading: "Premier rappel",
    greeting,
    intro: "Le paiement de {{invoice_phrase}} était prévu le {{due_date}}. Nous ne l'avons pas encore reçu. Vous l'avez peut-être oublié.",
    body: [`Vous trouverez ci-dessous ce qu'il faut savoir${NB}: le montant, la date limite pour payer et ce qui se passe ensuite.`],
    cta,
    signoff,
    sms: "{{shop_name}} vous a envoyé un premier rappel au sujet d'un paiement.",
  },
  "final-notice": {
    subject: `{{shop_name}}${NB}: notre dernier rappel`,
    preheader: "Nous préférons trouver une solution avec vous.",
    heading: "Notre dernier rappel",
    greeting,
    intro: "Nous vous avons rappelé plusieurs fois {{invoice_phrase}}. Nous n'avons pas reçu le paiement ni de nouvelles de votre part.",
    body: [
      "Notre dernier message date du {{previous_date}}, {{previous_channel}}.",
      "Ceci est notre dernier rappel. Sans paiement ni accord de votre part, nous transmettrons la facture à {{partner_name}}. Ils prendront alors contact avec vous.",
      "Nous préférons de loin trouver une solution avec vous. Vous pouvez payer en plusieurs fois, choisir une date plus tard ou demander une aide gratuite.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} : ceci est notre dernier rappel au sujet d'un paiement. Contactez-nous, nous vous aidons volontiers.",
  },
};
