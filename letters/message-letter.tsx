import type { MessageModel } from "../workers/templates/model";
import { ADDRESS_ZONE, FOLD_MARKS_MM, INFO_BLOCK, POSTAL_NOTE_ZONE, PUNCH_MARK_MM, SENDER_BLOCK, WINDOW_PADDING, WINDOW_ZONE, boxStyle, destinationCountryLine, letterCss, senderPlace, type MmBox } from "./layout";
import { localPlaceName } from "./place-names";

/** A zone of the window, relative to the window (DIN 5008 form B sub-zones, layout.ts). */
const inWindow = (z: MmBox): MmBox => ({ ...z, left: z.left - WINDOW_ZONE.left, top: z.top - WINDOW_ZONE.top });

/** Who sends and who receives a posted letter; everything else comes from the message model. */
export interface MessageLetterProps {
  model: MessageModel;
  sender: { name: string; addressLines: string[]; email?: string | undefined; phone?: string | undefined; enterpriseNumber?: string | undefined; kvkNumber?: string | undefined };
  recipient: { name: string; address: { line1: string; line2?: string | undefined; postal_code: string; city: string; country: "NL" | "BE" } };
  /** Our reference, printed in the information block and the running header. */
  reference: string;
}

/**
 * A letter on A4 for a window envelope (DIN 5008 form B, see layout.ts). Payable on paper: the
 * IBAN, the account holder, the exact amount, the reference and a QR code, the shop's phone; a
 * short link to the debtor's page is an extra, never the only way.
 */
