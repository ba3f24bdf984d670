/**
 * EU letters end to end: each shop's letters go through the print provider it chose (Pingen or
 * Lob); a Pingen letter is the PDF the fake reads like Pingen; its legal term starts on the day
 * Pingen reports posting it, not at the send; a retried send never prints twice; Pingen's signed
 * webhooks are verified (forged, tampered, stale, replayed refused); a returned letter blocks the
 * letter channel and the step falls back.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadClock } from "../workers/clock";
import { lobAdapter } from "../workers/channels/lob";
import { forgetPingenTokens, pingenAdapter } from "../workers/channels/pingen";
import { ChannelRegistry, registryFromEnv, useChannelRegistry } from "../workers/channels/registry";
import { beEarliestCostsDate } from "../workers/policy/law-be";
import { nlPostalDeliveryDate, nlTermEndDate } from "../workers/policy/law-nl";
import { addDays, localParts } from "../workers/zoned-time";
import { fakeChannel, type FakeChannel } from "./fake-channel";
import { fakeLob, type FakeLob } from "./fake-lob";
import { fakePingen, type FakePingen } from "./fake-pingen";
import { readPdf } from "./pdf-reader";
import { advanceTo, call, goLive, invoiceBody, newDebtorId, newTenant, register, settleDispatch, stubOf } from "./helpers";

const PINGEN = "https://pingen.eu-letters.test";
const LOB = "https://lob.eu-letters.test/v1";
const creds = { clientId: "kindly", clientSecret: "client-secret", organisationId: "org-1", webhookSecret: "pingen-webhook-key" };
const ADDRESS = { line1: "Dorpsstraat 3", postal_code: "3511 AA", city: "Utrecht", country: "NL" };

let pingen: FakePingen;
let lob: FakeLob;
let mail: FakeChannel;

beforeAll(() => {
  forgetPingenTokens();
  pingen = fakePingen(PINGEN, creds);
  lob = fakeLob(LOB);
  mail = fakeChannel("email", "fake-mail");
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new Request(input, init).url;
    return url.startsWith(LOB) ? lob.fetch(input, init) : pingen.fetch(input, init);
  });
  // The deployment has both print providers; each shop picks one (Lob first when a shop chose nothing).
  useChannelRegistry((e) => new ChannelRegistry([
    mail,
    lobAdapter({ apiKey: "live_eu_letters", baseUrl: LOB }),
    pingenAdapter({ ...creds, baseUrl: PINGEN }),
    ...registryFromEnv(e).adapters.filter((a) => a.channel !== "email" && a.channel !== "letter"),
  ]));
  return () => {
    useChannelRegistry(null);
    vi.restoreAllMocks();
  };
});
afterEach(() => {
  pingen.failNext.length = 0;
});

type View = { timeline: { type: string; at: string; data: Record<string, unknown> }[]; next_step: { key: string; why: { term_end_date: string | null } } | null; blocked_channels: { channel: string; reason: string }[] };
const viewOf = async (key: string, d: string) => (await (await call(key, "GET", `/v1/debtors/${d}`)).json()) as View;
const eventsOf = (v: View, type: string) => v.timeline.filter((e) => e.type === type);

/** A live shop with a debtor who has an address, on the default ladder up to its 14-day letter. */
async function shops(providers: ("pingen" | "lob" | null)[]) {
  const out: { key: string; id: string; d: string }[] = [];
  for (const provider of providers) {
    const t = await newTenant();
    await goLive(t.key, { address_lines: ["Oudegracht 12", "3511 AR Utrecht"], ...(provider ? { letters: { provider } } : {}) });
    const d = newDebtorId();
    const body = await invoiceBody(d, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, address: ADDRESS } });
    out.push({ key: t.key, id: t.id, d });
  }
  for (const days of [3, 7, 7]) {
    await advanceTo(days);
    for (const s of out) {
      await stubOf(s.id, s.d).tick();
      await settleDispatch(s.id, s.d);
    }
  }
  return out;
}

/** Kindly's clock day, and Pingen's real-time stamp that lands on it. */
async function nowOnClock() {
  const clock = await loadClock(env);
  return { day: localParts(clock.now(), "Europe/Amsterdam").date, real: new Date(clock.now() - clock.offsetMs) };
}

const routeOf = (tenantId: string) => env.DB.prepare("SELECT provider_message_id AS id FROM message_routes WHERE provider = 'pingen' AND tenant_id = ?").bind(tenantId).first<{ id: string }>();

