/**
 * The call-centre task: a short, kind script in the debtor's language (bol.com calls before any
 * agency). It opens warmly, checks whether the payment crossed, offers a payment date or an
 * arrangement, points to free help, and confirms any agreement by SMS. It never threatens: no
 * agency, bailiff or court is named (Wki: no pressure with measures not yet taken; B1 language).
 */
import type { Country, Locale } from "../../emails/copy";
import { helpPlaces } from "../help-places";
import { formatDate, formatMoney } from "../../emails/format";

/** Note codes the ladder passes; each gets a sentence. Any other note is shown as written. */
export const CALL_NOTE_CODES = ["already_paid_reported"] as const;

interface Facts {
  name: string;
  merchant: string;
  total: string;
  invoices: string[];
  notes: string[];
  help: string[];
}

interface CallCopy {
  title: (name: string, total: string) => string;
  invoiceLine: (reference: string, amount: string, due: string) => string;
  notes: Record<(typeof CALL_NOTE_CODES)[number], string>;
  script: (f: Facts) => [heading: string, lines: string[]][];
}

const dutch = (region: Country): CallCopy => {
  const heeft = region === "NL" ? "heeft" : "hebt";
  return {
    title: (name, total) => `Bel ${name} over een open bedrag van ${total}`,
    invoiceLine: (ref, amount, due) => `${ref}: ${amount}, vervaldatum ${due}`,
    notes: { already_paid_reported: "De klant liet weten al te hebben betaald. Wij hebben de betaling nog niet ontvangen." },
    script: (f) => [
      ["Voor het gesprek", [`Open: ${f.total}`, ...f.invoices, ...f.notes]],
      ["1. Begroeten", [
        `"Goedendag, u spreekt met [uw naam] van ${f.merchant}. Spreek ik met ${f.name}?"`,
        "Noem de betaling pas als u zeker weet dat u de klant zelf spreekt.",
        `"Komt het nu goed uit?" Zo niet: vraag wanneer u terug mag bellen.`,
      ]],
      ["2. Misschien al betaald?", [
        `"Ik bel over uw betaling van ${f.total}. Misschien ${heeft} u al betaald en hebben uw betaling en onze herinnering elkaar gekruist?"`,
        "Al betaald: noteer de datum, bedank de klant en vraag om een bewijs via de link in de herinnering. Verder niets vragen.",
      ]],
      ["3. Samen een oplossing kiezen", [
        `"Lukt het om te betalen? U mag ook een datum kiezen die beter uitkomt, bijvoorbeeld als uw ${region === "NL" ? "salaris" : "loon"} of uitkering binnen is. Of u betaalt in delen."`,
        "Luister eerst. Laat de klant zelf de datum of het aantal delen kiezen.",
      ]],
      ["4. Hulp aanbieden", [
        `Merkt u dat betalen moeilijk is? "Veel mensen hebben weleens moeite met rekeningen. Daar zijn oplossingen voor. U kunt gratis hulp vragen:"`,
        ...f.help,
      ]],
      ["5. Afsluiten", [
        "Vat de afspraak samen: de datum en het aantal delen.",
        `"U krijgt de afspraak zo van ons per sms." Bedank de klant voor het gesprek.`,
      ]],
      ["Altijd", [
        "Blijf vriendelijk en rustig. Dreig nooit en zet niemand onder druk.",
        "Is de klant het niet eens met de factuur en zegt hij waarom? Noteer de reden en stop met vragen om betaling.",
        `Heeft de klant een ${region === "NL" ? "schuldhulpverlener" : "schuldbemiddelaar"} of bewindvoerder? Noteer dit. Dan stoppen we voorlopig met herinneren.`,
        "Bel niet tussen 20:00 en 08:00, niet op zondag en niet op een feestdag.",
      ]],
    ],
  };
};

const french: CallCopy = {
  title: (name, total) => `Appeler ${name} au sujet d'un montant ouvert de ${total}`,
  invoiceLine: (ref, amount, due) => `${ref} : ${amount}, échéance ${due}`,
  notes: { already_paid_reported: "Le client nous a dit avoir déjà payé. Nous n'avons pas encore reçu le paiement." },
  script: (f) => [
    ["Avant l'appel", [`Ouvert : ${f.total}`, ...f.invoices, ...f.notes]],
    ["1. Saluer", [
      `« Bonjour, ici [votre nom] de ${f.merchant}. Je parle bien à ${f.name} ? »`,
      "Ne parlez du paiement que si vous êtes sûr de parler au client lui-même.",
      "« Est-ce un bon moment ? » Sinon, demandez quand vous pouvez rappeler.",
    ]],
    ["2. Déjà payé ?", [
      `« J'appelle au sujet de votre paiement de ${f.total}. Vous avez peut-être déjà payé, et votre paiement et notre rappel se sont croisés ? »`,
      "Déjà payé : notez la date, remerciez le client et demandez une preuve via le lien du rappel. Ne demandez rien d'autre.",
    ]],
    ["3. Choisir une solution ensemble", [
      "« Est-ce possible de payer ? Vous pouvez aussi choisir une date qui vous convient mieux, par exemple quand vous recevez votre salaire ou votre allocation. Ou payer en plusieurs fois. »",
      "Écoutez d'abord. Laissez le client choisir la date ou le nombre de paiements.",
    ]],
    ["4. Proposer de l'aide", [
      "Payer semble difficile ? « Beaucoup de gens ont parfois du mal à payer leurs factures. Il existe des solutions. Vous pouvez demander une aide gratuite : »",
      ...f.help,
    ]],
    ["5. Conclure", [
      "Résumez l'accord : la date et le nombre de paiements.",
      "« Vous recevrez notre accord par SMS. » Remerciez le client pour l'appel.",
    ]],
    ["Toujours", [
      "Restez aimable et calme. Ne menacez jamais et ne mettez personne sous pression.",
      "Le client conteste la facture et dit pourquoi ? Notez la raison et ne demandez plus de paiement.",
      "Le client a un médiateur de dettes ou un administrateur ? Notez-le. Nous arrêtons alors les rappels pour le moment.",
      "N'appelez pas entre 20:00 et 08:00, ni le dimanche, ni un jour férié.",
    ]],
  ],
};

