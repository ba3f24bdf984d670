/**
 * Letters through Pingen: contract tests against a local fake of its documented API (OAuth client
 * credentials, signed upload, create with auto-send), its errors and lost answers, with a real
 * letter PDF that the fake reads as Pingen does (A4, fonts embedded, the address in the window).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderLetterPdf } from "../letters/pdf/render-pdf";
import { forgetPingenTokens, pingenAdapter, sendPingenLetter, type PingenConfig } from "../workers/channels/pingen";
import { buildMessage } from "../workers/templates/model";
import { sampleInput, sampleLetterParties } from "../workers/templates/samples";
import { fakePingen, type FakePingen } from "./fake-pingen";

const BASE = "https://pingen.fake";
const creds = { clientId: "kindly-client", clientSecret: "s3cret-client", organisationId: "0f4e2a7c-8d1b-4c3e-9a5f-1b2c3d4e5f60", webhookSecret: "pingen-signing-key" };
const config: PingenConfig = { ...creds, baseUrl: BASE };

let pdf: Uint8Array;
let fake: FakePingen;

beforeEach(async () => {
  forgetPingenTokens();
  fake = fakePingen(BASE, creds);
  vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
  if (!pdf) {
    const input = sampleInput("nl-fourteen-day-letter", "nl-NL", "letter");
    const { sample: _, ...plain } = input;
    pdf = await renderLetterPdf({ model: buildMessage(plain), ...sampleLetterParties(input) });
  }
});
afterEach(() => vi.restoreAllMocks());

const letter = (key = "k".repeat(64)) => ({ idempotencyKey: key, pdf, fileName: "kindly-test.pdf" });

describe("letters through Pingen (contract with a local fake of its API)", { timeout: 60_000 }, () => {
  it("takes a client-credentials token, uploads the PDF to the signed URL and creates an auto-sent letter", async () => {
    const result = await sendPingenLetter(config, letter());
    expect(result).toMatchObject({ ok: true, costCents: 119 });
    const [token, upload, put, create] = fake.requests;
    expect([token?.method, token?.url]).toEqual(["POST", `${BASE}/auth/access-tokens`]);
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({ grant_type: "client_credentials", client_id: creds.clientId, client_secret: creds.clientSecret, scope: "letter" });
    expect([upload?.method, upload?.url]).toEqual(["GET", `${BASE}/file-upload`]);
    expect(upload?.headers.get("authorization")).toMatch(/^Bearer tok_/);
    // The signed URL carries its own authorisation: no bearer token goes to the file store.
    expect(put?.method).toBe("PUT");
    expect(put?.headers.get("authorization")).toBeNull();
    expect(create?.url).toBe(`${BASE}/organisations/${creds.organisationId}/deliveries/letters`);
    expect(create?.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(create?.headers.get("idempotency-key")).toBe("k".repeat(64));
    expect(JSON.parse(create?.body ?? "{}").data.attributes).toMatchObject({
      file_original_name: "kindly-test.pdf",
      address_position: "left",
      auto_send: true,
      delivery_product: "fast",
      print_mode: "simplex",
      print_spectrum: "grayscale",
    });
    expect(result.ok && result.providerId).toBe(fake.letters[0]?.id);
  });

  it("sends a letter Pingen accepts: A4, fonts embedded, the address read from the window, nothing in the postage strip", async () => {
    await sendPingenLetter(config, letter());
    const [made] = fake.letters;
    expect(made?.issues).toEqual([]);
    expect(made?.address).toEqual(["Sanne de Vries", "Dorpsstraat 1", "3512 AB Utrecht"]);
    expect(fake.printed()).toHaveLength(1);
  });

  it("keeps its token until it expires", async () => {
    await sendPingenLetter(config, letter("a".repeat(64)));
    await sendPingenLetter(config, letter("b".repeat(64)));
    expect(fake.tokensIssued).toBe(1);
    expect(fake.printed()).toHaveLength(2);
  });

  it("refused client credentials make the channel unavailable, never a retry loop", async () => {
    const result = await sendPingenLetter({ ...config, clientSecret: "wrong" }, letter());
    expect(result).toMatchObject({ ok: false, retryable: false, unavailable: expect.stringContaining("credentials") });
    expect(fake.letters).toHaveLength(0);
  });

  it("an expired token (401 on create) is dropped and the retry gets a new one", async () => {
    await sendPingenLetter(config, letter("a".repeat(64)));
    fake.failNext.push(401);
    expect(await sendPingenLetter(config, letter("b".repeat(64)))).toMatchObject({ ok: false, retryable: true });
    expect(await sendPingenLetter(config, letter("b".repeat(64)))).toMatchObject({ ok: true });
    expect(fake.tokensIssued).toBe(2);
    expect(fake.printed()).toHaveLength(2);
  });

  it("403 (the organisation refused) is unavailable; 422 is given up; 429 waits Retry-After; none of them may have printed", async () => {
    fake.failNext.push(403, 422, 429);
    expect(await sendPingenLetter(config, letter())).toMatchObject({ ok: false, retryable: false, unavailable: expect.any(String) });
    const invalid = await sendPingenLetter(config, letter());
    expect(invalid).toMatchObject({ ok: false, retryable: false });
    expect(invalid).not.toHaveProperty("maybeSent");
    const limited = await sendPingenLetter(config, letter());
    expect(limited).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7000 });
    expect(limited).not.toHaveProperty("maybeSent");
    expect(fake.letters).toHaveLength(0);
  });

  it("a 5xx or a lost answer on create may have made the letter: maybe sent, never plainly retried", async () => {
    fake.failNext.push(503, "lost");
    expect(await sendPingenLetter(config, letter())).toMatchObject({ ok: false, retryable: true, maybeSent: true });
    const lost = await sendPingenLetter(config, letter());
    expect(lost).toMatchObject({ ok: false, maybeSent: true });
    // The lost answer's letter exists and will be printed: the adapter must not be asked again.
    expect(fake.printed()).toHaveLength(1);
  });

  it("a failure before the create (token or upload unreachable) made nothing and is retried safely", async () => {
    fake.failToken.push("network");
    const result = await sendPingenLetter(config, letter());
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result).not.toHaveProperty("maybeSent");
    expect(fake.letters).toHaveLength(0);
  });

  it("is live only with all its credentials and outside Pingen's staging environment, and says it cannot deduplicate", () => {
    expect(pingenAdapter(config).live()).toEqual({ ok: true });
    expect(pingenAdapter({ ...config, organisationId: undefined }).live()).toMatchObject({ ok: false, reason: expect.stringContaining("PINGEN_ORGANISATION_ID") });
    expect(pingenAdapter({ ...config, baseUrl: "https://api-staging.pingen.com" }).live()).toMatchObject({ ok: false, reason: expect.stringContaining("staging") });
    const adapter = pingenAdapter(config);
    expect([adapter.idempotent, adapter.format, adapter.postingDate]).toEqual([false, "letter_pdf", "provider_event"]);
  });
});
