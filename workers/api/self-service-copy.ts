/**
 * Every word of the debtor's self-service pages, per locale. Same rules as the reminder copy
 * (emails/copy.ts): level B1, short sentences, kind, no threats or shame (Wki; Book XIX CEL).
 * Shared wording (crossed payments, the pay button, the invoice table, the help block) comes
 * from the reminder copy, so page and email say the same thing. Values arrive formatted.
 */
import { COPY, type Locale } from "../../emails/copy";
import { english } from "./self-service-copy-en";
import { french } from "./self-service-copy-fr";

/** The fields a debtor can get wrong, each with its own kind explanation. */
export type FormField = "date" | "date_early" | "date_late" | "instalments" | "reason" | "other";

/** All text of the self-service pages in one language. */
export interface SelfServiceCopy {
  title: (merchant: string) => string;
  intro: (merchant: string, total: string) => string;
  nothingOpen: string;
  /** Several invoices and no single link for all: each invoice has its own pay link. */
  payEach: string;
  /** Paying by bank transfer to the shop's account. */
  bank: { heading: string; text: string; iban: string; holder: string; reference: string; amount: string };
  /** The arrangement's instalments, with which are paid and which is next. */
  plan: { heading: string; date: string; amount: string; paid: string; next: string };
  alreadyPaid: { heading: string; text: string; button: string };
  paymentDate: { heading: string; text: string; suggested: string; custom: (latest: string) => string; button: string; off: string };
  arrangement: { heading: string; text: string; label: string; option: (months: number, amount: string, exact: boolean) => string; button: string; off: string };
  help: { heading: string; text: (merchant: string) => string; button: string; phone: string; shopPage: (merchant: string) => string };
  dispute: { heading: string; text: string; label: string; hint: string; button: string };
  contact: { heading: (merchant: string) => string; phone: string; hours: string; chat: string; mail: string };
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

function dutch(region: "NL" | "BE"): SelfServiceCopy {
  const heeft = region === "NL" ? "heeft" : "hebt";
  const plan = region === "NL" ? "betalingsregeling" : "afbetalingsplan";
  const wage = region === "NL" ? "salaris" : "loon";
  return {
    title: (m) => `Uw betaling aan ${m}`,
    intro: (m, total) => `Er staat nog ${total} voor u open bij ${m}.`,
    nothingOpen: "Er staat niets meer open. Dank u wel!",
    payEach: "Betaal elke factuur apart met de knop in de lijst.",
    bank: {
      heading: "Liever overmaken?",
      text: "Maak het bedrag over naar deze rekening. Zet de factuurnummers bij uw betaling.",
      iban: "Rekeningnummer (IBAN)",
      holder: "Op naam van",
      reference: "Factuurnummers",
      amount: "Bedrag",
    },
    plan: { heading: `Uw ${plan}`, date: "Uiterlijk op", amount: "Bedrag", paid: "Betaald", next: "Nu aan de beurt" },
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
      phone: "Bel",
      shopPage: (m) => `Hulp en tips van ${m}`,
    },
    dispute: {
      heading: "Klopt er iets niet?",
      text: "Denkt u dat deze rekening niet klopt? Vertel ons wat er niet klopt. We bekijken het.",
      label: "Wat klopt er niet?",
      hint: "Maximaal 1000 tekens.",
      button: "Versturen",
    },
    contact: { heading: (m) => `Vragen? Neem contact op met ${m}`, phone: "Bel", hours: "Bereikbaar", chat: "Chat met ons", mail: "Mail naar" },
    contactNoMail: (m) => `Vragen? Neem contact op met ${m}.`,
    done: {
      heading: "Dank u wel",
      alreadyPaid: ["Dank u wel dat u het laat weten.", "We kijken of uw betaling binnen is. Is er toch iets niet goed gegaan? Dan laten we het u weten."],
      paymentDate: (d) => [`Fijn. U betaalt op ${d}.`, "Is uw betaling kort na die dag nog niet binnen? Dan sturen we u een herinnering."],
      arrangement: {
        before: `Dank u wel. Dit is uw ${plan}:`,
        after: "Betaal elk deel uiterlijk op de dag die erbij staat. Lukt dat een keer niet? Laat het ons dan vóór die dag weten.",
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
        date: () => "Kies een dag in de kalender.",
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


/** The self-service page text for each locale. */
export const SELF_SERVICE_COPY: Record<Locale, SelfServiceCopy> = {
  "nl-NL": dutch("NL"),
  "nl-BE": dutch("BE"),
  "fr-BE": french,
  en: english,
};
