/**
 * A new provider is an adapter in the registry, and nothing else: this test adds a fake EU
 * print-and-post provider ("postbode") for letters through the registry alone, and the ladder's
 * 14-day letter goes through it, its legal term starts from it, its route is recorded under its
 * name, and its signed callbacks arrive at /webhooks/postbode. A provider that hangs is cut off
 * by the registry's timeout instead of holding the debtor's object.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { CallbackAdapter } from "../workers/channels/adapter";
import { ChannelRegistry, registryFromEnv } from "../workers/channels/registry";
import { hexToBytes, hmac, timingSafeEqual } from "../workers/webhooks/verify";
import { fakeChannel } from "./fake-channel";
import { advanceTo, call, goLive, invoiceBody, newDebtorId, newTenant, register, settleDispatch, stubOf, useAdapters } from "./helpers";

const SECRET = new TextEncoder().encode("postbode-webhook-secret");
let restore = () => {};
afterEach(() => restore());

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** The fake provider's callbacks: hex HMAC-SHA256 of the body in `x-postbode-signature`, JSON events. */
const postbodeCallbacks: CallbackAdapter = {
  async verify(req) {
    const given = hexToBytes(req.headers.get("x-postbode-signature") ?? "");
    if (!given) return { ok: false, reason: "missing_headers" };
    return timingSafeEqual(given, await hmac("SHA-256", SECRET, req.body)) ? { ok: true } : { ok: false, reason: "invalid" };
  },
  map(req) {
    const e = JSON.parse(new TextDecoder().decode(req.body)) as { id: string; letter: string; status: string };
    if (e.status !== "returned") return { kind: "ignored", reason: e.status };
    return { kind: "status", providerMessageId: e.letter, eventId: e.id, type: "returned", permanent: true, occurredAt: null };
  },
};

describe("a provider added through the registry alone", { timeout: 30_000 }, () => {
  it("sends the 14-day letter, starts its term, and takes its own signed callbacks", async () => {
    const postbode = fakeChannel("letter", "postbode", { callbacks: postbodeCallbacks });
    const mail = fakeChannel("email", "fake-mail");
    restore = useAdapters(postbode, mail);
    const t = await newTenant();
    await goLive(t.key);
    const d = newDebtorId();
    const body = await invoiceBody(d, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, address: { line1: "Dorpsstraat 3", postal_code: "3511 AA", city: "Utrecht", country: "NL" } } });
    for (const days of [3, 7, 7]) {
      await advanceTo(days);
      await stubOf(t.id, d).tick();
      await settleDispatch(t.id, d);
    }
    // The letter went through the new provider, in the rendered form it takes (the A4 page).
    expect(postbode.sent).toHaveLength(1);
    expect(postbode.sent[0]?.message.html).toContain("<html");
    expect(mail.sent).toHaveLength(2);
    const ladder = await runInDurableObject(stubOf(t.id, d), (_i, s) => s.storage.sql.exec<{ nl_letter_posted_on: string | null; legal_mode: string | null }>("SELECT nl_letter_posted_on, legal_mode FROM ladder").one());
    expect(ladder.nl_letter_posted_on).not.toBeNull();
    expect(ladder.legal_mode).toBeNull();
    const route = await env.DB.prepare("SELECT provider_message_id, channel FROM message_routes WHERE provider = 'postbode' AND tenant_id = ?").bind(t.id).first<{ provider_message_id: string; channel: string }>();
    expect(route?.channel).toBe("letter");

    // Its callback: a forged one is refused, a signed one blocks the letter channel (returned).
    const event = JSON.stringify({ id: "pb_evt_1", letter: route?.provider_message_id, status: "returned" });
    const forged = await call(null, "POST", "/webhooks/postbode", event, { "content-type": "application/json", "x-postbode-signature": "00".repeat(32) });
    expect(forged.status).toBe(401);
    const signature = hex(await hmac("SHA-256", SECRET, new TextEncoder().encode(event)));
    const ok = await call(null, "POST", "/webhooks/postbode", event, { "content-type": "application/json", "x-postbode-signature": signature });
    expect(ok.status).toBe(200);
    const view = (await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { timeline: { type: string; data: Record<string, unknown> }[]; blocked_channels?: unknown };
    expect(view.timeline.find((e) => e.type === "channel.returned")?.data).toMatchObject({ channel: "letter" });
    expect(view.timeline.find((e) => e.type === "channel.blocked")?.data).toMatchObject({ channel: "letter", reason: "returned" });
    // A provider nobody registered has no webhook.
    expect((await call(null, "POST", "/webhooks/nobody", "{}", { "content-type": "application/json" })).status).toBe(404);
  });

  it("lists channels, providers and rates from the adapters alone", () => {
    const postbode = fakeChannel("letter", "postbode");
    const registry = new ChannelRegistry([postbode, ...registryFromEnv(env).adapters.filter((a) => a.channel !== "letter")]);
    expect(registry.forChannel("letter")?.provider).toBe("postbode");
    expect(registry.byProvider("lob")).toBeUndefined();
    expect(registry.channels().sort()).toEqual(["call", "email", "letter", "sms"]);
    expect(registry.rates().letter).toBe(1000);
  });
});

describe("a provider that hangs", { timeout: 30_000 }, () => {
  it("is cut off by the adapter's timeout: the object answers, and the send is retried under the same key", async () => {
    const slow = fakeChannel("email", "slow-mail", { hang: true, timeoutMs: 50 });
    restore = useAdapters(slow);
    const t = await newTenant();
    await goLive(t.key);
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    await advanceTo(3);
    await stubOf(t.id, d).tick();
    await settleDispatch(t.id, d);
    const row = await runInDurableObject(stubOf(t.id, d), (_i, s) => s.storage.sql.exec<{ status: string; last_error: string; attempts: number }>("SELECT status, last_error, attempts FROM outbox").one());
    expect(row).toMatchObject({ status: "sending", attempts: 1 });
    expect(row.last_error).toMatch(/no answer within 50 ms/);
    // The object still answers.
    expect((await call(t.key, "GET", `/v1/debtors/${d}`)).status).toBe(200);
  });
});
