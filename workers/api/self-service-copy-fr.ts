/** The self-service pages in Belgian French ("vous", B1). */
import type { SelfServiceCopy } from "./self-service-copy";
import { COPY } from "../../emails/copy";

const NB = "\u00a0";

/** The French copy. */
export const french: SelfServiceCopy = {
  title: (m) => `Votre paiement à ${m}`,
  intro: (m, total) => `Il vous reste ${total} à payer chez ${m}.`,
  nothingOpen: `Vous n'avez plus rien à payer. Merci beaucoup${NB}!`,
  payEach: "Payez chaque facture séparément avec le bouton dans la liste.",
  bank: {
    heading: `Vous préférez faire un virement${NB}?`,
    text: "Versez le montant sur ce compte. Indiquez les numéros de facture avec votre paiement.",
    iban: "Numéro de compte (IBAN)",
    holder: "Au nom de",
    reference: "Numéros de facture",
    amount: "Montant",
  },
  plan: { heading: "Votre plan de paiement", date: "Au plus tard le", amount: "Montant", paid: "Payé", next: "À payer maintenant" },
  alreadyPaid: {
    heading: `Déjà payé${NB}?`,
    text: "Dites-le-nous. Nous vérifierons si votre paiement est arrivé.",
    button: COPY["fr-BE"].options.alreadyPaid,
  },
  paymentDate: {
    heading: `Vous préférez payer plus tard${NB}?`,
    text: "Choisissez le jour où vous payez. Par exemple quand vous recevez votre salaire ou votre allocation. D'ici là, vous ne recevrez pas de rappel.",
    suggested: `Choisissez un jour${NB}:`,
    custom: (latest) => `Ou choisissez vous-même un jour (au plus tard le ${latest})`,
    button: "Choisir ce jour",
    off: `Vous voulez payer un autre jour${NB}? Contactez-nous.`,
  },
  arrangement: {
    heading: `Payer en plusieurs fois${NB}?`,
    text: "Vous pouvez aussi payer une partie chaque mois.",
    label: `En combien de mois${NB}?`,
    option: (n, amount, exact) => `${n} mois${NB}: ${exact ? "" : "environ "}${amount} par mois`,
    button: "Demander un plan de paiement",
    off: `Vous voulez payer en plusieurs fois${NB}? Contactez-nous. Nous verrons ensemble ce qui est possible.`,
  },
  help: {
    heading: `Vous ne pouvez pas payer${NB}?`,
    text: (m) => `Dites-le-nous. ${m} vous contactera. Ensemble, nous chercherons une solution.`,
    button: "Je ne peux pas payer, j'ai besoin d'aide",
    phone: "Appelez le",
    shopPage: (m) => `Aide et conseils de ${m}`,
  },
  dispute: {
    heading: `Quelque chose ne va pas${NB}?`,
    text: `Vous pensez que cette facture n'est pas correcte${NB}? Dites-nous ce qui ne va pas. Nous allons vérifier.`,
    label: `Qu'est-ce qui ne va pas${NB}?`,
    hint: "1000 caractères maximum.",
    button: "Envoyer",
  },
  contact: { heading: (m) => `Des questions${NB}? Contactez ${m}`, phone: "Appelez le", hours: "Heures d'ouverture", chat: "Chat en ligne", mail: "Écrivez à" },
  contactNoMail: (m) => `Des questions${NB}? Contactez ${m}.`,
  done: {
    heading: "Merci beaucoup",
    alreadyPaid: ["Merci de nous avoir prévenus.", "Nous vérifions si votre paiement est arrivé. S'il y a un problème, nous vous le dirons."],
    paymentDate: (d) => [`Très bien. Vous payez le ${d}.`, "Si votre paiement n'est pas arrivé peu après ce jour, nous vous enverrons un rappel."],
    arrangement: {
      before: `Merci. Voici votre plan de paiement${NB}:`,
      after: "Payez chaque partie au plus tard le jour indiqué. Si vous ne pouvez pas payer une partie à temps, prévenez-nous avant ce jour.",
      date: "Au plus tard le",
      amount: "Montant",
    },
    help: (m) => ["Merci de nous l'avoir dit. C'est un bon premier pas.", `${m} vous contactera. Ensemble, nous chercherons une solution.`],
    dispute: ["Merci pour votre message.", "Nous allons lire ce que vous avez écrit. Ensuite, nous vous dirons ce que nous faisons."],
    noRemindersUntil: (d) => `Jusqu'au ${d}, vous ne recevrez pas de rappel.`,
    back: "Retour à l'aperçu",
  },
  errors: {
    heading: "Cela n'a pas fonctionné",
    fields: {
      date: () => "Choisissez un jour dans le calendrier.",
      date_early: () => "Choisissez un jour après aujourd'hui.",
      date_late: (latest) => `Choisissez un jour jusqu'au ${latest} inclus.`,
      instalments: () => "Choisissez un nombre de mois dans la liste.",
      reason: () => "Écrivez en quelques mots ce qui ne va pas, en 1000 caractères maximum.",
      other: () => "Quelque chose n'a pas fonctionné. Veuillez réessayer.",
    },
    invalidState: "Ce n'est pas possible sur cette page pour le moment. Contactez-nous, nous vous aiderons.",
    back: "Retour pour réessayer",
  },
  expired: {
    title: "Ce lien ne fonctionne plus",
    paragraphs: [
      "Le lien a peut-être expiré, ou il n'a pas été copié en entier.",
      `Vous avez reçu un e-mail ou une lettre plus récente${NB}? Utilisez le lien qui s'y trouve.`,
      "Vous pouvez aussi contacter le magasin. Ses coordonnées sont sur votre facture et sur son site web.",
    ],
  },
};
