/**
 * Provider webhooks, mounted at /webhooks: Resend (Svix-signed JSON), Twilio (form posts signed
 * with X-Twilio-Signature) and Lob (Lob-Signature). Each handler reads the raw body (64 KB at
 * most), verifies the signature before it reads or writes any state, claims the callback id in
 * webhook_receipts (a replay answers 200 and changes nothing), then hands the event to the
 * debtor's Durable Object. A missing secret fails closed with the same 401 as a forged request.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type AppEnv, createApp } from "../app";
import { type Clock, loadClock } from "../clock";
import type { ChannelEvent, MessageRoute } from "../debtor/channel-events";
import { debtorStub } from "../debtor/stub";
import { ApiError, problem } from "../errors";
import { mapLobEvent } from "../webhooks/lob";
import { mapResendEvent } from "../webhooks/resend";
import { debtorsByPhone, findMessageRoute, processOnce, type Provider } from "../webhooks/routes";
import { classifyTwilio, EMPTY_TWIML, formParams, pathAndQuery, twilioSignedUrls } from "../webhooks/twilio";
import { type VerifyFailure, verifyLob, verifySvix, verifyTwilio } from "../webhooks/verify";

/** Largest webhook body accepted; providers send a few KB. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;
/** Longest callback id kept as a receipt. */
const MAX_EVENT_ID_CHARS = 255;
/** DO calls made at once when one phone number reaches several debtors. */
const FAN_OUT = 10;

/** A free-text SMS reply, as the DebtorDO records it. */
export interface SmsReply {
  channel: "sms";
  body: string;
  receivedAt: number;
}

/** What the webhooks need from the debtors; the Durable Objects in production, a spy in tests. Each answers whether the debtor took it. */
export interface WebhookBackend {
  channelEvent(route: MessageRoute, event: ChannelEvent): Promise<boolean>;
  setSmsOptOut(tenantId: string, debtorId: string, optedOut: boolean): Promise<boolean>;
  smsReply(tenantId: string, debtorId: string, reply: SmsReply): Promise<boolean>;
}

/** The production backend: RPC on the (tenant, debtor) Durable Object the route or phone names. */
export function debtorObjectBackend(env: Env): WebhookBackend {
  return {
    channelEvent: async (route, event) => (await debtorStub(env, route.tenantId, route.debtorId).channelEvent(route.tenantId, event)).ok,
    setSmsOptOut: async (tenantId, debtorId, optedOut) =>
      (await debtorStub(env, tenantId, debtorId).setChannel(tenantId, "sms", optedOut, optedOut ? "opted_out" : "opted_in")).ok,
    smsReply: async (tenantId, debtorId, reply) => (await debtorStub(env, tenantId, debtorId).channelReply(tenantId, reply)).ok,
  };
}

type Ctx = Context<AppEnv>;

const EXPECTED_CHANNEL: Record<Provider, MessageRoute["channel"]> = { resend: "email", twilio: "sms", lob: "letter" };

function refused(c: Ctx, provider: Provider, reason: VerifyFailure): Response {
  // Fail closed: a missing secret looks like a forged request to the caller, and loudly to us.
  if (reason === "missing_secret") console.error(`webhooks/${provider}: no signing secret configured; every callback is refused`);
  const detail =
    reason === "stale"
      ? "The signature timestamp is more than 5 minutes from our clock."
      : reason === "missing_headers"
        ? "The signature headers are missing."
        : "The signature could not be verified.";
  return problem(c, "unauthorized", detail);
}

async function rawBody(c: Ctx): Promise<Uint8Array> {
  return new Uint8Array(await c.req.arrayBuffer());
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new ApiError("bad_request", "The body is not JSON.");
  }
}

function checkEventId(id: string): string {
  if (id.length > MAX_EVENT_ID_CHARS) throw new ApiError("bad_request", "The event id is too long.");
  return id;
}

/** A provider's time moved onto Kindly's clock (the same in production; shifted in development), never in the future. */
function onClock(clock: Clock, providerMs: number | null): number {
  return providerMs === null ? clock.now() : Math.min(providerMs + clock.offsetMs, clock.now());
}

