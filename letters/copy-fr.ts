/** French letter copy for Wallonia and Brussels. There is no French Dutch 14-day letter. */
import type { LetterContext, LetterCopy } from "./letter-copy";

// French typography puts a non-breaking space before ? and : so they never wrap alone.
const NB = "\u00a0";

const what = (merchant: string, count: number) =>
  count === 1 ? `votre facture chez ${merchant}` : `vos ${count} factures chez ${merchant}`;
const whatCtx = (c: LetterContext) => what(c.merchant, c.invoiceCount);

/** French letter text (fr-BE). */
export const frenchLetter: LetterCopy = {
  subject: {
    reminder: (m, n) => `Petit rappel concernant ${what(m, n)}`,
    nl_fourteen_day_letter: null,
    be_first_reminder: (m, n) => `Premier rappel concernant ${what(m, n)}`,
  },
  datePlace: (date, place) => (place ? `${place}, le ${date}` : `Le ${date}`),
  referenceLabel: `Notre référence${NB}:`,
  enterpriseNumberLabel: `Numéro d'entreprise${NB}:`,
  intro: {
    friendly: (c) =>
      `Nous n'avons pas encore reçu le paiement de ${whatCtx(c)}. Cela vous a peut-être échappé. Cela peut arriver à tout le monde.`,
    neutral: (c) => `Selon nos données, le paiement de ${whatCtx(c)} n'est pas encore arrivé.`,
    clear: (c) => `Nous vous avons déjà demandé de payer ${whatCtx(c)}. Nous n'avons pas encore reçu ce paiement.`,
  },
  totalLine: (total) => `Le montant total est de ${total}.`,
  crossed: "Si vous avez déjà payé, votre paiement et cette lettre se sont peut-être croisés. Dans ce cas, vous n'avez rien à faire.",
  acknowledgeAlreadyPaid: (where) =>
    `Vous nous avez dit que vous avez déjà payé. Merci de nous l'avoir signalé. Votre paiement et cette lettre se sont peut-être croisés${NB}: ` +
    `nous n'avons pas encore reçu votre paiement. Pouvez-vous vérifier${NB}? ` +
    (where ? `Vous pouvez aussi nous envoyer une preuve de paiement via ${where}.` : "Vous pouvez aussi nous envoyer une preuve de paiement."),
  pay: {
    heading: "Comment payer",
    online: `Payez en ligne via ce lien${NB}:`,
    selfService: `Sur cette page, vous pouvez nous dire que vous avez déjà payé, choisir une autre date de paiement ou demander un plan de paiement${NB}:`,
    contact: (email) => `Vous préférez un contact personnel${NB}? Écrivez à ${email}.`,
    contactByPost: `Vous préférez un contact personnel${NB}? Écrivez-nous à l'adresse en haut de cette lettre.`,
  },
  fourteenDay: null,
  beFirstReminder: {
    free: "Ceci est un premier rappel. Ce rappel est gratuit.",
    creditor: (name, nr) => `Cette lettre vient de ${name}, numéro d'entreprise ${nr}.`,
    about: "Le tableau ci-dessous indique chaque facture, ce qu'elle concerne et sa date d'échéance.",
    term: (endDate) =>
      endDate
        ? `Vous avez 14 jours pour payer. Merci de payer au plus tard le ${endDate}.`
        : "Vous avez 14 jours pour payer. Ce délai commence le troisième jour ouvrable après l'envoi de cette lettre.",
    damages: (amount) => `Si vous ne payez pas dans ces 14 jours, une indemnité de ${amount} s'ajoutera.`,
    noDamages: "Même si vous payez plus tard, nous ne demanderons pas d'indemnité ni de frais supplémentaires.",
  },
};
