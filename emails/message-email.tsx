import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import type { MessageModel } from "../workers/templates/model";

/** Everything the email shows comes from the message model (workers/templates/model.ts). */
export interface MessageEmailProps {
  model: MessageModel;
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
// The crossed-payment line gets its own calm box so a reader who already paid sees it at once.
const crossedBox: CSSProperties = { backgroundColor: "#ecfdf5", borderLeft: "4px solid #047857", padding: "12px 16px", margin: "24px 0" };
const hr: CSSProperties = { borderColor: "#e5e7eb", margin: "28px 0" };
const list: CSSProperties = { ...text, paddingLeft: "20px" };

function Help({ m }: { m: MessageModel }) {
  return (
    <Section data-part="help">
      <Heading as="h2" style={h2}>{m.help.heading}</Heading>
      <Text style={text}>{m.help.intro}</Text>
      <ul style={list}>
        {m.help.places.map((p) => (
          <li key={p.name} style={{ marginBottom: "6px" }}>
            {p.url ? <Link href={p.url} style={link}>{p.name}</Link> : <strong>{p.name}</strong>}
            {` – ${p.detail}`}
            {p.phone ? `, ${p.phone}` : ""}
          </li>
        ))}
      </ul>
      {m.help.shop ? <Text style={text}><Link href={m.help.shop.url} style={link}>{m.help.shop.label}</Link></Text> : null}
    </Section>
  );
}

function Amounts({ m }: { m: MessageModel }) {
  const t = m.locked.table;
  if (m.instalmentRows) {
    const i = m.locked.instalments;
    return (
      <table data-text-format="dataTable" width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", margin: "8px 0 24px" }}>
        <thead><tr><th scope="col" style={cell}>{i.part}</th><th scope="col" style={cell}>{i.date}</th><th scope="col" style={amountCell}>{i.amount}</th></tr></thead>
        <tbody>{m.instalmentRows.map((r) => <tr key={r.part}><td style={cell}>{r.part}</td><td style={cell}>{r.date}</td><td style={amountCell}>{r.amount}</td></tr>)}</tbody>
        <tfoot><tr><th scope="row" colSpan={2} style={{ ...cell, borderBottom: "none" }}>{i.total}</th><td style={{ ...amountCell, borderBottom: "none", fontWeight: 700 }}>{m.total}</td></tr></tfoot>
      </table>
    );
  }
  return (
    <table data-text-format="dataTable" width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse", margin: "8px 0 24px" }}>
      <thead><tr><th scope="col" style={cell}>{t.reference}</th><th scope="col" style={cell}>{t.dueDate}</th><th scope="col" style={amountCell}>{t.outstanding}</th></tr></thead>
      <tbody>
        {m.rows.map((r) => (
          <tr key={r.reference}>
            <td style={cell}>{r.reference}{r.description ? <><br /><span style={{ color: muted, fontSize: "13px" }}>{r.description}</span></> : null}</td>
            <td style={cell}>{r.dueDate}</td>
            <td style={amountCell}>
              {r.payLink ? <Link href={r.payLink.url} style={link}>{r.payLink.label}</Link> : r.outstanding}
              {r.original ? <><br /><span style={{ color: muted, fontSize: "13px" }}>{r.original}</span></> : null}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot><tr><th scope="row" colSpan={2} style={{ ...cell, borderBottom: "none" }}>{t.total}</th><td style={{ ...amountCell, borderBottom: "none", fontWeight: 700 }}>{m.total}</td></tr></tfoot>
    </table>
  );
}

function Lines({ lines }: { lines: string }) {
  const parts = lines.split("\n");
  return <>{parts.map((p, i) => <span key={i}>{p}{i < parts.length - 1 ? <br /> : null}</span>)}</>;
}

/** One email for every template: the editable blocks in order, the locked parts around them. */
export function MessageEmail({ model: m }: MessageEmailProps) {
  const button: CSSProperties = { backgroundColor: m.input.shop.brandColour ?? blue, color: "#ffffff", fontSize: "17px", fontWeight: 700, borderRadius: "6px", padding: "14px 24px", textDecoration: "none", display: "inline-block" };
  const thanks = m.input.template === "payment-thanks";
  const p: ReactNode[] = [m.copy.intro, ...m.copy.body].filter(Boolean).map((t) => <Text key={t} style={text}>{t}</Text>);
  return (
    <Html lang={m.input.locale} dir="ltr">
      <Head />
      <Preview>{m.copy.preheader}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1" style={h1}>{m.copy.heading}</Heading>
          <Text style={text}>{m.copy.greeting}</Text>
          {m.helpFirst ? <><Help m={m} /><Hr style={hr} /></> : null}
          {p}
          {m.legal ? (
            <Section data-part="legal">
              {m.legal.map((p) => <Text key={p.text} style={p.strong ? { ...text, fontWeight: 700 } : text}>{p.text}</Text>)}
            </Section>
          ) : null}
          {thanks ? null : <Section><Amounts m={m} /></Section>}
          {m.pay ? (
            <Section style={{ textAlign: "center", margin: "0 0 16px" }} data-part="pay">
              <Button href={m.pay.url} style={button}>{m.pay.label}</Button>
            </Section>
          ) : null}
          {m.bank ? (
            <Section data-part="bank" style={{ border: "1px solid #e5e7eb", borderRadius: "6px", padding: "12px 16px", margin: "0 0 16px" }}>
              <Text style={{ ...text, margin: "0 0 8px" }}>{m.bank.intro}</Text>
              <table cellPadding={0} cellSpacing={0} style={{ margin: "0 0 8px" }}>
                <tbody>{m.bank.lines.map(([k, v]) => <tr key={k}><td style={{ ...cell, borderBottom: "none", color: muted, padding: "2px 12px 2px 0" }}>{k}</td><td style={{ ...cell, borderBottom: "none", padding: "2px 0", fontWeight: 700 }}>{v}</td></tr>)}</tbody>
              </table>
              <Text style={{ ...text, fontSize: "14px", color: muted, margin: "0 0 8px" }}>{m.bank.note}</Text>
              {/* Mail apps that do not show SVG still have the IBAN and reference above. */}
              {m.bank.qrSvg ? <div style={{ width: "140px", height: "140px" }} dangerouslySetInnerHTML={{ __html: m.bank.qrSvg }} /> : null}
              {m.bank.qrSvg ? <Text style={{ ...text, fontSize: "14px", color: muted, margin: "8px 0 0" }}>{m.bank.qrText}</Text> : null}
            </Section>
          ) : null}

          <Section style={crossedBox} data-part="crossed">
            <Text style={{ ...text, margin: 0 }}>{m.crossed}</Text>
          </Section>

          {m.options.length > 0 ? (
            <>
              <Text style={text}>{m.locked.pay.options}</Text>
              <ul style={list}>{m.options.map((o) => <li key={o.label} style={{ marginBottom: "6px" }}><Link href={o.url} style={link}>{o.label}</Link></li>)}</ul>
            </>
          ) : null}
          {/* The sender must be easy to reach (Wki), so a way to get in touch is always given. */}
          {m.contact.map((c) => <Text key={c} style={text} data-part="contact">{c}</Text>)}

          {m.helpFirst ? null : <><Hr style={hr} /><Help m={m} /></>}

          <Text style={{ ...text, marginTop: "28px", marginBottom: 0 }}><Lines lines={m.copy.signoff} /></Text>
        </Container>
      </Body>
    </Html>
  );
}

export default MessageEmail;
