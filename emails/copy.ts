/**
 * Every word of the payment reminder, per locale. Written at language level B1 (about half of
 * people with money problems read poorly), kind, without threats or shame (Wki conduct rules;
 * Book XIX CEL). No deadlines or costs here: this is the free, early reminder, not the legal
 * 14-day letter, so it must not look like one.
 */

/** The languages a reminder can be written in; Belgian Dutch and French follow Belgian usage. */
export type Locale = "nl-NL" | "nl-BE" | "fr-BE" | "en";

/** All supported locales, in a stable order (tests and previews iterate over it). */
export const LOCALES = ["nl-NL", "nl-BE", "fr-BE", "en"] as const satisfies readonly Locale[];

/** Where the debtor lives; decides which free debt help the email points to. */
export type Country = "NL" | "BE";

/** "friendly": first reminder a few days after the due date; "second": still kind, clearer. */
export type Tone = "friendly" | "second";

/** Already formatted values the copy may mention. */
export interface CopyContext {
  merchant: string;
  /** Formatted total, e.g. "€ 1.234,56". */
  total: string;
  invoiceCount: number;
}

/** One place that gives free help with debts. */
export interface HelpPlace {
  name: string;
  url?: string;
  detail: string;
}

/** The help block for one country, in one language. */
export interface HelpCopy {
  heading: string;
  intro: string;
  places: HelpPlace[];
}

/** All text of one reminder in one language. */
export interface ReminderCopy {
  subject: Record<Tone, (merchant: string) => string>;
  preview: (c: CopyContext) => string;
  heading: Record<Tone, string>;
  greeting: (name: string) => string;
  /** Paragraphs above the invoice table. */
  intro: Record<Tone, (c: CopyContext) => string[]>;
  /** Payment and reminder may have crossed: prevents worry and needless calls (bol.com). */
  crossed: string;
  payButton: (total: string) => string;
  table: { reference: string; dueDate: string; outstanding: string; total: string; partOf: (amount: string) => string };
  options: {
    heading: string;
    intro: string;
    alreadyPaid: string;
    paymentDate: string;
    arrangement: string;
    /** Lead-in for the contact line, depending on whether links were shown above it. */
    contactLead: { links: string; noLinks: string };
    /** Followed by the shop's email address as a link. */
    mailTo: string;
    reply: string;
  };
  help: Record<Country, HelpCopy>;
  helpMore: string;
  closing: string;
}

// French typography puts a non-breaking space before ? and : so they never wrap alone.
const NB = "\u00a0";

const GELDFIT = "https://www.geldfit.nl";

