import { COPY } from "../emails/copy";
import { formatDate, formatMoney } from "../emails/format";
import { LETTER_COPY } from "./letter-copy";
import { letterLocale, letterSubject, type LetterProps } from "./letter-props";
import {
  INFO_BLOCK,
  LETTER_CSS,
  SENDER_BLOCK,
  WINDOW_PADDING,
  WINDOW_ZONE,
  boxStyle,
  destinationCountryLine,
  senderPlace,
} from "./layout";

/** A kind reminder letter on A4 for a window envelope (DIN 5008 form B); see layout.ts. */
export function ReminderLetter(props: LetterProps) {
  const p = { ...props, locale: letterLocale(props) };
  const copy = LETTER_COPY[p.locale];
  const mail = COPY[p.locale];
  const money = (cents: number) => formatMoney(cents, p.locale);
  const day = (iso: string) => formatDate(iso, p.locale);
  const total = money(p.totalCents);
  const ctx = { merchant: p.sender.name, total, invoiceCount: p.invoices.length };
  const from = senderPlace(p.sender.addressLines);
  const to = p.recipient.address;
  const countryLine = destinationCountryLine(to.country, from?.country ?? null, p.locale);
  const help = mail.help[p.country];
  const subject = letterSubject(p);
  const announced = p.costs.announcedCents;
  const fourteen = p.kind === "nl_fourteen_day_letter" ? copy.fourteenDay : null;
  const be = p.kind === "be_first_reminder" ? copy.beFirstReminder : null;
  const enterpriseNumber = p.country === "BE" ? p.sender.enterpriseNumber : undefined;

  return (
    <html lang={p.locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <title>{subject}</title>
        <style dangerouslySetInnerHTML={{ __html: LETTER_CSS }} />
      </head>
      <body>
        <div className="sheet">
          <div className="sender" data-block="sender" style={boxStyle(SENDER_BLOCK)}>
            <strong>{p.sender.name}</strong>
            {p.sender.addressLines.map((line, i) => (
              <div key={i}>{line}</div>
            ))}
            {p.sender.contactEmail ? <div>{p.sender.contactEmail}</div> : null}
            {enterpriseNumber ? <div>{`${copy.enterpriseNumberLabel} ${enterpriseNumber}`}</div> : null}
          </div>

          {/* The only thing the envelope's window shows: who sends it back and who gets it. */}
          <div
            data-block="window"
            style={{ ...boxStyle(WINDOW_ZONE), padding: `${WINDOW_PADDING.top}mm ${WINDOW_PADDING.side}mm 0` }}
          >
            <p className="return-line">{[p.sender.name, ...p.sender.addressLines].join(" · ")}</p>
            <p className="recipient">
              {p.recipient.name}
              <br />
              {to.line1}
              {to.line2 ? (
                <>
                  <br />
                  {to.line2}
                </>
              ) : null}
              <br />
              {`${to.postal_code} ${to.city}`}
              {countryLine ? (
                <>
                  <br />
                  {countryLine}
                </>
              ) : null}
            </p>
          </div>

          <div className="info" data-block="info" style={boxStyle(INFO_BLOCK)}>
            <div>{copy.datePlace(day(p.date), from?.place ?? null)}</div>
            <div>{`${copy.referenceLabel} ${p.reference}`}</div>
          </div>

          <div className="flow" data-block="body">
            <div className="flow-inner">
              <p className="subject">{subject}</p>
              <p>{mail.greeting(p.recipient.name)}</p>
              <p>{`${copy.intro[p.tone](ctx)} ${copy.totalLine(total)}`}</p>
              {p.acknowledgeAlreadyPaid ? (
                <p data-part="acknowledge">{copy.acknowledgeAlreadyPaid(p.selfServiceUrl ?? p.sender.contactEmail ?? null)}</p>
              ) : null}
              {be && enterpriseNumber ? <p>{`${be.free} ${be.creditor(p.sender.name, enterpriseNumber)} ${be.about}`}</p> : null}

              <table className="invoices" data-text-format="dataTable">
                <thead>
                  <tr>
                    <th scope="col">{mail.table.reference}</th>
                    <th scope="col">{mail.table.dueDate}</th>
                    <th scope="col" className="amount">{mail.table.outstanding}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.invoices.map((invoice) => (
                    <tr key={invoice.reference}>
                      <td>
                        {invoice.reference}
                        {invoice.description ? (
                          <>
                            <br />
                            <span className="muted">{invoice.description}</span>
                          </>
                        ) : null}
                      </td>
                      <td>{day(invoice.dueDate)}</td>
                      <td className="amount">{money(invoice.outstandingCents)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={2}>{mail.table.total}</th>
                    <td className="amount">{total}</td>
                  </tr>
                </tfoot>
              </table>

              {fourteen ? (
                <>
                  <p data-part="term"><strong>{fourteen.term}</strong></p>
                  <p data-part="costs">{announced > 0 ? fourteen.costs(money(announced)) : fourteen.noCosts}</p>
                  <p>{fourteen.consequence}</p>
                </>
              ) : null}
              {be ? (
                <>
                  <p data-part="term"><strong>{be.term(p.costs.termEndDate ? day(p.costs.termEndDate) : null)}</strong></p>
                  <p data-part="costs">{announced > 0 ? be.damages(money(announced)) : be.noDamages}</p>
                </>
              ) : null}
              {/* With the acknowledgement the crossed line is already said, without "nothing to do". */}
              {p.acknowledgeAlreadyPaid ? null : <p data-part="crossed">{copy.crossed}</p>}

              <h2>{copy.pay.heading}</h2>
              <p>
                {`${copy.pay.online} `}
                <span className="url">{p.payUrl}</span>
              </p>
              {p.selfServiceUrl ? (
                <p>
                  {`${copy.pay.selfService} `}
                  <span className="url">{p.selfServiceUrl}</span>
                </p>
              ) : null}
              {/* The sender must be easy to reach (Wki), so a way to get in touch is always given. */}
              <p>{p.sender.contactEmail ? copy.pay.contact(p.sender.contactEmail) : copy.pay.contactByPost}</p>

              <div className="help" data-part="help">
                <h2>{help.heading}</h2>
                <p>{help.intro}</p>
                <ul>
                  {help.places.map((place) => (
                    <li key={place.name}>
                      <strong>{place.name}</strong>
                      {` – ${place.detail}`}
                    </li>
                  ))}
                </ul>
              </div>

              <div className="closing">
                <p>
                  {mail.closing}
                  <br />
                  {p.sender.name}
                </p>
              </div>
            </div>
          </div>
        </div>
      </body>
    </html>
  );
}

/** Sample data for previews: a Belgian first reminder with two invoices. */
ReminderLetter.PreviewProps = {
  locale: "nl-BE",
  country: "BE",
  kind: "be_first_reminder",
  tone: "friendly",
  date: "2026-03-20",
  sender: {
    name: "Fietsen Van Damme",
    addressLines: ["Kerkstraat 12", "9000 Gent"],
    contactEmail: "klantendienst@example.be",
    enterpriseNumber: "BE 0123.456.789",
  },
  recipient: { name: "Lotte Peeters", address: { line1: "Stationsstraat 4 bus 2", postal_code: "2800", city: "Mechelen", country: "BE" } },
  reference: "K-2026-0042",
  invoices: [
    { reference: "F-2026-0142", dueDate: "2026-03-02", description: "Fietshelm", outstandingCents: 4995 },
    { reference: "F-2026-0187", dueDate: "2026-03-16", description: "Onderhoud stadsfiets", outstandingCents: 8950 },
  ],
  totalCents: 13945,
  payUrl: "https://pay.example.com/r/abc123",
  selfServiceUrl: "https://kindly.example.com/d/abc123",
  costs: { announcedCents: 2000, termEndDate: "2026-04-09" },
} satisfies LetterProps;

export default ReminderLetter;
