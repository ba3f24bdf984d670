import { afterEach, describe, expect, it, vi } from "vitest";
import { LETTER_HTML_LIMIT, renderLetter } from "../letters";
import { buildMessage } from "../workers/templates/model";
import { sampleInput, sampleLetterParties } from "../workers/templates/samples";
import { lettersAreLive, lobAdapter, lobMode, sendLetter, type LobConfig, type OutgoingLetter } from "../workers/channels/lob";
import { fakeLob } from "./fake-lob";

const BASE = "https://lob.fake/v1";
const live: LobConfig = { apiKey: "test_0dc8d51e0acffcb1880e0f19c79b2f5b0cc", baseUrl: BASE, letterCostCents: undefined };
const msg: OutgoingLetter = {
  idempotencyKey: "a".repeat(64),
  html: "<!DOCTYPE html><html><body><p>Beste Sanne</p></body></html>",
  description: "nl_fourteen_day_letter ob_c1_s2",
  to: { name: "Sanne de Vries", line1: "Dorpsstraat 3", postalCode: "3511 AA", city: "Utrecht", country: "NL" },
  from: { name: "Fietsen De Spaak", line1: "Kerkstraat 1", line2: "2e verdieping", postalCode: "1012 AB", city: "Amsterdam", country: "NL" },
  metadata: { tenant: "t1", outbox: "ob_c1_s2" },
};

function mockLob(options: Parameters<typeof fakeLob>[1] = {}) {
  const fake = fakeLob(BASE, options);
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
  return { fake, spy };
}

afterEach(() => vi.restoreAllMocks());

