/**
 * Every word of the debtor's self-service pages, per locale. Same rules as the reminder copy
 * (emails/copy.ts): level B1, short sentences, kind, no threats or shame (Wki; Book XIX CEL).
 * Shared wording (crossed payments, the pay button, the invoice table, the help block) comes
 * from the reminder copy, so page and email say the same thing. Values arrive formatted.
 */
import { COPY, type Locale } from "../../emails/copy";

/** The fields a debtor can get wrong, each with its own kind explanation. */
export type FormField = "date" | "date_early" | "date_late" | "instalments" | "reason" | "other";

/** All text of the self-service pages in one language. */
export interface SelfServiceCopy {
  title: (merchant: string) => string;
  intro: (merchant: string, total: string) => string;
  nothingOpen: string;
  noPayUrl: string;
  /** What a running pause means, by pause kind; `other` for any kind not named here. */
  pause: Record<"already_paid" | "payment_date" | "arrangement" | "help" | "dispute" | "other", string>;
  pauseUntil: (date: string) => string;
  alreadyPaid: { heading: string; text: string; button: string };
  paymentDate: { heading: string; text: string; suggested: string; custom: (latest: string) => string; format: string; button: string; off: string };
  arrangement: { heading: string; text: string; label: string; option: (months: number, amount: string, exact: boolean) => string; button: string; off: string };
  help: { heading: string; text: (merchant: string) => string; button: string };
  dispute: { heading: string; text: string; label: string; hint: string; button: string };
  contactMail: string;
  contactNoMail: (merchant: string) => string;
  done: {
    heading: string;
    alreadyPaid: string[];
    paymentDate: (date: string) => string[];
    arrangement: { before: string; after: string; date: string; amount: string };
    help: (merchant: string) => string[];
    dispute: string[];
    /** Added when the answer names the day reminders start again. */
    noRemindersUntil: (date: string) => string;
    back: string;
  };
  errors: { heading: string; fields: Record<FormField, (latest: string) => string>; invalidState: string; back: string };
  expired: { title: string; paragraphs: string[] };
}

const NB = "\u00a0";

