/** Dutch letter copy for the Netherlands and Flanders; the two share almost every word. */
import type { Country } from "../emails/copy";
import { NL_FOURTEEN_DAY_WORDING } from "../workers/policy/law-nl";
import type { LetterContext, LetterCopy } from "./letter-copy";

/** Dutch letter text; `region` decides "heeft/hebt" and the Dutch-only 14-day letter. */
export function dutchLetter(region: Country): LetterCopy {
  const heeft = region === "NL" ? "heeft" : "hebt";
  const Heeft = region === "NL" ? "Heeft" : "Hebt";
  const what = (merchant: string, count: number) =>
    count === 1 ? `uw factuur bij ${merchant}` : `uw ${count} facturen bij ${merchant}`;
  const whatCtx = (c: LetterContext) => what(c.merchant, c.invoiceCount);
  return {
    subject: {
      reminder: (m, n) => `Een vriendelijke herinnering over ${what(m, n)}`,
      nl_fourteen_day_letter: region === "NL" ? (m, n) => `Herinnering over ${what(m, n)}` : null,
      be_first_reminder: (m, n) => `Eerste herinnering over ${what(m, n)}`,
    },
    datePlace: (date, place) => (place ? `${place}, ${date}` : date),
    referenceLabel: region === "NL" ? "Ons kenmerk:" : "Onze referentie:",
    enterpriseNumberLabel: "Ondernemingsnummer:",
    intro: {
      friendly: (c) =>
        `We hebben de betaling van ${whatCtx(c)} nog niet ontvangen. Misschien is het u ontgaan. Dat kan iedereen overkomen.`,
      neutral: (c) => `Volgens onze gegevens is de betaling van ${whatCtx(c)} nog niet binnen.`,
      clear: (c) =>
        `We hebben u al eerder gevraagd om ${whatCtx(c)} te betalen. Die betaling hebben we nog niet ontvangen.`,
    },
    totalLine: (total) => `Het gaat in totaal om ${total}.`,
    crossed: `${Heeft} u al betaald? Dan hebben uw betaling en deze brief elkaar misschien gekruist. U hoeft dan niets te doen.`,
    acknowledgeAlreadyPaid: (where) =>
      `U liet ons weten dat u al ${heeft} betaald. Dank u wel daarvoor. Misschien hebben uw betaling en deze brief elkaar gekruist: ` +
      `wij hebben uw betaling nog niet ontvangen. Wilt u het nog eens nakijken? ` +
      (where ? `U kunt ons ook een bewijs van betaling sturen via ${where}.` : "U kunt ons ook een bewijs van betaling sturen."),
    pay: {
      heading: "Zo kunt u betalen",
      online: "Betaal online via deze link:",
      selfService: `Op deze pagina kunt u laten weten dat u al ${heeft} betaald. U kunt er ook een andere betaaldatum kiezen of ${region === "NL" ? "een betalingsregeling" : "een afbetalingsplan"} aanvragen:`,
      contact: (email) => `Liever persoonlijk contact? Mail naar ${email}.`,
      contactByPost: "Liever persoonlijk contact? Schrijf ons op het adres bovenaan deze brief.",
    },
    fourteenDay:
      region === "NL"
        ? {
            term: NL_FOURTEEN_DAY_WORDING.nl,
            costs: (amount) =>
              `Betaalt u binnen deze 14 dagen? Dan betaalt u niets extra. Betaalt u niet op tijd? Dan moet u ook incassokosten betalen. Dat is ${amount}.`,
            noCosts: "We rekenen geen incassokosten of andere extra kosten.",
            consequence:
              "Hebben we na deze 14 dagen geen betaling of afspraak met u? Dan kunnen we uw factuur overdragen aan een incassobureau. " +
              "Dat willen we liever niet. Lukt betalen nu niet? Neem dan contact met ons op. Samen zoeken we een oplossing.",
          }
        : null,
    beFirstReminder: {
      free: "Dit is een eerste herinnering. Deze herinnering is gratis.",
      creditor: (name, nr) => `Deze brief komt van ${name}, ondernemingsnummer ${nr}.`,
      about: "In de tabel hieronder ziet u om welke factuur het gaat, waarvoor die is en wanneer u die moest betalen.",
      term: (endDate) =>
        endDate
          ? `U ${heeft} 14 dagen om te betalen. Betaal uiterlijk op ${endDate}.`
          : `U ${heeft} 14 dagen om te betalen. Die termijn begint op de derde werkdag nadat we deze brief hebben verstuurd.`,
      damages: (amount) => `Betaalt u niet binnen deze 14 dagen? Dan komt er een schadevergoeding bij van ${amount}.`,
      noDamages: "Ook als u later betaalt, rekenen we geen schadevergoeding of extra kosten aan.",
    },
  };
}
