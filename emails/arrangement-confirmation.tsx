import { Body, Button, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties } from "react";
import type { Locale } from "./copy";
import { formatDate, formatMoney } from "./format";

/** The confirmation of a payment arrangement: what was agreed, in the debtor's words. */
export interface ArrangementConfirmationProps {
  locale: Locale;
  debtorName: string;
  merchantName: string;
  instalments: { dueDate: string; amountCents: number }[];
  /** The debtor's self-service page (pay a term, ask for help). */
  pageUrl?: string;
}

interface Copy {
  subject: (m: string) => string;
  heading: string;
  greeting: (n: string) => string;
  intro: (m: string, n: number) => string;
  due: string;
  amount: string;
  onTime: string;
  trouble: string;
  page: string;
  closing: string;
}

const NL: Copy = {
  subject: (m) => `${m}: uw betalingsregeling`,
  heading: "Uw betalingsregeling",
  greeting: (n) => `Beste ${n},`,
  intro: (m, n) => `Fijn dat u een regeling hebt getroffen met ${m}. U betaalt in ${n} delen. Zolang u de delen op tijd betaalt, sturen wij geen herinneringen.`,
  due: "Datum",
  amount: "Bedrag",
  onTime: "Betaal elk deel op of voor de datum hierboven.",
  trouble: "Lukt een betaling een keer niet? Laat het ons dan op tijd weten. Samen zoeken we een oplossing.",
  page: "Naar uw overzicht",
  closing: "Met vriendelijke groet,",
};

const COPY: Record<Locale, Copy> = {
  "nl-NL": NL,
  "nl-BE": { ...NL, closing: "Met vriendelijke groeten," },
  "fr-BE": {
    subject: (m) => `${m} : votre plan de paiement`,
    heading: "Votre plan de paiement",
    greeting: (n) => `Bonjour ${n},`,
    intro: (m, n) => `Merci d'avoir convenu d'un plan de paiement avec ${m}. Vous payez en ${n} fois. Tant que vous payez à temps, nous ne vous envoyons pas de rappel.`,
    due: "Date",
    amount: "Montant",
    onTime: "Payez chaque montant au plus tard à la date indiquée.",
    trouble: "Un paiement n'est pas possible ? Prévenez-nous à temps. Ensemble, nous trouverons une solution.",
    page: "Voir votre aperçu",
    closing: "Cordialement,",
  },
  en: {
    subject: (m) => `${m}: your payment plan`,
    heading: "Your payment plan",
    greeting: (n) => `Dear ${n},`,
    intro: (m, n) => `Thank you for agreeing a payment plan with ${m}. You pay in ${n} parts. As long as you pay on time, we will not send you reminders.`,
    due: "Date",
    amount: "Amount",
    onTime: "Please pay each part on or before its date.",
    trouble: "Can't make a payment one time? Let us know in good time. Together we will find a solution.",
    page: "Go to your overview",
    closing: "Kind regards,",
  },
};

const text: CSSProperties = { fontSize: "16px", lineHeight: "24px", margin: "0 0 16px", color: "#1f2937" };
const cell: CSSProperties = { fontSize: "15px", padding: "6px", borderBottom: "1px solid #e5e7eb", textAlign: "left" };

/** The arrangement confirmation email. */
export function ArrangementConfirmation(p: ArrangementConfirmationProps) {
  const c = COPY[p.locale];
  return (
    <Html lang={p.locale}>
      <Head />
      <Preview>{c.heading}</Preview>
      <Body style={{ backgroundColor: "#f3f4f6", fontFamily: "Arial, Helvetica, sans-serif", padding: "24px 0" }}>
        <Container style={{ backgroundColor: "#ffffff", maxWidth: "560px", margin: "0 auto", padding: "32px 28px", borderRadius: "8px" }}>
          <Heading as="h1" style={{ fontSize: "24px", margin: "0 0 24px", color: "#1f2937" }}>{c.heading}</Heading>
          <Text style={text}>{c.greeting(p.debtorName)}</Text>
          <Text style={text}>{c.intro(p.merchantName, p.instalments.length)}</Text>
          <table data-text-format="dataTable" width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", margin: "0 0 24px" }}>
            <thead>
              <tr><th scope="col" style={cell}>{c.due}</th><th scope="col" style={{ ...cell, textAlign: "right" }}>{c.amount}</th></tr>
            </thead>
            <tbody>
              {p.instalments.map((i) => (
                <tr key={i.dueDate}><td style={cell}>{formatDate(i.dueDate, p.locale)}</td><td style={{ ...cell, textAlign: "right" }}>{formatMoney(i.amountCents, p.locale)}</td></tr>
              ))}
            </tbody>
          </table>
          <Text style={text}>{c.onTime}</Text>
          <Text style={text}>{c.trouble}</Text>
          {p.pageUrl ? (
            <Section style={{ textAlign: "center", margin: "8px 0 24px" }}>
              <Button href={p.pageUrl} style={{ backgroundColor: "#1e40af", color: "#ffffff", padding: "12px 20px", borderRadius: "6px", fontWeight: 700 }}>{c.page}</Button>
            </Section>
          ) : null}
          <Text style={text}>{c.closing}<br />{p.merchantName}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** The subject of the confirmation. */
export function arrangementConfirmationSubject(p: Pick<ArrangementConfirmationProps, "locale" | "merchantName">): string {
  return COPY[p.locale].subject(p.merchantName);
}

ArrangementConfirmation.PreviewProps = {
  locale: "nl-NL",
  debtorName: "Sanne de Vries",
  merchantName: "Fietsenwinkel De Spaak",
  instalments: [
    { dueDate: "2026-12-25", amountCents: 4000 },
    { dueDate: "2027-01-25", amountCents: 4000 },
    { dueDate: "2027-02-25", amountCents: 4461 },
  ],
  pageUrl: "https://kindly.example/d/token",
} satisfies ArrangementConfirmationProps;

export default ArrangementConfirmation;
