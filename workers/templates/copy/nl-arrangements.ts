/** Dutch copy of the arrangement messages (nl-NL: betalingsregeling; nl-BE: afbetalingsplan). */
import type { TemplateCopy } from "../blocks";
import type { ArrangementKey } from "./families";
import { dutchWords, type DutchRegion } from "./nl-words";

/** Dutch arrangement copy for the Netherlands or Flanders. */
export function nlArrangements(region: DutchRegion): Record<ArrangementKey, TemplateCopy> {
  const w = dutchWords(region);
  const base = { greeting: w.greeting, signoff: w.signoff, cta: "Betaal {{instalment_amount}}" };
  return {
    "arrangement-confirmation": {
      ...base,
      subject: `{{shop_name}}: uw ${w.plan}`,
      preheader: `Uw ${w.plan}, met alle datums.`,
      heading: `Uw ${w.plan}`,
      intro: `Bedankt voor uw ${w.plan}. U betaalt {{amount}} in {{instalment_count}} delen.`,
      body: [
        "Het eerste deel is {{instalment_amount}}, op {{instalment_date}}. Alle datums staan hieronder.",
        "Een paar dagen voor elk deel sturen we u een korte herinnering. Betaalt u op tijd? Dan sturen we geen andere herinneringen.",
        "Lukt een betaling een maand niet? Laat het ons voor de datum weten. Dan kijken we samen wat kan.",
      ],
      sms: `{{shop_name}}: uw ${w.plan} staat vast. {{instalment_count}} delen, het eerste op {{instalment_date}}. Bedankt!`,
    },
    "instalment-reminder": {
      ...base,
      subject: `{{shop_name}}: deel {{instalment_number}} van uw ${w.plan}`,
      preheader: "Een korte melding voor de datum.",
      heading: "Uw volgende deel",
      intro: `Een korte melding over uw ${w.plan}. Deel {{instalment_number}} van {{instalment_count}} is op {{instalment_date}}: {{instalment_amount}}.`,
      body: ["U kunt nu al betalen, of op de datum zelf. Lukt dat deze keer niet? Laat het ons voor de datum weten."],
      sms: `{{shop_name}}: een vriendelijke melding. Deel {{instalment_number}} van uw ${w.plan} is op {{instalment_date}}.`,
    },
    "instalment-missed": {
      ...base,
      subject: `{{shop_name}}: over deel {{instalment_number}} van uw ${w.plan}`,
      preheader: "Dat kan gebeuren. We kijken samen wat kan.",
      heading: `Over uw ${w.plan}`,
      intro: `Deel {{instalment_number}} van uw ${w.plan} moest op {{instalment_date}} binnen zijn. We hebben het nog niet ontvangen.`,
      body: [
        `Dat kan gebeuren. Kunt u {{instalment_amount}} alsnog betalen? Of past de ${w.plan} niet meer? Laat het ons weten. Dan passen we die samen aan.`,
        "Horen we niets van u? Dan sturen we u weer onze gewone herinneringen.",
      ],
      sms: `{{shop_name}}: een deel van uw ${w.plan} is nog niet binnen. Wilt u ernaar kijken?`,
    },
  };
}