describe("EU letters through Pingen", { timeout: 120_000 }, () => {
  it("sends each shop's letters through its chosen provider, and starts the Pingen letter's term on Pingen's posting day", async () => {
    const [viaPingen, viaLob] = await shops(["pingen", "lob"]) as [{ key: string; id: string; d: string }, { key: string; id: string; d: string }];
    // One letter each, through the provider the shop chose; the PDF read by the fake like Pingen reads it.
    expect(pingen.printed()).toHaveLength(1);
    expect(pingen.printed()[0]?.address).toEqual(["Sanne de Vries", "Dorpsstraat 3", "3511 AA Utrecht"]);
    expect(lob.letters).toHaveLength(1);

    // Sent, but not yet in the post: no term runs, so nothing can become chargeable.
    const sentDay = (await nowOnClock()).day;
    let view = await viewOf(viaPingen.key, viaPingen.d);
    expect(eventsOf(view, "legal.awaiting_posting")).toHaveLength(1);
    expect(eventsOf(view, "legal.milestone")).toHaveLength(0);
    expect(view.next_step?.why.term_end_date).toBeNull();
    // Lob's letter starts its term at the send (from Lob's expected delivery when later).
    expect(eventsOf(await viewOf(viaLob.key, viaLob.d), "legal.milestone")).toHaveLength(1);

    // Pingen posts it two days later and says so.
    await advanceTo(2);
    const posted = await nowOnClock();
    const route = await routeOf(viaPingen.id);
    const hook = pingen.webhook("sent", route?.id ?? "", { emittedAt: posted.real });
    expect((await call(null, "POST", "/webhooks/pingen", hook.body, hook.headers)).status).toBe(200);

    view = await viewOf(viaPingen.key, viaPingen.d);
    expect(eventsOf(view, "legal.milestone")[0]?.data).toMatchObject({ milestone: "nl_fourteen_day_letter", channel: "letter", on: posted.day });
    // The 14 days run from the day after the presumed delivery, two days after posting without Sundays, Mondays and holidays.
    expect(view.next_step?.why.term_end_date).toBe(nlTermEndDate(nlPostalDeliveryDate(posted.day)));
    expect(posted.day > sentDay).toBe(true);
    expect(nlTermEndDate(nlPostalDeliveryDate(posted.day))).not.toBe(nlTermEndDate(nlPostalDeliveryDate(sentDay)));
    const ladder = await runInDurableObject(stubOf(viaPingen.id, viaPingen.d), (_i, s) => s.storage.sql.exec<{ nl_letter_posted_on: string }>("SELECT nl_letter_posted_on FROM ladder").one());
    expect(ladder.nl_letter_posted_on).toBe(posted.day);
    expect(addDays(sentDay, 2) <= posted.day).toBe(true);
  });

  it("a Belgian first reminder by Pingen says when its 14 days start, and they start from Pingen's posting day", async () => {
    const t = await newTenant("BE");
    await goLive(t.key, { address_lines: ["Kerkstraat 12", "9000 Gent"], enterprise_number: "0123.456.749", letters: { provider: "pingen" } });
    const d = newDebtorId();
    const body = await invoiceBody(d, -1, { description: "Onderhoud stadsfiets" });
    // Only a postal address: the first reminder goes on paper.
    await register(t.key, { ...body, debtor: { id: d, name: "Lotte Peeters", locale: "nl-BE", time_zone: "Europe/Brussels", address: { line1: "Bruul 5", postal_code: "2800", city: "Mechelen", country: "BE" } } });
    const printed = pingen.letters.length;
    await advanceTo(3);
    await stubOf(t.id, d).tick();
    await settleDispatch(t.id, d);
    const letter = pingen.letters[printed];
    expect(letter?.address).toEqual(["Lotte Peeters", "Bruul 5", "2800 Mechelen"]);
    const text = (await readPdf(letter?.pdf ?? new Uint8Array())).text.replace(/\s+/g, " ");
    // No fixed date: the day Pingen posts it is not known when it is printed.
    expect(text).toContain("Die 14 dagen beginnen op de derde werkdag nadat we deze brief hebben verstuurd.");
    expect(text).not.toMatch(/Betaal uiterlijk op/);

    await advanceTo(1);
    const posted = await nowOnClock();
    const route = await env.DB.prepare("SELECT provider_message_id AS id FROM message_routes WHERE provider = 'pingen' AND tenant_id = ?").bind(t.id).first<{ id: string }>();
    const hook = pingen.webhook("sent", route?.id ?? "", { emittedAt: posted.real });
    expect((await call(null, "POST", "/webhooks/pingen", hook.body, hook.headers)).status).toBe(200);
    const view = await viewOf(t.key, d);
    expect(eventsOf(view, "legal.milestone")[0]?.data).toMatchObject({ milestone: "be_first_reminder", channel: "letter", on: posted.day });
    // Book XIX: 14 days from the third working day after posting.
    expect(view.next_step?.why.term_end_date).toBe(addDays(beEarliestCostsDate(posted.day, "letter"), -1));
  });

  it("refuses forged, tampered, stale and unsigned webhooks, takes a replay once, and fails closed without its key", async () => {
    const route = await routeOf((await shopsWithRoute()).id);
    const letterId = route?.id ?? "";
    const post = (body: string, headers: Record<string, string>) => call(null, "POST", "/webhooks/pingen", body, headers);
    const good = pingen.webhook("delivered", letterId);
    expect((await post(good.body, pingen.webhook("delivered", letterId, { secret: "not-the-key" }).headers)).status).toBe(401);
    expect((await post(good.body.replace("delivered", "undeliverable"), good.headers)).status).toBe(401);
    const { signature: _, ...unsigned } = good.headers;
    expect((await post(good.body, unsigned)).status).toBe(401);
    const stale = pingen.webhook("delivered", letterId, { createdAt: new Date(Date.now() - 2 * 24 * 3600_000) });
    expect((await post(stale.body, stale.headers)).status).toBe(401);
    expect((await post(good.body, good.headers)).status).toBe(200);
    expect((await post(good.body, good.headers)).status).toBe(200);
    const receipts = await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_receipts WHERE provider = 'pingen' AND event_id = ?").bind(JSON.parse(good.body).data.id).first<{ n: number }>();
    expect(receipts?.n).toBe(1);

    // Without a signing key every webhook is refused, as a forged one is.
    useChannelRegistry((e) => new ChannelRegistry([pingenAdapter({ ...creds, webhookSecret: undefined, baseUrl: PINGEN }), ...registryFromEnv(e).adapters.filter((a) => a.channel !== "letter")]));
    try {
      expect((await post(good.body, good.headers)).status).toBe(401);
    } finally {
      useChannelRegistry((e) => new ChannelRegistry([mail, lobAdapter({ apiKey: "live_eu_letters", baseUrl: LOB }), pingenAdapter({ ...creds, baseUrl: PINGEN }), ...registryFromEnv(e).adapters.filter((a) => a.channel !== "email" && a.channel !== "letter")]));
    }
  });

  it("a returned letter blocks letters for the debtor and the step goes by email", async () => {
    const shop = await shopsWithRoute();
    const route = await routeOf(shop.id);
    const hook = pingen.webhook("undeliverable", route?.id ?? "");
    expect((await call(null, "POST", "/webhooks/pingen", hook.body, hook.headers)).status).toBe(200);
    const view = await viewOf(shop.key, shop.d);
    expect(eventsOf(view, "channel.returned")[0]?.data).toMatchObject({ channel: "letter", permanent: true });
    expect(view.blocked_channels).toContainEqual(expect.objectContaining({ channel: "letter", reason: "returned" }));
    expect(eventsOf(view, "reminder.fallback")[0]?.data).toMatchObject({ to_channel: "email" });
  });

  it("a send whose answer was lost counts as sent, unconfirmed, and is never printed twice", async () => {
    pingen.failNext.push("lost");
    const before = pingen.printed().length;
    const [shop] = (await shops(["pingen"])) as [{ key: string; id: string; d: string }];
    // The alarm and the queue run again: nothing more reaches Pingen.
    for (let i = 0; i < 3; i++) {
      await stubOf(shop.id, shop.d).tick();
      await settleDispatch(shop.id, shop.d);
    }
    expect(pingen.printed().length - before).toBe(1);
    const view = await viewOf(shop.key, shop.d);
    const sent = eventsOf(view, "reminder.sent").find((e) => e.data.channel === "letter");
    expect(sent?.data).toMatchObject({ unconfirmed: true });
  });
});

/** A Pingen shop whose 14-day letter went out, with its route recorded. */
async function shopsWithRoute() {
  const [shop] = (await shops(["pingen"])) as [{ key: string; id: string; d: string }];
  return shop;
}