function dutch(region: "NL" | "BE"): SelfServiceCopy {
  const heeft = region === "NL" ? "heeft" : "hebt";
  const plan = region === "NL" ? "betalingsregeling" : "afbetalingsplan";
  const wage = region === "NL" ? "salaris" : "loon";
  return {
    title: (m) => `Uw betaling aan ${m}`,
    intro: (m, total) => `Er staat nog ${total} voor u open bij ${m}.`,
    nothingOpen: "Er staat niets meer open. Dank u wel!",
    noPayUrl: "Betalen kan met de gegevens op uw factuur.",
    pause: {
      already_paid: `U ${heeft} laten weten dat u al ${heeft} betaald. We kijken of uw betaling binnen is.`,
      payment_date: `U ${heeft} een dag gekozen om te betalen.`,
      arrangement: "U betaalt in delen.",
      help: "U vroeg om hulp. We nemen contact met u op.",
      dispute: "We bekijken uw bericht over deze rekening.",
      other: "We wachten even met herinneringen.",
    },
    pauseUntil: (d) => `We wachten tot ${d}. Tot dan krijgt u geen herinneringen van ons.`,
    alreadyPaid: {
      heading: "Al betaald?",
      text: "Laat het ons weten. Dan kijken we of uw betaling binnen is.",
      button: COPY["nl-NL"].options.alreadyPaid,
    },
    paymentDate: {
      heading: "Liever later betalen?",
      text: `Kies de dag waarop u betaalt. Bijvoorbeeld als uw ${wage} of uitkering binnen is. Tot die dag krijgt u geen herinneringen.`,
      suggested: "Kies een dag:",
      custom: (latest) => `Of kies zelf een dag (uiterlijk ${latest})`,
      format: "Bijvoorbeeld 2026-12-24 (jaar-maand-dag)",
      button: "Deze dag kiezen",
      off: "Wilt u op een andere dag betalen? Neem dan contact met ons op.",
    },
    arrangement: {
      heading: "In delen betalen?",
      text: "U kunt ook elke maand een deel betalen.",
      label: "In hoeveel maanden?",
      option: (n, amount, exact) => `${n} maanden: ${exact ? "" : "ongeveer "}${amount} per maand`,
      button: region === "NL" ? "Betalingsregeling aanvragen" : "Afbetalingsplan aanvragen",
      off: "Wilt u in delen betalen? Neem dan contact met ons op. Dan kijken we samen wat kan.",
    },
    help: {
      heading: "Kunt u niet betalen?",
      text: (m) => `Laat het ons weten. Dan neemt ${m} contact met u op. Samen zoeken we een oplossing.`,
      button: "Ik kan niet betalen, ik heb hulp nodig",
    },
    dispute: {
      heading: "Klopt er iets niet?",
      text: "Denkt u dat deze rekening niet klopt? Vertel ons wat er niet klopt. We bekijken het.",
      label: "Wat klopt er niet?",
      hint: "Maximaal 1000 tekens.",
      button: "Versturen",
    },
    contactMail: "Vragen? Mail naar",
    contactNoMail: (m) => `Vragen? Neem contact op met ${m}.`,
    done: {
      heading: "Dank u wel",
      alreadyPaid: ["Dank u wel dat u het laat weten.", "We kijken of uw betaling binnen is. Is er toch iets niet goed gegaan? Dan laten we het u weten."],
      paymentDate: (d) => [`Fijn. U betaalt op ${d}.`, "Is uw betaling kort na die dag nog niet binnen? Dan sturen we u een herinnering."],
      arrangement: {
        before: `Dank u wel. Dit is uw ${plan}:`,
        after: "Betaal elk deel uiterlijk op de dag die erbij staat. Lukt dat een keer niet? Neem dan op tijd contact met ons op.",
        date: "Uiterlijk op",
        amount: "Bedrag",
      },
      help: (m) => ["Dank u wel dat u het laat weten. Dat is een goede stap.", `${m} neemt contact met u op. Samen zoeken we een oplossing.`],
      dispute: ["Dank u wel voor uw bericht.", "We bekijken wat u schrijft. Daarna laten we u weten wat we ermee doen."],
      noRemindersUntil: (d) => `Tot ${d} krijgt u geen herinneringen van ons.`,
      back: "Terug naar het overzicht",
    },
    errors: {
      heading: "Dat lukte niet",
      fields: {
        date: () => "Kies een dag die bestaat, bijvoorbeeld 2026-12-24.",
        date_early: () => "Kies een dag na vandaag.",
        date_late: (latest) => `Kies een dag tot en met ${latest}.`,
        instalments: () => "Kies een aantal maanden uit de lijst.",
        reason: () => "Schrijf kort wat er niet klopt, in maximaal 1000 tekens.",
        other: () => "Er ging iets mis. Probeer het nog een keer.",
      },
      invalidState: "Dit kan nu niet via deze pagina. Neem contact met ons op, dan helpen we u verder.",
      back: "Terug en opnieuw proberen",
    },
    expired: {
      title: "Deze link werkt niet meer",
      paragraphs: [
        "Misschien is de link verlopen, of niet helemaal goed overgenomen.",
        `${region === "NL" ? "Heeft" : "Hebt"} u een nieuwere e-mail of brief gekregen? Gebruik dan de link daarin.`,
        "U kunt ook contact opnemen met de winkel. De gegevens staan op uw factuur en op de website van de winkel.",
      ],
    },
  };
}

