import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import type { CSSProperties } from "react";
import { COPY, type Country, type Locale, type Tone } from "./copy";
import { formatDate, formatMoney } from "./format";
import { ALREADY_PAID_ACK } from "./notices";

/** One open invoice as the reminder shows it. */
export interface ReminderInvoice {
  reference: string;
  /** Calendar date "YYYY-MM-DD". */
  dueDate: string;
  /** What is still to pay, in cents; below amountCents after a part payment. */
  outstandingCents: number;
  amountCents: number;
  /** Where to pay this invoice; when invoices have different pay pages, each row links its own. */
  payUrl?: string;
}

/** Everything the reminder shows; URLs and names come from the caller, never from env. */
export interface PaymentReminderProps {
  locale: Locale;
  country: Country;
  tone: Tone;
  debtorName: string;
  merchantName: string;
  /** Where the debtor can write; without it the email asks them to reply. */
  contactEmail?: string;
  /** One or more: several open invoices of one creditor are reminded together. */
  invoices: ReminderInvoice[];
  totalCents: number;
  currency: "EUR";
  payUrl: string;
  alreadyPaidUrl?: string;
  paymentDateUrl?: string;
  arrangementUrl?: string;
  /** The shop's own page about help with money worries, if it has one. */
  helpUrl?: string;
  /** Kindly acknowledges an "I already paid" that no payment followed (see notices.ts). */
  acknowledgeAlreadyPaid?: boolean;
  /** Paragraphs the law requires of this reminder (e.g. a Belgian first reminder). */
  notices?: string[];
}

// Every text colour keeps at least 7:1 contrast (WCAG AAA): ink 14.7, muted 7.6, blue 8.7 on white.
const ink = "#1f2937";
const muted = "#4b5563";
const blue = "#1e40af";