describe("lettersAreLive and lobMode", () => {
  it("goes live with any Lob key and tells test keys (never printed) from live ones by prefix", () => {
    expect(lettersAreLive(live)).toBe(true);
    expect(lettersAreLive({ apiKey: undefined })).toBe(false);
    expect(lettersAreLive({ apiKey: "" })).toBe(false);
    expect(lobMode({ apiKey: "test_abc" })).toBe("test");
    expect(lobMode({ apiKey: "live_abc" })).toBe("live");
    expect(lobMode({ apiKey: "sk_abc" })).toBeNull();
    expect(lobMode({ apiKey: undefined })).toBeNull();
  });

  it("an unconfigured channel never calls Lob", async () => {
    const { spy } = mockLob();
    expect(await sendLetter({ ...live, apiKey: undefined }, msg, Date.now())).toMatchObject({ ok: false, retryable: false });
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("letters through Lob (contract with a local fake of the documented Letters API)", () => {
  it("posts JSON to /letters with the key as Basic username, the idempotency key and an operational first-class letter", async () => {
    const { fake } = mockLob();
    await sendLetter(live, msg, Date.now());
    const [req] = fake.requests;
    expect(req?.url).toBe(`${BASE}/letters`);
    expect(req?.headers.get("authorization")).toBe(`Basic ${btoa(`${live.apiKey}:`)}`);
    expect(req?.headers.get("content-type")).toBe("application/json");
    expect(req?.headers.get("idempotency-key")).toBe(msg.idempotencyKey);
    expect(req?.body).toEqual({
      description: msg.description,
      to: { name: "Sanne de Vries", address_line1: "Dorpsstraat 3", address_city: "Utrecht", address_zip: "3511 AA", address_country: "NL" },
      from: { name: "Fietsen De Spaak", address_line1: "Kerkstraat 1", address_line2: "2e verdieping", address_city: "Amsterdam", address_zip: "1012 AB", address_country: "NL" },
      file: msg.html,
      color: false,
      double_sided: false,
      address_placement: "insert_blank_page",
      use_type: "operational",
      mail_type: "usps_first_class",
      metadata: { tenant: "t1", outbox: "ob_c1_s2" },
    });
  });

  it("maps the letter to its id and delivery estimate", async () => {
    const { fake } = mockLob();
    const res = await sendLetter(live, msg, Date.now());
    const created = fake.letters[0]?.response;
    expect(res).toEqual({ ok: true, providerId: created?.id, expectedDeliveryDate: created?.expected_delivery_date });
    expect(res.ok && res.providerId).toMatch(/^ltr_/);
  });

  it("a test key never counts as live: Lob does not post letters in test mode", () => {
    expect(lobAdapter(live).live()).toMatchObject({ ok: false, reason: expect.stringContaining("test mode") });
    expect(lobAdapter({ ...live, apiKey: "live_123" }).live()).toEqual({ ok: true });
    expect(lobAdapter({ ...live, apiKey: undefined }).live()).toMatchObject({ ok: false });
  });

  it("reports the configured letter cost, since Lob's answer has no price", async () => {
    mockLob();
    expect(await sendLetter({ ...live, letterCostCents: "185" }, msg, Date.now())).toMatchObject({ ok: true, costCents: 185 });
    expect(await sendLetter({ ...live, letterCostCents: "1.85" }, { ...msg, idempotencyKey: "c" }, Date.now())).not.toHaveProperty("costCents");
    expect(await sendLetter(live, { ...msg, idempotencyKey: "d" }, Date.now())).not.toHaveProperty("costCents");
  });

  it("a retried send with the same key is printed once, even after a 5xx and a lost answer", async () => {
    const { fake } = mockLob();
    const first = await sendLetter(live, msg, Date.now());
    fake.failNext.push(500, "network");
    expect(await sendLetter(live, msg, Date.now())).toMatchObject({ ok: false, retryable: true });
    expect(await sendLetter(live, msg, Date.now())).toMatchObject({ ok: false, retryable: true });
    expect(await sendLetter(live, msg, Date.now())).toEqual(first);
    expect(fake.letters).toHaveLength(1);
  });

  it("the same key with another body returns the first letter, as Lob documents: the key must name one exact letter", async () => {
    const { fake } = mockLob();
    const first = await sendLetter(live, msg, Date.now());
    const other = await sendLetter(live, { ...msg, html: "<p>another letter</p>" }, Date.now());
    expect(other).toEqual(first);
    expect(fake.letters).toHaveLength(1);
    // Keys are scoped per mode: the live environment prints its own letter.
    await sendLetter({ ...live, apiKey: "live_123" }, msg, Date.now());
    expect(fake.letters.map((l) => l.mode)).toEqual(["test", "live"]);
  });

  it("a rate limit is retryable when X-Rate-Limit-Reset says, else after Lob's 5-second window", async () => {
    const { fake } = mockLob();
    const now = Date.now();
    fake.failNext.push(429, { status: 429, code: "rate_limit_exceeded" }, { status: 429, code: "rate_limit_exceeded", headers: { "retry-after": "2" } });
    const a = await sendLetter(live, msg, now);
    expect(a).toMatchObject({ ok: false, retryable: true });
    expect(!a.ok && a.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(!a.ok && a.retryAfterMs).toBeLessThanOrEqual(6000);
    expect(await sendLetter(live, msg, now)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 5000 });
    expect(await sendLetter(live, msg, now)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 2000 });
    expect(fake.letters).toHaveLength(0);
  });

  it("a bad or publishable key is permanent and does not blame the address", async () => {
    mockLob();
    for (const key of ["nope_123", "test_pub_123"]) {
      const res = await sendLetter({ ...live, apiKey: key }, msg, Date.now());
      expect(res).toMatchObject({ ok: false, retryable: false });
      expect(res).not.toHaveProperty("permanentAddressProblem");
    }
  });

  it("a refused recipient address is permanent and marked invalid", async () => {
    mockLob();
    const long = await sendLetter(live, { ...msg, to: { ...msg.to, line1: "Burgemeester van Walsum-Hoogenboomstraat 123", line2: "verdieping 3" } }, Date.now());
    expect(long).toMatchObject({ ok: false, retryable: false, permanentAddressProblem: "invalid" });
    const noName = await sendLetter(live, { ...msg, idempotencyKey: "e", to: { ...msg.to, name: "" } }, Date.now());
    expect(noName).toMatchObject({ ok: false, retryable: false, permanentAddressProblem: "invalid" });
  });

  it("a non-US return address on a standard account is a set-up error, not the debtor's address", async () => {
    mockLob({ usOnlyReturnAddress: true });
    const res = await sendLetter(live, msg, Date.now());
    expect(res).toMatchObject({ ok: false, retryable: false });
    expect(res).not.toHaveProperty("permanentAddressProblem");
    expect(!res.ok && res.error).toMatch(/foreign_return_address.*custom envelope/);
  });

  it("refuses what Lob would refuse without calling it: inline HTML of 10,000 characters or more, too much metadata", async () => {
    const { spy } = mockLob();
    expect(await sendLetter(live, { ...msg, html: "x".repeat(10_000) }, Date.now())).toMatchObject({ ok: false, retryable: false });
    const metadata = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"]));
    expect(await sendLetter(live, { ...msg, metadata }, Date.now())).toMatchObject({ ok: false, retryable: false });
    expect(await sendLetter(live, { ...msg, idempotencyKey: "k".repeat(257) }, Date.now())).toMatchObject({ ok: false, retryable: false });
    expect(spy).not.toHaveBeenCalled();
  });

  it("a rendered letter with many invoices, in any language, fits Lob's inline HTML limit", async () => {
    for (const locale of ["nl-NL", "nl-BE", "fr-BE", "en"] as const) {
      for (const count of [1, 2, 12]) {
        const input = sampleInput("reminder-letter", locale, "letter");
        const { sample: _, ...plain } = input;
        const invoices = Array.from({ length: count }, (_, i) => ({ id: `inv_${i}`, reference: `F-2026-${1000 + i}`, description: "Fietshelm met verlichting", dueDate: "2026-03-02", amountCents: 4995, outstandingCents: 4995, payUrl: `https://pay.example.com/F-2026-${1000 + i}` }));
        const { html, text } = await renderLetter({ model: buildMessage({ ...plain, invoices }), ...sampleLetterParties(input) });
        expect(html.length, `${locale} ${count}`).toBeLessThan(LETTER_HTML_LIMIT);
        // Payable on paper with or without the QR code: IBAN and reference are always printed.
        expect(text.replace(/\u00a0/g, " ")).toMatch(/\+\+\+123\/4567\/89002\+\+\+|F-2026-1000|1234 5678 9002/);
      }
    }
  });
});
