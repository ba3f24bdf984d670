/**
 * Provider webhooks, mounted at /webhooks/{provider}: one route for every adapter in the channel
 * registry that takes callbacks (Resend: Svix-signed JSON; Twilio: form posts with
 * X-Twilio-Signature; Lob: Lob-Signature). Each request's raw body (64 KB at most) is verified by
 * its adapter before any state is read or written, the callback id is claimed in
 * webhook_receipts (a replay answers 200 and changes nothing), and the adapter's normalized event
 * goes to the debtor's Durable Object. A missing secret fails closed with the same 401 as a
 * forged request; an unknown provider is a 404.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { type AppEnv, createApp } from "../app";
import type { CallbackEvent, ChannelAdapter } from "../channels/adapter";
import { channelRegistry } from "../channels/registry";
import { type Clock, loadClock } from "../clock";
import type { ChannelEvent, MessageRoute } from "../debtor/channel-events";
import { debtorStub } from "../debtor/stub";
import { ApiError, problem } from "../errors";
import type { Channel } from "../policy/policy-schema";
import { debtorsByPhone, findMessageRoute, lastMessageAt, processOnce } from "../webhooks/routes";

/** Largest webhook body accepted; providers send a few KB. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;
/** Longest callback id kept as a receipt. */
const MAX_EVENT_ID_CHARS = 255;
/** DO calls made at once when one phone number reaches several debtors. */
const FAN_OUT = 10;

/** A free-text reply from the debtor, as the DebtorDO records it. */
export interface SmsReply {
  channel: "sms" | "email";
  body: string;
  receivedAt: number;
}

/** What the webhooks need from the debtors; the Durable Objects in production, a spy in tests. Each answers whether the debtor took it. */
export interface WebhookBackend {
  channelEvent(route: MessageRoute, event: ChannelEvent): Promise<boolean>;
  setOptOut(tenantId: string, debtorId: string, channel: Channel, optedOut: boolean): Promise<boolean>;
  reply(tenantId: string, debtorId: string, reply: SmsReply): Promise<boolean>;
}

/** The production backend: RPC on the (tenant, debtor) Durable Object the route or phone names. */
export function debtorObjectBackend(env: Env): WebhookBackend {
  return {
    channelEvent: async (route, event) => (await debtorStub(env, route.tenantId, route.debtorId).channelEvent(route.tenantId, event)).ok,
    setOptOut: async (tenantId, debtorId, channel, optedOut) =>
      (await debtorStub(env, tenantId, debtorId).setChannel(tenantId, channel, optedOut, optedOut ? "opted_out" : "opted_in")).ok,
    reply: async (tenantId, debtorId, reply) => (await debtorStub(env, tenantId, debtorId).channelReply(tenantId, reply)).ok,
  };
}

type Ctx = Context<AppEnv>;

