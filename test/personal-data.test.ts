/**
 * Personal data under the AVG/GDPR: the export holds everything, erasure leaves none of the
 * person in any store (DO storage, D1, KV, stored message bodies, queued work) while the shop's
 * totals still add up, and retention erases idle debtors on its own.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createCallTask } from "../workers/call-tasks";
import { handleDispatchBatch } from "../workers/dispatch/consumer";
import { shortLink } from "../workers/links";
import { applyRetention } from "../workers/privacy";
import { advanceTo, call, invoiceBody, newDebtorId, newTenant, register, settleDispatch, stubOf } from "./helpers";

const PERSON = { name: "Zeynep Oosterbroek-Qx", email: "zeynep.qx7@example.nl", phone: "+31612398761", line1: "Kwaststraat 77", postal: "9999 QX", city: "Kwastdorp" };
const NEEDLES = [PERSON.name, PERSON.email, PERSON.phone, PERSON.line1, PERSON.postal, PERSON.city, "Oosterbroek", "zeynep"];

function debtorFor(id: string) {
  return {
    id, name: PERSON.name, email: PERSON.email, phone: PERSON.phone, locale: "nl-NL", time_zone: "Europe/Amsterdam",
    address: { line1: PERSON.line1, postal_code: PERSON.postal, city: PERSON.city, country: "NL" },
  };
}

/** Every row of every D1 table, as one string. */
async function dumpD1(): Promise<string> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").all<{ name: string }>();
  const parts: string[] = [];
  for (const { name } of results) parts.push(JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results));
  return parts.join("\n");
}

/** Every row of every table of a debtor's object, and its alarm. */
async function dumpObject(tenantId: string, debtorId: string): Promise<string> {
  return runInDurableObject(stubOf(tenantId, debtorId), async (_instance, state) => {
    const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").toArray();
    const rows = tables.map(({ name }) => JSON.stringify(state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray()));
    return `${rows.join("\n")}\nalarm:${await state.storage.getAlarm()}`;
  });
}

async function dumpKv(): Promise<string> {
  const { keys } = await env.BANNER_INDEX.list();
  const values = await Promise.all(keys.map(async (k) => `${k.name}=${await env.BANNER_INDEX.get(k.name)}`));
  return values.join("\n");
}

const found = (haystack: string) => NEEDLES.filter((n) => haystack.toLowerCase().includes(n.toLowerCase()));

async function totals(tenantId: string) {
  const row = await env.DB.prepare(
    `SELECT (SELECT COUNT(*) FROM invoice_index WHERE tenant_id = ?1) AS invoices,
            (SELECT COALESCE(SUM(json_extract(data, '$.amount_cents')), 0) FROM outcome_events WHERE tenant_id = ?1 AND type = 'invoice.registered') AS registered,
            (SELECT COALESCE(SUM(json_extract(data, '$.amount_cents')), 0) FROM outcome_events WHERE tenant_id = ?1 AND type = 'payment.received') AS paid`,
  )
    .bind(tenantId)
    .first<{ invoices: number; registered: number; paid: number }>();
  return row;
}

