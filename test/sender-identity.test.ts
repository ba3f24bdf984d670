/**
 * The shop's own voice on the wire: emails go From the shop's name and address with Reply-To its
 * service address (checked on the request the Resend fake receives), SMS from the shop's
 * alphanumeric sender where the destination allows it, else its number, else the platform's
 * (checked at the Twilio fake), and the sandbox shows each message as it would be sent.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resendAdapter } from "../workers/channels/resend";
import { twilioAdapter } from "../workers/channels/twilio";
import { fakeResend } from "./fake-resend";
import { fakeTwilio } from "./fake-twilio";
import { advanceTo, call, goLive, invoiceBody, newDebtorId, newTenant, register, settleDispatch, stubOf, useAdapters } from "./helpers";

const RESEND = "https://resend.identity.test";
const TWILIO = "https://twilio.identity.test";
const SID = `AC${"2b".repeat(16)}`;
let restore = () => {};
afterEach(() => {
  restore();
  vi.restoreAllMocks();
});

/** Resend and Twilio fakes behind one fetch, and their adapters in the registry. */
function providers() {
  const resend = fakeResend(RESEND, { verifiedDomains: ["despaak.nl", "mail.kindly.example"] });
  const twilio = fakeTwilio(TWILIO, SID, "tok");
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new Request(input, init).url;
    return url.startsWith(RESEND) ? resend.fetch(input, init) : twilio.fetch(input, init);
  });
  restore = useAdapters(
    resendAdapter({ apiKey: "re_identity", baseUrl: RESEND, platformFrom: "Kindly <reminders@mail.kindly.example>" }),
    twilioAdapter({ accountSid: SID, authToken: "tok", from: "+3197010000009", baseUrl: TWILIO, publicBaseUrl: "https://kindly.example" }),
  );
  return { resend, twilio };
}

/** One debtor through reminder_1 (email); with `sms`, an arrangement confirmation goes by SMS too. */
async function firstEmail(key: string, tenantId: string, phone?: string) {
  const d = newDebtorId();
  const body = await invoiceBody(d, -1);
  await register(key, { ...body, debtor: { ...body.debtor, ...(phone ? { phone } : {}) } });
  await advanceTo(3);
  await stubOf(tenantId, d).tick();
  await settleDispatch(tenantId, d);
  return d;
}

