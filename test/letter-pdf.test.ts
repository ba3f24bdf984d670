/**
 * Letters as PDF, read back by PDF.js (unpdf), a reader independent of pdf-lib: A4, the font
 * embedded, the recipient inside the DIN 5008 address zone and the print service's address area
 * with nothing else in the window, the lawful texts, the QR code decoded by jsQR, page 2 headers,
 * and the payment instructions, help and closing never split over two pages.
 */
import fontkit from "@pdf-lib/fontkit";
import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { ADDRESS_ZONE, NEXT_PAGE_TOP_MM, POSTAL_NOTE_ZONE, WINDOW_ZONE } from "../letters/layout";
import { MeasuredFont, fontBytes } from "../letters/pdf/font";
import { NOTO_SANS_BOLD, NOTO_SANS_REGULAR } from "../letters/pdf/noto-sans";
import { renderLetterPdf } from "../letters/pdf/render-pdf";
import { NL_FOURTEEN_DAY_WORDING, isLawfulNlTermWording } from "../workers/policy/law-nl";
import { buildMessage, type MessageInput } from "../workers/templates/model";
import { sampleInput, sampleLetterParties } from "../workers/templates/samples";
import type { CopyKey, CopyLocale } from "../workers/templates/copy";
import { call } from "./helpers";
import { readPdf, type PlacedText } from "./pdf-reader";

/** Pingen's address area and postage strip (help.pingen.com, "Letter standards"), in mm. */
const PINGEN_ADDRESS = { left: 22, top: 60, right: 107.5, bottom: 85.5 };
const PINGEN_POSTAGE = { left: 20, top: 40, right: 109.5, bottom: 60 };

type Parties = ReturnType<typeof sampleLetterParties>;

/** A PDF letter from the template's sample data, with overrides. */
async function pdfLetter(key: CopyKey, locale: CopyLocale, o: Partial<MessageInput> = {}, parties: (p: Parties) => Parties = (p) => p) {
  const input = sampleInput(key, locale, "letter");
  const { sample: _, ...plain } = input;
  const bytes = await renderLetterPdf({ model: buildMessage({ ...plain, ...o }), ...parties(sampleLetterParties(input)) });
  return { bytes, read: await readPdf(bytes) };
}

/** An item's glyph box: from about its cap height above the baseline to its descenders below. */
const box = (t: PlacedText) => ({ left: t.x, right: t.right, top: t.baseline - 0.8 * t.size, bottom: t.baseline + 0.3 * t.size });
const overlaps = (t: PlacedText, z: { left: number; top: number; right: number; bottom: number }) => {
  const b = box(t);
  return b.left < z.right && b.right > z.left && b.top < z.bottom && b.bottom > z.top;
};
const flat = (s: string) => s.replace(/\s+/g, " ");