/** The message's route, when it is ours and on the provider's channel; unknown ids are logged and acknowledged. */
async function routeOf(c: Ctx, provider: Provider, messageId: string): Promise<MessageRoute | null> {
  const route = await findMessageRoute(c.env.DB, provider, messageId);
  if (!route) console.warn(`webhooks/${provider}: no message route for ${messageId.slice(0, 64)}; acknowledged`);
  else if (route.channel !== EXPECTED_CHANNEL[provider]) {
    console.error(`webhooks/${provider}: route of ${messageId.slice(0, 64)} is on ${route.channel}; ignored`);
    return null;
  }
  return route;
}

async function deliver(backend: WebhookBackend, route: MessageRoute, event: ChannelEvent): Promise<void> {
  if (!(await backend.channelEvent(route, event))) console.warn(`webhooks/${event.provider}: the debtor did not take event ${event.providerEventId}`);
}

/** Calls `fn` for every debtor, a few at a time; all are tried before a failure is thrown. */
async function fanOut<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  const failures: unknown[] = [];
  for (let i = 0; i < items.length; i += FAN_OUT) {
    const settled = await Promise.allSettled(items.slice(i, i + FAN_OUT).map(fn));
    for (const s of settled) if (s.status === "rejected") failures.push(s.reason);
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${items.length} debtor calls failed`);
}

const twiml = (c: Ctx) => c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });

/** The webhooks sub-app; `backend` reaches the debtors (the Durable Objects unless a test passes a spy). */
export function createWebhooks(backend: (env: Env) => WebhookBackend = debtorObjectBackend) {
  const app = createApp();

  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_WEBHOOK_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BODY_BYTES} bytes.`);
      },
    }),
  );

  app.post("/resend", async (c) => {
    const body = await rawBody(c);
    const svixId = c.req.header("svix-id");
    const verified = await verifySvix({
      secret: c.env.RESEND_WEBHOOK_SECRET,
      id: svixId,
      timestamp: c.req.header("svix-timestamp"),
      signature: c.req.header("svix-signature"),
      body,
      nowMs: Date.now(),
    });
    if (!verified.ok || !svixId) return refused(c, "resend", verified.ok ? "missing_headers" : verified.reason);

    const mapping = mapResendEvent(parseJson(body));
    if (mapping.kind === "malformed") throw new ApiError("bad_request", mapping.message);
    if (mapping.kind === "ignored") return c.json({ received: true });
    const route = await routeOf(c, "resend", mapping.emailId);
    if (!route) return c.json({ received: true });

    const eventId = checkEventId(svixId);
    const clock = await loadClock(c.env);
    const event: ChannelEvent = {
      provider: "resend",
      providerEventId: eventId,
      outboxId: route.outboxId,
      channel: "email",
      type: mapping.type,
      permanent: mapping.permanent,
      occurredAt: onClock(clock, mapping.occurredAt),
      ...(mapping.detail ? { detail: mapping.detail } : {}),
    };
    await processOnce(c.env.DB, "resend", eventId, () => deliver(backend(c.env), route, event));
    return c.json({ received: true });
  });

  app.post("/twilio", async (c) => {
    const params = formParams(new TextDecoder().decode(await rawBody(c)));
    // Twilio signs the public URL it called; behind a proxy or custom domain the Worker's own URL
    // differs, so PUBLIC_BASE_URL (configuration, not the Host header) gives scheme and host.
    const base = c.env.PUBLIC_BASE_URL;
    const verified = await verifyTwilio({
      authToken: c.env.TWILIO_AUTH_TOKEN,
      urls: base ? twilioSignedUrls(base, pathAndQuery(c.req.url)) : [],
      params,
      signature: c.req.header("x-twilio-signature"),
    });
    if (!verified.ok) return refused(c, "twilio", verified.reason);

    const callback = classifyTwilio(params);
    if (callback.kind === "malformed") throw new ApiError("bad_request", callback.message);
    if (callback.kind === "ignored") return twiml(c);
    const clock = await loadClock(c.env);

    if (callback.kind === "status") {
      if (!callback.type) return twiml(c); // queued, sent, ...: nothing the debtor's state needs.
      const route = await routeOf(c, "twilio", callback.messageSid);
      if (!route) return twiml(c);
      const eventId = `${callback.messageSid}:${callback.status}`;
      const event: ChannelEvent = {
        provider: "twilio",
        providerEventId: eventId,
        outboxId: route.outboxId,
        channel: "sms",
        type: callback.type,
        permanent: callback.permanent,
        occurredAt: clock.now(),
        ...(callback.errorCode ? { detail: `error ${callback.errorCode}` } : {}),
      };
      await processOnce(c.env.DB, "twilio", eventId, () => deliver(backend(c.env), route, event));
      return twiml(c);
    }

    // An inbound message. HELP is answered by Twilio itself and changes nothing here.
    if (callback.intent === "help") return twiml(c);
    const debtors = await debtorsByPhone(c.env.DB, callback.from);
    if (debtors.length === 0) {
      console.warn("webhooks/twilio: inbound message from a number no debtor has; acknowledged");
      return twiml(c);
    }
    const b = backend(c.env);
    const receivedAt = clock.now();
    // A stop word opts the number out everywhere; a reply is private, so it goes only to the
    // debtor whose SMS this number answered last (one merchant never reads another's text).
    const targets = callback.intent === "reply" ? await lastSmsDebtor(c.env.DB, debtors) : debtors;
    await processOnce(c.env.DB, "twilio", callback.messageSid, () =>
      fanOut(targets, async ({ tenantId, debtorId }) => {
        const ok =
          callback.intent === "reply"
            ? await b.smsReply(tenantId, debtorId, { channel: "sms", body: callback.body, receivedAt })
            : await b.setSmsOptOut(tenantId, debtorId, callback.intent === "stop");
        if (!ok) console.warn(`webhooks/twilio: a debtor did not take ${callback.intent} of ${callback.messageSid}`);
      }),
    );
    return twiml(c);
  });

  app.post("/lob", async (c) => {
    const body = await rawBody(c);
    const verified = await verifyLob({
      secret: c.env.LOB_WEBHOOK_SECRET,
      timestamp: c.req.header("lob-signature-timestamp"),
      signature: c.req.header("lob-signature"),
      body,
      nowMs: Date.now(),
    });
    if (!verified.ok) return refused(c, "lob", verified.reason);

    const mapping = mapLobEvent(parseJson(body));
    if (mapping.kind === "malformed") throw new ApiError("bad_request", mapping.message);
    if (mapping.kind === "ignored") return c.json({ received: true });
    const route = await routeOf(c, "lob", mapping.letterId);
    if (!route) return c.json({ received: true });

    const eventId = checkEventId(mapping.eventId);
    const clock = await loadClock(c.env);
    const event: ChannelEvent = {
      provider: "lob",
      providerEventId: eventId,
      outboxId: route.outboxId,
      channel: "letter",
      type: mapping.type,
      permanent: mapping.permanent,
      occurredAt: onClock(clock, mapping.occurredAt),
      detail: mapping.detail,
    };
    await processOnce(c.env.DB, "lob", eventId, () => deliver(backend(c.env), route, event));
    return c.json({ received: true });
  });

  return app;
}

/** The webhooks as deployed: events reach the debtors' Durable Objects. */
export const webhooks = createWebhooks();

/** Of the debtors with this number, the one Kindly last sent an SMS to (none: no reply target). */
async function lastSmsDebtor(db: D1Database, debtors: { tenantId: string; debtorId: string }[]): Promise<{ tenantId: string; debtorId: string }[]> {
  let best: { tenantId: string; debtorId: string; at: number } | null = null;
  for (const d of debtors) {
    const row = await db
      .prepare("SELECT MAX(created_at) AS at FROM message_routes WHERE provider = 'twilio' AND tenant_id = ? AND debtor_id = ?")
      .bind(d.tenantId, d.debtorId)
      .first<{ at: number | null }>();
    if (row?.at && (!best || row.at > best.at)) best = { ...d, at: row.at };
  }
  return best ? [{ tenantId: best.tenantId, debtorId: best.debtorId }] : [];
}