/** Dutch for the Netherlands and for Flanders share almost everything; these words differ. */
function dutch(region: Country): ReminderCopy {
  const heeft = region === "NL" ? "Heeft" : "Hebt";
  const hebt = heeft.toLowerCase();
  const helpIntro =
    "Veel mensen hebben weleens moeite om rekeningen te betalen. Daar zijn oplossingen voor. Praat erover met ons, of vraag gratis hulp:";
  const what = (c: CopyContext) =>
    c.invoiceCount === 1 ? `uw factuur bij ${c.merchant}` : `uw ${c.invoiceCount} facturen bij ${c.merchant}`;
  return {
    subject: {
      friendly: (m) => `${m}: een vriendelijke herinnering over uw betaling`,
      second: (m) => `${m}: tweede herinnering over uw betaling`,
    },
    preview: (c) => `Er staat nog ${c.total} open. ${heeft} u al betaald? Dan hoeft u niets te doen.`,
    heading: { friendly: "Een vriendelijke herinnering", second: "Tweede herinnering" },
    greeting: (name) => `Beste ${name},`,
    intro: {
      friendly: (c) => [
        `We hebben de betaling van ${what(c)} nog niet ontvangen. Misschien is het u ontgaan. Dat kan iedereen overkomen.`,
        `Wilt u ${c.total} betalen? Dat kan met de knop hieronder.`,
      ],
      second: (c) => [
        `Dit is een tweede herinnering. We hebben de betaling van ${what(c)} nog niet ontvangen.`,
        `Wilt u ${c.total} zo snel mogelijk betalen? Lukt dat nu niet? Neem dan contact met ons op. Dan zoeken we samen een oplossing.`,
      ],
    },
    crossed: `${heeft} u al betaald? Dan hebben uw betaling en deze herinnering elkaar misschien gekruist. U hoeft dan niets te doen.`,
    payButton: (total) => `Betaal ${total}`,
    table: { reference: "Factuur", dueDate: "Vervaldatum", outstanding: "Nog te betalen", total: "Totaal", partOf: (a) => `van ${a}` },
    options: {
      heading: "Al betaald, of lukt betalen nu niet?",
      intro: `Wilt u liever op een andere dag betalen, bijvoorbeeld als uw ${region === "NL" ? "salaris" : "loon"} of uitkering binnen is? Of wilt u in delen betalen? Dat kan.`,
      alreadyPaid: "Ik heb al betaald",
      paymentDate: "Kies een andere betaaldatum",
      arrangement: region === "NL" ? "Vraag een betalingsregeling aan" : "Vraag een afbetalingsplan aan",
      contactLead: {
        links: "Liever persoonlijk contact? Dat kan ook.",
        noLinks: "Laat het ons weten, dan zoeken we samen een oplossing.",
      },
      mailTo: "Mail naar",
      reply: "Beantwoord gewoon deze e-mail.",
    },
    help: {
      NL: {
        heading: "Geldzorgen? U staat er niet alleen voor",
        intro: helpIntro,
        places: [
          { name: "geldfit.nl", url: GELDFIT, detail: "gratis en anoniem advies over geld en schulden" },
          { name: "de schuldhulpverlening van uw gemeente", detail: `gratis hulp als u schulden ${hebt}` },
        ],
      },
      BE: {
        heading: "Geldzorgen? U staat er niet alleen voor",
        intro: helpIntro,
        places: [{ name: "het OCMW van uw gemeente", detail: "gratis hulp bij schulden (schuldbemiddeling)" }],
      },
    },
    helpMore: "Meer hulp en tips",
    closing: region === "NL" ? "Met vriendelijke groet," : "Met vriendelijke groeten,",
  };
}

const french: ReminderCopy = {
  subject: {
    friendly: (m) => `${m}${NB}: petit rappel concernant votre paiement`,
    second: (m) => `${m}${NB}: deuxième rappel concernant votre paiement`,
  },
  preview: (c) => `Il reste ${c.total} à payer. Si vous avez déjà payé, vous n'avez rien à faire.`,
  heading: { friendly: "Un petit rappel", second: "Deuxième rappel" },
  greeting: (name) => `Bonjour ${name},`,
  intro: {
    friendly: (c) => [
      `Nous n'avons pas encore reçu le paiement de ${c.invoiceCount === 1 ? "votre facture" : `vos ${c.invoiceCount} factures`} chez ${c.merchant}. Cela vous a peut-être échappé. Cela peut arriver à tout le monde.`,
      `Pour payer ${c.total}, cliquez sur le bouton ci-dessous.`,
    ],
    second: (c) => [
      `Voici un deuxième rappel. Nous n'avons pas encore reçu le paiement de ${c.invoiceCount === 1 ? "votre facture" : `vos ${c.invoiceCount} factures`} chez ${c.merchant}.`,
      `Pouvez-vous payer ${c.total} dès que possible${NB}? Ce n'est pas possible pour le moment${NB}? Contactez-nous. Nous chercherons une solution ensemble.`,
    ],
  },
  crossed: "Si vous avez déjà payé, votre paiement et ce rappel se sont peut-être croisés. Dans ce cas, vous n'avez rien à faire.",
  payButton: (total) => `Payer ${total}`,
  table: { reference: "Facture", dueDate: "Échéance", outstanding: "Reste à payer", total: "Total", partOf: (a) => `sur ${a}` },
  options: {
    heading: `Déjà payé, ou difficile de payer maintenant${NB}?`,
    intro: `Vous préférez payer à une autre date, par exemple quand vous recevez votre salaire ou votre allocation${NB}? Ou vous voulez payer en plusieurs fois${NB}? C'est possible.`,
    alreadyPaid: "J'ai déjà payé",
    paymentDate: "Choisir une autre date de paiement",
    arrangement: "Demander un plan de paiement",
    contactLead: {
      links: `Vous préférez un contact personnel${NB}? C'est possible aussi.`,
      noLinks: "Dites-le-nous, et nous chercherons une solution ensemble.",
    },
    mailTo: "Écrivez à",
    reply: "Répondez simplement à cet e-mail.",
  },
  help: {
    BE: {
      heading: `Des soucis d'argent${NB}? Il existe des solutions`,
      intro: `Beaucoup de gens ont parfois du mal à payer leurs factures. Parlez-en avec nous, ou demandez une aide gratuite${NB}:`,
      places: [{ name: "le CPAS de votre commune", detail: "aide gratuite en cas de dettes (médiation de dettes)" }],
    },
    NL: {
      heading: `Des soucis d'argent${NB}? Il existe des solutions`,
      intro: `Beaucoup de gens ont parfois du mal à payer leurs factures. Parlez-en avec nous, ou demandez une aide gratuite${NB}:`,
      places: [
        { name: "geldfit.nl", url: GELDFIT, detail: "conseils gratuits et anonymes sur l'argent et les dettes (en néerlandais)" },
        { name: "le service d'aide aux dettes de votre commune (schuldhulpverlening)", detail: "aide gratuite en cas de dettes" },
      ],
    },
  },
  helpMore: "Plus d'aide et de conseils",
  closing: "Bien cordialement,",
};

