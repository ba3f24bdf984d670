/**
 * Provider webhooks, signed by the providers' own libraries (svix for Resend, twilio-node for
 * Twilio; Lob publishes none, so node:crypto signs its documented scheme independently).
 * Forged, tampered, stale and replayed callbacks must change nothing; a missing secret refuses all.
 */
import { createHmac, randomBytes } from "node:crypto";
import { env } from "cloudflare:workers";
import { Webhook } from "svix";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { describe, expect, it } from "vitest";
import { createWebhooks, MAX_WEBHOOK_BODY_BYTES, type SmsReply, type WebhookBackend } from "../workers/api/webhooks";
import { createApp } from "../workers/app";
import { randomToken } from "../workers/crypto";
import type { ChannelEvent, MessageRoute } from "../workers/debtor/channel-events";
import { phoneHash } from "../workers/webhooks/routes";
import { twilioSignedPayload, verifySvix } from "../workers/webhooks/verify";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

const RESEND_SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const TWILIO_TOKEN = randomToken(32);
const LOB_SECRET = randomToken(32);
/** The public URL Twilio is configured with; tests call the app at another host, as behind a proxy. */
const PUBLIC_BASE_URL = "https://kindly.example";
const TWILIO_URL = `${PUBLIC_BASE_URL}/webhooks/twilio`;

const secrets = { RESEND_WEBHOOK_SECRET: RESEND_SECRET, TWILIO_AUTH_TOKEN: TWILIO_TOKEN, LOB_WEBHOOK_SECRET: LOB_SECRET, PUBLIC_BASE_URL };
const testEnv: Env = { ...env, ...secrets };

interface Calls {
  events: { route: MessageRoute; event: ChannelEvent }[];
  optOuts: { tenantId: string; debtorId: string; optedOut: boolean }[];
  replies: { tenantId: string; debtorId: string; reply: SmsReply }[];
}

/** The webhooks mounted as in production, with a spy for the debtors (or the real DOs). */
function setup(opts: { failFirst?: boolean; realDebtors?: boolean } = {}) {
  const calls: Calls = { events: [], optOuts: [], replies: [] };
  let failures = opts.failFirst ? 1 : 0;
  const spy: WebhookBackend = {
    async channelEvent(route, event) {
      if (failures-- > 0) throw new Error("DO overloaded");
      calls.events.push({ route, event });
      return true;
    },
    async setOptOut(tenantId, debtorId, _channel, optedOut) {
      calls.optOuts.push({ tenantId, debtorId, optedOut });
      return true;
    },
    async reply(tenantId, debtorId, reply) {
      calls.replies.push({ tenantId, debtorId, reply });
      return true;
    },
  };
  const app = createApp();
  app.route("/webhooks", opts.realDebtors ? createWebhooks() : createWebhooks(() => spy));
  const post = (path: string, body: string, headers: Record<string, string>, e: Env = testEnv) =>
    app.request(`http://worker.internal${path}`, { method: "POST", body, headers }, e);
  return { calls, post };
}

async function seedRoute(provider: string, channel: MessageRoute["channel"]): Promise<MessageRoute & { providerMessageId: string }> {
  const route = { tenantId: `t${randomToken(8).toLowerCase()}`, debtorId: newDebtorId(), outboxId: `out_${randomToken(10)}`, channel };
  const providerMessageId =
    provider === "twilio" ? `SM${randomBytes(16).toString("hex")}` : provider === "lob" ? `ltr_${randomBytes(8).toString("hex")}` : crypto.randomUUID();
  await env.DB.prepare(
    "INSERT INTO message_routes (provider, provider_message_id, tenant_id, debtor_id, outbox_id, channel, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(provider, providerMessageId, route.tenantId, route.debtorId, route.outboxId, channel, Date.now())
    .run();
  return { ...route, providerMessageId };
}

async function receipts(provider: string, eventId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_receipts WHERE provider = ? AND event_id = ?").bind(provider, eventId).first<{ n: number }>();
  return row?.n ?? 0;
}

async function problemCode(res: Response): Promise<string> {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return ((await res.json()) as { code: string }).code;
}

// ---------------------------------------------------------------- Resend (Svix)

function resendPayload(type: string, emailId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: { email_id: emailId, from: "Shop <reminders@shop.example>", to: ["sanne@example.nl"], subject: "Herinnering", created_at: new Date().toISOString(), ...extra },
  });
}