export function MessageLetter({ model: m, sender, recipient, reference }: MessageLetterProps) {
  const l = m.locked;
  const from = senderPlace(sender.addressLines);
  const to = recipient.address;
  const countryLine = destinationCountryLine(to.country, from?.country ?? null, m.input.locale);
  const place = from ? localPlaceName(from.place, m.input.locale) : null;
  const css = letterCss({ sender: sender.name, reference, pageLabel: l.letter.page });
  const help = (
    <div className="help" data-part="help">
      <h2>{m.help.heading}</h2>
      <p>{m.help.intro}</p>
      <ul>
        {m.help.places.map((p) => (
          <li key={p.name}>
            <strong>{p.name}</strong>
            {` – ${p.detail}`}
            {p.phone ? `, ${p.phone}` : ""}
            {p.url ? `, ${p.url.replace(/^https:\/\//, "")}` : ""}
          </li>
        ))}
      </ul>
      {m.help.shop ? <p>{`${m.help.shop.label}: `}<span className="url">{m.help.shop.url}</span></p> : null}
    </div>
  );
  return (
    <html lang={m.input.locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <title>{m.copy.heading}</title>
        <style dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      <body>
        <div className="sheet">
          {[...FOLD_MARKS_MM, PUNCH_MARK_MM].map((mm) => <div key={mm} className="mark" style={{ top: `${mm}mm` }} />)}
          <div className="sender" data-block="sender" style={boxStyle(SENDER_BLOCK)}>
            <strong>{sender.name}</strong>
            {sender.addressLines.map((line, i) => <div key={i}>{line}</div>)}
            {sender.phone ? <div>{sender.phone}</div> : null}
            {sender.email ? <div>{sender.email}</div> : null}
            {sender.enterpriseNumber ? <div>{`${l.letter.enterpriseNumberLabel} ${sender.enterpriseNumber}`}</div> : null}
            {sender.kvkNumber ? <div>{`${l.letter.kvkLabel} ${sender.kvkNumber}`}</div> : null}
          </div>

          {/* The only thing the envelope's window shows: who sends it back and who gets it. */}
          <div data-block="window" style={boxStyle(WINDOW_ZONE)}>
            <div style={{ ...boxStyle(inWindow(POSTAL_NOTE_ZONE)), padding: `${WINDOW_PADDING.top}mm ${WINDOW_PADDING.side}mm 0` }}>
              <p className="return-line">{[sender.name, ...sender.addressLines].join(" · ")}</p>
            </div>
            <p className="recipient" style={{ ...boxStyle(inWindow(ADDRESS_ZONE)), padding: `0 ${WINDOW_PADDING.side}mm` }}>
              {recipient.name}
              <br />
              {to.line1}
              {to.line2 ? <><br />{to.line2}</> : null}
              <br />
              {`${to.postal_code} ${to.city}`}
              {countryLine ? <><br />{countryLine}</> : null}
            </p>
          </div>

          <div className="info" data-block="info" style={boxStyle(INFO_BLOCK)}>
            <div>{l.letter.datePlace(m.day(m.input.today), place)}</div>
            <div>{`${l.letter.referenceLabel} ${reference}`}</div>
          </div>

          <div className="flow" data-block="body">
            <p className="subject">{m.copy.heading}</p>
            <p>{m.copy.greeting}</p>
            {m.helpFirst ? help : null}
            {[m.copy.intro, ...m.copy.body].filter(Boolean).map((t) => <p key={t}>{t}</p>)}
            {m.legal?.map((p) => (p.strong ? <p key={p.text} data-part="term"><strong>{p.text}</strong></p> : <p key={p.text} data-part="legal">{p.text}</p>))}

            {m.input.template === "payment-thanks" ? null : m.instalmentRows ? (
              <table className="invoices" data-text-format="dataTable">
                <thead><tr><th scope="col">{l.instalments.part}</th><th scope="col">{l.instalments.date}</th><th scope="col" className="amount">{l.instalments.amount}</th></tr></thead>
                <tbody>{m.instalmentRows.map((r) => <tr key={r.part}><td>{r.part}</td><td>{r.date}</td><td className="amount">{r.amount}</td></tr>)}</tbody>
                <tfoot><tr><th scope="row" colSpan={2}>{l.instalments.total}</th><td className="amount">{m.total}</td></tr></tfoot>
              </table>
            ) : (
              <table className="invoices" data-text-format="dataTable">
                <thead><tr><th scope="col">{l.table.reference}</th><th scope="col">{l.table.dueDate}</th><th scope="col" className="amount">{l.table.outstanding}</th></tr></thead>
                <tbody>
                  {m.rows.map((r) => (
                    <tr key={r.reference}>
                      <td>{r.reference}{r.description ? <><br /><span className="muted">{r.description}</span></> : null}</td>
                      <td>{r.dueDate}</td>
                      <td className="amount">{r.outstanding}{r.original ? <><br /><span className="muted">{r.original}</span></> : null}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot><tr><th scope="row" colSpan={2}>{l.table.total}</th><td className="amount">{m.total}</td></tr></tfoot>
              </table>
            )}

            <p data-part="crossed">{m.crossed}</p>

            {m.input.template === "payment-thanks" ? null : (
              <div className="pay" data-part="pay">
                <h2>{l.pay.heading}</h2>
                {m.bank ? (
                  <>
                    {m.bank.qrSvg ? <div className="qr" data-part="qr" dangerouslySetInnerHTML={{ __html: m.bank.qrSvg }} /> : null}
                    <p>{m.bank.intro}</p>
                    <table><tbody>{m.bank.lines.map(([k, v]) => <tr key={k}><td>{k}</td><td><strong>{v}</strong></td></tr>)}</tbody></table>
                    <p>{m.bank.note}</p>
                    {m.bank.qrSvg ? <p>{m.bank.qrText}</p> : null}
                  </>
                ) : null}
                {m.input.links.short ?? m.input.links.page ? <p>{l.pay.online(m.input.links.short ?? m.input.links.page ?? "")}</p> : null}
                {m.contact.map((c) => <p key={c} data-part="contact">{c}</p>)}
              </div>
            )}

            {m.helpFirst ? null : help}

            <div className="closing">
              <p>{m.copy.signoff.split("\n").map((line, i, all) => <span key={i}>{line}{i < all.length - 1 ? <br /> : null}</span>)}</p>
            </div>
          </div>
        </div>
      </body>
    </html>
  );
}

export default MessageLetter;
