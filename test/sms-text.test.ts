import { describe, expect, it } from "vitest";
import { callTaskScript } from "../workers/channels/call-task";
import { arrangementSmsText, fitSms, reminderSmsText, smsSegments } from "../workers/channels/sms-text";

const LOCALES = ["nl-NL", "nl-BE", "fr-BE", "en"] as const;
const LINK = "https://kindly.example/d/Xy7pQ2";
// Real self-service tokens are about 150 characters.
const LONG_LINK = `https://kindly.example.com/d/${"eyJ0ZW5hbnRJZCI6ImRldiJ9".repeat(5)}.c2lnbmF0dXJl`;
const MERCHANT = "Fietsen De Spaak";

/** What a lock screen would show about money: a euro sign, "EUR" or an amount like 49,95 / 1.234. */
const AMOUNT = /€|\bEUR\b|\d+[.,]\d{2}\b|\d{1,3}\.\d{3}/;
const withoutLinks = (text: string) => text.replace(/https?:\/\/\S+/g, "");

describe("SMS segments", () => {
  it("fits 160 GSM-7 characters in one SMS and 161 in two", () => {
    expect(smsSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsSegments("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
    expect(smsSegments("a".repeat(306)).segments).toBe(2);
    expect(smsSegments("a".repeat(307)).segments).toBe(3);
  });

  it("fits 70 UCS-2 units in one SMS and 71 in two", () => {
    expect(smsSegments("ж".repeat(70))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(smsSegments("ж".repeat(71))).toEqual({ encoding: "UCS-2", units: 71, segments: 2 });
    expect(smsSegments("ж".repeat(134)).segments).toBe(2);
    expect(smsSegments("ж".repeat(135)).segments).toBe(3);
  });

  it("counts the euro sign and the other extension characters as two septets", () => {
    expect(smsSegments("€")).toEqual({ encoding: "GSM-7", units: 2, segments: 1 });
    expect(smsSegments("^{}\\[~]|\f").units).toBe(18);
    expect(smsSegments(`${"a".repeat(158)}€`).segments).toBe(1);
    expect(smsSegments(`${"a".repeat(159)}€`)).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
  });

  it("never splits an escape pair over two parts", () => {
    // 306 septets would fill two parts of 153, but the "€" cannot straddle the boundary.
    expect(smsSegments(`${"a".repeat(152)}€${"a".repeat(152)}`)).toEqual({ encoding: "GSM-7", units: 306, segments: 3 });
  });

  it("switches to UCS-2 for an emoji and counts it as two units", () => {
    expect(smsSegments("Hi 😀")).toEqual({ encoding: "UCS-2", units: 5, segments: 1 });
    expect(smsSegments("😀".repeat(35)).segments).toBe(1);
    expect(smsSegments("😀".repeat(36))).toEqual({ encoding: "UCS-2", units: 72, segments: 2 });
  });

  it("follows the real GSM 03.38 table for accented letters", () => {
    for (const gsm of ["é", "è", "à", "ù", "Ç", "É", "ü", "ñ", "ß"]) expect(smsSegments(gsm).encoding).toBe("GSM-7");
    for (const ucs of ["ç", "ê", "â", "ô", "û", "ë", "ï", "’", "\u00a0"]) expect(smsSegments(ucs).encoding).toBe("UCS-2");
  });
});

describe("fitSms", () => {
  it("leaves a text that fits alone", () => {
    const text = `Hello, see: ${LINK}`;
    expect(fitSms(text, 1)).toBe(text);
  });

  it("turns curly quotes and non-breaking spaces into plain ones before cutting anything", () => {
    const text = `Vous n’avez rien à faire${"\u00a0"}! ${"Merci. ".repeat(8)}${LINK}`;
    expect(smsSegments(text).encoding).toBe("UCS-2");
    const fitted = fitSms(text, 1);
    expect(fitted).toBe(text.replace("’", "'").replace("\u00a0", " "));
    expect(smsSegments(fitted)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });

  it("drops sentences, then words, but never the link", () => {
    const text = (link: string) =>
      `Hello, ${MERCHANT} has a message for you ${"and some more words ".repeat(6)}here. ${"This sentence can go. ".repeat(10)}See it: ${link} Thanks!`;
    for (const [max, link] of [[1, LINK], [2, LONG_LINK]] as const) {
      const fitted = fitSms(text(link), max);
      expect(smsSegments(fitted).segments).toBeLessThanOrEqual(max);
      expect(fitted).toContain(link);
      expect(fitted).toMatch(/^Hello, Fietsen De Spaak has a message for you and some/);
      expect(fitted).not.toContain("This sentence can go.");
    }
    expect(fitSms(text(LINK), 1)).toMatch(/\w\.\.\. https:/);
  });

  it("keeps only the link when the link alone is too long", () => {
    const link = `https://example.com/${"a".repeat(200)}`;
    expect(fitSms(`Please look: ${link}`, 1)).toBe(link);
  });

  it("refuses a limit below one segment", () => {
    expect(() => fitSms("hi", 0)).toThrow(RangeError);
  });
});

describe("SMS texts", () => {
  for (const locale of LOCALES) {
    it(`nudge and arrangement name no amount and keep the link (${locale})`, () => {
      const texts = [
        reminderSmsText({ locale, merchantName: MERCHANT, link: LINK }),
        reminderSmsText({ locale, merchantName: MERCHANT, link: LINK, acknowledgeAlreadyPaid: true }),
        arrangementSmsText({ locale, merchantName: MERCHANT, instalments: 3, firstDueDate: "2026-05-25", link: LINK }),
        arrangementSmsText({ locale, merchantName: MERCHANT, instalments: 1, firstDueDate: "2026-08-01", link: LINK }),
      ];
      for (const text of texts) {
        expect(text).toContain(LINK);
        expect(text).toContain(MERCHANT);
        expect(withoutLinks(text)).not.toMatch(AMOUNT);
        expect(text).not.toMatch(/factu|invoice|schuld|dette|debt|incasso|recouvrement/i);
      }
    });

    it(`a nudge with a short link is one GSM-7 SMS (${locale})`, () => {
      for (const acknowledgeAlreadyPaid of [false, true]) {
        const text = reminderSmsText({ locale, merchantName: MERCHANT, link: LINK, acknowledgeAlreadyPaid });
        expect(smsSegments(text)).toMatchObject({ encoding: "GSM-7", segments: 1 });
      }
    });

    it(`a nudge with a long link or an emoji in the shop's name fits two SMS (${locale})`, () => {
      for (const merchantName of [MERCHANT, "Bloemen & Zo 🌷 Boutique Très Jolie"]) {
        const text = reminderSmsText({ locale, merchantName, link: LONG_LINK });
        expect(smsSegments(text).segments).toBeLessThanOrEqual(2);
        expect(text).toContain(LONG_LINK);
      }
    });
  }

  it("says a payment may have crossed and thanks a debtor who said they paid", () => {
    expect(reminderSmsText({ locale: "nl-NL", merchantName: MERCHANT, link: LINK })).toBe(
      `Hallo, ${MERCHANT} heeft een bericht voor u over een betaling. Al betaald? Dan hoeft u niets te doen. Bekijk het bericht: ${LINK}`,
    );
    expect(reminderSmsText({ locale: "fr-BE", merchantName: MERCHANT, link: LINK, acknowledgeAlreadyPaid: true })).toBe(
      `Merci de nous avoir dit que vous avez déjà payé. ${MERCHANT} a un message pour vous à ce sujet. Voir le message : ${LINK}`,
    );
  });

  it("confirms an arrangement with the number of parts and the first date", () => {
    expect(arrangementSmsText({ locale: "nl-NL", merchantName: MERCHANT, instalments: 3, firstDueDate: "2026-05-25", link: LINK })).toBe(
      `Afspraak met ${MERCHANT}: u betaalt in 3 delen, de eerste keer op 25 mei 2026. Bedankt! Bekijk de afspraak: ${LINK}`,
    );
    expect(arrangementSmsText({ locale: "en", merchantName: MERCHANT, instalments: 1, firstDueDate: "2026-05-25", link: LINK })).toBe(
      `Arrangement with ${MERCHANT}: you pay on 25 May 2026. Thank you! See the details: ${LINK}`,
    );
    // "août" is not in GSM-7, so this one goes as UCS-2, still within two SMS.
    const fr = arrangementSmsText({ locale: "fr-BE", merchantName: MERCHANT, instalments: 4, firstDueDate: "2026-08-03", link: LINK });
    expect(fr).toBe(`Accord avec ${MERCHANT} : vous payez en 4 fois, dès le 3 août 2026. Merci ! Détails : ${LINK}`);
    expect(smsSegments(fr)).toMatchObject({ encoding: "UCS-2", segments: 2 });
    // A longer name costs the thanks first, never the parts or the date.
    const long = arrangementSmsText({ locale: "fr-BE", merchantName: "Boulangerie Pâtisserie Van den Berghe", instalments: 4, firstDueDate: "2026-08-03", link: LINK });
    expect(long).toContain("vous payez en 4 fois, dès le 3 août 2026");
    expect(long).not.toContain("Merci");
    expect(long).toContain(LINK);
    expect(smsSegments(long).segments).toBe(2);
  });
});

describe("call task script", () => {
  const task = (o: Partial<Parameters<typeof callTaskScript>[0]> = {}) =>
    callTaskScript({
      locale: "nl-NL",
      debtorName: "Sanne de Vries",
      merchantName: MERCHANT,
      totalCents: 13945,
      invoices: [
        { reference: "F-2026-0142", dueDate: "2026-03-02", outstandingCents: 4995 },
        { reference: "F-2026-0187", dueDate: "2026-03-16", outstandingCents: 8950 },
      ],
      notes: [],
      ...o,
    });
  const THREAT = /incassobureau|deurwaarder|rechter|beslag|huissier|tribunal|agence de recouvrement|collection agency|bailiff|court/i;

  it("opens warmly, checks a crossed payment, offers a date or parts, help, and an SMS confirmation", () => {
    const { title, text } = task({ notes: ["already_paid_reported", "Belt liever na 17:00"] });
    expect(title).toBe("Bel Sanne de Vries over een open bedrag van €\u00a0139,45");
    expect(text).toContain(`"Goedendag, u spreekt met [uw naam] van ${MERCHANT}. Spreek ik met Sanne de Vries?"`);
    expect(text).toContain("F-2026-0142: €\u00a049,95, vervaldatum 2 maart 2026");
    expect(text).toContain("De klant liet weten al te hebben betaald.");
    expect(text).toContain("- Belt liever na 17:00");
    expect(text).toContain("elkaar gekruist");
    expect(text).toContain("een datum kiezen die beter uitkomt");
    expect(text).toContain("geldfit.nl");
    expect(text).toContain("per sms");
    expect(`${title}\n${text}`).not.toMatch(THREAT);
  });

  it("speaks the debtor's language and points to Belgian help in Belgium", () => {
    const fr = task({ locale: "fr-BE", debtorName: "Julie Dubois" });
    expect(fr.text).toContain("Je parle bien à Julie Dubois ?");
    expect(fr.text).toContain("se sont croisés");
    expect(fr.text).toContain("le CPAS de votre commune");
    expect(fr.text).toContain("par SMS");
    expect(fr.text).not.toMatch(THREAT);
    expect(task({ locale: "nl-BE" }).text).toContain("het OCMW van uw gemeente");
  });

  it("names the help of both countries in English unless the country is given", () => {
    const both = task({ locale: "en" }).text;
    expect(both).toContain("geldfit.nl");
    expect(both).toContain("OCMW / CPAS");
    const be = task({ locale: "en", country: "BE" }).text;
    expect(be).not.toContain("geldfit.nl");
    expect(be).not.toMatch(THREAT);
  });
});