/** Svix headers as Resend sends them, signed by the official svix library. */
function svixHeaders(body: string, opts: { id?: string; at?: Date; secret?: string } = {}): Record<string, string> {
  const id = opts.id ?? `msg_${randomToken(24)}`;
  const at = opts.at ?? new Date();
  return {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
    "svix-signature": new Webhook(opts.secret ?? RESEND_SECRET).sign(id, at, body),
  };
}

describe("Resend webhooks", () => {
  it("a delivered event signed by svix reaches the message's debtor", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("resend", "email");
    const body = resendPayload("email.delivered", route.providerMessageId);
    const headers = svixHeaders(body);
    const res = await post("/webhooks/resend", body, headers);
    expect(res.status).toBe(200);
    expect(calls.events).toHaveLength(1);
    const [{ route: r, event }] = calls.events as [Calls["events"][number]];
    expect(r).toEqual({ tenantId: route.tenantId, debtorId: route.debtorId, outboxId: route.outboxId, channel: "email" });
    expect(event).toMatchObject({ provider: "resend", providerEventId: headers["svix-id"], outboxId: route.outboxId, channel: "email", type: "delivered", permanent: false });
    expect(await receipts("resend", headers["svix-id"] ?? "")).toBe(1);
  });

  it("our verifier agrees with svix's own verify on the same delivery", async () => {
    const body = resendPayload("email.opened", "e1");
    const headers = svixHeaders(body);
    expect(() => new Webhook(RESEND_SECRET).verify(body, headers)).not.toThrow();
    const ours = await verifySvix({
      secret: RESEND_SECRET,
      id: headers["svix-id"],
      timestamp: headers["svix-timestamp"],
      signature: headers["svix-signature"],
      body: new TextEncoder().encode(body),
      nowMs: Date.now(),
    });
    expect(ours).toEqual({ ok: true });
  });

  it("a hard bounce is permanent, a soft bounce is not, a complaint is a complaint", async () => {
    const { calls, post } = setup();
    const hard = await seedRoute("resend", "email");
    const soft = await seedRoute("resend", "email");
    const complained = await seedRoute("resend", "email");
    const bodies = [
      resendPayload("email.bounced", hard.providerMessageId, { bounce: { type: "Permanent", subType: "General", message: "550 no such user" } }),
      resendPayload("email.bounced", soft.providerMessageId, { bounce: { type: "Transient", subType: "MailboxFull", message: "452 full" } }),
      resendPayload("email.complained", complained.providerMessageId),
    ];
    for (const body of bodies) expect((await post("/webhooks/resend", body, svixHeaders(body))).status).toBe(200);
    expect(calls.events.map((c) => [c.route.outboxId, c.event.type, c.event.permanent])).toEqual([
      [hard.outboxId, "bounced", true],
      [soft.outboxId, "bounced", false],
      [complained.outboxId, "complained", false],
    ]);
    expect(calls.events[0]?.event.detail).toBe("Permanent General");
  });

  it("a forged signature is refused with 401 and changes nothing", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("resend", "email");
    const body = resendPayload("email.bounced", route.providerMessageId, { bounce: { type: "Permanent" } });
    const headers = svixHeaders(body, { secret: `whsec_${randomBytes(24).toString("base64")}` });
    const res = await post("/webhooks/resend", body, headers);
    expect(res.status).toBe(401);
    expect(await problemCode(res)).toBe("unauthorized");
    expect(calls.events).toHaveLength(0);
    expect(await receipts("resend", headers["svix-id"] ?? "")).toBe(0);
  });

  it("a tampered body is refused", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("resend", "email");
    const signed = resendPayload("email.delivered", route.providerMessageId);
    const tampered = signed.replace("email.delivered", "email.complained");
    const res = await post("/webhooks/resend", tampered, svixHeaders(signed));
    expect(res.status).toBe(401);
    expect(calls.events).toHaveLength(0);
  });

  it("a timestamp more than 5 minutes old or ahead is refused, even correctly signed", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("resend", "email");
    const body = resendPayload("email.delivered", route.providerMessageId);
    for (const at of [new Date(Date.now() - 6 * 60_000), new Date(Date.now() + 6 * 60_000)]) {
      const res = await post("/webhooks/resend", body, svixHeaders(body, { at }));
      expect(res.status).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/5 minutes/);
    }
    // Four minutes old is within tolerance (a slow retry).
    expect((await post("/webhooks/resend", body, svixHeaders(body, { at: new Date(Date.now() - 4 * 60_000) }))).status).toBe(200);
    expect(calls.events).toHaveLength(1);
  });

  it("a replayed svix-id answers 200 and reaches the debtor once", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("resend", "email");
    const body = resendPayload("email.opened", route.providerMessageId);
    const headers = svixHeaders(body);
    expect((await post("/webhooks/resend", body, headers)).status).toBe(200);
    expect((await post("/webhooks/resend", body, headers)).status).toBe(200);
    // Svix re-signs a retry with a new timestamp but keeps the message id.
    expect((await post("/webhooks/resend", body, svixHeaders(body, { id: headers["svix-id"] }))).status).toBe(200);
    expect(calls.events).toHaveLength(1);
  });

  it("a missing secret refuses every callback (fails closed)", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("resend", "email");
    const body = resendPayload("email.delivered", route.providerMessageId);
    const res = await post("/webhooks/resend", body, svixHeaders(body), { ...testEnv, RESEND_WEBHOOK_SECRET: undefined });
    expect(res.status).toBe(401);
    expect(calls.events).toHaveLength(0);
  });

  it("missing signature headers are refused", async () => {
    const { post } = setup();
    const body = resendPayload("email.delivered", "x");
    const { "svix-signature": _drop, ...headers } = svixHeaders(body);
    expect((await post("/webhooks/resend", body, headers)).status).toBe(401);
  });

  it("a rotated secret: one matching v1 entry among several is enough", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("resend", "email");
    const body = resendPayload("email.clicked", route.providerMessageId);
    const headers = svixHeaders(body);
    const old = new Webhook(`whsec_${randomBytes(24).toString("base64")}`).sign(headers["svix-id"] ?? "", new Date(Number(headers["svix-timestamp"]) * 1000), body);
    headers["svix-signature"] = `${old} v1a,${randomBytes(64).toString("base64")} ${headers["svix-signature"]}`;
    expect((await post("/webhooks/resend", body, headers)).status).toBe(200);
    expect(calls.events[0]?.event.type).toBe("clicked");
  });

  it("an email id Kindly did not send is acknowledged without touching any debtor", async () => {
    const { calls, post } = setup();
    const body = resendPayload("email.bounced", crypto.randomUUID(), { bounce: { type: "Permanent" } });
    const headers = svixHeaders(body);
    expect((await post("/webhooks/resend", body, headers)).status).toBe(200);
    expect(calls.events).toHaveLength(0);
    expect(await receipts("resend", headers["svix-id"] ?? "")).toBe(0);
  });

  it("event types Kindly does not act on are acknowledged and ignored", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("resend", "email");
    for (const type of ["email.sent", "email.delivery_delayed", "contact.created", "domain.updated"]) {
      const body = resendPayload(type, route.providerMessageId);
      expect((await post("/webhooks/resend", body, svixHeaders(body))).status).toBe(200);
    }
    expect(calls.events).toHaveLength(0);
  });

  it("signed but unreadable bodies answer 400, never 500", async () => {
    const { post } = setup();
    for (const body of ["not json", JSON.stringify({ type: "email.delivered", data: {} }), JSON.stringify([1, 2])]) {
      const res = await post("/webhooks/resend", body, svixHeaders(body));
      expect(res.status).toBe(400);
      expect(await problemCode(res)).toBe("bad_request");
    }
  });

  it("a debtor that fails to take the event releases the receipt, so the provider's retry lands", async () => {
    const { calls, post } = setup({ failFirst: true });
    const route = await seedRoute("resend", "email");
    const body = resendPayload("email.delivered", route.providerMessageId);
    const headers = svixHeaders(body);
    expect((await post("/webhooks/resend", body, headers)).status).toBe(500);
    expect(await receipts("resend", headers["svix-id"] ?? "")).toBe(0);
    expect((await post("/webhooks/resend", body, headers)).status).toBe(200);
    expect(calls.events).toHaveLength(1);
  });

  it("bodies over 64 KB are refused with 413 before any check", async () => {
    const { post } = setup();
    const body = JSON.stringify({ type: "email.delivered", data: { email_id: "x", pad: "a".repeat(MAX_WEBHOOK_BODY_BYTES) } });
    const res = await post("/webhooks/resend", body, svixHeaders(body));
    expect(res.status).toBe(413);
    expect(await problemCode(res)).toBe("payload_too_large");
  });
});

