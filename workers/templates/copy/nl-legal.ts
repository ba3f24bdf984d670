/** Dutch copy around the legal notices (nl-NL and nl-BE); the notices themselves are locked. */
import type { TemplateCopy } from "../blocks";
import type { LegalKey } from "./families";
import { dutchWords, type DutchRegion } from "./nl-words";

/** Dutch legal-step copy for the Netherlands or Flanders. */
export function nlLegal(region: DutchRegion): Record<LegalKey, TemplateCopy> {
  const w = dutchWords(region);
  const base = { greeting: w.greeting, signoff: w.signoff, cta: "Betaal {{amount}}" };
  return {
    "nl-fourteen-day-letter": {
      ...base,
      subject: "{{shop_name}}: betaal binnen 14 dagen",
      preheader: "Wat u moet weten, in gewone woorden.",
      heading: "Herinnering: 14 dagen om te betalen",
      intro: "We hebben u al eerder herinnerd aan {{invoice_phrase}}. De betaaldatum was {{due_date}}. We hebben de betaling nog niet ontvangen.",
      body: [
        "Ons laatste bericht was op {{previous_date}}, {{previous_channel}}.",
        "Hieronder leest u hoeveel tijd u hebt en wat er gebeurt als u niet betaalt.",
      ],
      sms: "{{shop_name}} heeft u een belangrijke brief gestuurd over een betaling. Wilt u die lezen?",
    },
    "be-first-reminder": {
      ...base,
      subject: "{{shop_name}}: eerste herinnering over uw betaling",
      preheader: "Een gratis eerste herinnering.",
      heading: "Eerste herinnering",
      intro: "De betaaldatum van {{invoice_phrase}} was {{due_date}}. We hebben de betaling nog niet ontvangen. Misschien is het u ontgaan.",
      body: ["Hieronder staat wat u moet weten: het bedrag, tot wanneer u kunt betalen, en wat er daarna gebeurt."],
      sms: "{{shop_name}} heeft u een eerste herinnering gestuurd over een betaling.",
    },
    "final-notice": {
      ...base,
      subject: "{{shop_name}}: onze laatste herinnering",
      preheader: "We zoeken liever samen een oplossing.",
      heading: "Onze laatste herinnering",
      intro: "We hebben u een paar keer herinnerd aan {{invoice_phrase}}. We hebben de betaling niet ontvangen en niets van u gehoord.",
      body: [
        "Ons laatste bericht was op {{previous_date}}, {{previous_channel}}.",
        "Dit is onze laatste herinnering. Hebben we geen betaling of afspraak van u? Dan geven we de factuur door aan {{partner_name}}. Zij nemen dan contact met u op.",
        `Dat willen we liever niet. U kunt ook in delen betalen, een latere datum kiezen of gratis hulp vragen.`,
      ],
      sms: "{{shop_name}}: dit is onze laatste herinnering over een betaling. Neem contact op, we helpen u graag.",
    },
  };
}
