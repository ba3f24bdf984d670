/**
 * Extra paragraphs a reminder may need: the kind acknowledgement after "I already paid", and
 * the content Book XIX requires of a Belgian first reminder. B1, calm, no threats.
 */
import type { Locale } from "./copy";
import { formatDate, formatMoney } from "./format";

/** After the debtor said they paid and the pause ended without a payment. */
export const ALREADY_PAID_ACK: Record<Locale, string> = {
  "nl-NL": "U liet ons weten dat u al betaald had. Dank u wel daarvoor. Wij hebben de betaling nog niet ontvangen. Wilt u het even nakijken? Stuur ons gerust een bewijs van betaling.",
  "nl-BE": "U liet ons weten dat u al betaald had. Dank u daarvoor. Wij hebben de betaling nog niet ontvangen. Wilt u het even nakijken? Stuur ons gerust een bewijs van betaling.",
  "fr-BE": "Vous nous avez dit que vous aviez déjà payé. Merci de nous avoir prévenus. Nous n'avons pas encore reçu le paiement. Pouvez-vous vérifier ? N'hésitez pas à nous envoyer une preuve de paiement.",
  en: "You told us you had already paid. Thank you for letting us know. We have not received the payment yet. Could you check? Feel free to send us proof of payment.",
};

export interface BeFirstReminderFacts {
  locale: Locale;
  creditor: string;
  enterpriseNumber: string | null;
  /** What was bought and when it was due: one line per invoice. */
  items: { reference: string; dueDate: string }[];
  balanceCents: number;
  /** Damages owed if the balance stays unpaid after the term; 0 when the creditor charges none. */
  damagesCents: number;
  /** Last day of the 14-day term. */
  termEndDate: string;
}

/** The Book XIX first-reminder paragraphs (balance, damages, creditor, items, the 14-day term). */
export function beFirstReminderLines(f: BeFirstReminderFacts): string[] {
  const money = (c: number) => formatMoney(c, f.locale);
  const date = (d: string) => formatDate(d, f.locale);
  const items = f.items.map((i) => `${i.reference} (${date(i.dueDate)})`).join(", ");
  const ent = f.enterpriseNumber;
  switch (f.locale) {
    case "fr-BE":
      return [
        `Ceci est un premier rappel gratuit de ${f.creditor}${ent ? ` (numéro d'entreprise ${ent})` : ""} pour : ${items}.`,
        `Solde à payer : ${money(f.balanceCents)}. Vous avez jusqu'au ${date(f.termEndDate)} inclus pour payer (14 jours).`,
        f.damagesCents > 0
          ? `Si le solde n'est pas payé à cette date, une indemnité de ${money(f.damagesCents)} pourra être demandée.`
          : "Aucun frais supplémentaire ne sera demandé.",
      ];
    case "en":
      return [
        `This is a free first reminder from ${f.creditor}${ent ? ` (enterprise number ${ent})` : ""} for: ${items}.`,
        `Balance due: ${money(f.balanceCents)}. You have until ${date(f.termEndDate)} inclusive to pay (14 days).`,
        f.damagesCents > 0 ? `If the balance is still unpaid after that date, damages of ${money(f.damagesCents)} may be charged.` : "No extra costs will be charged.",
      ];
    default:
      return [
        `Dit is een gratis eerste herinnering van ${f.creditor}${ent ? ` (ondernemingsnummer ${ent})` : ""} voor: ${items}.`,
        `Nog te betalen: ${money(f.balanceCents)}. U hebt tot en met ${date(f.termEndDate)} om te betalen (14 dagen).`,
        f.damagesCents > 0
          ? `Is het bedrag dan nog niet betaald? Dan kan een schadevergoeding van ${money(f.damagesCents)} gevraagd worden.`
          : "Er komen geen extra kosten bij.",
      ];
  }
}
