import { describe, expect, it } from "vitest";
import { renderLetter, type LetterProps } from "../letters";
import { NL_FOURTEEN_DAY_WORDING, isLawfulNlTermWording } from "../workers/policy/law-nl";

const PAY_URL = "https://pay.example.com/r/abc123";
const SELF_URL = "https://kindly.example.com/d/tok123";

// Two open invoices (€ 49,95 + € 89,50 = € 139,45), posted by a Dutch shop to a Dutch debtor.
function letter(overrides: Partial<LetterProps> = {}): LetterProps {
  return {
    locale: "nl-NL",
    country: "NL",
    kind: "reminder",
    tone: "friendly",
    date: "2026-03-20",
    sender: { name: "Fietsen De Spaak", addressLines: ["Kerkstraat 1", "1012 AB Amsterdam"], contactEmail: "hallo@example.nl" },
    recipient: { name: "Sanne de Vries", address: { line1: "Dorpsstraat 3", postal_code: "3511 AA", city: "Utrecht", country: "NL" } },
    reference: "K-2026-0042",
    invoices: [
      { reference: "F-2026-0142", dueDate: "2026-03-02", description: "Fietshelm", outstandingCents: 4995 },
      { reference: "F-2026-0187", dueDate: "2026-03-16", outstandingCents: 8950 },
    ],
    totalCents: 13945,
    payUrl: PAY_URL,
    selfServiceUrl: SELF_URL,
    costs: { announcedCents: 0, termEndDate: null },
    ...overrides,
  };
}

const BE_SENDER = { name: "Fietsen Van Damme", addressLines: ["Veldstraat 12", "9000 Gent"], enterpriseNumber: "BE 0123.456.789" };
const BE_RECIPIENT = { name: "Lotte Peeters", address: { line1: "Stationsstraat 4 bus 2", postal_code: "2800", city: "Mechelen", country: "BE" as const } };
const beFirst = (overrides: Partial<LetterProps> = {}) =>
  letter({ country: "BE", kind: "be_first_reminder", sender: BE_SENDER, recipient: BE_RECIPIENT, costs: { announcedCents: 2000, termEndDate: "2026-04-09" }, ...overrides });

// Words that make a letter look like a court or bailiff document, or threaten what cannot be done yet.
const OFFICIAL_OR_THREAT = /deurwaarder|rechter|rechtbank|dagvaarding|beslag|ingebrekestelling|aanmaning|laatste|huissier|tribunal|sommation|mise en demeure|bailiff|court|final notice|seizure/i;

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

describe("the Dutch 14-day letter", () => {
  const fourteen = (o: Partial<LetterProps> = {}) =>
    letter({ kind: "nl_fourteen_day_letter", tone: "neutral", costs: { announcedCents: 4000, termEndDate: "2026-04-07" }, ...o });

  it("states the lawful term, the BIK amount and a calm next step, in Dutch", async () => {
    const { text, subject } = await renderLetter(fourteen());
    expect(isLawfulNlTermWording(text)).toBe(true);
    expect(text).toContain(NL_FOURTEEN_DAY_WORDING.nl);
    expect(text).not.toMatch(/dagtekening/i);
    expect(text).toContain("Dan moet u ook incassokosten betalen. Dat is €\u00a040,00.");
    expect(text).toContain("kunnen we uw factuur overdragen aan een incassobureau");
    expect(text).toContain("Samen zoeken we een oplossing.");
    expect(`${subject}\n${text}`).not.toMatch(OFFICIAL_OR_THREAT);
  });

  it("states the lawful term and the costs in English for English-speaking debtors in NL", async () => {
    const { text, html } = await renderLetter(fourteen({ locale: "en", costs: { announcedCents: 4875, termEndDate: "2026-04-07" } }));
    expect(html).toContain('lang="en"');
    expect(isLawfulNlTermWording(text)).toBe(true);
    expect(text).toContain(NL_FOURTEEN_DAY_WORDING.en);
    expect(text).toContain("collection costs of €48.75.");
    expect(text).toContain("hand your invoice over to a collection agency");
  });

  it("says no extra costs will be charged when none are announced", async () => {
    const { text } = await renderLetter(fourteen({ costs: { announcedCents: 0, termEndDate: "2026-04-07" } }));
    expect(isLawfulNlTermWording(text)).toBe(true);
    expect(text).toContain("We rekenen geen incassokosten of andere extra kosten.");
    expect(text).not.toContain("Dat is €");
  });

  it("is written in lawful Dutch for a debtor in NL who reads Belgian Dutch or French", async () => {
    for (const locale of ["nl-BE", "fr-BE"] as const) {
      const { text, html } = await renderLetter(fourteen({ locale }));
      expect(html).toContain('lang="nl-NL"');
      expect(isLawfulNlTermWording(text)).toBe(true);
    }
  });

  it("is refused for a debtor in Belgium", async () => {
    await expect(renderLetter(fourteen({ country: "BE" }))).rejects.toThrow(RangeError);
  });
});

