/**
 * Every word of the in-app banner, per locale. Same rules as the reminders (emails/copy.ts):
 * level B1, short sentences, kind, no threats, no shame, no deadlines or costs. A banner sits in
 * the app where others may look over a shoulder, so it states the amount once and plainly, and
 * always says that a payment already made needs no action. Values arrive formatted.
 */
import type { Locale } from "../../emails/copy";
import { SELF_SERVICE_COPY } from "../api/self-service-copy";

/** All text of the banner in one language. */
export interface BannerCopy {
  title: (invoiceCount: number) => string;
  /** One or two short sentences: what is open, at which shop, and "already paid? nothing to do". */
  text: (merchant: string, total: string, invoiceCount: number) => string;
  pay: (total: string) => string;
  /** Action labels; the "already paid" one is the self-service page's own heading. */
  alreadyPaid: string;
  help: string;
}

// French typography puts a non-breaking space before ? and : so they never wrap alone.
const NB = "\u00a0";

function dutch(region: "NL" | "BE"): BannerCopy {
  const heeft = region === "NL" ? "Heeft" : "Hebt";
  return {
    title: (n) => (n === 1 ? "Er staat nog een betaling open" : "Er staan nog betalingen open"),
    text: (m, total, n) =>
      `${n === 1 ? `Bij ${m} staat nog ${total} voor u open.` : `Bij ${m} staan nog ${n} facturen voor u open, samen ${total}.`} ${heeft} u al betaald? Dan hoeft u niets te doen.`,
    pay: (total) => `Betaal ${total}`,
    alreadyPaid: SELF_SERVICE_COPY[region === "NL" ? "nl-NL" : "nl-BE"].alreadyPaid.heading,
    help: "Hulp nodig?",
  };
}

const french: BannerCopy = {
  title: (n) => (n === 1 ? "Il reste un paiement à faire" : "Il reste des paiements à faire"),
  text: (m, total, n) =>
    `${n === 1 ? `Il vous reste ${total} à payer chez ${m}.` : `Il vous reste ${n} factures à payer chez ${m}, pour un total de ${total}.`} Vous avez déjà payé${NB}? Alors vous n'avez rien à faire.`,
  pay: (total) => `Payer ${total}`,
  alreadyPaid: SELF_SERVICE_COPY["fr-BE"].alreadyPaid.heading,
  help: `Besoin d'aide${NB}?`,
};

const english: BannerCopy = {
  title: (n) => (n === 1 ? "A payment is still open" : "Some payments are still open"),
  text: (m, total, n) =>
    `${n === 1 ? `You still have ${total} to pay to ${m}.` : `You still have ${n} invoices to pay to ${m}, ${total} in total.`} Already paid? Then you do not need to do anything.`,
  pay: (total) => `Pay ${total}`,
  alreadyPaid: SELF_SERVICE_COPY.en.alreadyPaid.heading,
  help: "Need help?",
};

/** The banner text for each locale. */
export const BANNER_COPY: Record<Locale, BannerCopy> = {
  "nl-NL": dutch("NL"),
  "nl-BE": dutch("BE"),
  "fr-BE": french,
  en: english,
};
