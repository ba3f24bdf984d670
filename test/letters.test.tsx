/**
 * Posted letters: DIN 5008 form B window zone, payable on paper (IBAN, reference, QR code, phone),
 * the lawful Dutch 14-day text and the Belgian Book XIX first reminder, and what a reader of each
 * language expects (Dear, Gand).
 */
import { describe, expect, it } from "vitest";
import { LETTER_HTML_LIMIT, renderLetter } from "../letters";
import { NL_FOURTEEN_DAY_WORDING, isLawfulNlTermWording } from "../workers/policy/law-nl";
import { buildMessage, type MessageInput } from "../workers/templates/model";
import { sampleInput, sampleLetterParties } from "../workers/templates/samples";
import type { CopyKey, CopyLocale } from "../workers/templates/copy";

/** A letter from the template's sample data, with overrides of the message input. */
async function letter(key: CopyKey, locale: CopyLocale, o: Partial<MessageInput> = {}) {
  const input = sampleInput(key, locale, "letter");
  const { sample: _, ...plain } = input;
  const r = await renderLetter({ model: buildMessage({ ...plain, ...o }), ...sampleLetterParties(input) });
  // Intl puts a non-breaking space in "€ 40,00"; the assertions below are written with plain ones.
  return { html: r.html, text: r.text.replace(/\u00a0/g, " ") };
}