const french: SelfServiceCopy = {
  title: (m) => `Votre paiement à ${m}`,
  intro: (m, total) => `Il vous reste ${total} à payer chez ${m}.`,
  nothingOpen: `Vous n'avez plus rien à payer. Merci beaucoup${NB}!`,
  noPayUrl: "Vous pouvez payer avec les données de votre facture.",
  pause: {
    already_paid: "Vous nous avez dit que vous avez déjà payé. Nous vérifions si votre paiement est arrivé.",
    payment_date: "Vous avez choisi un jour pour payer.",
    arrangement: "Vous payez en plusieurs fois.",
    help: "Vous avez demandé de l'aide. Nous allons vous contacter.",
    dispute: "Nous examinons votre message sur cette facture.",
    other: "Nous attendons un peu avant de vous envoyer un rappel.",
  },
  pauseUntil: (d) => `Nous attendons jusqu'au ${d}. D'ici là, vous ne recevrez pas de rappel.`,
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
    format: "Par exemple 2026-12-24 (année-mois-jour)",
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
  },
  dispute: {
    heading: `Quelque chose ne va pas${NB}?`,
    text: `Vous pensez que cette facture n'est pas correcte${NB}? Dites-nous ce qui ne va pas. Nous allons vérifier.`,
    label: `Qu'est-ce qui ne va pas${NB}?`,
    hint: "1000 caractères maximum.",
    button: "Envoyer",
  },
  contactMail: `Des questions${NB}? Écrivez à`,
  contactNoMail: (m) => `Des questions${NB}? Contactez ${m}.`,
  done: {
    heading: "Merci beaucoup",
    alreadyPaid: ["Merci de nous avoir prévenus.", "Nous vérifions si votre paiement est arrivé. S'il y a un problème, nous vous le dirons."],
    paymentDate: (d) => [`Très bien. Vous payez le ${d}.`, "Si votre paiement n'est pas arrivé peu après ce jour, nous vous enverrons un rappel."],
    arrangement: {
      before: `Merci. Voici votre plan de paiement${NB}:`,
      after: `Payez chaque partie au plus tard le jour indiqué. Un mois, ce n'est pas possible${NB}? Contactez-nous à temps.`,
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
      date: () => "Choisissez un jour qui existe, par exemple 2026-12-24.",
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

const english: SelfServiceCopy = {
  title: (m) => `Your payment to ${m}`,
  intro: (m, total) => `You still have ${total} to pay to ${m}.`,
  nothingOpen: "There is nothing left to pay. Thank you!",
  noPayUrl: "You can pay with the details on your invoice.",
  pause: {
    already_paid: "You told us that you have already paid. We are checking if your payment has arrived.",
    payment_date: "You chose a day to pay.",
    arrangement: "You are paying in parts.",
    help: "You asked for help. We will contact you.",
    dispute: "We are looking at your message about this invoice.",
    other: "We are waiting a little before we send a reminder.",
  },
  pauseUntil: (d) => `We will wait until ${d}. Until then, you will not get reminders from us.`,
  alreadyPaid: { heading: "Already paid?", text: "Let us know. We will check if your payment has arrived.", button: COPY.en.options.alreadyPaid },
  paymentDate: {
    heading: "Would you rather pay later?",
    text: "Choose the day you will pay. For example when your salary or benefit arrives. Until that day, you will not get reminders.",
    suggested: "Choose a day:",
    custom: (latest) => `Or choose a day yourself (by ${latest} at the latest)`,
    format: "For example 2026-12-24 (year-month-day)",
    button: "Choose this day",
    off: "Would you like to pay on another day? Please contact us.",
  },
  arrangement: {
    heading: "Pay in parts?",
    text: "You can also pay part of it each month.",
    label: "Over how many months?",
    option: (n, amount, exact) => `${n} months: ${exact ? "" : "about "}${amount} a month`,
    button: "Ask for a payment plan",
    off: "Would you like to pay in parts? Please contact us. We will see together what is possible.",
  },
  help: {
    heading: "Are you unable to pay?",
    text: (m) => `Let us know. ${m} will contact you. Together we will find a solution.`,
    button: "I can't pay, I need help",
  },
  dispute: {
    heading: "Is something not right?",
    text: "Do you think this invoice is not correct? Tell us what is wrong. We will look into it.",
    label: "What is not right?",
    hint: "1000 characters at most.",
    button: "Send",
  },
  contactMail: "Questions? Email",
  contactNoMail: (m) => `Questions? Please contact ${m}.`,
  done: {
    heading: "Thank you",
    alreadyPaid: ["Thank you for letting us know.", "We are checking if your payment has arrived. If something went wrong, we will tell you."],
    paymentDate: (d) => [`Good. You will pay on ${d}.`, "If your payment has not arrived shortly after that day, we will send you a reminder."],
    arrangement: {
      before: "Thank you. This is your payment plan:",
      after: "Please pay each part by the day next to it. Is that not possible one month? Then please contact us in time.",
      date: "Pay by",
      amount: "Amount",
    },
    help: (m) => ["Thank you for telling us. That is a good step.", `${m} will contact you. Together we will find a solution.`],
    dispute: ["Thank you for your message.", "We will read what you wrote. Then we will tell you what we will do."],
    noRemindersUntil: (d) => `Until ${d}, you will not get reminders from us.`,
    back: "Back to the overview",
  },
  errors: {
    heading: "That did not work",
    fields: {
      date: () => "Please choose a day that exists, for example 2026-12-24.",
      date_early: () => "Please choose a day after today.",
      date_late: (latest) => `Please choose a day up to and including ${latest}.`,
      instalments: () => "Please choose a number of months from the list.",
      reason: () => "Please write briefly what is wrong, in 1000 characters at most.",
      other: () => "Something went wrong. Please try again.",
    },
    invalidState: "This is not possible on this page right now. Please contact us and we will help you.",
    back: "Go back and try again",
  },
  expired: {
    title: "This link no longer works",
    paragraphs: [
      "The link may have expired, or it was not copied in full.",
      "Did you get a newer email or letter? Then please use the link in it.",
      "You can also contact the shop. Their details are on your invoice and on their website.",
    ],
  },
};

/** The self-service page text for each locale. */
export const SELF_SERVICE_COPY: Record<Locale, SelfServiceCopy> = {
  "nl-NL": dutch("NL"),
  "nl-BE": dutch("BE"),
  "fr-BE": french,
  en: english,
};