const english: ReminderCopy = {
  subject: {
    friendly: (m) => `${m}: a friendly reminder about your payment`,
    second: (m) => `${m}: second reminder about your payment`,
  },
  preview: (c) => `There is still ${c.total} to pay. Already paid? Then you do not need to do anything.`,
  heading: { friendly: "A friendly reminder", second: "Second reminder" },
  greeting: (name) => `Dear ${name},`,
  intro: {
    friendly: (c) => [
      `We have not yet received payment for ${c.invoiceCount === 1 ? "your invoice" : `your ${c.invoiceCount} invoices`} from ${c.merchant}. Perhaps it slipped your mind. That can happen to anyone.`,
      `Could you pay ${c.total}? You can do this with the button below.`,
    ],
    second: (c) => [
      `This is a second reminder. We have not yet received payment for ${c.invoiceCount === 1 ? "your invoice" : `your ${c.invoiceCount} invoices`} from ${c.merchant}.`,
      `Could you please pay ${c.total} as soon as possible? Is that not possible right now? Then please contact us. We will find a solution together.`,
    ],
  },
  crossed: "Already paid? Then your payment and this reminder may have crossed. In that case, you do not need to do anything.",
  payButton: (total) => `Pay ${total}`,
  table: { reference: "Invoice", dueDate: "Due date", outstanding: "Still to pay", total: "Total", partOf: (a) => `of ${a}` },
  options: {
    heading: "Already paid, or is it hard to pay at the moment?",
    intro: "Would you rather pay on another day, for example when your salary or benefit arrives? Or would you like to pay in parts? That is possible.",
    alreadyPaid: "I have already paid",
    paymentDate: "Choose another payment date",
    arrangement: "Ask for a payment plan",
    contactLead: {
      links: "Would you rather talk to a person? That is fine too.",
      noLinks: "Let us know, and we will find a solution together.",
    },
    mailTo: "Email",
    reply: "Just reply to this email.",
  },
  help: {
    NL: {
      heading: "Money worries? You are not alone",
      intro: "Many people sometimes find it hard to pay their bills. There are solutions. Talk to us, or get free help:",
      places: [
        { name: "geldfit.nl", url: GELDFIT, detail: "free and anonymous advice about money and debts (in Dutch)" },
        { name: "the debt help service of your municipality (schuldhulpverlening)", detail: "free help with debts" },
      ],
    },
    BE: {
      heading: "Money worries? You are not alone",
      intro: "Many people sometimes find it hard to pay their bills. There are solutions. Talk to us, or get free help:",
      places: [{ name: "the OCMW / CPAS of your municipality", detail: "free help with debts (debt mediation)" }],
    },
  },
  helpMore: "More help and tips",
  closing: "Kind regards,",
};

/** The reminder text for each locale. */
export const COPY: Record<Locale, ReminderCopy> = {
  "nl-NL": dutch("NL"),
  "nl-BE": dutch("BE"),
  "fr-BE": french,
  en: english,
};