// ---------------------------------------------------------------- Twilio

/** A form post signed by twilio-node over the public URL Twilio was configured with. */
function twilioRequest(params: Record<string, string>, opts: { url?: string; token?: string } = {}): [string, Record<string, string>] {
  const signature = getExpectedTwilioSignature(opts.token ?? TWILIO_TOKEN, opts.url ?? TWILIO_URL, params);
  return [new URLSearchParams(params).toString(), { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }];
}

const sid = () => `SM${randomBytes(16).toString("hex")}`;
const phone = () => `+316${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

function statusParams(messageSid: string, status: string, errorCode?: string): Record<string, string> {
  return {
    AccountSid: `AC${"0".repeat(32)}`,
    ApiVersion: "2010-04-01",
    From: "+3197010000000",
    To: "+31612345678",
    MessageSid: messageSid,
    SmsSid: messageSid,
    MessageStatus: status,
    SmsStatus: status,
    ...(errorCode ? { ErrorCode: errorCode } : {}),
  };
}

function inboundParams(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  const messageSid = sid();
  return { AccountSid: `AC${"0".repeat(32)}`, ApiVersion: "2010-04-01", MessageSid: messageSid, SmsSid: messageSid, SmsMessageSid: messageSid, From: from, To: "+3197010000000", Body: body, NumMedia: "0", NumSegments: "1", SmsStatus: "received", ...extra };
}

async function seedPhone(e164: string, tenantId: string, debtorId: string): Promise<void> {
  await env.DB.prepare("INSERT OR IGNORE INTO phone_index (phone_hash, tenant_id, debtor_id) VALUES (?, ?, ?)").bind(await phoneHash(e164), tenantId, debtorId).run();
}

describe("Twilio webhooks", () => {
  it("a delivered status callback signed by twilio-node reaches the debtor; the answer is empty TwiML", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("twilio", "sms");
    const res = await post("/webhooks/twilio", ...twilioRequest(statusParams(route.providerMessageId, "delivered")));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(calls.events.map((c) => c.event)).toMatchObject([
      { provider: "twilio", providerEventId: `${route.providerMessageId}:delivered`, outboxId: route.outboxId, channel: "sms", type: "delivered", permanent: false },
    ]);
  });

  it("the signed string matches twilio-node's for repeated and unsorted parameters", () => {
    const params: [string, string][] = [["b", "2"], ["a", "z"], ["a", "y"], ["B", "1"]];
    const ours = twilioSignedPayload(TWILIO_URL, params);
    expect(ours).toBe(`${TWILIO_URL}B1ayazb2`);
    const expected = getExpectedTwilioSignature(TWILIO_TOKEN, TWILIO_URL, { b: "2", a: ["z", "y"], B: "1" } as unknown as Record<string, string>);
    expect(createHmac("sha1", TWILIO_TOKEN).update(ours).digest("base64")).toBe(expected);
  });

  it("the public URL is what counts: a signature over the Host the Worker saw is refused", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("twilio", "sms");
    const res = await post("/webhooks/twilio", ...twilioRequest(statusParams(route.providerMessageId, "delivered"), { url: "http://worker.internal/webhooks/twilio" }));
    expect(res.status).toBe(401);
    expect(calls.events).toHaveLength(0);
  });

  it("an explicit default port in the signed URL is accepted, as twilio-node does", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("twilio", "sms");
    const res = await post("/webhooks/twilio", ...twilioRequest(statusParams(route.providerMessageId, "delivered"), { url: "https://kindly.example:443/webhooks/twilio" }));
    expect(res.status).toBe(200);
    expect(calls.events).toHaveLength(1);
  });

  it("forged signatures and tampered parameters are refused", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("twilio", "sms");
    const forged = await post("/webhooks/twilio", ...twilioRequest(statusParams(route.providerMessageId, "failed", "30005"), { token: randomToken(32) }));
    expect(forged.status).toBe(401);
    const [body, headers] = twilioRequest(statusParams(route.providerMessageId, "delivered"));
    const tampered = await post("/webhooks/twilio", body.replace("MessageStatus=delivered", "MessageStatus=failed"), headers);
    expect(tampered.status).toBe(401);
    const unsigned = await post("/webhooks/twilio", body, { "content-type": "application/x-www-form-urlencoded" });
    expect(unsigned.status).toBe(401);
    expect(calls.events).toHaveLength(0);
    expect(await receipts("twilio", `${route.providerMessageId}:failed`)).toBe(0);
  });

  it("a missing auth token refuses every callback", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("twilio", "sms");
    const res = await post("/webhooks/twilio", ...twilioRequest(statusParams(route.providerMessageId, "delivered")), { ...testEnv, TWILIO_AUTH_TOKEN: undefined });
    expect(res.status).toBe(401);
    expect(calls.events).toHaveLength(0);
  });

  it("an unknown or landline number is a permanent failure; an unreachable handset is not", async () => {
    const { calls, post } = setup();
    const unknown = await seedRoute("twilio", "sms");
    const landline = await seedRoute("twilio", "sms");
    const off = await seedRoute("twilio", "sms");
    await post("/webhooks/twilio", ...twilioRequest(statusParams(unknown.providerMessageId, "undelivered", "30005")));
    await post("/webhooks/twilio", ...twilioRequest(statusParams(landline.providerMessageId, "failed", "30006")));
    await post("/webhooks/twilio", ...twilioRequest(statusParams(off.providerMessageId, "undelivered", "30003")));
    expect(calls.events.map((c) => [c.route.outboxId, c.event.type, c.event.permanent, c.event.detail])).toEqual([
      [unknown.outboxId, "undelivered", true, "error 30005"],
      [landline.outboxId, "failed", true, "error 30006"],
      [off.outboxId, "undelivered", false, "error 30003"],
    ]);
  });

  it("a duplicate status callback reaches the debtor once; a later status is its own event", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("twilio", "sms");
    const sent = twilioRequest(statusParams(route.providerMessageId, "sent"));
    const delivered = twilioRequest(statusParams(route.providerMessageId, "delivered"));
    for (const req of [sent, delivered, delivered]) expect((await post("/webhooks/twilio", ...req)).status).toBe(200);
    expect(calls.events.map((c) => c.event.type)).toEqual(["delivered"]);
  });

  it("a status callback for a message Kindly did not send is acknowledged without any call", async () => {
    const { calls, post } = setup();
    expect((await post("/webhooks/twilio", ...twilioRequest(statusParams(sid(), "delivered")))).status).toBe(200);
    expect(calls.events).toHaveLength(0);
  });

  it("STOP opts the number out at every debtor who has it, in every tenant", async () => {
    const { calls, post } = setup();
    const number = phone();
    const other = phone();
    await seedPhone(number, "ta", "cust-1");
    await seedPhone(number, "tb", "cust-9");
    await seedPhone(other, "ta", "cust-2");
    const res = await post("/webhooks/twilio", ...twilioRequest(inboundParams(number, "  stop ")));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<Response/>");
    expect(calls.optOuts).toEqual([
      { tenantId: "ta", debtorId: "cust-1", optedOut: true },
      { tenantId: "tb", debtorId: "cust-9", optedOut: true },
    ]);
    expect(calls.replies).toHaveLength(0);
  });

  it("every default stop word opts out, and Twilio's OptOutType wins over the words", async () => {
    const { calls, post } = setup();
    const number = phone();
    await seedPhone(number, "ta", "cust-1");
    for (const word of ["STOPALL", "Unsubscribe", "end", "QUIT", "revoke", "OptOut", "CANCEL"]) await post("/webhooks/twilio", ...twilioRequest(inboundParams(number, word)));
    // A custom Advanced Opt-Out keyword: Twilio says what it is.
    await post("/webhooks/twilio", ...twilioRequest(inboundParams(number, "Afmelden", { OptOutType: "STOP" })));
    expect(calls.optOuts).toHaveLength(8);
    expect(calls.optOuts.every((o) => o.optedOut)).toBe(true);
    expect(calls.replies).toHaveLength(0);
  });

  it("START re-enables SMS; HELP changes nothing", async () => {
    const { calls, post } = setup();
    const number = phone();
    await seedPhone(number, "ta", "cust-1");
    for (const word of ["START", "unstop", "Yes"]) await post("/webhooks/twilio", ...twilioRequest(inboundParams(number, word)));
    await post("/webhooks/twilio", ...twilioRequest(inboundParams(number, "HELP")));
    expect(calls.optOuts).toEqual([1, 2, 3].map(() => ({ tenantId: "ta", debtorId: "cust-1", optedOut: false })));
    expect(calls.replies).toHaveLength(0);
  });

  it("any other reply is recorded with its text, only for the debtor this number last got an SMS as; a redelivered inbound message once", async () => {
    const { calls, post } = setup();
    const number = phone();
    await seedPhone(number, "ta", "cust-1");
    await seedPhone(number, "tb", "cust-9");
    // Both tenants know this number; Kindly last texted it for tenant ta's debtor.
    await env.DB.prepare("INSERT INTO message_routes (provider, provider_message_id, tenant_id, debtor_id, outbox_id, channel, created_at) VALUES ('twilio', ?, 'tb', 'cust-9', 'ob_old', 'sms', ?), ('twilio', ?, 'ta', 'cust-1', 'ob_new', 'sms', ?)")
      .bind(`SM${randomToken(20)}`, Date.now() - 60_000, `SM${randomToken(20)}`, Date.now())
      .run();
    const req = twilioRequest(inboundParams(number, "Ik betaal vrijdag, sorry! Stop niet meteen"));
    expect((await post("/webhooks/twilio", ...req)).status).toBe(200);
    expect((await post("/webhooks/twilio", ...req)).status).toBe(200);
    expect(calls.optOuts).toHaveLength(0);
    expect(calls.replies).toHaveLength(1);
    expect(calls.replies[0]).toMatchObject({ tenantId: "ta", debtorId: "cust-1", reply: { channel: "sms", body: "Ik betaal vrijdag, sorry! Stop niet meteen" } });
    expect(typeof calls.replies[0]?.reply.receivedAt).toBe("number");
  });

  it("a message from a number no debtor has is acknowledged without any call", async () => {
    const { calls, post } = setup();
    const res = await post("/webhooks/twilio", ...twilioRequest(inboundParams(phone(), "STOP")));
    expect(res.status).toBe(200);
    expect(calls.optOuts).toHaveLength(0);
  });

  it("STOP, START and a reply reach the real debtor registered with that phone", async () => {
    const { post } = setup({ realDebtors: true });
    const tenant = await newTenant();
    const debtorId = newDebtorId();
    const number = phone();
    // Registering the debtor with a phone fills phone_index (workers/api/invoices.ts).
    const body = await invoiceBody(debtorId, -1);
    await register(tenant.key, { ...body, debtor: { ...body.debtor, phone: number } });
    type View = { blocked_channels: { channel: string; reason: string }[]; timeline: { type: string; data: Record<string, unknown> }[] };
    const view = async () => (await (await call(tenant.key, "GET", `/v1/debtors/${debtorId}`)).json()) as View;

    expect((await post("/webhooks/twilio", ...twilioRequest(inboundParams(number, "STOP")))).status).toBe(200);
    expect((await view()).blocked_channels).toContainEqual({ channel: "sms", reason: "opted_out" });
    expect((await post("/webhooks/twilio", ...twilioRequest(inboundParams(number, "START")))).status).toBe(200);
    expect((await view()).blocked_channels.map((b) => b.channel)).not.toContain("sms");
    // A reply goes to the debtor whose SMS it answers: Kindly texted this debtor.
    await env.DB.prepare("INSERT INTO message_routes (provider, provider_message_id, tenant_id, debtor_id, outbox_id, channel, created_at) VALUES ('twilio', ?, ?, ?, 'ob_c1_s0_sms', 'sms', ?)")
      .bind(`SM${randomToken(20)}`, tenant.id, debtorId, Date.now())
      .run();
    expect((await post("/webhooks/twilio", ...twilioRequest(inboundParams(number, "Betaal volgende week")))).status).toBe(200);
    expect((await view()).timeline.find((e) => e.type === "debtor.replied")?.data).toMatchObject({ channel: "sms", body: "Betaal volgende week" });
  });
});

// ---------------------------------------------------------------- Lob

function lobPayload(eventType: string, letterId: string, eventId = `evt_${randomBytes(12).toString("hex")}`): string {
  return JSON.stringify({
    id: eventId,
    object: "event",
    date_created: new Date().toISOString(),
    reference_id: letterId,
    event_type: { id: eventType, enabled_for_test: true, resource: "letters", object: "event_type" },
    body: { id: letterId, object: "letter", description: "reminder" },
  });
}

/** Lob-Signature = hex HMAC-SHA256(secret, `${timestamp}.${raw body}`). */
function lobHeaders(body: string, opts: { timestamp?: string; secret?: string } = {}): Record<string, string> {
  const timestamp = opts.timestamp ?? String(Date.now());
  return {
    "content-type": "application/json",
    "lob-signature-timestamp": timestamp,
    "lob-signature": createHmac("sha256", opts.secret ?? LOB_SECRET).update(`${timestamp}.${body}`).digest("hex"),
  };
}

describe("Lob webhooks", () => {
  it("letter events reach the debtor; a returned letter is permanent", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("lob", "letter");
    const events = ["letter.mailed", "letter.in_transit", "letter.processed_for_delivery", "letter.delivered", "letter.returned_to_sender"];
    for (const type of events) {
      const body = lobPayload(type, route.providerMessageId);
      expect((await post("/webhooks/lob", body, lobHeaders(body))).status).toBe(200);
    }
    expect(calls.events.map((c) => [c.event.type, c.event.permanent])).toEqual([
      ["mailed", false],
      ["in_transit", false],
      ["delivered", false],
      ["delivered", false],
      ["returned", true],
    ]);
    expect(calls.events.every((c) => c.event.outboxId === route.outboxId && c.event.channel === "letter" && c.event.provider === "lob")).toBe(true);
  });

  it("a timestamp in seconds is read as well as one in milliseconds", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("lob", "letter");
    const body = lobPayload("letter.mailed", route.providerMessageId);
    expect((await post("/webhooks/lob", body, lobHeaders(body, { timestamp: String(Math.floor(Date.now() / 1000)) }))).status).toBe(200);
    expect(calls.events).toHaveLength(1);
  });

  it("forged, tampered and stale callbacks are refused and change nothing", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("lob", "letter");
    const eventId = `evt_${randomBytes(12).toString("hex")}`;
    const body = lobPayload("letter.returned_to_sender", route.providerMessageId, eventId);
    expect((await post("/webhooks/lob", body, lobHeaders(body, { secret: randomToken(32) }))).status).toBe(401);
    expect((await post("/webhooks/lob", body.replace("returned_to_sender", "delivered"), lobHeaders(body))).status).toBe(401);
    expect((await post("/webhooks/lob", body, lobHeaders(body, { timestamp: String(Date.now() - 6 * 60_000) }))).status).toBe(401);
    expect((await post("/webhooks/lob", body, { "content-type": "application/json" })).status).toBe(401);
    expect(calls.events).toHaveLength(0);
    expect(await receipts("lob", eventId)).toBe(0);
  });

  it("a replayed event id reaches the debtor once", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("lob", "letter");
    const body = lobPayload("letter.delivered", route.providerMessageId);
    expect((await post("/webhooks/lob", body, lobHeaders(body))).status).toBe(200);
    expect((await post("/webhooks/lob", body, lobHeaders(body))).status).toBe(200);
    expect(calls.events).toHaveLength(1);
  });

  it("a missing secret refuses every callback", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("lob", "letter");
    const body = lobPayload("letter.delivered", route.providerMessageId);
    expect((await post("/webhooks/lob", body, lobHeaders(body), { ...testEnv, LOB_WEBHOOK_SECRET: undefined })).status).toBe(401);
    expect(calls.events).toHaveLength(0);
  });

  it("unknown letters and non-tracking events are acknowledged without any call", async () => {
    const { calls, post } = setup();
    const route = await seedRoute("lob", "letter");
    const unknown = lobPayload("letter.delivered", `ltr_${randomBytes(8).toString("hex")}`);
    const rendered = lobPayload("letter.rendered_pdf", route.providerMessageId);
    expect((await post("/webhooks/lob", unknown, lobHeaders(unknown))).status).toBe(200);
    expect((await post("/webhooks/lob", rendered, lobHeaders(rendered))).status).toBe(200);
    expect(calls.events).toHaveLength(0);
  });
});
