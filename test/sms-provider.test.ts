import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_VALIDITY_SECONDS, sendSms, smsIsLive, type OutgoingSms, type TwilioConfig } from "../workers/channels/twilio";
import { fakeTwilio } from "./fake-twilio";

const BASE = "https://twilio.fake";
const SID = `AC${"1a".repeat(16)}`;
const TOKEN = "auth-token-123";
const live: TwilioConfig = { accountSid: SID, authToken: TOKEN, from: "+3197010000001", messagingServiceSid: undefined, baseUrl: BASE };
const msg: OutgoingSms = { to: "+31612345678", body: "Hallo Sanne, er staat nog € 49,95 open.", statusCallbackUrl: "https://kindly.example/webhooks/twilio/status?o=ob_1" };

function mockTwilio() {
  const fake = fakeTwilio(BASE, SID, TOKEN);
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
  return { fake, spy };
}

afterEach(() => vi.restoreAllMocks());

describe("smsIsLive", () => {
  it("needs the account SID and the auth token (the sender is chosen per shop and destination)", () => {
    expect(smsIsLive(live)).toBe(true);
    expect(smsIsLive({ ...live, from: undefined, messagingServiceSid: "MG123" })).toBe(true);
    expect(smsIsLive({ ...live, from: undefined })).toBe(true);
    expect(smsIsLive({ ...live, authToken: "" })).toBe(false);
    expect(smsIsLive({ ...live, accountSid: undefined })).toBe(false);
  });

  it("an unconfigured channel never calls Twilio", async () => {
    const { spy } = mockTwilio();
    expect(await sendSms({ ...live, authToken: undefined }, msg, Date.now())).toMatchObject({ ok: false, retryable: false });
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("SMS through Twilio (contract with a local fake of the documented Messages API)", () => {
  it("posts the form to the account's Messages.json with Basic auth, a status callback and a validity period", async () => {
    const { fake } = mockTwilio();
    const res = await sendSms(live, msg, Date.now());
    const [req] = fake.requests;
    expect(req?.url).toBe(`${BASE}/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req?.headers.get("authorization")).toBe(`Basic ${btoa(`${SID}:${TOKEN}`)}`);
    expect(req?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(req?.form).toEqual({ To: "+31612345678", From: "+3197010000001", Body: msg.body, StatusCallback: msg.statusCallbackUrl, ValidityPeriod: String(DEFAULT_VALIDITY_SECONDS) });
    expect(res).toEqual({ ok: true, providerId: fake.messages[0]?.sid });
    expect(res.ok && res.providerId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it("sends through the Messaging Service instead of a number when one is configured", async () => {
    const { fake } = mockTwilio();
    const res = await sendSms({ ...live, messagingServiceSid: "MG0123" }, msg, Date.now());
    expect(res.ok).toBe(true);
    expect(fake.requests[0]?.form.MessagingServiceSid).toBe("MG0123");
    expect(fake.requests[0]?.form).not.toHaveProperty("From");
  });

  it("keeps the validity period within Twilio's 1..36000 seconds and accepts a base URL with a trailing slash", async () => {
    const { fake } = mockTwilio();
    await sendSms({ ...live, baseUrl: `${BASE}/` }, { ...msg, validitySeconds: 3600.4 }, Date.now());
    await sendSms(live, { ...msg, validitySeconds: 86_400 }, Date.now());
    await sendSms(live, { ...msg, validitySeconds: 0 }, Date.now());
    expect(fake.requests.map((r) => r.form.ValidityPeriod)).toEqual(["3600", "36000", "1"]);
    expect(fake.messages).toHaveLength(3);
  });

  it("a rate limit is retryable after Retry-After, else after 1 s; the 14107 loop guard after its 30 s", async () => {
    const { fake } = mockTwilio();
    const now = Date.now();
    fake.failNext.push({ status: 429, code: 20429, retryAfter: "3" }, 429, { status: 400, code: 14107, message: "SMS send rate limit exceeded" });
    expect(await sendSms(live, msg, now)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 3000 });
    expect(await sendSms(live, msg, now)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 1000 });
    expect(await sendSms(live, msg, now)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 30_000 });
    expect(fake.messages).toHaveLength(0);
  });

  it("reads Retry-After given as an HTTP date against the caller's clock", async () => {
    const { fake } = mockTwilio();
    const now = Date.parse("2026-03-20T10:00:00Z");
    fake.failNext.push({ status: 429, code: 20429, retryAfter: "Fri, 20 Mar 2026 10:00:05 GMT" });
    expect(await sendSms(live, msg, now)).toMatchObject({ retryable: true, retryAfterMs: 5000 });
  });

  it("5xx and network failures are retryable but flagged maybe-sent, since Twilio takes no idempotency key", async () => {
    const { fake } = mockTwilio();
    fake.failNext.push(500, 503, "network");
    for (let i = 0; i < 3; i++) {
      const res = await sendSms(live, msg, Date.now());
      expect(res).toMatchObject({ ok: false, retryable: true, maybeSent: true });
      expect(res).not.toHaveProperty("retryAfterMs");
    }
  });

  it("an unsubscribed recipient (21610) is permanent and marks the number opted out", async () => {
    const { fake } = mockTwilio();
    fake.optedOut.add(msg.to);
    const res = await sendSms(live, msg, Date.now());
    expect(res).toMatchObject({ ok: false, retryable: false, permanentAddressProblem: "opted_out" });
    expect(!res.ok && res.error).toContain("21610");
  });

  it("an invalid number (21211) or one that cannot take SMS (21614) is permanent and marks it invalid", async () => {
    const { fake } = mockTwilio();
    fake.landlines.add("+31201234567");
    expect(await sendSms(live, { ...msg, to: "0612345678" }, Date.now())).toMatchObject({ ok: false, retryable: false, permanentAddressProblem: "invalid" });
    expect(await sendSms(live, { ...msg, to: "+31201234567" }, Date.now())).toMatchObject({ ok: false, retryable: false, permanentAddressProblem: "invalid" });
    expect(fake.messages).toHaveLength(0);
  });

  it("bad credentials (401 / 20003) and other validation errors are permanent and do not blame the number", async () => {
    const { fake } = mockTwilio();
    const wrong = await sendSms({ ...live, authToken: "wrong" }, msg, Date.now());
    expect(wrong).toMatchObject({ ok: false, retryable: false });
    expect(wrong).not.toHaveProperty("permanentAddressProblem");
    expect(!wrong.ok && wrong.error).toMatch(/^twilio 401\/20003/);
    const empty = await sendSms(live, { ...msg, body: "" }, Date.now());
    expect(empty).toMatchObject({ ok: false, retryable: false });
    expect(empty).not.toHaveProperty("permanentAddressProblem");
    expect(fake.messages).toHaveLength(0);
  });

  it("each call is a new message at Twilio: only the outbox state keeps a retry from sending twice", async () => {
    const { fake } = mockTwilio();
    await sendSms(live, msg, Date.now());
    await sendSms(live, msg, Date.now());
    expect(fake.messages).toHaveLength(2);
    expect(fake.requests.every((r) => !r.headers.has("idempotency-key"))).toBe(true);
  });
});