function refused(c: Ctx, provider: string, reason: "missing_secret" | "missing_headers" | "stale" | "invalid"): Response {
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

function checkEventId(id: string): string {
  if (!id) throw new ApiError("bad_request", "The event has no id.");
  if (id.length > MAX_EVENT_ID_CHARS) throw new ApiError("bad_request", "The event id is too long.");
  return id;
}

/** A provider's time moved onto Kindly's clock (the same in production; shifted in development), never in the future. */
function onClock(clock: Clock, providerMs: number | null): number {
  return providerMs === null ? clock.now() : Math.min(providerMs + clock.offsetMs, clock.now());
}

/** The message's route, when it is ours and on the adapter's channel; unknown ids are logged and acknowledged. */
async function routeOf(c: Ctx, adapter: ChannelAdapter, messageId: string): Promise<MessageRoute | null> {
  const route = await findMessageRoute(c.env.DB, adapter.provider, messageId);
  if (!route) console.warn(`webhooks/${adapter.provider}: no message route for ${messageId.slice(0, 64)}; acknowledged`);
  else if (route.channel !== adapter.channel) {
    console.error(`webhooks/${adapter.provider}: route of ${messageId.slice(0, 64)} is on ${route.channel}; ignored`);
    return null;
  }
  return route;
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

  app.post("/:provider", async (c) => {
    const adapter = channelRegistry(c.env).byProvider(c.req.param("provider"));
    const callbacks = adapter?.callbacks;
    if (!adapter || !callbacks) throw new ApiError("not_found", "No such webhook.");
    const req = { url: c.req.url, headers: c.req.raw.headers, body: new Uint8Array(await c.req.arrayBuffer()), nowMs: Date.now() };
    const verified = await callbacks.verify(req);
    if (!verified.ok) return refused(c, adapter.provider, verified.reason);
    const answer = () => (callbacks.answer ? c.body(callbacks.answer.body, 200, { "content-type": callbacks.answer.contentType }) : c.json({ received: true }));

    const event: CallbackEvent = callbacks.map(req);
    if (event.kind === "malformed") throw new ApiError("bad_request", event.message);
    if (event.kind === "ignored") return answer();
    const clock = await loadClock(c.env);
    if (event.kind === "status") {
      const route = await routeOf(c, adapter, event.providerMessageId);
      if (!route) return answer();
      const eventId = checkEventId(event.eventId);
      const channelEvent: ChannelEvent = {
        provider: adapter.provider,
        providerEventId: eventId,
        outboxId: route.outboxId,
        channel: adapter.channel,
        type: event.type,
        permanent: event.permanent,
        occurredAt: onClock(clock, event.occurredAt),
        ...(event.detail ? { detail: event.detail } : {}),
      };
      await processOnce(c.env.DB, adapter.provider, eventId, async () => {
        if (!(await backend(c.env).channelEvent(route, channelEvent))) console.warn(`webhooks/${adapter.provider}: the debtor did not take event ${eventId}`);
      });
      return answer();
    }

    // An inbound message from a phone number. HELP is answered by the provider itself.
    if (event.intent === "help") return answer();
    const debtors = await debtorsByPhone(c.env, event.from);
    if (debtors.length === 0) {
      console.warn(`webhooks/${adapter.provider}: inbound message from a number no debtor has; acknowledged`);
      return answer();
    }
    const b = backend(c.env);
    const receivedAt = clock.now();
    // A stop word opts the number out everywhere; a reply is private, so it goes only to the
    // debtor whose message this number answered last (one merchant never reads another's text).
    const targets = event.intent === "reply" ? await lastMessagedDebtor(c.env.DB, adapter.provider, debtors) : debtors;
    const replyChannel = adapter.channel === "email" ? "email" : "sms";
    await processOnce(c.env.DB, adapter.provider, checkEventId(event.eventId), () =>
      fanOut(targets, async ({ tenantId, debtorId }) => {
        const ok =
          event.intent === "reply"
            ? await b.reply(tenantId, debtorId, { channel: replyChannel, body: event.body, receivedAt })
            : await b.setOptOut(tenantId, debtorId, adapter.channel, event.intent === "stop");
        if (!ok) console.warn(`webhooks/${adapter.provider}: a debtor did not take ${event.intent} of ${event.eventId}`);
      }),
    );
    return answer();
  });

  return app;
}

/** The webhooks as deployed: events reach the debtors' Durable Objects. */
export const webhooks = createWebhooks();

/** Of the debtors with this number, the one this provider last carried a message to (none: no reply target). */
async function lastMessagedDebtor(db: D1Database, provider: string, debtors: { tenantId: string; debtorId: string }[]): Promise<{ tenantId: string; debtorId: string }[]> {
  let best: { tenantId: string; debtorId: string; at: number } | null = null;
  for (const d of debtors) {
    const at = await lastMessageAt(db, provider, d.tenantId, d.debtorId);
    if (at && (!best || at > best.at)) best = { ...d, at };
  }
  return best ? [{ tenantId: best.tenantId, debtorId: best.debtorId }] : [];
}
