/**
 * French copy of the reminders (fr-BE). B1: short sentences, everyday words, no threats. French
 * typography puts a non-breaking space before ? ! : ; (NB); the SMS text uses a plain space (GSM-7).
 */
import type { TemplateCopy } from "../blocks";
import type { ReminderKey } from "./families";
import { FR } from "./fr-words";

const { NB, greeting, signoff } = FR;
const cta = "Payer {{amount}}";

/** French reminder copy. */
export const FR_REMINDERS: Record<ReminderKey, TemplateCopy> = {
  "pre-due-nudge": {
    subject: `{{shop_name}}${NB}: paiement prévu le {{due_date}}`,
    preheader: "Un petit message avant l'échéance.",
    heading: "Bientôt l'échéance",
    greeting,
    intro: "Voici un petit message avant l'échéance. Vous pouvez payer {{invoice_phrase}} jusqu'au {{due_date}} inclus.",
    body: ["Vous pouvez déjà payer avec le bouton ci-dessous. Nous n'aurons alors pas besoin de vous le rappeler."],
    cta,
    signoff,
    sms: "{{shop_name}} : un petit message au sujet d'un paiement prévu dans quelques jours.",
  },
  "reminder-friendly": {
    subject: `{{shop_name}}${NB}: petit rappel de paiement`,
    preheader: `Un oubli${NB}? Cela peut arriver à tout le monde.`,
    heading: "Un petit rappel",
    greeting,
    intro: "Le paiement de {{invoice_phrase}} était prévu le {{due_date}}. Nous ne l'avons pas encore reçu. Vous l'avez peut-être oublié. Cela peut arriver à tout le monde.",
    body: ["Pour payer, cliquez sur le bouton ci-dessous. Cela ne prend qu'une minute."],
    cta,
    signoff,
    sms: "{{shop_name}} a un court message pour vous au sujet d'un paiement.",
  },
  "reminder-second": {
    subject: `{{shop_name}}${NB}: deuxième rappel de paiement`,
    preheader: "Nous cherchons volontiers une solution avec vous.",
    heading: "Deuxième rappel",
    greeting,
    intro: "Voici notre deuxième rappel pour {{invoice_phrase}}. Le paiement était prévu le {{due_date}}.",
    body: [
      "Nous vous avons envoyé le premier rappel le {{previous_date}}, {{previous_channel}}.",
      `Pouvez-vous payer bientôt${NB}? C'est difficile en ce moment${NB}? Vous pouvez choisir une date plus tard ou payer en plusieurs fois. Ou contactez-nous, et nous chercherons une solution ensemble.`,
    ],
    cta,
    signoff,
    sms: "{{shop_name}} vous a déjà envoyé un rappel au sujet d'un paiement. Il reste à payer.",
  },
  "reminder-letter": {
    subject: `{{shop_name}}${NB}: votre paiement est toujours ouvert`,
    preheader: "Nous aimerions avoir de vos nouvelles.",
    heading: "Rappel pour {{invoice_phrase}}",
    greeting,
    intro: "Nous vous avons déjà écrit au sujet de {{invoice_phrase}}. Nous n'avons pas encore reçu le paiement.",
    body: [
      "Notre dernier message date du {{previous_date}}, {{previous_channel}}.",
      `Pouvez-vous payer${NB}? Ce n'est pas possible en ce moment${NB}? Contactez-nous. Nous voulons trouver une solution avec vous.`,
    ],
    cta,
    signoff,
    sms: "{{shop_name}} vous a écrit au sujet d'un paiement qui reste ouvert.",
  },
  "reminder-sms": {
    subject: `{{shop_name}}${NB}: un mot sur votre paiement`,
    preheader: `Pouvons-nous vous aider${NB}?`,
    heading: "Un court message au sujet de votre paiement",
    greeting,
    intro: "Nous vous avons déjà rappelé {{invoice_phrase}}.",
    body: [
      "Notre dernier message date du {{previous_date}}, {{previous_channel}}.",
      `Quelque chose ne va pas, ou payer est difficile${NB}? Dites-le-nous. Nous chercherons une solution ensemble.`,
    ],
    cta,
    signoff,
    sms: "{{shop_name}} vous a déjà écrit au sujet d'un paiement. Pouvons-nous vous aider ?",
  },
  "reminder-gentle": {
    subject: `{{shop_name}}${NB}: votre paiement, et de l'aide`,
    preheader: "Rien ne presse. De l'aide existe si l'argent manque.",
    heading: "Au sujet de votre paiement",
    greeting,
    intro: "Nous savons que payer ses factures n'est pas toujours facile. Il n'y a pas de honte à cela. C'est pourquoi nous commençons par l'aide.",
    body: ["Le paiement de {{invoice_phrase}} était prévu le {{due_date}}. Vous pouvez payer plus tard ou en petites parts. Dites-nous simplement ce qui vous convient."],
    cta,
    signoff,
    sms: "{{shop_name}} a un message pour vous au sujet d'un paiement. Rien ne presse : nous vous aidons volontiers.",
  },
  "reminder-help": {
    subject: `{{shop_name}}${NB}: nous voulons vous aider`,
    preheader: "Les petits pas, c'est bien aussi.",
    heading: "Nous voulons vous aider",
    greeting,
    intro: "Le {{previous_date}}, nous vous avons écrit au sujet de {{invoice_phrase}}. Nous n'avons pas encore de nouvelles. Ce n'est pas grave.",
    body: [
      "Payer est peut-être difficile en ce moment. Vous pouvez payer en petites parts, ou choisir une date qui vous convient. C'est vous qui décidez.",
      `Vous voulez en parler à quelqu'un${NB}? Une aide gratuite existe près de chez vous. Vous la trouverez dans ce message.`,
    ],
    cta,
    signoff,
    sms: "{{shop_name}} veut vous aider pour un paiement. Petites parts ou date plus tard : c'est possible.",
  },
  "reminder-letter-help": {
    subject: `{{shop_name}}${NB}: une lettre, et de l'aide si besoin`,
    preheader: "Vous n'êtes pas seul.",
    heading: "De l'aide pour votre paiement",
    greeting,
    intro: "Nous vous avons déjà écrit au sujet de {{invoice_phrase}}.",
    body: [
      "Notre dernier message date du {{previous_date}}, {{previous_channel}}.",
      "Les soucis d'argent peuvent arriver à tout le monde. Vous ne devez pas les régler seul. Cette lettre vous dit où trouver une aide gratuite.",
      "Payer en petites parts ou plus tard, c'est possible aussi. Dites-nous ce qui vous convient.",
    ],
    cta,
    signoff,
    sms: "{{shop_name}} vous a envoyé une lettre au sujet d'un paiement, avec de l'aide si besoin.",
  },
};
