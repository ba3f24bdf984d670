/** Shared test helpers: tenants, API calls through the Worker's fetch, the clock, invoices. */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { newApiKey, provisionTenant } from "../workers/auth";
import type { ChannelAdapter } from "../workers/channels/adapter";
import { ChannelRegistry, registryFromEnv, useChannelRegistry } from "../workers/channels/registry";
import { checkContract } from "./contract";
import { advanceClock, loadClock } from "../workers/clock";
import { randomToken } from "../workers/crypto";
import { debtorStub } from "../workers/debtor/stub";
import { isPublicHoliday, weekday } from "../workers/policy/calendar";
import { addDays, localParts, zonedTimeToEpoch } from "../workers/zoned-time";

export const DAY = 24 * 3600_000;

/**
 * A fresh account with its own API key. `id` is the key's environment (what every row is keyed
 * by): the account id for a live key (the default, so providers configured in a test are used),
 * `<account>.test` for a test key, which is always sandboxed.
 */
export async function newTenant(country: "NL" | "BE" = "NL", mode: "live" | "test" = "live"): Promise<{ id: string; key: string; accountId: string }> {
  const accountId = `t${randomToken(10).toLowerCase()}`;
  const key = newApiKey(mode);
  const id = await provisionTenant(env.DB, { id: accountId, name: accountId, displayName: `Shop ${accountId}`, contactEmail: "help@shop.example", country }, key, Date.now());
  return { id, key, accountId };
}

/** Calls the Worker like a merchant backend would. */
export async function call(key: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  if (body !== undefined) h["content-type"] ??= "application/json";
  const res = await exports.default.fetch(`http://kindly.test${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  // Every answer must be what /openapi.json promises (test/contract.ts).
  await checkContract(method, path, res);
  return res;
}

/**
 * Opens a debtor's link (`/d/<token>`, `/l/<code>`) as a browser does: the link becomes a session
 * cookie and a redirect to `/d`, which is fetched with that cookie.
 */
export async function openDebtorPage(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const first = await exports.default.fetch(`http://kindly.test${path}`, { headers, redirect: "manual" });
  const location = first.headers.get("location");
  if (first.status !== 303 || !location) return first;
  sessionCookie = first.headers.get("set-cookie")?.split(";")[0] ?? "";
  return exports.default.fetch(new URL(location, "http://kindly.test").toString(), { headers: { ...headers, cookie: sessionCookie }, redirect: "manual" });
}

let sessionCookie = "";
/** The session cookie the last `openDebtorPage` got, for posting the page's forms (`POST /d/actions`). */
export const debtorSessionCookie = () => sessionCookie;

/** The clock's current calendar day in Amsterdam. */
export async function today(tz = "Europe/Amsterdam"): Promise<string> {
  return localParts((await loadClock(env)).now(), tz).date;
}

/**
 * Moves the shared test clock to `days` after today (or the next day that is neither a Sunday
 * nor a holiday), at `hour`:00 in Amsterdam: after the 10:00-12:00 send spread, inside the window.
 */
export async function advanceTo(days: number, hour = 13, tz = "Europe/Amsterdam"): Promise<void> {
  const now = (await loadClock(env)).now();
  // Land on a day reminders may be sent: Sundays and public holidays are quiet all day.
  let day = addDays(localParts(now, tz).date, days);
  while (weekday(day) === 0 || isPublicHoliday(day, "NL")) day = addDays(day, 1);
  const target = zonedTimeToEpoch(day, hour, 0, tz);
  if (target <= now) throw new Error("advanceTo must move the clock forward");
  await advanceClock(env, target - now);
}

/** A unique debtor id for this test. */
export const newDebtorId = () => `cust-${randomToken(8)}`;

/** A valid invoice body, due `dueInDays` from the clock's today (negative: overdue). */
export async function invoiceBody(debtorId: string, dueInDays: number, overrides: Record<string, unknown> = {}) {
  const t = await today();
  return {
    merchant_invoice_id: `INV-${randomToken(8)}`,
    debtor: { id: debtorId, name: "Sanne de Vries", email: "sanne@example.nl", locale: "nl-NL", time_zone: "Europe/Amsterdam" },
    amount_cents: 4995,
    currency: "EUR",
    issue_date: addDays(t, dueInDays - 14),
    due_date: addDays(t, dueInDays),
    pay_url: "https://shop.example/pay/1",
    ...overrides,
  };
}

/** Registers an invoice and returns its JSON. */
export async function register(key: string, body: unknown): Promise<{ id: string; status: string; outstanding_cents: number }> {
  const res = await call(key, "POST", "/v1/invoices", body);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The debtor's Durable Object stub. */
export const stubOf = (tenantId: string, debtorId: string) => debtorStub(env, tenantId, debtorId);

/**
 * Waits until the dispatch queue has picked up every outbox row this debtor handed to it
 * (messages go DebtorDO -> queue -> consumer -> DebtorDO). Throws after `timeoutMs`.
 */
export async function settleDispatch(tenantId: string, debtorId: string, timeoutMs = 10_000): Promise<void> {
  const stub = stubOf(tenantId, debtorId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queued = await runInDurableObject(stub, (_i, state) => {
      try {
        return state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE queued_at IS NOT NULL").one().n;
      } catch {
        return 0; // no outbox yet
      }
    });
    if (queued === 0) return;
    if (Date.now() > deadline) throw new Error(`dispatch queue did not settle for ${debtorId}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Sandbox messages of one debtor, oldest first, once the dispatch queue has settled. */
export async function sandboxFor(tenantId: string, debtorId: string) {
  await settleDispatch(tenantId, debtorId);
  const { results } = await env.DB.prepare("SELECT id, subject, html, text, recipient FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ? ORDER BY created_at")
    .bind(tenantId, debtorId)
    .all<{ id: string; subject: string; html: string; text: string; recipient: string }>();
  return results;
}

/**
 * Sends through these adapters (in place of the configured ones for their channels) until the
 * returned function is called. The Worker, its Durable Objects and the test share one isolate,
 * so this reaches every send, the dispatch consumer and the webhook routes.
 */
export function useAdapters(...adapters: ChannelAdapter[]): () => void {
  useChannelRegistry((e) => new ChannelRegistry([...adapters, ...registryFromEnv(e).adapters.filter((a) => !adapters.some((x) => x.channel === a.channel))]));
  return () => useChannelRegistry(null);
}

/** Puts a tenant in live delivery mode (what production does when the tenant chose nothing). */
export async function goLive(key: string, profile: Record<string, unknown> = {}): Promise<void> {
  const res = await call(key, "PATCH", "/v1/account", { delivery_mode: "live", ...profile });
  if (res.status !== 200) throw new Error(`PATCH /v1/account failed: ${res.status} ${await res.text()}`);
}

/**
 * A D1 outage: every statement on the binding fails as a lost connection does. Returns the
 * function that brings D1 back (safe to call more than once).
 */
export function takeD1Down(): () => void {
  const proto = Object.getPrototypeOf(env.DB) as { prepare: (q: string) => unknown; batch: (s: unknown[]) => unknown };
  const { prepare, batch } = proto;
  proto.prepare = () => {
    throw new Error("D1_ERROR: network connection lost");
  };
  proto.batch = async () => {
    throw new Error("D1_ERROR: network connection lost");
  };
  return () => {
    proto.prepare = prepare;
    proto.batch = batch;
  };
}