const body: CSSProperties = { backgroundColor: "#f3f4f6", color: ink, fontFamily: "Arial, Helvetica, sans-serif", margin: 0, padding: "24px 0" };
const container: CSSProperties = { backgroundColor: "#ffffff", maxWidth: "560px", margin: "0 auto", padding: "32px 28px", borderRadius: "8px" };
const text: CSSProperties = { fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" };
const h1: CSSProperties = { fontSize: "24px", lineHeight: "32px", margin: "0 0 24px" };
const h2: CSSProperties = { fontSize: "18px", lineHeight: "26px", margin: "0 0 12px" };
const link: CSSProperties = { color: blue, textDecoration: "underline" };
const cell: CSSProperties = { fontSize: "15px", lineHeight: "22px", padding: "8px 6px", borderBottom: "1px solid #e5e7eb", textAlign: "left", verticalAlign: "top" };
const amountCell: CSSProperties = { ...cell, textAlign: "right", whiteSpace: "nowrap" };
const button: CSSProperties = { backgroundColor: blue, color: "#ffffff", fontSize: "17px", fontWeight: 700, borderRadius: "6px", padding: "14px 24px", textDecoration: "none", display: "inline-block" };
// The crossed-payment line gets its own calm box so a reader who already paid sees it at once.
const crossedBox: CSSProperties = { backgroundColor: "#ecfdf5", borderLeft: "4px solid #047857", padding: "12px 16px", margin: "24px 0" };
const hr: CSSProperties = { borderColor: "#e5e7eb", margin: "28px 0" };
const list: CSSProperties = { ...text, paddingLeft: "20px" };

/** The payment reminder email: kind, plain, one message for all open invoices. */
export function PaymentReminder(props: PaymentReminderProps) {
  const copy = COPY[props.locale];
  const money = (cents: number) => formatMoney(cents, props.locale);
  const total = money(props.totalCents);
  const ctx = { merchant: props.merchantName, total, invoiceCount: props.invoices.length };
  const help = copy.help[props.country];
  // One button for one total only works when one page takes the whole amount.
  const perInvoice = new Set(props.invoices.map((i) => i.payUrl ?? props.payUrl)).size > 1;
  const options = [
    { url: props.alreadyPaidUrl, label: copy.options.alreadyPaid },
    { url: props.paymentDateUrl, label: copy.options.paymentDate },
    { url: props.arrangementUrl, label: copy.options.arrangement },
  ].filter((o): o is { url: string; label: string } => Boolean(o.url));

  return (
    <Html lang={props.locale} dir="ltr">
      <Head />
      <Preview>{copy.preview(ctx)}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1" style={h1}>
            {copy.heading[props.tone]}
          </Heading>
          <Text style={text}>{copy.greeting(props.debtorName)}</Text>
          {props.acknowledgeAlreadyPaid ? <Text style={text}>{ALREADY_PAID_ACK[props.locale]}</Text> : null}
          {copy.intro[props.tone](ctx).map((paragraph) => (
            <Text key={paragraph} style={text}>
              {paragraph}
            </Text>
          ))}
          {(props.notices ?? []).map((line) => (
            <Text key={line} style={text}>
              {line}
            </Text>
          ))}

          <Section>
            <table data-text-format="dataTable" width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", margin: "8px 0 24px" }}>
              <thead>
                <tr>
                  <th scope="col" style={cell}>{copy.table.reference}</th>
                  <th scope="col" style={cell}>{copy.table.dueDate}</th>
                  <th scope="col" style={amountCell}>{copy.table.outstanding}</th>
                </tr>
              </thead>
              <tbody>
                {props.invoices.map((invoice) => (
                  <tr key={invoice.reference}>
                    <td style={cell}>{invoice.reference}</td>
                    <td style={cell}>{formatDate(invoice.dueDate, props.locale)}</td>
                    <td style={amountCell}>
                      {perInvoice ? (
                        <Link href={invoice.payUrl ?? props.payUrl} style={link}>
                          {copy.payButton(money(invoice.outstandingCents))}
                        </Link>
                      ) : (
                        money(invoice.outstandingCents)
                      )}
                      {/* After a part payment, show the original amount so the figure makes sense. */}
                      {invoice.outstandingCents < invoice.amountCents ? (
                        <>
                          <br />
                          <span style={{ color: muted, fontSize: "13px" }}>
                            {copy.table.partOf(money(invoice.amountCents))}
                          </span>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2} style={{ ...cell, borderBottom: "none" }}>{copy.table.total}</th>
                  <td style={{ ...amountCell, borderBottom: "none", fontWeight: 700 }}>{total}</td>
                </tr>
              </tfoot>
            </table>
          </Section>

          {perInvoice ? null : (
            <Section style={{ textAlign: "center" }}>
              <Button href={props.payUrl} style={button}>
                {copy.payButton(total)}
              </Button>
            </Section>
          )}

          <Section style={crossedBox}>
            <Text style={{ ...text, margin: 0 }}>{copy.crossed}</Text>
          </Section>

          <Hr style={hr} />
          <Heading as="h2" style={h2}>
            {copy.options.heading}
          </Heading>
          <Text style={text}>{copy.options.intro}</Text>
          {options.length > 0 ? (
            <ul style={list}>
              {options.map((o) => (
                <li key={o.label} style={{ marginBottom: "6px" }}>
                  <Link href={o.url} style={link}>
                    {o.label}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
          {/* The sender must be easy to reach (Wki), so a way to write is always given. */}
          <Text style={text}>
            {options.length > 0 ? copy.options.contactLead.links : copy.options.contactLead.noLinks}{" "}
            {props.contactEmail ? (
              <>
                {copy.options.mailTo}{" "}
                <Link href={`mailto:${props.contactEmail}`} style={link}>
                  {props.contactEmail}
                </Link>
                .
              </>
            ) : (
              copy.options.reply
            )}
          </Text>

          <Hr style={hr} />
          <Heading as="h2" style={h2}>
            {help.heading}
          </Heading>
          <Text style={text}>{help.intro}</Text>
          <ul style={list}>
            {help.places.map((place) => (
              <li key={place.name} style={{ marginBottom: "6px" }}>
                {place.url ? (
                  <Link href={place.url} style={link}>
                    {place.name}
                  </Link>
                ) : (
                  <strong>{place.name}</strong>
                )}
                {` – ${place.detail}`}
              </li>
            ))}
          </ul>
          {props.helpUrl ? (
            <Text style={text}>
              <Link href={props.helpUrl} style={link}>
                {copy.helpMore}
              </Link>
            </Text>
          ) : null}

          <Text style={{ ...text, marginTop: "28px", marginBottom: 0 }}>
            {copy.closing}
            <br />
            {props.merchantName}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/** The subject line: names the shop, calm, never "final notice". */
export function paymentReminderSubject(props: Pick<PaymentReminderProps, "locale" | "tone" | "merchantName">): string {
  return COPY[props.locale].subject[props.tone](props.merchantName);
}

/** Sample data for the React Email preview server. */
PaymentReminder.PreviewProps = {
  locale: "nl-NL",
  country: "NL",
  tone: "friendly",
  debtorName: "Sanne de Vries",
  merchantName: "Fietsenwinkel De Spaak",
  contactEmail: "klantenservice@example.com",
  invoices: [
    { reference: "F-2026-0142", dueDate: "2026-03-02", outstandingCents: 4995, amountCents: 4995 },
    { reference: "F-2026-0187", dueDate: "2026-03-16", outstandingCents: 118461, amountCents: 128461 },
  ],
  totalCents: 123456,
  currency: "EUR",
  payUrl: "https://pay.example.com/r/abc123",
  paymentDateUrl: "https://pay.example.com/r/abc123/date",
  arrangementUrl: "https://pay.example.com/r/abc123/plan",
} satisfies PaymentReminderProps;

export default PaymentReminder;