describe("the Belgian first reminder", () => {
  const cases = [
    { locale: "nl-BE", total: "€\u00a0139,45", damages: "schadevergoeding bij van €\u00a020,00", creditor: "Deze brief komt van Fietsen Van Damme, ondernemingsnummer BE 0123.456.789.", term: "Betaal uiterlijk op 9 april 2026.", due: "2 maart 2026", free: "Deze herinnering is gratis." },
    { locale: "fr-BE", total: "139,45\u00a0€", damages: "une indemnité de 20,00\u00a0€ s'ajoutera", creditor: "Cette lettre vient de Fietsen Van Damme, numéro d'entreprise BE 0123.456.789.", term: "au plus tard le 9 avril 2026.", due: "2 mars 2026", free: "Ce rappel est gratuit." },
    { locale: "en", total: "€139.45", damages: "damages of €20.00 will be added", creditor: "This letter comes from Fietsen Van Damme, enterprise number BE 0123.456.789.", term: "Please pay by 9 April 2026 at the latest.", due: "2 March 2026", free: "It is free of charge." },
  ] as const;

  for (const c of cases) {
    it(`names balance, damages, creditor, product, due date and the 14-day term (${c.locale})`, async () => {
      const { text, subject } = await renderLetter(beFirst({ locale: c.locale }));
      expect(text).toContain(c.total);
      expect(text).toContain(c.damages);
      expect(text).toContain(c.creditor);
      expect(text).toContain("Fietshelm");
      expect(text).toContain(c.due);
      expect(text).toContain(c.term);
      expect(text).toMatch(/14 (dagen|jours|days)/);
      expect(text).toContain(c.free);
      expect(`${subject}\n${text}`).not.toMatch(OFFICIAL_OR_THREAT);
    });
  }

  it("says that no damages apply when none are announced", async () => {
    const { text } = await renderLetter(beFirst({ costs: { announcedCents: 0, termEndDate: "2026-04-09" } }));
    expect(text).toContain("rekenen we geen schadevergoeding of extra kosten aan");
    expect(text).not.toContain("schadevergoeding bij van");
  });

  it("prints the enterprise number in the sender block too", async () => {
    const { html } = await renderLetter(beFirst());
    expect(block(html, "sender").inner).toContain("Ondernemingsnummer: BE 0123.456.789");
  });

  it("is refused without the creditor's enterprise number", async () => {
    await expect(renderLetter(beFirst({ sender: { ...BE_SENDER, enterpriseNumber: undefined } }))).rejects.toThrow(/enterprise number/);
  });
});