describe("a letter as PDF", { timeout: 60_000 }, () => {
  it("is A4 on every page, with its two fonts embedded and a text layer a reader can select", async () => {
    const { bytes, read } = await pdfLetter("nl-fourteen-day-letter", "nl-NL");
    expect(read.pages.length).toBeGreaterThanOrEqual(1);
    for (const p of read.pages) {
      expect(p.widthMm).toBeCloseTo(210, 1);
      expect(p.heightMm).toBeCloseTo(297, 1);
    }
    const doc = await PDFDocument.load(bytes);
    const descriptors = doc.context.enumerateIndirectObjects().map(([, o]) => o).filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of("Type")) === PDFName.of("FontDescriptor"));
    expect(descriptors).toHaveLength(2);
    for (const d of descriptors) expect(d.get(PDFName.of("FontFile2"))).toBeDefined();
    const fonts = doc.context.enumerateIndirectObjects().map(([, o]) => o).filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of("Subtype")) === PDFName.of("Type0"));
    for (const f of fonts) expect(f.get(PDFName.of("ToUnicode"))).toBeDefined();
    expect(read.text).toContain("Beste Sanne de Vries,");
  });

  it("puts a five-line address in the DIN 5008 address zone and Pingen's address area, and nothing else in the window", async () => {
    // A Dutch shop writing to Belgium: name, street, extra line, postcode and town, country.
    const { read } = await pdfLetter("reminder-letter", "nl-BE", {}, (p) => ({
      ...p,
      sender: { ...p.sender, addressLines: ["Oudegracht 12", "3511 AR Utrecht"] },
      recipient: { name: "Élodie Wouters-Kowalczyk", address: { line1: "Kerkstraat 120 bus 3", line2: "Residentie Ter Linde", postal_code: "2800", city: "Mechelen", country: "BE" } },
    }));
    const address = ["Élodie Wouters-Kowalczyk", "Kerkstraat 120 bus 3", "Residentie Ter Linde", "2800 Mechelen", "BELGIË"];
    const lines = address.map((text) => read.items.find((t) => t.page === 1 && t.text === text));
    expect(lines.every(Boolean)).toBe(true);
    for (const t of lines as PlacedText[]) {
      const b = box(t);
      expect(b.left).toBeGreaterThanOrEqual(Math.max(ADDRESS_ZONE.left, PINGEN_ADDRESS.left));
      expect(b.right).toBeLessThanOrEqual(Math.min(ADDRESS_ZONE.left + ADDRESS_ZONE.width, PINGEN_ADDRESS.right));
      expect(b.top).toBeGreaterThanOrEqual(Math.max(ADDRESS_ZONE.top, PINGEN_ADDRESS.top));
      expect(b.bottom).toBeLessThanOrEqual(Math.min(ADDRESS_ZONE.top + ADDRESS_ZONE.height, PINGEN_ADDRESS.bottom));
    }
    // Top to bottom in reading order.
    expect((lines as PlacedText[]).map((t) => t.baseline)).toEqual([...(lines as PlacedText[]).map((t) => t.baseline)].sort((a, b) => a - b));
    const windowZone = { left: WINDOW_ZONE.left, top: WINDOW_ZONE.top, right: WINDOW_ZONE.left + WINDOW_ZONE.width, bottom: WINDOW_ZONE.top + WINDOW_ZONE.height };
    const inWindow = read.items.filter((t) => t.page === 1 && overlaps(t, windowZone));
    expect(inWindow.map((t) => t.text).sort()).toEqual([...address].sort());
    // The postal-note strip and Pingen's postage strip stay blank for the postage imprint.
    const notes = { left: POSTAL_NOTE_ZONE.left, top: POSTAL_NOTE_ZONE.top, right: POSTAL_NOTE_ZONE.left + POSTAL_NOTE_ZONE.width, bottom: POSTAL_NOTE_ZONE.top + POSTAL_NOTE_ZONE.height };
    expect(read.items.filter((t) => t.page === 1 && (overlaps(t, notes) || overlaps(t, PINGEN_POSTAGE)))).toEqual([]);
  });

  it("carries the lawful 14-day wording, the BIK amount and free help in the Dutch 14-day letter", async () => {
    const { read } = await pdfLetter("nl-fourteen-day-letter", "nl-NL");
    const text = flat(read.text);
    expect(text).toContain(NL_FOURTEEN_DAY_WORDING.nl);
    expect(isLawfulNlTermWording(text)).toBe(true);
    expect(text).toContain("Dat is € 40,00.");
    expect(text).toContain("Geldfit");
    expect(text).toContain("0800-8115");
    expect(text).toContain("Dan hebben uw betaling en dit bericht elkaar misschien gekruist.");
  });

  for (const [locale, words] of [
    ["nl-BE", ["Nog te betalen: € 139,45.", "Dan komt er een schadevergoeding bij van € 20,00.", "Onderhoud stadsfiets", "ondernemingsnummer BE 0123.456.749", "Deze herinnering is gratis."]],
    ["fr-BE", ["Solde à payer : 139,45 €.", "une indemnité de 20,00 € s'ajoutera.", "Entretien vélo de ville", "numéro d'entreprise BE 0123.456.749", "décembre 2026"]],
  ] as const) {
    it(`states what Book XIX asks of a first reminder (${locale})`, async () => {
      const { read } = await pdfLetter("be-first-reminder", locale);
      const text = flat(read.text);
      for (const w of words) expect(text, w).toContain(w);
    });
  }

  it("draws the EPC QR code as vectors that a QR reader decodes to the exact transfer", async () => {
    const { read } = await pdfLetter("reminder-letter", "nl-BE");
    const [code] = read.qr;
    expect(code?.slice(0, 4)).toEqual(["BCD", "002", "1", "SCT"]);
    expect(code).toContain("BE68539007547034");
    expect(code).toContain("EUR139.45");
    expect(code).toContain("123456789002");
  });

  it("heads page 2 and later with sender, reference and page number, and page 1 with none", async () => {
    const { read } = await pdfLetter("reminder-friendly", "nl-NL", {}, (p) => p);
    expect(read.pages.length).toBeGreaterThanOrEqual(2);
    const header = read.items.filter((t) => t.baseline < NEXT_PAGE_TOP_MM);
    expect(header.filter((t) => t.page === 1)).toEqual([]);
    for (let page = 2; page <= read.pages.length; page++) {
      const texts = header.filter((t) => t.page === page).map((t) => t.text);
      expect(texts).toContain(`Fietsenwinkel De Spaak · F-2026-0142, F-2026-0187`);
      expect(texts).toContain(`Pagina ${page} / ${read.pages.length}`);
    }
  });

  it("never splits the payment instructions, the help or the closing over two pages, however long the table", async () => {
    const input = sampleInput("reminder-letter", "nl-NL", "letter");
    const base = input.invoices[0] as MessageInput["invoices"][number];
    let pushed = 0;
    for (let n = 1; n <= 16; n += 3) {
      const invoices = Array.from({ length: n }, (_, i) => ({ ...base, id: `inv_${i}`, reference: `F-2026-${1000 + i}`, description: `Bestelling ${i + 1}` }));
      const { read } = await pdfLetter("reminder-letter", "nl-NL", { invoices });
      const pageOf = (s: string) => read.items.filter((t) => t.text.includes(s)).map((t) => t.page);
      const payStart = pageOf("Zo kunt u betalen")[0];
      expect(pageOf("Of mail naar").at(-1), `${n} invoices`).toBe(payStart);
      expect(pageOf("Vermeld dit kenmerk")[0]).toBe(payStart);
      const help = pageOf("Geldzorgen?")[0];
      expect(pageOf("schuldhulpverlening").at(-1)).toBe(help);
      expect(pageOf("Met vriendelijke groet")[0]).toBe(pageOf("Fietsenwinkel De Spaak").at(-1));
      // The instructions began on a fresh page because they did not fit below the table.
      if ((payStart ?? 0) > (pageOf("gekruist")[0] ?? 0)) pushed++;
    }
    expect(pushed).toBeGreaterThan(0);
  });

  it("prints a name the font cannot set without its accents rather than dropping it", async () => {
    const { read } = await pdfLetter("reminder-letter", "nl-NL", {}, (p) => ({ ...p, recipient: { ...p.recipient, name: "Nguyễn Thị Ánh" } }));
    expect(read.items.find((t) => t.page === 1 && t.text === "Nguyen Thi Ánh")).toBeDefined();
  });

  it("is previewed in development at /sandbox/preview/{template}/{locale}?channel=letter&format=pdf", async () => {
    const res = await call(null, "GET", "/sandbox/preview/nl-fourteen-day-letter/nl-NL?channel=letter&format=pdf");
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const read = await readPdf(new Uint8Array(await res.arrayBuffer()));
    expect(flat(read.text)).toContain(NL_FOURTEEN_DAY_WORDING.nl);
  });

  it("gives the same bytes for the same letter", async () => {
    const a = await pdfLetter("be-first-reminder", "fr-BE");
    const b = await pdfLetter("be-first-reminder", "fr-BE");
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });
});

describe("the letter font", () => {
  it("matches fontkit (the engine pdf-lib ships with) glyph for glyph, and sets Dutch, French and the euro", () => {
    let checked = 0;
    for (const data of [NOTO_SANS_REGULAR, NOTO_SANS_BOLD]) {
      const ours = new MeasuredFont(data);
      const theirs = fontkit.create(fontBytes(data));
      expect(ours.unitsPerEm).toBe(theirs.unitsPerEm);
      expect([ours.ascent, ours.descent, ours.capHeight]).toEqual([theirs.ascent, theirs.descent, theirs.capHeight]);
      expect([...theirs.characterSet].sort((a, b) => a - b)).toEqual(ours.characterSet);
      for (const cp of ours.characterSet) {
        const g = theirs.glyphForCodePoint(cp);
        expect([ours.glyphForCodePoint(cp).id, ours.glyphForCodePoint(cp).advanceWidth]).toEqual([g.id, g.advanceWidth]);
        checked++;
      }
      for (const ch of "éèëïôçàâêîûùüœÉ€«»’–·\u00a0\u202fłşșțčřžőű") expect(ours.has(ch.codePointAt(0) ?? 0), ch).toBe(true);
    }
    expect(checked).toBeGreaterThan(600);
  });
});
