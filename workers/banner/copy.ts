/**
 * Every word of the in-app banner, per locale and per debtor state. Same rules as the reminders:
 * level B1, short sentences, kind, no threats, no shame, no deadlines or costs. A banner sits in
 * the app where others may look over a shoulder, so it states the amount plainly, never names
 * debt help, and always says when there is nothing to do. The self-service page opens with the
 * same words (its status card), so app and page never disagree. Values arrive formatted.
 */
import type { Locale } from "../../emails/copy";
import { SELF_SERVICE_COPY } from "../api/self-service-copy";
import type { DebtorStateKind } from "../debtor/debtor-state";

/** Formatted values a state's words may use. */
export interface StateWords {
  shop: string;
  /** Everything still open, formatted. */
  total: string;
  invoiceCount: number;
  /** The chosen pay date or the next instalment's date, formatted. */
  date: string;
  /** The next instalment's amount, formatted. */
  amount: string;
  /** Which instalment is next, and of how many. */
  seq: number;
  of: number;
}

/** A banner's title and text; the page uses them as its status card. */
export interface StateText {
  title: string;
  text: string;
}

type Shown = Exclude<DebtorStateKind, "nothing_open">;

/** All text of the banner in one language. */
export interface BannerCopy {
  state: Record<Shown, (w: StateWords) => StateText>;
  /** An arrangement whose instalments are all paid, while the last one is being checked. */
  arrangementDone: (w: StateWords) => StateText;
  labels: {
    pay: (total: string) => string;
    /** Several invoices and no single link for all: the page lists each with its own link. */
    payEach: string;
    alreadyPaid: string;
    paymentDate: string;
    arrangement: string;
    help: string;
    viewPlan: string;
    details: string;
  };
}

// French typography puts a non-breaking space before ? and : so they never wrap alone.
const NB = "\u00a0";

function dutch(region: "NL" | "BE"): BannerCopy {
  const heeft = region === "NL" ? "heeft" : "hebt";
  const Heeft = region === "NL" ? "Heeft" : "Hebt";
  const plan = region === "NL" ? "betalingsregeling" : "afbetalingsplan";
  const page = SELF_SERVICE_COPY[region === "NL" ? "nl-NL" : "nl-BE"];
  return {
    state: {
      open: (w) => ({
        title: w.invoiceCount === 1 ? "Er staat nog een betaling open" : "Er staan nog betalingen open",
        text: `${w.invoiceCount === 1 ? `Bij ${w.shop} staat nog ${w.total} voor u open.` : `Bij ${w.shop} staan nog ${w.invoiceCount} facturen voor u open, samen ${w.total}.`} ${Heeft} u al betaald? Dan hoeft u niets te doen.`,
      }),
      payment_date: (w) => ({
        title: `U betaalt op ${w.date}`,
        text: `U ${heeft} zelf deze dag gekozen. Tot dan krijgt u geen herinneringen van ${w.shop}. Het gaat om ${w.total}.`,
      }),
      already_paid: () => ({
        title: "Dank u wel, we kijken het na",
        text: `U ${heeft} laten weten dat u al ${heeft} betaald. We kijken of uw betaling binnen is. U hoeft nu niets te doen.`,
      }),
      arrangement: (w) => ({
        title: `Uw volgende deel: ${w.amount}`,
        text: `Betaal ${w.amount} uiterlijk op ${w.date}. Dat is deel ${w.seq} van ${w.of} van uw ${plan} met ${w.shop}.`,
      }),
      help: (w) => ({ title: "We nemen contact met u op", text: `U vroeg om hulp. ${w.shop} neemt contact met u op. U hoeft nu niets te doen.` }),
      dispute: () => ({
        title: "We kijken naar uw bericht",
        text: `U ${heeft} ons laten weten dat er iets niet klopt. We bekijken het. U hoeft nu niets te betalen.`,
      }),
      debt_help: (w) => ({ title: "U hoeft nu niets te betalen", text: `${w.shop} stuurt u voorlopig geen herinneringen.` }),
    },
    arrangementDone: () => ({ title: "Dank u wel", text: `U ${heeft} alle delen betaald. We kijken of alles binnen is.` }),
    labels: {
      pay: (total) => `Betaal ${total}`,
      payEach: "Bekijk en betaal per factuur",
      alreadyPaid: page.alreadyPaid.heading,
      paymentDate: "Later betalen?",
      arrangement: "In delen betalen?",
      help: "Hulp nodig?",
      viewPlan: `Bekijk uw ${plan}`,
      details: "Bekijk de details",
    },
  };
}

