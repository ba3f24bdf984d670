/** Dutch copy of the reminders (nl-NL and nl-BE). B1: short sentences, everyday words, no threats. */
import type { TemplateCopy } from "../blocks";
import type { ReminderKey } from "./families";
import { dutchWords, type DutchRegion } from "./nl-words";

/** Dutch reminder copy for the Netherlands or Flanders. */
export function nlReminders(region: DutchRegion): Record<ReminderKey, TemplateCopy> {
  const w = dutchWords(region);
  const base = { greeting: w.greeting, signoff: w.signoff, cta: "Betaal {{amount}}" };
  return {
    "pre-due-nudge": {
      ...base,
      subject: "{{shop_name}}: uw betaaldatum is {{due_date}}",
      preheader: "Een korte melding voor de betaaldatum.",
      heading: "Binnenkort betalen",
      intro: "Dit is een vriendelijke melding voor de betaaldatum. U kunt {{invoice_phrase}} betalen tot en met {{due_date}}.",
      body: ["U kunt nu al betalen met de knop hieronder. Dan hoeven we u niet te herinneren."],
      sms: "{{shop_name}}: een vriendelijke melding over een betaling die u binnenkort kunt doen.",
    },
    "reminder-friendly": {
      ...base,
      subject: "{{shop_name}}: een vriendelijke herinnering",
      preheader: "Vergeten te betalen? Dat kan iedereen overkomen.",
      heading: "Een vriendelijke herinnering",
      intro: "De betaaldatum van {{invoice_phrase}} was {{due_date}}. We hebben de betaling nog niet ontvangen. Misschien is het u ontgaan. Dat kan iedereen overkomen.",
      body: ["U kunt betalen met de knop hieronder. Dat duurt maar even."],
      sms: "{{shop_name}} heeft een kort bericht voor u over een betaling.",
    },
    "reminder-second": {
      ...base,
      subject: "{{shop_name}}: tweede herinnering over uw betaling",
      preheader: "We denken graag met u mee.",
      heading: "Tweede herinnering",
      intro: "Dit is onze tweede herinnering over {{invoice_phrase}}. De betaaldatum was {{due_date}}.",
      body: [
        "De eerste herinnering stuurden we u op {{previous_date}}, {{previous_channel}}.",
        `Kunt u snel betalen? Is dat nu moeilijk? U kunt een latere datum kiezen of in delen betalen. Of neem contact met ons op. Dan zoeken we samen een oplossing.`,
      ],
      sms: "{{shop_name}} stuurde u eerder een herinnering over een betaling. Die staat nog open.",
    },
    "reminder-letter": {
      ...base,
      subject: "{{shop_name}}: uw betaling staat nog open",
      preheader: "We horen graag van u.",
      heading: "Herinnering over {{invoice_phrase}}",
      intro: "We hebben u al eerder geschreven over {{invoice_phrase}}. We hebben de betaling nog niet ontvangen.",
      body: [
        "Ons laatste bericht was op {{previous_date}}, {{previous_channel}}.",
        "Kunt u betalen? Lukt dat nu niet? Neem dan contact met ons op. We zoeken graag samen met u een oplossing.",
      ],
      sms: "{{shop_name}} heeft u geschreven over een betaling die nog openstaat.",
    },
    "reminder-sms": {
      ...base,
      subject: "{{shop_name}}: een kort bericht over uw betaling",
      preheader: "Kunnen we u helpen?",
      heading: "Een kort bericht over uw betaling",
      intro: "We hebben u al eerder herinnerd aan {{invoice_phrase}}.",
      body: [
        "Ons laatste bericht was op {{previous_date}}, {{previous_channel}}.",
        "Klopt er iets niet, of is betalen moeilijk? Laat het ons weten. Dan zoeken we samen een oplossing.",
      ],
      sms: "{{shop_name}} schreef u eerder over een betaling. Kunnen we u helpen?",
    },
    "reminder-gentle": {
      ...base,
      subject: "{{shop_name}}: uw betaling, en hulp als u wilt",
      preheader: "Geen haast. Er is hulp als geld krap is.",
      heading: "Over uw betaling",
      intro: "We weten dat rekeningen betalen niet altijd makkelijk is. Daar hoeft u zich niet voor te schamen. Daarom beginnen we met waar u hulp vindt.",
      body: [`De betaaldatum van {{invoice_phrase}} was {{due_date}}. U mag later betalen of in kleine delen. Laat ons gewoon weten wat voor u past.`],
      sms: "{{shop_name}} heeft een bericht voor u over een betaling. Geen haast: we helpen u graag.",
    },
    "reminder-help": {
      ...base,
      subject: "{{shop_name}}: we helpen u graag",
      preheader: "Kleine stappen zijn goed.",
      heading: "We helpen u graag",
      intro: "Op {{previous_date}} schreven we u over {{invoice_phrase}}. We hebben nog niets van u gehoord. Dat is niet erg.",
      body: [
        "Misschien is betalen nu moeilijk. U kunt in kleine delen betalen, of een datum kiezen die beter uitkomt. U beslist.",
        "Wilt u met iemand praten? Gratis hulp is dichtbij. U vindt die in dit bericht.",
      ],
      sms: "{{shop_name}} helpt u graag met een betaling. Kleine delen of een latere datum mogen ook.",
    },
    "reminder-letter-help": {
      ...base,
      subject: "{{shop_name}}: een brief over uw betaling, en hulp",
      preheader: "U hoeft het niet alleen op te lossen.",
      heading: "Hulp bij uw betaling",
      intro: "We hebben u al eerder geschreven over {{invoice_phrase}}.",
      body: [
        "Ons laatste bericht was op {{previous_date}}, {{previous_channel}}.",
        "Geldzorgen kan iedereen krijgen. U hoeft ze niet alleen op te lossen. In deze brief staat waar u gratis hulp vindt.",
        "Kleine delen of een latere datum zijn ook goed. Laat ons weten wat voor u past.",
      ],
      sms: "{{shop_name}} stuurde u een brief over een betaling, met hulp als u die nodig hebt.",
    },
  };
}
