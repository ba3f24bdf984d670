import { describe, expect, it } from "vitest";
import { callTaskScript } from "../workers/channels/call-task";
import { fitSms, messageSmsText, smsSegments } from "../workers/channels/sms-text";
import { hasCopy } from "../workers/templates/copy";
import { MESSAGE_TEMPLATE_KEYS } from "../workers/templates/keys";
import { renderSample } from "../workers/templates/registry";

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
  const parts = { crossed: "Al betaald? Dan hoeft u niets te doen.", help: "Geldzorgen? Gratis hulp: Geldfit 0800-8115.", linkLabel: "Betalen of andere keuzes:" };

  for (const locale of LOCALES) {
    it(`every template's SMS names no amount or debt word and ends with the link (${locale})`, async () => {
      for (const key of MESSAGE_TEMPLATE_KEYS.filter(hasCopy)) {
        const { text } = await renderSample(key, locale, "sms");
        expect(text).toMatch(/https:\/\/\S+$/);
        expect(withoutLinks(text)).not.toMatch(AMOUNT);
        expect(text, key).not.toMatch(/factu|invoice|schuld(?!hulp|bemidd)|dette(?!s)|debt|incasso|recouvrement/i);
        expect(smsSegments(text).segments, key).toBeLessThanOrEqual(2);
      }
    });
  }

  it("keeps the crossed-payment line, the help line and the link whole, and cuts the template's words first", () => {
    const long = messageSmsText({ text: `${MERCHANT} heeft een bericht voor u over een betaling. ${"Dit is een extra zin die te lang is. ".repeat(6)}`, ...parts, link: LONG_LINK, maxSegments: 2 });
    expect(long).toContain(parts.crossed);
    expect(long).toContain(parts.help);
    expect(long).toContain(`${parts.linkLabel} ${LONG_LINK}`);
    expect(long).toContain("...");
    expect(smsSegments(long).segments).toBeLessThanOrEqual(2);
  });

  it("allows two segments even when the policy asks for one: the locked lines always fit", () => {
    const text = messageSmsText({ text: `${MERCHANT} heeft een bericht voor u over een betaling.`, ...parts, link: LINK, maxSegments: 1 });
    expect(text).toBe(`${MERCHANT} heeft een bericht voor u over een betaling. ${parts.crossed} ${parts.help} ${parts.linkLabel} ${LINK}`);
    expect(smsSegments(text).segments).toBe(2);
  });

  it("keeps the crossed line with a long shop name (it used to be dropped to fit one segment)", () => {
    const text = messageSmsText({ text: "Boulangerie Pâtisserie Van den Berghe & Zonen heeft een bericht voor u over een betaling.", ...parts, link: LINK, maxSegments: 2 });
    expect(text).toContain(parts.crossed);
    expect(smsSegments(text).segments).toBeLessThanOrEqual(2);
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
