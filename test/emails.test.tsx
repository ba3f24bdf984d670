import { describe, it, expect } from "vitest";
import {
  LOCALES,
  formatDate,
  paymentReminderSubject,
  renderPaymentReminder,
  type Country,
  type Locale,
  type PaymentReminderProps,
  type Tone,
} from "../emails";

const PAY_URL = "https://pay.example.com/r/abc123";

// Two open invoices reminded together; the second is partly paid (€ 100 of € 1.284,61).
function reminder(overrides: Partial<PaymentReminderProps> = {}): PaymentReminderProps {
  return {
    locale: "nl-NL",
    country: "NL",
    tone: "friendly",
    debtorName: "Sanne de Vries",
    merchantName: "Fietsenwinkel De Spaak",
    invoices: [
      { reference: "F-2026-0142", dueDate: "2026-03-02", outstandingCents: 4995, amountCents: 4995 },
      { reference: "F-2026-0187", dueDate: "2026-03-16", outstandingCents: 118461, amountCents: 128461 },
    ],
    totalCents: 123456,
    currency: "EUR",
    payUrl: PAY_URL,
    ...overrides,
  };
}

/** The visible text of the pay button: the anchor that points at the pay URL. */
function payButtonLabel(html: string): string {
  const anchor = new RegExp(`<a href="${PAY_URL}"[^>]*>([\\s\\S]*?)</a>`).exec(html);
  // Button pads itself for Outlook with hair and zero-width spaces; a reader sees none of them.
  return (anchor?.[1] ?? "").replace(/<[^>]*>|&#820[23];/g, "").trim();
}

// Expected strings are written out by hand (NBSP = \u00a0, narrow NBSP = \u202f) so a change
// in formatting shows up here instead of being mirrored by the code under test.
const cases: {
  locale: Locale;
  country: Country;
  crossed: string;
  total: string;
  firstDueDate: string;
  payLabel: string;
  help: string;
}[] = [
  {
    locale: "nl-NL",
    country: "NL",
    crossed: "Heeft u al betaald? Dan hebben uw betaling en deze herinnering elkaar misschien gekruist.",
    total: "€\u00a01.234,56",
    firstDueDate: "2 maart 2026",
    payLabel: "Betaal €\u00a01.234,56",
    help: "geldfit.nl",
  },
  {
    locale: "nl-BE",
    country: "BE",
    crossed: "Hebt u al betaald? Dan hebben uw betaling en deze herinnering elkaar misschien gekruist.",
    total: "€\u00a01.234,56",
    firstDueDate: "2 maart 2026",
    payLabel: "Betaal €\u00a01.234,56",
    help: "het OCMW van uw gemeente",
  },
  {
    locale: "fr-BE",
    country: "BE",
    crossed: "Si vous avez déjà payé, votre paiement et ce rappel se sont peut-être croisés.",
    total: "1\u202f234,56\u00a0€",
    firstDueDate: "2 mars 2026",
    payLabel: "Payer 1\u202f234,56\u00a0€",
    help: "le CPAS de votre commune",
  },
  {
    locale: "en",
    country: "NL",
    crossed: "Already paid? Then your payment and this reminder may have crossed.",
    total: "€1,234.56",
    firstDueDate: "2 March 2026",
    payLabel: "Pay €1,234.56",
    help: "geldfit.nl",
  },
];

describe("payment reminder email", () => {
  for (const c of cases) {
    describe(c.locale, () => {
      const rendered = () => renderPaymentReminder(reminder({ locale: c.locale, country: c.country }));

      it("says the payment and this reminder may have crossed", async () => {
        const { html, text } = await rendered();
        expect(html).toContain(c.crossed);
        expect(text).toContain(c.crossed);
      });

      it("has a pay button that links to the pay URL and names the total", async () => {
        const { html } = await rendered();
        expect(payButtonLabel(html)).toBe(c.payLabel);
      });

      it("lists both invoices with their due dates and the total in local format", async () => {
        const { html, text } = await rendered();
        for (const part of [html, text]) {
          expect(part).toContain("F-2026-0142");
          expect(part).toContain("F-2026-0187");
          expect(part).toContain(c.firstDueDate);
          expect(part).toContain(c.total);
        }
      });

      it("points to free debt help for the debtor's country", async () => {
        const { html } = await rendered();
        expect(html).toContain(c.help);
      });

      it("declares the language of the email", async () => {
        const { html } = await rendered();
        expect(html).toMatch(new RegExp(`<html[^>]*\\slang="${c.locale}"`));
      });

      it("gives the pay URL in the plain-text version", async () => {
        const { text } = await rendered();
        expect(text).toContain(PAY_URL);
      });
    });
  }

  it("in English, points Belgian debtors to the OCMW/CPAS and Dutch debtors to geldfit.nl", async () => {
    const be = await renderPaymentReminder(reminder({ locale: "en", country: "BE" }));
    expect(be.html).toContain("OCMW / CPAS");
    expect(be.html).not.toContain("geldfit");
    const nl = await renderPaymentReminder(reminder({ locale: "en", country: "NL" }));
    expect(nl.html).toContain('href="https://www.geldfit.nl"');
    expect(nl.html).not.toContain("OCMW");
  });

  it("shows what is left of a partly paid invoice next to its original amount", async () => {
    const { text } = await renderPaymentReminder(reminder());
    expect(text).toContain("€\u00a01.184,61");
    expect(text).toContain("van €\u00a01.284,61");
  });

  it("links to paid-already, payment-date and arrangement pages when the shop has them", async () => {
    const { html } = await renderPaymentReminder(
      reminder({
        alreadyPaidUrl: "https://shop.example/paid",
        paymentDateUrl: "https://shop.example/date",
        arrangementUrl: "https://shop.example/plan",
        helpUrl: "https://shop.example/help",
      }),
    );
    expect(html).toContain('href="https://shop.example/paid"');
    expect(html).toContain("Kies een andere betaaldatum");
    expect(html).toContain('href="https://shop.example/plan"');
    expect(html).toContain('href="https://shop.example/help"');
  });

  it("without self-service pages, asks the reader to write to the shop's address", async () => {
    const { html } = await renderPaymentReminder(reminder({ contactEmail: "hallo@spaak.example" }));
    expect(html).toContain('href="mailto:hallo@spaak.example"');
    expect(html).not.toContain("Kies een andere betaaldatum");
  });

  it("without self-service pages or an address, asks the reader to reply", async () => {
    const { text } = await renderPaymentReminder(reminder({ locale: "fr-BE", country: "BE" }));
    expect(text).toContain("Répondez simplement à cet e-mail.");
  });

  it("names the shop in a calm subject line", () => {
    expect(paymentReminderSubject(reminder())).toBe(
      "Fietsenwinkel De Spaak: een vriendelijke herinnering over uw betaling",
    );
    for (const locale of LOCALES) {
      for (const tone of ["friendly", "second"] as const) {
        const subject = paymentReminderSubject(reminder({ locale, tone }));
        expect(subject).toContain("Fietsenwinkel De Spaak");
        expect(subject).not.toMatch(/!|laatste|aanmaning|dernier|mise en demeure|final|urgent/i);
      }
    }
  });

  it("never uses threatening words, in any language, tone or country", async () => {
    // Bailiffs, courts, collection agencies, seizure, lawyers, credit registration.
    const threats = [
      "deurwaarder", "rechter", "rechtbank", "incasso", "beslag", "advocaat", "bkr", "aanmaning",
      "huissier", "tribunal", "juge", "recouvrement", "saisie", "avocat", "mise en demeure",
      "bailiff", "court", "debt collect", "seizure", "lawyer", "legal action",
    ];
    const tones: Tone[] = ["friendly", "second"];
    for (const locale of LOCALES) {
      for (const tone of tones) {
        for (const country of ["NL", "BE"] as const) {
          const { subject, text } = await renderPaymentReminder(reminder({ locale, tone, country }));
          const all = `${subject}\n${text}`.toLowerCase();
          for (const word of threats) expect(all, `${locale} ${tone} ${country}`).not.toContain(word);
        }
      }
    }
  });

  it("prints a due date as the calendar day given and refuses a day that does not exist", () => {
    expect(formatDate("2026-12-31", "nl-BE")).toBe("31 december 2026");
    expect(() => formatDate("2026-02-30", "nl-NL")).toThrow(RangeError);
  });
});

describe("several invoices with their own pay pages", () => {
  it("links each invoice to its own page instead of one button for a total no page takes", async () => {
    const base = reminder();
    const { html } = await renderPaymentReminder({
      ...base,
      invoices: base.invoices.map((inv, n) => ({ ...inv, payUrl: `https://shop.example/pay/${n}` })),
    });
    expect(html).toContain('href="https://shop.example/pay/0"');
    expect(html).toContain('href="https://shop.example/pay/1"');
    expect(html).not.toContain(`href="${base.payUrl}"`);
  });

  it("keeps one pay button when one page takes the whole amount", async () => {
    const base = reminder();
    const { html } = await renderPaymentReminder(base);
    expect(html).toContain(`href="${base.payUrl}"`);
  });

  it("acknowledges an 'I already paid' kindly when asked, and carries legal notices", async () => {
    const { text } = await renderPaymentReminder({ ...reminder(), acknowledgeAlreadyPaid: true, notices: ["Dit is een gratis eerste herinnering."] });
    expect(text).toContain("U liet ons weten dat u al betaald had");
    expect(text).toContain("Dit is een gratis eerste herinnering.");
  });
});