describe("erasure", () => {
  it("after DELETE no store holds the debtor's name, email, phone or address, and the shop's totals still add up", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const first = await register(t.key, await invoiceBody(d, -1, { debtor: debtorFor(d), amount_cents: 12_000 }));
    await register(t.key, await invoiceBody(d, 20, { debtor: debtorFor(d), amount_cents: 3_000 }));
    await call(t.key, "POST", `/v1/invoices/${first.id}/payments`, { amount_cents: 2_000 });
    await advanceTo(3);
    await stubOf(t.id, d).tick();
    await settleDispatch(t.id, d);
    // Free text, a call task, a short code and an SMS reply: every store the person can reach.
    await call(t.key, "POST", `/v1/debtors/${d}/actions`, { action: "dispute", reason: `Ik ben ${PERSON.name} en woon op ${PERSON.line1}` });
    await stubOf(t.id, d).channelReply(t.id, { channel: "sms", body: `Groet, ${PERSON.name}`, receivedAt: Date.now() });
    await createCallTask(env.DB, { tenantId: t.id, debtorId: d, outboxId: "ob_x", idempotencyKey: "k".repeat(32), name: PERSON.name, phone: PERSON.phone, locale: "nl-NL", subject: "Bellen", script: `Bel ${PERSON.name}` }, Date.now());
    const { signDebtorLink, debtorLinkSecret } = await import("../workers/links");
    await shortLink(env.DB, "http://kindly.test", t.id, await signDebtorLink(debtorLinkSecret(env) ?? "", { tenantId: t.id, debtorId: d, exp: Date.now() + 1e9 }), Date.now());
    const outbox = await runInDurableObject(stubOf(t.id, d), (_i, s) => s.storage.sql.exec<{ id: string; channel: string }>("SELECT id, channel FROM outbox").toArray()[0]);
    const inFlight = { tenantId: t.id, debtorId: d, outboxId: outbox?.id ?? "", channel: outbox?.channel ?? "email" };

    const before = await totals(t.id);
    expect(found(`${await dumpD1()}\n${await dumpObject(t.id, d)}`).length).toBeGreaterThan(3);

    const refused = await call(t.key, "DELETE", `/v1/debtors/${d}`);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe("open_invoices");
    const res = await call(t.key, "DELETE", `/v1/debtors/${d}?force=true`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: true, invoices_closed: 2 });

    // A dispatch message still on the queue (ids only, nothing personal) finds nobody and does nothing.
    expect(found(JSON.stringify(inFlight))).toEqual([]);
    const ack = vi.fn();
    await handleDispatchBatch({ queue: "kindly-dispatch", messages: [{ id: "m1", timestamp: new Date(), body: inFlight, attempts: 1, ack, retry: vi.fn() }], metadata: { metrics: { backlogCount: 1, backlogBytes: 0 } }, ackAll: () => {}, retryAll: () => {} } as unknown as MessageBatch<unknown>, env);
    expect(ack).toHaveBeenCalled();

    expect(found(await dumpD1())).toEqual([]);
    expect(found(await dumpObject(t.id, d))).toEqual([]);
    expect(await dumpObject(t.id, d)).toContain("alarm:null");
    expect(found(await dumpKv())).toEqual([]);
    expect(await env.BANNER_INDEX.get(`open:${t.id}:${d}`)).toBeNull();

    // The books: the same invoices, amounts registered and paid; the open ones closed as erased.
    expect(await totals(t.id)).toEqual(before);
    const closed = await env.DB.prepare("SELECT COUNT(*) AS n FROM outcome_events WHERE tenant_id = ? AND type = 'invoice.closed' AND json_extract(data, '$.reason') = 'erased'").bind(t.id).first<{ n: number }>();
    expect(closed?.n).toBe(2);
    expect((await call(t.key, "GET", `/v1/debtors/${d}`)).status).toBe(404);
  });
});

describe("the export", () => {
  it("holds the contact data, invoices, messages as sent, choices, notes and events", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1, { debtor: debtorFor(d) }));
    await advanceTo(3);
    await stubOf(t.id, d).tick();
    await settleDispatch(t.id, d);
    await call(t.key, "POST", `/v1/debtors/${d}/actions`, { action: "dispute", reason: "Nooit ontvangen" });
    const res = await call(t.key, "GET", `/v1/debtors/${d}/export`);
    expect(res.status).toBe(200);
    const x = (await res.json()) as { contact: { email: string }; invoices: unknown[]; messages: { as_sent: { subject: string } | null }[]; notes: { body: string }[]; pauses: { kind: string }[]; events: { type: string }[] };
    expect(x.contact.email).toBe(PERSON.email);
    expect(x.invoices).toHaveLength(1);
    expect(x.messages.some((m) => (m.as_sent?.subject ?? "").length > 0)).toBe(true);
    expect(x.notes.map((n) => n.body)).toEqual(["Nooit ontvangen"]);
    expect(x.pauses.map((p) => p.kind)).toContain("dispute");
    expect(x.events.map((e) => e.type)).toEqual(expect.arrayContaining(["invoice.registered", "reminder.sent", "debtor.disputed"]));
    // The reason stays in the object: D1 only has a reference.
    const d1 = await env.DB.prepare("SELECT data FROM outcome_events WHERE tenant_id = ? AND debtor_id = ? AND type = 'debtor.disputed'").bind(t.id, d).first<{ data: string }>();
    expect(d1?.data).not.toContain("Nooit ontvangen");
    expect(JSON.parse(d1?.data ?? "{}")).toHaveProperty("note_id");
  });
});

describe("retention", () => {
  it("erases a debtor whose last invoice closed longer ago than the tenant's retention, and no one with an open invoice", async () => {
    const t = await newTenant();
    expect((await call(t.key, "PATCH", "/v1/settings", { retention_months: 1 })).status).toBe(200);
    const idle = newDebtorId();
    const busy = newDebtorId();
    const paid = await register(t.key, await invoiceBody(idle, 10, { debtor: debtorFor(idle) }));
    await call(t.key, "POST", `/v1/invoices/${paid.id}/payments`, { amount_cents: 4995 });
    await register(t.key, await invoiceBody(busy, 60));
    await advanceTo(35);
    const { loadClock } = await import("../workers/clock");
    const erased = await applyRetention(env, (await loadClock(env)).now());
    expect(erased).toBe(1);
    expect((await call(t.key, "GET", `/v1/debtors/${idle}`)).status).toBe(404);
    expect((await call(t.key, "GET", `/v1/debtors/${busy}`)).status).toBe(200);
  });
});
