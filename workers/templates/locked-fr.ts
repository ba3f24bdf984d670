/** French locked text (see locked.ts) for Wallonia and Brussels. */
import type { LockedCopy } from "./locked";

// French typography puts a non-breaking space before ? ! : ; so they never wrap alone.
const NB = "\u00a0";

/** French locked text. */
export const LOCKED_FR: LockedCopy = {
  invoicePhrase: (shop, n) => (n === 1 ? `votre facture chez ${shop}` : `vos ${n} factures chez ${shop}`),
  channelPhrase: { email: "par e-mail", letter: "par courrier", sms: "par SMS", call: "par téléphone" },
  crossed: {
    reminder: "Si vous avez déjà payé, votre paiement et ce message se sont peut-être croisés. Dans ce cas, vous n'avez rien à faire.",
    pre_due: `Vous avez déjà payé${NB}? Merci${NB}! Vous n'avez rien à faire.`,
    follow_up: "Si votre paiement nous arrive entre-temps, il croisera peut-être ce message. Tout sera alors en ordre.",
    arrangement: "Si vous avez déjà payé ce montant, votre paiement et ce message se sont peut-être croisés. Vous n'avez rien à faire.",
    thanks: `Vous avez reçu un rappel après votre paiement${NB}? Il a croisé votre paiement. Vous pouvez l'oublier.`,
  },
  crossedSms: {
    reminder: "Déjà payé ? Alors vous n'avez rien à faire.",
    pre_due: "Déjà payé ? Merci, rien à faire.",
    follow_up: "Paiement arrivé entre-temps ? Alors tout est en ordre.",
    arrangement: "Ce montant est déjà payé ? Alors rien à faire.",
    thanks: "Un rappel après votre paiement ? Vous pouvez l'oublier.",
  },
  table: { reference: "Facture", dueDate: "Échéance", outstanding: "Reste à payer", total: "Total", partOf: (a) => `sur ${a}` },
  instalments: { heading: "Votre plan de paiement", part: "Paiement", date: "Date", amount: "Montant", total: "Total" },
  pay: {
    heading: "Comment payer",
    toPage: "Voir vos factures et payer",
    perInvoice: (a) => `Payer ${a}`,
    transfer: (a) => `Virez ${a} sur le compte${NB}:`,
    iban: "IBAN",
    holder: "Au nom de",
    bic: "BIC",
    amount: "Montant",
    reference: { NL: "Référence", BE: "Communication structurée" },
    referenceNote: { NL: "Indiquez cette référence. Nous trouverons ainsi votre paiement tout de suite.", BE: "Utilisez cette communication structurée. Nous trouverons ainsi votre paiement tout de suite." },
    qr: { NL: "Ou scannez le code QR avec votre application bancaire. Le montant et la référence sont déjà remplis.", BE: "Ou scannez le code QR avec votre application bancaire. Le montant et la communication sont déjà remplis." },
    qrTitle: "Code QR pour payer par virement",
    online: (url) => `Vous pouvez aussi payer en ligne ou voir d'autres choix sur ${url}`,
    options: `Sur votre page, vous pouvez aussi nous dire que vous avez déjà payé, choisir une autre date ou demander un plan de paiement${NB}:`,
    phone: (p, h) => `Des questions${NB}? Appelez-nous au ${p}${h ? ` (${h})` : ""}.`,
    mail: (a) => `Ou écrivez à ${a}.`,
    reply: "Ou répondez simplement à cet e-mail.",
    writeUs: "Ou écrivez-nous à l'adresse en haut de cette lettre.",
  },
  help: {
    heading: `Des soucis d'argent${NB}? Il existe des solutions`,
    intro: `Beaucoup de gens ont parfois du mal à payer leurs factures. Parlez-en avec nous, ou demandez une aide gratuite${NB}:`,
    phone: (d) => `téléphone gratuit ${d}`,
    shop: "Notre page avec de l'aide et des conseils",
  },
  sms: { link: "Payer ou voir vos choix :", help: (p) => `Soucis d'argent ? Aide gratuite : ${p}.` },
  nl14: {
    // Never printed: there is no vetted French wording, so the 14-day letter itself is written in
    // Dutch (messageLocale), and an email carries no term.
    term: "Payez le montant dans les 14 jours à partir du jour qui suit la remise de cette lettre.",
    costs: (a) => `Si vous payez dans ces 14 jours, vous ne payez rien de plus. Si vous ne payez pas à temps, vous devrez aussi payer des frais de recouvrement de ${a}.`,
    vat: "Ce montant comprend 21 % de TVA, car nous ne pouvons pas récupérer la TVA.",
    noCosts: "Nous ne demandons pas de frais de recouvrement ni d'autres frais.",
    handover: (p) => `Sans paiement ni accord de votre part ensuite, nous pouvons transmettre votre facture à ${p}. Nous préférons l'éviter. Payer est difficile en ce moment${NB}? Contactez-nous. Ensemble, nous trouverons une solution.`,
    noHandover: `Payer est difficile en ce moment${NB}? Contactez-nous. Ensemble, nous trouverons une solution.`,
  },
  be: {
    free: "Ceci est un premier rappel. Ce rappel est gratuit.",
    creditor: (name, nr) => (nr ? `Il vient de ${name}, numéro d'entreprise ${nr}.` : `Il vient de ${name}.`),
    items: "Le tableau indique chaque facture, ce qu'elle concerne et sa date d'échéance.",
    balance: (a) => `Solde à payer${NB}: ${a}.`,
    term: (end) => (end ? `Vous avez 14 jours pour payer. Merci de payer au plus tard le ${end}.` : "Vous avez 14 jours pour payer. Ce délai commence le troisième jour ouvrable après l'envoi de cette lettre."),
    // "après cette date", not "à cette date": damages apply only once the term has passed.
    damages: (a) => `Si le solde n'est toujours pas payé après cette date, une indemnité de ${a} s'ajoutera.`,
    noDamages: "Même si vous payez plus tard, nous ne demanderons pas d'indemnité ni de frais supplémentaires.",
  },
  letter: {
    referenceLabel: `Notre référence${NB}:`,
    enterpriseNumberLabel: `Numéro d'entreprise${NB}:`,
    kvkLabel: `Numéro KvK${NB}:`,
    datePlace: (date, place) => (place ? `${place}, le ${date}` : `Le ${date}`),
    page: "Page",
  },
  hours: (days, from, to) => `${days} ${from.replace(":", "h")}-${to.replace(":", "h")}`,
  weekdays: { mon: "lun", tue: "mar", wed: "mer", thu: "jeu", fri: "ven", sat: "sam", sun: "dim" },
};
