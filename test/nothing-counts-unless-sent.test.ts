/**
 * Nothing counts as sent unless it was sent. In live mode (production's default) a channel
 * without working credentials or a valid sender is unavailable: nothing goes to the sandbox, no
 * legal milestone, posting date, cost or `reminder.sent` is recorded, the step falls back or
 * waits, and the shop is told why (event and merchant webhook). In sandbox mode every message
 * and event says `sandbox: true`, and a milestone recorded there never counts once the shop
 * sends for real.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lobAdapter } from "../workers/channels/lob";
import { deliveryMode } from "../workers/policy/channel-rules";
import { fakeChannel } from "./fake-channel";
import { fakeLob } from "./fake-lob";
import { advanceTo, call, goLive, invoiceBody, newDebtorId, newTenant, register, settleDispatch, stubOf, useAdapters } from "./helpers";

const PHONE = "+31612345678";
const ADDRESS = { line1: "Dorpsstraat 3", postal_code: "3511 AA", city: "Utrecht", country: "NL" as const };
let restore = () => {};
afterEach(() => {
  restore();
  vi.restoreAllMocks();
});

type Timeline = { type: string; at: string; data: Record<string, unknown> }[];
async function timeline(key: string, d: string): Promise<Timeline> {
  return ((await (await call(key, "GET", `/v1/debtors/${d}`)).json()) as { timeline: Timeline }).timeline;
}
async function ladderOf(tenantId: string, d: string) {
  return runInDurableObject(stubOf(tenantId, d), (_i, s) =>
    s.storage.sql.exec<{ nl_letter_posted_on: string | null; legal_costs: string | null; legal_mode: string | null }>("SELECT nl_letter_posted_on, legal_costs, legal_mode FROM ladder").one(),
  );
}
async function withBik(key: string): Promise<void> {
  const current = (await (await call(key, "GET", "/v1/policy")).json()) as { version: number; policy: Record<string, unknown> & { costs: Record<string, unknown> } };
  expect((await call(key, "PUT", "/v1/policy", { ...current.policy, version: current.version + 1, costs: { ...current.policy.costs, nl_bik_enabled: true } })).status).toBe(200);
}
async function sandboxCount(tenantId: string): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM sandbox_messages WHERE tenant_id = ?").bind(tenantId).first<{ n: number }>())?.n ?? 0;
}
/** Plays the default ladder's days (3, 7, 7, 6, 5, 10), letting each step's messages go out. */
async function playLadder(tenantId: string, d: string): Promise<void> {
  for (const days of [3, 7, 7, 6, 5, 10, 3]) {
    await advanceTo(days);
    await stubOf(tenantId, d).tick();
    await settleDispatch(tenantId, d);
  }
}

describe("delivery mode", () => {
  it("a tenant's choice wins; unset is sandbox in development and live in production; DELIVERY_MODE=sandbox overrides every tenant", () => {
    expect(deliveryMode(undefined, true, undefined)).toBe("sandbox");
    expect(deliveryMode(undefined, false, undefined)).toBe("live");
    expect(deliveryMode("live", true, undefined)).toBe("live");
    expect(deliveryMode("sandbox", false, undefined)).toBe("sandbox");
    expect(deliveryMode("live", false, "sandbox")).toBe("sandbox");
    // Only "sandbox" is an override: nothing at the deployment level can make a tenant live.
    expect(deliveryMode(undefined, true, "live")).toBe("sandbox");
  });
});