describe("every letter", () => {
  const cases = [
    { locale: "nl-NL", country: "NL", crossed: "Heeft u al betaald? Dan hebben uw betaling en deze brief elkaar misschien gekruist.", help: ["geldfit.nl", "schuldhulpverlening van uw gemeente"] },
    { locale: "nl-BE", country: "BE", crossed: "Hebt u al betaald? Dan hebben uw betaling en deze brief elkaar misschien gekruist.", help: ["het OCMW van uw gemeente"] },
    { locale: "fr-BE", country: "BE", crossed: "votre paiement et cette lettre se sont peut-être croisés", help: ["le CPAS de votre commune"] },
    { locale: "en", country: "NL", crossed: "Then your payment and this letter may have crossed.", help: ["geldfit.nl", "debt help service of your municipality"] },
    { locale: "en", country: "BE", crossed: "Then your payment and this letter may have crossed.", help: ["the OCMW / CPAS of your municipality"] },
  ] as const;

  for (const c of cases) {
    it(`says payment and letter may have crossed and where free help is (${c.locale}, ${c.country})`, async () => {
      const { text } = await renderLetter(letter({ locale: c.locale, country: c.country }));
      expect(text).toContain(c.crossed);
      for (const place of c.help) expect(text).toContain(place);
      expect(text).toContain(PAY_URL);
      expect(text).toContain(SELF_URL);
    });
  }

  it("puts only the addresses in the envelope window, by its CSS position", async () => {
    const { html } = await renderLetter(beFirst());
    expect(html).toMatch(/@page \{ size: A4; margin: 0; \}/);
    const window = block(html, "window");
    // NL/BE window envelopes: window about 20 mm from the left, 45-50 mm from the top, 85-90 x 35-45 mm.
    expect(window.box).toMatchObject({ left: 20, top: 45, width: 85, height: 45 });
    expect(window.box.top! + window.box.height!).toBeLessThanOrEqual(95);
    expect(window.inner).toContain("Lotte Peeters");
    expect(window.inner).toContain("Stationsstraat 4 bus 2");
    expect(window.inner).toContain("2800 Mechelen");
    expect(window.inner).toContain("Fietsen Van Damme · Veldstraat 12 · 9000 Gent");
    expect(window.inner).not.toMatch(/€|F-2026|herinnering|139/);
    // Everything else stays clear of the window and of the band the sheet can slide over.
    for (const name of ["sender", "info"]) expect(block(html, name).box.left).toBeGreaterThanOrEqual(115);
    const flowTop = Number(/\.flow \{ padding-top: (\d+)mm/.exec(html)?.[1]) + Number(/\.flow-inner \{ padding: (\d+)mm/.exec(html)?.[1]);
    expect(flowTop).toBeGreaterThanOrEqual(100);
  });

  it("loads nothing from outside: no fonts, images or scripts", async () => {
    const { html } = await renderLetter(letter());
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<link|<script|<img|@import|url\(|@font-face/);
  });

  it("names the destination country only on cross-border mail", async () => {
    const toBe = { ...BE_RECIPIENT };
    expect(block((await renderLetter(letter({ country: "BE", locale: "nl-BE", recipient: toBe }))).html, "window").inner).toContain("BELGIË");
    expect(block((await renderLetter(letter({ country: "BE", locale: "fr-BE", recipient: toBe }))).html, "window").inner).toContain("BELGIQUE");
    expect(block((await renderLetter(letter())).html, "window").inner).not.toContain("NEDERLAND");
  });

  it("dates the letter with the sender's town and shows the reference", async () => {
    const { text } = await renderLetter(beFirst({ locale: "fr-BE" }));
    expect(text).toContain("Gent, le 20 mars 2026");
    expect(text).toContain("Notre référence\u00a0: K-2026-0042");
  });

  it("kindly acknowledges a debtor who said they already paid, only when asked", async () => {
    const said = await renderLetter(letter({ acknowledgeAlreadyPaid: true }));
    expect(said.text).toContain("U liet ons weten dat u al heeft betaald. Dank u wel daarvoor.");
    expect(said.text).toContain("wij hebben uw betaling nog niet ontvangen. Wilt u het nog eens nakijken?");
    expect(said.text).toContain(`U kunt ons ook een bewijs van betaling sturen via ${SELF_URL}.`);
    expect(said.text).not.toContain("U hoeft dan niets te doen.");
    const fr = await renderLetter(beFirst({ locale: "fr-BE", acknowledgeAlreadyPaid: true }));
    expect(fr.text).toContain("Vous nous avez dit que vous avez déjà payé. Merci de nous l'avoir signalé.");
    const plain = await renderLetter(letter());
    expect(plain.text).not.toContain("U liet ons weten");
  });

  it("opens differently per tone, always calmly", async () => {
    const openings = await Promise.all(
      (["friendly", "neutral", "clear"] as const).map(async (tone) => (await renderLetter(letter({ tone }))).text),
    );
    expect(openings[0]).toContain("Dat kan iedereen overkomen.");
    expect(openings[1]).toContain("Volgens onze gegevens");
    expect(openings[2]).toContain("We hebben u al eerder gevraagd");
    for (const t of openings) expect(t).not.toMatch(OFFICIAL_OR_THREAT);
  });

  it("refuses a total that is not the sum of the invoices", async () => {
    await expect(renderLetter(letter({ totalCents: 99 }))).rejects.toThrow(/sum of the invoices/);
  });
});