const french: BannerCopy = {
  state: {
    open: (w) => ({
      title: w.invoiceCount === 1 ? "Il reste un paiement à faire" : "Il reste des paiements à faire",
      text: `${w.invoiceCount === 1 ? `Il vous reste ${w.total} à payer chez ${w.shop}.` : `Il vous reste ${w.invoiceCount} factures à payer chez ${w.shop}, pour un total de ${w.total}.`} Vous avez déjà payé${NB}? Alors vous n'avez rien à faire.`,
    }),
    payment_date: (w) => ({
      title: `Vous payez le ${w.date}`,
      text: `Vous avez choisi ce jour vous-même. D'ici là, ${w.shop} ne vous envoie pas de rappel. Il s'agit de ${w.total}.`,
    }),
    already_paid: () => ({
      title: "Merci, nous vérifions",
      text: "Vous nous avez dit que vous avez déjà payé. Nous vérifions si votre paiement est arrivé. Vous n'avez rien à faire pour le moment.",
    }),
    arrangement: (w) => ({
      title: `Votre prochain paiement${NB}: ${w.amount}`,
      text: `Payez ${w.amount} au plus tard le ${w.date}. C'est le paiement ${w.seq} sur ${w.of} de votre plan de paiement avec ${w.shop}.`,
    }),
    help: (w) => ({ title: "Nous allons vous contacter", text: `Vous avez demandé de l'aide. ${w.shop} va vous contacter. Vous n'avez rien à faire pour le moment.` }),
    dispute: () => ({
      title: "Nous examinons votre message",
      text: "Vous nous avez dit que quelque chose ne va pas. Nous vérifions. Vous n'avez rien à payer pour le moment.",
    }),
    debt_help: (w) => ({ title: "Vous n'avez rien à payer pour le moment", text: `${w.shop} ne vous envoie pas de rappel pour l'instant.` }),
  },
  arrangementDone: () => ({ title: "Merci beaucoup", text: "Vous avez fait tous les paiements. Nous vérifions si tout est arrivé." }),
  labels: {
    pay: (total) => `Payer ${total}`,
    payEach: "Voir et payer chaque facture",
    alreadyPaid: SELF_SERVICE_COPY["fr-BE"].alreadyPaid.heading,
    paymentDate: `Payer plus tard${NB}?`,
    arrangement: `Payer en plusieurs fois${NB}?`,
    help: `Besoin d'aide${NB}?`,
    viewPlan: "Voir votre plan de paiement",
    details: "Voir les détails",
  },
};

const english: BannerCopy = {
  state: {
    open: (w) => ({
      title: w.invoiceCount === 1 ? "A payment is still open" : "Some payments are still open",
      text: `${w.invoiceCount === 1 ? `You still have ${w.total} to pay to ${w.shop}.` : `You still have ${w.invoiceCount} invoices to pay to ${w.shop}, ${w.total} in total.`} Already paid? Then you do not need to do anything.`,
    }),
    payment_date: (w) => ({
      title: `You will pay on ${w.date}`,
      text: `You chose this day yourself. Until then, ${w.shop} will not send you reminders. The amount is ${w.total}.`,
    }),
    already_paid: () => ({
      title: "Thank you, we are checking",
      text: "You told us that you have already paid. We are checking if your payment has arrived. You do not need to do anything now.",
    }),
    arrangement: (w) => ({
      title: `Your next payment: ${w.amount}`,
      text: `Please pay ${w.amount} by ${w.date}. This is payment ${w.seq} of ${w.of} of your payment plan with ${w.shop}.`,
    }),
    help: (w) => ({ title: "We will contact you", text: `You asked for help. ${w.shop} will contact you. You do not need to do anything now.` }),
    dispute: () => ({
      title: "We are looking at your message",
      text: "You told us that something is not right. We are looking into it. You do not need to pay anything now.",
    }),
    debt_help: (w) => ({ title: "You do not need to pay anything now", text: `${w.shop} will not send you reminders for now.` }),
  },
  arrangementDone: () => ({ title: "Thank you", text: "You have made all the payments. We are checking that everything has arrived." }),
  labels: {
    pay: (total) => `Pay ${total}`,
    payEach: "See and pay each invoice",
    alreadyPaid: SELF_SERVICE_COPY.en.alreadyPaid.heading,
    paymentDate: "Pay later?",
    arrangement: "Pay in parts?",
    help: "Need help?",
    viewPlan: "See your payment plan",
    details: "See the details",
  },
};

/** The banner text for each locale. */
export const BANNER_COPY: Record<Locale, BannerCopy> = {
  "nl-NL": dutch("NL"),
  "nl-BE": dutch("BE"),
  "fr-BE": french,
  en: english,
};
