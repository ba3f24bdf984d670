/** Dutch copy of the follow-ups (nl-NL and nl-BE): after "ik heb al betaald", and the thank-you. */
import type { TemplateCopy } from "../blocks";
import type { FollowUpKey } from "./families";
import { dutchWords, type DutchRegion } from "./nl-words";

/** Dutch follow-up copy for the Netherlands or Flanders. */
export function nlFollowUps(region: DutchRegion): Record<FollowUpKey, TemplateCopy> {
  const w = dutchWords(region);
  return {
    "already-paid-follow-up": {
      greeting: w.greeting,
      signoff: w.signoff,
      subject: `{{shop_name}}: bedankt voor uw bericht`,
      preheader: "We kijken uw betaling na.",
      heading: "Bedankt voor uw bericht",
      intro: `Op {{reported_date}} liet u ons weten dat u {{invoice_phrase}} al ${w.heeft} betaald. Dank u wel daarvoor.`,
      body: [
        "We kijken het na. Tot nu toe vinden we de betaling niet. Soms duurt een betaling een paar dagen, of komt die bij een andere factuur terecht.",
        "Wilt u met ons meekijken? Kijk in uw bank-app naar het bedrag en het rekeningnummer. Of stuur ons een bewijs van betaling, bijvoorbeeld een schermafbeelding. Dan vinden we de betaling sneller.",
      ],
      cta: "Betaal {{amount}}",
      sms: `Bedankt dat u {{shop_name}} liet weten dat u ${w.heeft} betaald. We kijken het na, maar vinden de betaling nog niet.`,
    },
    "payment-thanks": {
      greeting: w.greeting,
      signoff: w.signoff,
      subject: "{{shop_name}}: bedankt voor uw betaling",
      preheader: "Alles is betaald.",
      heading: "Bedankt voor uw betaling",
      intro: "We hebben uw betaling van {{paid_amount}} ontvangen. Alles is nu betaald. Dank u wel!",
      body: ["U krijgt hierover geen herinneringen meer."],
      cta: "Naar uw overzicht",
      sms: "Bedankt! {{shop_name}} heeft uw betaling ontvangen. Alles is betaald.",
    },
  };
}
