/** Dutch locked text (see locked.ts) for the Netherlands and Flanders. */
import { NL_FOURTEEN_DAY_WORDING } from "../policy/law-nl";
import type { LockedCopy } from "./locked";

/** Dutch locked text; `region` decides heeft/hebt, afbetalingsplan and the reference label. */
export function lockedDutch(region: "NL" | "BE"): LockedCopy {
  const nl = region === "NL";
  const Heeft = nl ? "Heeft" : "Hebt";
  const plan = nl ? "betalingsregeling" : "afbetalingsplan";
  return {
    invoicePhrase: (shop, n) => (n === 1 ? `uw factuur bij ${shop}` : `uw ${n} facturen bij ${shop}`),
    channelPhrase: { email: "per e-mail", letter: "per post", sms: "per sms", call: "per telefoon" },
    crossed: {
      reminder: `${Heeft} u al betaald? Dan hebben uw betaling en dit bericht elkaar misschien gekruist. U hoeft dan niets te doen.`,
      pre_due: `${Heeft} u al betaald? Dank u wel! Dan hoeft u niets te doen.`,
      follow_up: "Komt uw betaling intussen bij ons binnen? Dan kruist die misschien dit bericht. Dan is alles in orde.",
      arrangement: `${Heeft} u dit deel al betaald? Dan hebben uw betaling en dit bericht elkaar misschien gekruist. U hoeft dan niets te doen.`,
      thanks: "Kreeg u na uw betaling nog een herinnering van ons? Dan heeft die uw betaling gekruist. U mag die vergeten.",
    },
    crossedSms: {
      reminder: `Al betaald? Dan hoeft u niets te doen.`,
      pre_due: `Al betaald? Dank u, dan hoeft u niets te doen.`,
      follow_up: `Betaling intussen binnen? Dan is alles in orde.`,
      arrangement: `Dit deel al betaald? Dan hoeft u niets te doen.`,
      thanks: `Nog een herinnering na uw betaling? Die mag u vergeten.`,
    },
    table: { reference: "Factuur", dueDate: "Vervaldatum", outstanding: "Nog te betalen", total: "Totaal", partOf: (a) => `van ${a}` },
    instalments: { heading: `Uw ${plan}`, part: "Deel", date: "Datum", amount: "Bedrag", total: "Totaal" },
    pay: {
      heading: "Zo kunt u betalen",
      toPage: "Bekijk uw facturen en betaal",
      perInvoice: (a) => `Betaal ${a}`,
      transfer: (a) => `Maak ${a} over naar:`,
      iban: "IBAN",
      holder: "Ten name van",
      bic: "BIC",
      amount: "Bedrag",
      reference: { NL: "Kenmerk", BE: "Gestructureerde mededeling" },
      referenceNote: { NL: "Vermeld dit kenmerk. Dan vinden we uw betaling meteen.", BE: "Gebruik deze gestructureerde mededeling. Dan vinden we uw betaling meteen." },
      qr: { NL: "Of scan de QR-code met uw bank-app. Het bedrag en het kenmerk staan er dan al in.", BE: "Of scan de QR-code met uw bank-app. Het bedrag en de mededeling staan er dan al in." },
      qrTitle: "QR-code om te betalen met een overschrijving",
      online: (url) => `U kunt ook online betalen of andere keuzes maken op ${url}`,
      options: `Op uw eigen pagina kunt u ook laten weten dat u al betaald ${nl ? "heeft" : "hebt"}, een andere datum kiezen of een ${plan} aanvragen:`,
      phone: (p, h) => `Vragen? Bel ons op ${p}${h ? ` (${h})` : ""}.`,
      mail: (a) => `Of mail naar ${a}.`,
      reply: "Of beantwoord gewoon deze e-mail.",
      writeUs: "Of schrijf ons op het adres bovenaan deze brief.",
    },
    help: {
      heading: "Geldzorgen? U staat er niet alleen voor",
      intro: "Veel mensen hebben weleens moeite om rekeningen te betalen. Daar zijn oplossingen voor. Praat erover met ons, of vraag gratis hulp:",
      phone: (d) => `bel gratis ${d}`,
      shop: "Onze eigen pagina met hulp en tips",
    },
    sms: { link: "Betalen of andere keuzes:", help: (p) => `Geldzorgen? Gratis hulp: ${p}.` },
    nl14: {
      term: NL_FOURTEEN_DAY_WORDING.nl,
      costs: (a) => `Betaalt u binnen deze 14 dagen? Dan betaalt u niets extra. Betaalt u niet op tijd? Dan moet u ook incassokosten betalen. Dat is ${a}.`,
      vat: "Dit bedrag is inclusief 21% btw, omdat wij de btw niet kunnen terugvragen.",
      noCosts: "We rekenen geen incassokosten of andere extra kosten.",
      handover: (p) => `Hebben we daarna geen betaling of afspraak met u? Dan kunnen we uw factuur overdragen aan ${p}. Dat willen we liever niet. Lukt betalen nu niet? Neem dan contact met ons op. Samen zoeken we een oplossing.`,
      noHandover: "Lukt betalen nu niet? Neem dan contact met ons op. Samen zoeken we een oplossing.",
    },
    be: {
      free: "Dit is een eerste herinnering. Deze herinnering is gratis.",
      creditor: (name, nr) => (nr ? `Ze komt van ${name}, ondernemingsnummer ${nr}.` : `Ze komt van ${name}.`),
      items: "In de tabel ziet u om welke factuur het gaat, waarvoor die is en wanneer u die moest betalen.",
      balance: (a) => `Nog te betalen: ${a}.`,
      term: (end) => (end ? `U hebt 14 dagen om te betalen. Betaal uiterlijk op ${end}.` : "U hebt 14 dagen om te betalen. Die 14 dagen beginnen op de derde werkdag nadat we deze brief hebben verstuurd."),
      damages: (a) => `Is het bedrag dan nog niet betaald? Dan komt er een schadevergoeding bij van ${a}.`,
      noDamages: "Ook als u later betaalt, rekenen we geen schadevergoeding of extra kosten aan.",
    },
    letter: {
      referenceLabel: nl ? "Ons kenmerk:" : "Onze referentie:",
      enterpriseNumberLabel: "Ondernemingsnummer:",
      kvkLabel: "KvK-nummer:",
      datePlace: (date, place) => (place ? `${place}, ${date}` : date),
      page: "Pagina",
    },
    hours: (days, from, to) => `${days} ${from}-${to} uur`,
    weekdays: { mon: "ma", tue: "di", wed: "wo", thu: "do", fri: "vr", sat: "za", sun: "zo" },
  };
}