describe("live mode without provider keys", { timeout: 60_000 }, () => {
  it("records no reminder.sent, posting date or cost for any message, keeps nothing in the sandbox, and tells the shop why", async () => {
    const t = await newTenant();
    await withBik(t.key);
    await goLive(t.key);
    // A merchant endpoint subscribed to the new event type.
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("ok"));
    expect((await call(t.key, "POST", "/v1/webhook-endpoints", { url: "https://hooks.shop.example/kindly", events: ["channel.unavailable", "reminder.sent"] })).status).toBe(201);
    const d = newDebtorId();
    const body = await invoiceBody(d, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, phone: PHONE, address: ADDRESS } });
    await playLadder(t.id, d);

    const events = await timeline(t.key, d);
    const types = events.map((e) => e.type);
    expect(types).not.toContain("reminder.sent");
    expect(types).not.toContain("legal.milestone");
    expect(await sandboxCount(t.id)).toBe(0);
    const ladder = await ladderOf(t.id, d);
    expect(ladder.nl_letter_posted_on).toBeNull();
    expect(ladder.legal_costs).toBeNull();
    // No handover with costs either: the ladder waits for a channel instead of skipping steps.
    expect(types).not.toContain("invoice.handover_ready");
    // The shop is told, per channel, in words it can act on.
    const unavailable = events.filter((e) => e.type === "channel.unavailable");
    const reasons = Object.fromEntries(unavailable.map((e) => [e.data.channel, e.data.reason]));
    expect(reasons.email).toMatch(/RESEND_API_KEY/);
    expect(reasons.letter).toMatch(/LOB_API_KEY/);
    expect(reasons.sms).toMatch(/TWILIO/);
    expect((await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { next_step: unknown }).toMatchObject({ next_step: null });
    // ... and as a merchant webhook.
    const deliveries = await env.DB.prepare("SELECT event_type, payload FROM webhook_deliveries WHERE tenant_id = ?").bind(t.id).all<{ event_type: string; payload: string }>();
    const hooks = deliveries.results.filter((r) => r.event_type === "channel.unavailable").map((r) => JSON.parse(r.payload) as { data: Record<string, unknown> });
    expect(hooks.length).toBeGreaterThanOrEqual(3);
    expect(hooks.map((h) => h.data.channel)).toEqual(expect.arrayContaining(["email", "letter", "sms"]));
    expect(deliveries.results.some((r) => r.event_type === "reminder.sent")).toBe(false);
  });

  it("a sender address that does not parse makes letters unavailable: the 14-day letter goes by email, posts nothing and starts no term", async () => {
    const t = await newTenant();
    await withBik(t.key);
    await goLive(t.key, { address_lines: ["Somewhere in Utrecht"] });
    const lob = fakeLob("https://lob.nothing-counts.test/v1");
    const email = fakeChannel("email", "fake-mail");
    vi.spyOn(globalThis, "fetch").mockImplementation(lob.fetch);
    restore = useAdapters(email, lobAdapter({ apiKey: "live_nothing_counts", baseUrl: "https://lob.nothing-counts.test/v1" }));
    const d = newDebtorId();
    const body = await invoiceBody(d, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, address: ADDRESS } });
    await playLadder(t.id, d);

    expect(lob.requests).toHaveLength(0);
    const events = await timeline(t.key, d);
    const sent = events.filter((e) => e.type === "reminder.sent");
    expect(sent.map((e) => e.data.channel)).not.toContain("letter");
    expect(sent.every((e) => e.data.sandbox === false)).toBe(true);
    const letterStep = sent.find((e) => e.data.step === "fourteen_day_letter");
    expect(letterStep?.data.channel).toBe("email");
    expect(events.find((e) => e.type === "channel.unavailable" && e.data.channel === "letter")?.data.reason).toMatch(/postal address does not parse/);
    const ladder = await ladderOf(t.id, d);
    expect(ladder.nl_letter_posted_on).toBeNull();
    // Without a posted letter no BIK costs can ever become chargeable.
    const handover = events.filter((e) => e.type === "invoice.handover_ready");
    expect(handover.every((e) => e.data.costs_cents === 0)).toBe(true);
    expect(await sandboxCount(t.id)).toBe(0);
  });
});

describe("sandbox mode is visible", { timeout: 60_000 }, () => {
  it("every message and event says sandbox; the 14-day letter's milestone is marked and never counts once the shop sends for real", async () => {
    const t = await newTenant();
    await withBik(t.key);
    expect((await call(t.key, "PATCH", "/v1/account", { address_lines: ["Kerkstraat 1", "1012 AB Amsterdam"] })).status).toBe(200);
    const d = newDebtorId();
    const body = await invoiceBody(d, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, address: ADDRESS } });
    for (const days of [3, 7, 7]) {
      await advanceTo(days);
      await stubOf(t.id, d).tick();
    }
    const events = await timeline(t.key, d);
    expect(events.length).toBeGreaterThan(5);
    expect(events.every((e) => e.data.sandbox === true)).toBe(true);
    const letter = events.find((e) => e.type === "reminder.sent" && e.data.channel === "letter");
    expect(letter?.data).toMatchObject({ step: "fourteen_day_letter", sandbox: true, cost_cents: 0 });
    expect(events.find((e) => e.type === "legal.milestone")?.data).toMatchObject({ milestone: "nl_fourteen_day_letter", sandbox: true });
    expect(await ladderOf(t.id, d)).toMatchObject({ legal_mode: "sandbox" });
    const list = (await (await call(t.key, "GET", `/v1/sandbox/messages?debtor_id=${d}`)).json()) as { data: { channel: string; sandbox: boolean; from: string | null }[] };
    expect(list.data.map((m) => m.channel).sort()).toEqual(["email", "email", "letter"]);
    expect(list.data.every((m) => m.sandbox)).toBe(true);

    // The shop goes live (with working channels): the sandbox letter's term does not make costs chargeable.
    restore = useAdapters(fakeChannel("email", "fake-mail"), fakeChannel("letter", "fake-post"), fakeChannel("sms", "fake-sms"));
    await goLive(t.key);
    for (const days of [6, 5, 10, 3, 3]) {
      await advanceTo(days);
      await stubOf(t.id, d).tick();
      await settleDispatch(t.id, d);
    }
    const after = await timeline(t.key, d);
    const live = after.filter((e) => e.data.sandbox !== true);
    expect(live.length).toBeGreaterThan(0);
    for (const e of live.filter((x) => x.type === "reminder.decided")) expect(e.data.chargeable_costs_cents).toBe(0);
    for (const e of after.filter((x) => x.type === "invoice.handover_ready")) expect(e.data.costs_cents).toBe(0);
  });
});