describe("email From and Reply-To", { timeout: 30_000 }, () => {
  it("are the shop's own name, address and service address on the request Resend receives", async () => {
    const { resend } = providers();
    const t = await newTenant();
    await goLive(t.key, { email: { from_name: "Fietsen De Spaak", from_address: "betalen@despaak.nl", reply_to: "klantenservice@despaak.nl" } });
    await firstEmail(t.key, t.id);
    expect(resend.requests).toHaveLength(1);
    expect(resend.requests[0]?.body).toMatchObject({ from: '"Fietsen De Spaak" <betalen@despaak.nl>', reply_to: "klantenservice@despaak.nl", to: ["sanne@example.nl"] });
  });

  it("without an email identity: the shop's name on the platform address, replies to the shop's contact email, never 'Kindly'", async () => {
    const { resend } = providers();
    const t = await newTenant();
    await goLive(t.key);
    await firstEmail(t.key, t.id);
    const from = String(resend.requests[0]?.body.from);
    expect(from).toBe(`"Shop ${t.id}" <reminders@mail.kindly.example>`);
    expect(from).not.toContain("Kindly");
    expect(resend.requests[0]?.body.reply_to).toBe("help@shop.example");
  });

  it("a From on a domain not verified at Resend: the email is not sent, the shop is told, the step goes on another channel", async () => {
    const { resend, twilio } = providers();
    const t = await newTenant();
    await goLive(t.key, { email: { from_name: "De Spaak", from_address: "betalen@niet-geverifieerd.example" } });
    const d = await firstEmail(t.key, t.id, "+31612345678");
    await settleDispatch(t.id, d);
    expect(resend.accepted.size).toBe(0);
    const view = (await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { timeline: { type: string; data: Record<string, unknown> }[] };
    expect(view.timeline.find((e) => e.type === "channel.unavailable")?.data).toMatchObject({ channel: "email", reason: expect.stringContaining("verify its domain") });
    expect(view.timeline.some((e) => e.type === "reminder.sent" && e.data.channel === "email")).toBe(false);
    // The fallback SMS goes out, within the budget, from the platform number (the shop set no SMS sender).
    expect(view.timeline.some((e) => e.type === "reminder.fallback" && e.data.to_channel === "sms")).toBe(true);
    await advanceTo(2);
    await stubOf(t.id, d).tick();
    await settleDispatch(t.id, d);
    expect(twilio.requests.map((r) => r.form.From)).toEqual(["+3197010000009"]);
  });
});

describe("SMS sender", { timeout: 30_000 }, () => {
  /** Plays a debtor with this phone to the SMS step (reminder_sms) and returns the From Twilio got. */
  async function smsFrom(sms: Record<string, string> | undefined, phone: string): Promise<string | undefined> {
    const { twilio } = providers();
    const t = await newTenant();
    await goLive(t.key, sms ? { sms } : {});
    const d = newDebtorId();
    const body = await invoiceBody(d, -1);
    // Email opted out, no address: the first reminder goes by SMS.
    await register(t.key, { ...body, debtor: { ...body.debtor, phone } });
    expect((await call(t.key, "PUT", `/v1/debtors/${d}/channels/email`, { blocked: true, reason: "opted_out" })).status).toBe(200);
    await advanceTo(3);
    await stubOf(t.id, d).tick();
    await settleDispatch(t.id, d);
    return twilio.requests[0]?.form.From;
  }

  it("is the shop's alphanumeric sender ID for a Dutch or Belgian number", async () => {
    expect(await smsFrom({ sender_id: "DeSpaak", from_number: "+31201234567" }, "+31612345678")).toBe("DeSpaak");
    expect(await smsFrom({ sender_id: "DeSpaak" }, "+32470123456")).toBe("DeSpaak");
  });

  it("is the shop's own number where an alphanumeric sender is not allowed, else the platform's number", async () => {
    expect(await smsFrom({ sender_id: "DeSpaak", from_number: "+31201234567" }, "+4915112345678")).toBe("+31201234567");
    expect(await smsFrom(undefined, "+31612345678")).toBe("+3197010000009");
    // A generic sender ID is blocked by the carriers: the shop's number instead.
    expect(await smsFrom({ sender_id: "INFO", from_number: "+31201234567" }, "+31612345678")).toBe("+31201234567");
  });
});

describe("the sandbox shows each message as it would be sent", { timeout: 30_000 }, () => {
  it("with its From and Reply-To, and the SMS sender", async () => {
    const t = await newTenant();
    expect(
      (await call(t.key, "PATCH", "/v1/account", { email: { from_name: "De Spaak", from_address: "betalen@despaak.nl", reply_to: "klantenservice@despaak.nl" }, sms: { sender_id: "DeSpaak" } })).status,
    ).toBe(200);
    const d = newDebtorId();
    const body = await invoiceBody(d, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, phone: "+31612345678" } });
    await advanceTo(1);
    // An arrangement is confirmed by SMS and email at once: both senders show.
    const { debtorLinkSecret, signDebtorLink } = await import("../workers/links");
    const token = await signDebtorLink(debtorLinkSecret(env) ?? "", { tenantId: t.id, debtorId: d, exp: Date.now() + 400 * 86_400_000 * 2 });
    expect((await call(null, "POST", `/d/${token}/actions`, { action: "arrangement", instalments: 2 })).status).toBe(200);
    await stubOf(t.id, d).tick();
    const list = (await (await call(t.key, "GET", `/v1/sandbox/messages?debtor_id=${d}`)).json()) as { data: { channel: string; from: string | null; reply_to: string | null; sender_note: string | null }[] };
    const email = list.data.find((m) => m.channel === "email");
    const sms = list.data.find((m) => m.channel === "sms");
    expect(email).toMatchObject({ from: '"De Spaak" <betalen@despaak.nl>', reply_to: "klantenservice@despaak.nl" });
    expect(sms).toMatchObject({ from: "DeSpaak", reply_to: null });
    expect(sms?.sender_note).toMatch(/cannot reply/);
    // The local page shows them too.
    const page = await (await call(null, "GET", "/sandbox")).text();
    expect(page).toContain("betalen@despaak.nl");
    expect(page).toContain("Reply-To: klantenservice@despaak.nl");
  });
});