const english: CallCopy = {
  title: (name, total) => `Call ${name} about an open amount of ${total}`,
  invoiceLine: (ref, amount, due) => `${ref}: ${amount}, due ${due}`,
  notes: { already_paid_reported: "The customer told us they already paid. We have not received the payment yet." },
  script: (f) => [
    ["Before the call", [`Open: ${f.total}`, ...f.invoices, ...f.notes]],
    ["1. Greet", [
      `"Hello, this is [your name] from ${f.merchant}. Am I speaking with ${f.name}?"`,
      "Only mention the payment once you are sure you are speaking with the customer.",
      `"Is this a good time?" If not, ask when you may call back.`,
    ]],
    ["2. Already paid?", [
      `"I am calling about your payment of ${f.total}. Perhaps you have already paid and your payment and our reminder crossed?"`,
      "Already paid: note the date, thank the customer and ask for proof via the link in the reminder. Ask nothing more.",
    ]],
    ["3. Choose a solution together", [
      `"Are you able to pay? You can also choose a date that suits you better, for example when your salary or benefit arrives. Or you can pay in parts."`,
      "Listen first. Let the customer choose the date or the number of parts.",
    ]],
    ["4. Offer help", [
      `Does paying seem hard? "Many people sometimes find it hard to pay their bills. There are solutions. You can get free help:"`,
      ...f.help,
    ]],
    ["5. Close", [
      "Sum up the agreement: the date and the number of parts.",
      `"We will confirm this agreement by text message." Thank the customer for the call.`,
    ]],
    ["Always", [
      "Stay kind and calm. Never threaten and never put anyone under pressure.",
      "Does the customer dispute the invoice and say why? Note the reason and stop asking for payment.",
      "Does the customer have a debt counsellor or administrator? Note it. We then pause the reminders.",
      "Do not call between 20:00 and 08:00, on Sundays or on public holidays.",
    ]],
  ],
};

const CALL_COPY: Record<Locale, CallCopy> = { "nl-NL": dutch("NL"), "nl-BE": dutch("BE"), "fr-BE": french, en: english };

/** Concrete free help for the debtor's country and region: name, what they do, phone, site. */
function helpLines(country: Country, locale: Locale, postalCode?: string): string[] {
  return helpPlaces(country, locale, postalCode).map((p) => [`${p.name}: ${p.detail}`, p.phone?.display, p.url?.replace(/^https:\/\//, "")].filter(Boolean).join(", "));
}

/**
 * A short call script in the debtor's language, with the open invoices and notes on top. The
 * help pointers follow `country` (default: NL for nl-NL, BE for nl-BE and fr-BE, both for en).
 */
export function callTaskScript(p: {
  locale: Locale;
  debtorName: string;
  merchantName: string;
  totalCents: number;
  invoices: { reference: string; dueDate: string; outstandingCents: number }[];
  notes: string[];
  country?: Country;
  postalCode?: string | undefined;
}): { title: string; text: string } {
  const c = CALL_COPY[p.locale];
  const money = (cents: number) => formatMoney(cents, p.locale);
  const total = money(p.totalCents);
  const country = p.country ?? (p.locale === "nl-NL" ? "NL" : p.locale === "en" ? null : "BE");
  const help = (country ? [country] : (["NL", "BE"] as const)).flatMap((k) => helpLines(k, p.locale, country ? p.postalCode : undefined));
  const isCode = (n: string): n is (typeof CALL_NOTE_CODES)[number] => (CALL_NOTE_CODES as readonly string[]).includes(n);
  const facts: Facts = {
    name: p.debtorName,
    merchant: p.merchantName,
    total,
    invoices: p.invoices.map((i) => c.invoiceLine(i.reference, money(i.outstandingCents), formatDate(i.dueDate, p.locale))),
    notes: p.notes.map((n) => (isCode(n) ? c.notes[n] : n)),
    help,
  };
  const text = c
    .script(facts)
    .map(([heading, lines]) => [heading, ...lines.map((l) => `- ${l}`)].join("\n"))
    .join("\n\n");
  return { title: c.title(p.debtorName, total), text };
}