/** A positioned block's CSS lengths in mm, and its HTML up to the next block. */
function block(html: string, name: string): { box: Record<string, number>; inner: string } {
  const match = new RegExp(`<div(?: class="[^"]*")? data-block="${name}" style="([^"]*)">`).exec(html);
  if (!match) throw new Error(`no ${name} block`);
  const rest = html.slice(match.index + match[0].length);
  const inner = rest.slice(0, rest.search(/data-block="|$/));
  const box: Record<string, number> = {};
  for (const decl of (match[1] ?? "").split(";")) {
    const [key, value] = decl.split(":");
    if (key && value?.endsWith("mm") && !value.includes(" ")) box[key] = parseFloat(value);
  }
  return { box, inner };
}

// Words that make a letter look like a court or bailiff document, or threaten.
const OFFICIAL_OR_THREAT = /deurwaarder|rechter|rechtbank|dagvaarding|beslag|ingebrekestelling|aanmaning|huissier|tribunal|sommation|mise en demeure|bailiff|court|seizure/i;

describe("the Dutch 14-day letter", () => {
  it("states the lawful term, the BIK amount and the handover partner, in Dutch", async () => {
    const { text } = await letter("nl-fourteen-day-letter", "nl-NL");
    expect(text).toContain(NL_FOURTEEN_DAY_WORDING.nl);
    expect(isLawfulNlTermWording(NL_FOURTEEN_DAY_WORDING.nl)).toBe(true);
    // BIK on € 139,45 (49,95 + 89,50 open): 15% is € 20,92, below the € 40 minimum.
    expect(text).toContain("Dat is € 40,00.");
    expect(text).toContain("Dan kunnen we uw factuur overdragen aan Incassobureau Voorbeeld.");
    expect(text).not.toMatch(OFFICIAL_OR_THREAT);
  });

  it("names no collection agency when the shop has no handover partner (Wki)", async () => {
    const input = sampleInput("nl-fourteen-day-letter", "nl-NL", "letter");
    const { text } = await letter("nl-fourteen-day-letter", "nl-NL", { shop: { ...input.shop, partnerName: undefined } });
    expect(text).not.toMatch(/incasso(bureau)?\b(?!kosten)|overdragen/i);
    expect(text).toContain("Lukt betalen nu niet? Neem dan contact met ons op.");
  });

  it("adds VAT to the costs only when the creditor cannot deduct it, and says so", async () => {
    const { text } = await letter("nl-fourteen-day-letter", "nl-NL", { legal: { announcedCents: 4840, termEndDate: null, vatOnCosts: true } });
    expect(text).toContain("Dat is € 48,40.");
    expect(text).toContain("Dit bedrag is inclusief 21% btw, omdat wij de btw niet kunnen terugvragen.");
    const plain = await letter("nl-fourteen-day-letter", "nl-NL");
    expect(plain.text).not.toContain("btw");
  });

  it("is written in lawful Dutch for a debtor in the Netherlands who reads Belgian Dutch or French", async () => {
    for (const locale of ["nl-BE", "fr-BE"] as const) {
      const { html, text } = await letter("nl-fourteen-day-letter", locale);
      expect(html).toContain('lang="nl-NL"');
      expect(text).toContain(NL_FOURTEEN_DAY_WORDING.nl);
    }
    expect((await letter("nl-fourteen-day-letter", "en")).text).toContain(NL_FOURTEEN_DAY_WORDING.en);
  });

  it("says no extra costs will be charged when none are announced", async () => {
    const { text } = await letter("nl-fourteen-day-letter", "nl-NL", { legal: { announcedCents: 0, termEndDate: null, vatOnCosts: false } });
    expect(text).toContain("We rekenen geen incassokosten of andere extra kosten.");
  });
});

describe("the Belgian first reminder (Book XIX)", () => {
  for (const [locale, words] of [
    ["nl-BE", { balance: "Nog te betalen: € 139,45.", damages: "Dan komt er een schadevergoeding bij van € 20,00.", product: "Onderhoud stadsfiets", creditor: "ondernemingsnummer BE 0123.456.749" }],
    ["fr-BE", { balance: "Solde à payer : 139,45 €.", damages: "après cette date, une indemnité de 20,00 € s'ajoutera.", product: "Entretien vélo de ville", creditor: "numéro d'entreprise BE 0123.456.749" }],
  ] as const) {
    it(`names balance, damages (capped at € 20 up to € 150), creditor, product, due date and term (${locale})`, async () => {
      const { text } = await letter("be-first-reminder", locale);
      expect(text).toContain(words.balance);
      expect(text).toContain(words.damages);
      expect(text).toContain(words.product);
      expect(text).toContain(words.creditor);
      expect(text).toMatch(/4 (december|décembre) 2026/);
    });
  }
});

describe("a letter on paper", () => {
  it("is payable on paper: IBAN, holder, exact amount, structured communication, QR code and phone", async () => {
    const { html, text } = await letter("reminder-letter", "nl-BE");
    expect(text).toContain("Maak € 139,45 over naar:");
    expect(text).toContain("BE68 5390 0754 7034");
    expect(text).toContain("Fietsen Van Damme BV");
    expect(text).toContain("+++123/4567/89002+++");
    expect(text).toContain("Bel ons op +32 9 123 45 67 (ma-vr 09:00-17:30 uur)");
    expect(html).toMatch(/<div class="qr" data-part="qr"><svg [^>]*role="img"/);
    expect(text).not.toMatch(/Betaal online via deze link/);
    // The short link is an extra, never the only way.
    expect(text).toContain("U kunt ook online betalen of andere keuzes maken op https://pay.example/l/K7QM4-RTX9P-WDHN3");
  });

  it("keeps its QR code within the print API's inline-HTML limit with a few invoices, in every language", async () => {
    for (const locale of ["nl-NL", "nl-BE", "fr-BE", "en"] as const) {
      const { html } = await letter("nl-fourteen-day-letter", locale);
      expect(html.length, locale).toBeLessThan(LETTER_HTML_LIMIT);
      expect(html, locale).toContain('data-part="qr"');
    }
  });

  it("keeps the payment instructions, help and closing on one page each, and sets the body in 11 pt", async () => {
    const { html } = await letter("reminder-friendly", "nl-NL");
    expect(html).toMatch(/\.pay\{break-inside:avoid;/);
    expect(html).toMatch(/\.help\{[^}]*break-inside:avoid/);
    expect(html).toMatch(/body\{[^}]*font-size:11pt;/);
  });

  it("carries sender, reference and page number on page 2 and later, not on page 1", async () => {
    const { html } = await letter("reminder-friendly", "nl-NL");
    expect(html).toContain('@top-left{content:"Fietsenwinkel De Spaak · F-2026-0142, F-2026-0187"');
    expect(html).toContain('@top-right{content:"Pagina " counter(page) " / " counter(pages)');
    expect(html).toContain("@page :first{margin-top:0;@top-left{content:none}@top-right{content:none}}");
  });

  it("puts only the addresses in the envelope window, by its CSS position (DIN 5008 form B)", async () => {
    const { html } = await letter("be-first-reminder", "nl-BE");
    const window = block(html, "window");
    expect(window.box).toMatchObject({ left: 20, top: 45, width: 85, height: 45 });
    expect(window.inner).toContain("Lotte Peeters");
    expect(window.inner).toContain("2800 Mechelen");
    expect(window.inner).toContain("Fietsen Van Damme · Kerkstraat 12 · 9000 Gent");
    expect(window.inner).not.toMatch(/€|F-2026|herinnering|139/);
    for (const name of ["sender", "info"]) expect(block(html, name).box.left).toBeGreaterThanOrEqual(115);
    expect(Number(/\.flow\{padding:(\d+)mm/.exec(html)?.[1])).toBeGreaterThanOrEqual(100);
    // Fold marks at 105 and 210 mm and the punch mark at 148.5 mm.
    for (const mm of ["105mm", "210mm", "148.5mm"]) expect(html).toContain(`class="mark" style="top:${mm}"`);
  });

  it("loads nothing from outside: no fonts, images or scripts", async () => {
    const { html } = await letter("reminder-friendly", "nl-NL");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<link|<script|<img|@import|url\(|@font-face/);
  });

  it("dates a French letter from Gent as 'Gand', and greets in each language as its readers expect", async () => {
    const fr = await letter("be-first-reminder", "fr-BE", {});
    expect(fr.text).toContain("Liège, le 20 novembre 2026");
    const input = sampleInput("be-first-reminder", "fr-BE", "letter");
    const { sample: _, ...plain } = input;
    const parties = sampleLetterParties(input);
    const fromGent = await renderLetter({ model: buildMessage(plain), ...parties, sender: { ...parties.sender, addressLines: ["Veldstraat 12", "9000 Gent"] } });
    expect(fromGent.text).toContain("Gand, le 20 novembre 2026");
    expect((await letter("reminder-friendly", "en")).text).toContain("Dear Sanne de Vries,");
  });
});
