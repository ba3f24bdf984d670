/**
 * With several open invoices, every pay action in a message pays exactly the amount it names:
 * the email's button and per-invoice links, the bank transfer block and its QR code, in emails and
 * letters; an SMS names no amount at all. Amounts are checked against what each link or code
 * actually pays (the invoice's own page, the consolidated URL's amount, the decoded QR).
 */
import { describe, expect, it } from "vitest";
import { renderLetter } from "../letters";
import { buildMessage, type MessageInput } from "../workers/templates/model";
import { renderEmail, renderSms } from "../workers/templates/render-message";
import { sampleInput, sampleLetterParties } from "../workers/templates/samples";
import type { CopyKey } from "../workers/templates/copy";
import { decodeQr } from "./qr-decode";

const euros = (label: string) => Number((/€\s?([\d.]+,\d\d)/.exec(label.replace(/\u00a0/g, " "))?.[1] ?? "").replace(/\./g, "").replace(",", "."));

function input(key: CopyKey, o: Partial<MessageInput> = {}, channel: MessageInput["channel"] = "email") {
  const i = sampleInput(key, "nl-NL", channel);
  const { sample: _, ...plain } = i;
  return { input: { ...plain, ...o }, parties: sampleLetterParties(i) };
}

/** Every link in the email whose text names an amount, with that amount in cents. */
function pricedLinks(html: string): { href: string; cents: number }[] {
  return [...html.matchAll(/<a href="([^"]+)"[^>]*>([^]*?)<\/a>/g)]
    .map((m) => ({ href: (m[1] ?? "").replace(/&amp;/g, "&"), label: (m[2] ?? "").replace(/<!--[^]*?-->|<[^>]+>/g, "") }))
    .filter((l) => l.label.includes("€"))
    .map((l) => ({ href: l.href, cents: Math.round(euros(l.label) * 100) }));
}

describe("pay actions in messages", () => {
  it("several invoices, no consolidated URL: the button names no amount, each invoice's link pays its own", async () => {
    const { input: i } = input("reminder-second");
    const email = await renderEmail(buildMessage(i));
    const links = pricedLinks(email.html);
    expect(links).toHaveLength(2);
    for (const link of links) {
      const invoice = i.invoices.find((inv) => inv.payUrl === link.href);
      expect(invoice, link.href).toBeDefined();
      expect(link.cents).toBe(invoice?.outstandingCents);
    }
    // The main button goes to the debtor's page, which lists the invoices: it names no amount.
    expect(email.html).toMatch(/href="https:\/\/pay\.[^"]+\/d\/SAMPLE-TOKEN"[^>]*>[^]{0,400}Bekijk uw facturen en betaal<\/span>/);
  });

  it("several invoices with the shop's consolidated URL: one button for the total, and that URL carries the total", async () => {
    const { input: i } = input("reminder-second", { shop: { ...sampleInput("reminder-second", "nl-NL", "email").shop, payUrlTemplate: "https://despaak.example/pay?amount={{amount_cents}}&ref={{reference}}" } });
    const email = await renderEmail(buildMessage(i));
    const links = pricedLinks(email.html);
    expect(links).toHaveLength(1);
    const total = i.invoices.reduce((s, inv) => s + inv.outstandingCents, 0);
    expect(links[0]?.cents).toBe(total);
    expect(new URL(links[0]?.href ?? "").searchParams.get("amount")).toBe(String(total));
  });

  it("one partly paid invoice: the button names what is still open and goes to that invoice's page", async () => {
    const first = sampleInput("reminder-friendly", "nl-NL", "email").invoices[1];
    if (!first) throw new Error("sample has two invoices");
    const { input: i } = input("reminder-friendly", { invoices: [first] });
    const links = pricedLinks((await renderEmail(buildMessage(i))).html);
    expect(links).toEqual([{ href: first.payUrl, cents: first.outstandingCents }]);
    expect(first.outstandingCents).toBeLessThan(first.amountCents);
  });

  it("the bank transfer and its QR code pay the total the message names, in email and on paper", async () => {
    const { input: i, parties } = input("reminder-letter", {}, "letter");
    const total = i.invoices.reduce((s, inv) => s + inv.outstandingCents, 0);
    const letter = await renderLetter({ model: buildMessage(i), ...parties });
    expect(euros(/Maak (€\s?[\d.,]+) over/.exec(letter.text.replace(/\u00a0/g, " "))?.[1] ?? "")).toBe(total / 100);
    const qr = decodeQr(letter.html);
    expect(qr?.[7]).toBe(`EUR${(total / 100).toFixed(2)}`);
    expect(qr?.[6]).toBe("NL91ABNA0417164300");
    const email = await renderEmail(buildMessage({ ...i, channel: "email" }));
    expect(decodeQr(email.html)?.[7]).toBe(`EUR${(total / 100).toFixed(2)}`);
  });

  it("an arrangement message pays the instalment it names: button, bank transfer and QR code", async () => {
    const base = sampleInput("instalment-reminder", "nl-NL", "email");
    const { input: i } = input("instalment-reminder", { shop: { ...base.shop, payUrlTemplate: "https://despaak.example/pay?amount={{amount_cents}}" } });
    const instalment = i.instalments?.find((x) => x.seq === i.instalmentSeq);
    const email = await renderEmail(buildMessage(i));
    const links = pricedLinks(email.html);
    expect(links).toHaveLength(1);
    expect(links[0]?.cents).toBe(instalment?.amountCents);
    expect(new URL(links[0]?.href ?? "").searchParams.get("amount")).toBe(String(instalment?.amountCents));
    expect(decodeQr(email.html)?.[7]).toBe(`EUR${((instalment?.amountCents ?? 0) / 100).toFixed(2)}`);
  });

  it("an SMS names no amount: its link leads to the page that lists what each action pays", async () => {
    const { input: i } = input("reminder-sms", {}, "sms");
    const sms = renderSms(buildMessage(i), 2);
    expect(sms.text).not.toMatch(/€|\d+,\d\d/);
    expect(sms.text).toMatch(/https:\/\/pay\.example\/l\/K7QM4-RTX9P-WDHN3$/);
  });
});

