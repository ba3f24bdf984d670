/**
 * Onboarding and keys: the platform admin API (its own credential, closed without it), accounts
 * with a live and a test environment, keys created, listed, rolled and revoked, last use, and a
 * test key that never reaches a live provider.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../workers/api";
import { randomToken } from "../workers/crypto";
import { fakeResend } from "./fake-resend";
import { resendAdapter } from "../workers/channels/resend";
import { advanceTo, call, goLive, invoiceBody, newDebtorId, newTenant, register, sandboxFor, settleDispatch, stubOf, useAdapters } from "./helpers";

const ADMIN = env.ADMIN_API_KEY ?? "";
const adminCall = (method: string, path: string, body?: unknown) => call(ADMIN, method, path, body);
type Key = { id: string; key: string; mode: string; status: string; last_used_at: string | null; expires_at: string | null; scopes: string[] | null };

async function onboard(): Promise<{ id: string; testKey: string }> {
  const id = `shop-${randomToken(8).toLowerCase()}`;
  const res = await adminCall("POST", "/v1/admin/tenants", { id, display_name: "Fietsen De Spaak", contact_email: "info@spaak.example", country: "NL" });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { test_key: Key; environments: { id: string; mode: string }[] };
  expect(body.environments.map((e) => e.mode)).toEqual(["live", "test"]);
  return { id, testKey: body.test_key.key };
}

afterEach(() => vi.restoreAllMocks());

describe("the platform admin API", () => {
  it("is closed without its secret, and refuses any other credential", async () => {
    const res = await api.request("/v1/admin/tenants", { headers: { authorization: `Bearer ${ADMIN}` } }, { ...env, ADMIN_API_KEY: undefined });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string; detail: string })).toMatchObject({ code: "not_configured", detail: expect.stringContaining("ADMIN_API_KEY") });
    const t = await newTenant();
    expect((await call(t.key, "GET", "/v1/admin/tenants")).status).toBe(401);
    expect((await call(`${ADMIN}x`, "GET", "/v1/admin/tenants")).status).toBe(401);
  });

  it("onboards an account, issues a live key, and offboards it: every key stops at once", async () => {
    const shop = await onboard();
    expect((await call(shop.testKey, "GET", "/v1/account")).status).toBe(200);
    const live = (await (await adminCall("POST", `/v1/admin/tenants/${shop.id}/api-keys`, { mode: "live", name: "production" })).json()) as Key;
    expect(live.key).toMatch(/^kind_live_[A-Za-z0-9]{32}$/);
    expect((await adminCall("POST", "/v1/admin/tenants", { id: shop.id, display_name: "Again", country: "NL" })).status).toBe(409);
    const listed = (await (await adminCall("GET", `/v1/admin/tenants/${shop.id}`)).json()) as { environments: { mode: string; active_keys: number }[] };
    expect(listed.environments).toEqual([expect.objectContaining({ mode: "live", active_keys: 1 }), expect.objectContaining({ mode: "test", active_keys: 1 })]);

    expect((await adminCall("DELETE", `/v1/admin/tenants/${shop.id}`)).status).toBe(200);
    for (const key of [shop.testKey, live.key]) expect((await call(key, "GET", "/v1/account")).status).toBe(401);
  });
});

describe("API keys", () => {
  it("a malformed key is told it is not a Kindly API key", async () => {
    for (const bad of ["sk_live_123", "kind_test_short", "eyJhbGciOi.banner-token"]) {
      const res = await call(bad, "GET", "/v1/account");
      expect(res.status).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/^This is not a Kindly API key/);
    }
    expect(((await (await call(null, "GET", "/v1/account")).json()) as { detail: string }).detail).toMatch(/Send your API key/);
  });

  it("a revoked key fails at once; the other keys go on", async () => {
    const t = await newTenant();
    const extra = (await (await call(t.key, "POST", "/v1/api-keys", { name: "ci" })).json()) as Key;
    expect((await call(extra.key, "GET", "/v1/account")).status).toBe(200);
    const revoked = (await (await call(t.key, "DELETE", `/v1/api-keys/${extra.id}`)).json()) as Key;
    expect(revoked.status).toBe("revoked");
    expect((await call(extra.key, "GET", "/v1/account")).status).toBe(401);
    expect((await call(t.key, "GET", "/v1/account")).status).toBe(200);
  });

  it("a rolled key's old value works through its grace period and stops after it", async () => {
    const t = await newTenant();
    const rolled = (await (await call(t.key, "POST", `/v1/api-keys/${(await keys(t.key))[0]?.id}/roll`, { grace_seconds: 3600 })).json()) as Key & { rolled: Key };
    expect(rolled.rolled.status).toBe("expiring");
    expect((await call(t.key, "GET", "/v1/account")).status).toBe(200);
    expect((await call(rolled.key, "GET", "/v1/account")).status).toBe(200);
    const realNow = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(realNow + 3601_000);
    expect((await call(t.key, "GET", "/v1/account")).status).toBe(401);
    expect((await call(rolled.key, "GET", "/v1/account")).status).toBe(200);
  });

  it("records each key's last use, at most once a minute", async () => {
    const t = await newTenant();
    expect((await keys(t.key))[0]?.last_used_at).not.toBeNull();
    const first = (await env.DB.prepare("SELECT last_used_at FROM api_keys WHERE tenant_id = ?").bind(t.id).first<{ last_used_at: number }>())?.last_used_at;
    await call(t.key, "GET", "/v1/account");
    const second = (await env.DB.prepare("SELECT last_used_at FROM api_keys WHERE tenant_id = ?").bind(t.id).first<{ last_used_at: number }>())?.last_used_at;
    expect(second).toBe(first);
  });

  it("a test key sees and creates test keys only, and its data lives apart from live data", async () => {
    const shop = await onboard();
    expect((await call(shop.testKey, "POST", "/v1/api-keys", { mode: "live" })).status).toBe(403);
    const live = (await (await adminCall("POST", `/v1/admin/tenants/${shop.id}/api-keys`, { mode: "live" })).json()) as Key;
    expect((await keys(shop.testKey)).every((k) => k.mode === "test")).toBe(true);
    expect((await keys(live.key)).map((k) => k.mode).sort()).toEqual(["live", "test"]);
    const debtor = newDebtorId();
    const inv = await register(shop.testKey, await invoiceBody(debtor, 10));
    expect((await call(live.key, "GET", `/v1/invoices/${inv.id}`)).status).toBe(404);
    expect((await call(live.key, "GET", `/v1/debtors/${debtor}`)).status).toBe(404);
    expect(((await (await call(shop.testKey, "GET", "/v1/settings")).json()) as { mode: string }).mode).toBe("test");
  });
});

describe("npm start's development tenant", () => {
  it("/dev/seed makes the account with a test key in its test environment, again with the same key, and refuses another key (a Problem)", async () => {
    const tenant = `dev-${randomToken(6).toLowerCase()}`;
    const key = `kind_test_${randomToken(32)}`;
    for (let i = 0; i < 2; i++) {
      const res = await call(null, "POST", "/dev/seed", { api_key: key, tenant_id: tenant });
      expect(await res.json()).toEqual({ tenant_id: tenant, environment_id: `${tenant}.test`, api_key: key });
    }
    expect(((await (await call(key, "GET", "/v1/settings")).json()) as { mode: string }).mode).toBe("test");
    const other = await call(null, "POST", "/dev/seed", { api_key: `kind_test_${randomToken(32)}`, tenant_id: tenant });
    expect(other.status).toBe(409);
    expect(other.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("test mode", () => {
  it("a test key's reminders never reach a live provider, even when its account asks for live delivery; a live key's do", async () => {
    const base = "https://resend.mode.test";
    const fake = fakeResend(base);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const restore = useAdapters(resendAdapter({ apiKey: "re_live_configured", baseUrl: base, platformFrom: env.EMAIL_FROM }));
    try {
      const sent = async (t: { id: string; key: string }) => {
        // Both ask for live delivery: the test environment is sandboxed all the same.
        await goLive(t.key);
        const debtor = newDebtorId();
        await register(t.key, await invoiceBody(debtor, -1));
        await advanceTo(3);
        await stubOf(t.id, debtor).tick();
        await settleDispatch(t.id, debtor);
        return { kept: (await sandboxFor(t.id, debtor)).length, requests: fake.requests.filter((r) => JSON.stringify(r.body).includes(t.id)).length };
      };
      const test = await newTenant("NL", "test");
      expect(test.id).toBe(`${test.accountId}.test`);
      expect(await sent(test)).toEqual({ kept: 1, requests: 0 });
      const live = await newTenant("NL", "live");
      expect(await sent(live)).toEqual({ kept: 0, requests: 1 });
    } finally {
      restore();
    }
  });
});

async function keys(key: string): Promise<Key[]> {
  return ((await (await call(key, "GET", "/v1/api-keys")).json()) as { data: Key[] }).data;
}