describe("the email", () => {
  it("declares its language, shows the preheader without an amount, and uses the shop's brand colour", async () => {
    const { input: i } = input("reminder-friendly", { shop: { ...sampleInput("reminder-friendly", "nl-NL", "email").shop, brandColour: "#7c2d12" } });
    const { html, subject } = await renderEmail(buildMessage(i));
    expect(html).toContain('lang="nl-NL"');
    expect(subject).toBe("Fietsenwinkel De Spaak: een vriendelijke herinnering");
    expect(html).toContain("background-color:#7c2d12");
    expect(html).toContain("Vergeten te betalen? Dat kan iedereen overkomen.");
  });

  it("puts help first for someone in hardship, and after the amounts otherwise", async () => {
    const gentle = (await renderEmail(buildMessage(input("reminder-gentle").input))).text;
    const plain = (await renderEmail(buildMessage(input("reminder-friendly").input))).text;
    expect(gentle.indexOf("Geldzorgen?")).toBeLessThan(gentle.indexOf("Nog te betalen"));
    expect(plain.indexOf("Geldzorgen?")).toBeGreaterThan(plain.indexOf("Nog te betalen"));
  });

  it("without the shop's address asks the reader to reply, and links the self-service choices", async () => {
    const base = sampleInput("reminder-second", "nl-NL", "email");
    const { text } = await renderEmail(buildMessage(input("reminder-second", { shop: { ...base.shop, email: undefined } }).input));
    expect(text).toContain("Of beantwoord gewoon deze e-mail.");
    expect(text).toContain("Kies een andere betaaldatum");
  });

  it("says what came before, and leaves that sentence out when nothing was sent before", async () => {
    const withPrev = (await renderEmail(buildMessage(input("reminder-second").input))).text;
    expect(withPrev).toContain("De eerste herinnering stuurden we u op 13 november 2026, per e-mail.");
    const none = (await renderEmail(buildMessage(input("reminder-second", { history: { previous: null, reportedPaidOn: null } }).input))).text;
    expect(none).not.toContain("De eerste herinnering stuurden we u");
    expect(none).toContain("Dit is onze tweede herinnering");
  });
});
