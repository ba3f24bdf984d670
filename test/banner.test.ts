import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../workers/app";
import { type BannerBackend, createBanner } from "../workers/api/banner";
import { bannerIndexKey, setBannerIndex } from "../workers/banner/index-kv";
import { bannerSigningSecret, MAX_TTL_SECONDS, signBannerToken, tenantBannerKey, verifyBannerToken } from "../workers/banner/token";
import { type BannerData, type BannerEvent, bannerFor } from "../workers/banner/view";
import { payActions } from "../workers/pay-action";
import { randomToken } from "../workers/crypto";
import { signDebtorLink } from "../workers/links";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

const devEnv: Env = { ...env, KINDLY_ENV: "development" };
const prodEnv = (secret?: string): Env => ({ ...env, KINDLY_ENV: "production", BANNER_SIGNING_SECRET: secret });
const devSecret = bannerSigningSecret(devEnv) ?? "";
const MIN = 60_000;

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

const PAGE = "https://kindly.example/d/tok.sig";
const inv = (ref: string, cents: number) => ({ reference: ref, dueDate: "2026-11-20", outstandingCents: cents, payUrl: `https://shop.example/pay/${ref}` });

/** Banner data as the DebtorDO builds it: the pay action comes from the real pay-action module. */
function dataFor(overrides: Partial<BannerData> = {}): BannerData {
  const invoices = overrides.invoices ?? [inv("1", 4995)];
  const pay = payActions({
    invoices: invoices.map((i) => ({ id: i.reference, merchantInvoiceId: i.reference, outstandingCents: i.outstandingCents, payUrl: i.payUrl })),
    debtorId: "cust-42",
    reference: invoices.map((i) => i.reference).join(", "),
    pageUrl: PAGE,
  });
  return {
    locale: "nl-NL",
    country: "NL",
    postalCode: null,
    shop: { name: "Zonnig Shop", logoUrl: null, brandColour: null, phone: null, hours: [], chatUrl: null, helpUrl: null, email: "help@shop.example" },
    invoices,
    totalCents: invoices.reduce((s, i) => s + i.outstandingCents, 0),
    state: { kind: "open" },
    pay,
    selfServiceUrl: PAGE,
    offers: { paymentDate: true, arrangement: true },
    dismissUntil: "2026-11-21T06:00:00.000Z",
    ...overrides,
  };
}

/** The banner app mounted at /v1 on an in-memory backend that records every call. */
function setup(data: Record<string, BannerData> = {}) {
  const calls = { views: [] as string[], events: [] as { key: string; event: BannerEvent }[] };
  const backend: BannerBackend = {
    async view(tenantId, debtorId) {
      calls.views.push(`${tenantId}/${debtorId}`);
      return data[`${tenantId}/${debtorId}`] ?? null;
    },
    async event(tenantId, debtorId, event) {
      calls.events.push({ key: `${tenantId}/${debtorId}`, event });
    },
  };
  const app = createApp();
  app.route("/v1", createBanner(() => backend));
  const request = (path: string, init: RequestInit = {}, e: Env = devEnv) => app.request(path, init, e);
  return { request, calls, data };
}

/** A fresh (tenant, debtor) pair that no test shares; tenant ids look like real ones. */
const ids = () => ({ tenantId: `t${randomToken(10).toLowerCase()}`, debtorId: newDebtorId() });

const tokenFor = (tenantId: string, debtorId: string, opts: { secret?: string; iat?: number; exp?: number } = {}) => {
  const iat = opts.iat ?? Date.now();
  return signBannerToken(opts.secret ?? devSecret, { tenantId, debtorId, iat, exp: opts.exp ?? iat + 15 * MIN });
};
const bearer = (token: string, headers: Record<string, string> = {}): RequestInit => ({ headers: { authorization: `Bearer ${token}`, ...headers } });
const postJson = (token: string | null, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
/** Intl's (narrow) no-break spaces as plain spaces, so assertions stay readable. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

async function expectProblem(res: Response, status: number, field?: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Problem;
  if (field) expect(body.errors?.map((e) => e.field)).toContain(field);
  return body;
}

/** A tenant with a known debtor, registered through the Worker like a merchant would. */
async function merchantWithDebtor() {
  const tenant = await newTenant();
  const debtorId = newDebtorId();
  await register(tenant.key, await invoiceBody(debtorId, -1));
  return { tenant, debtorId };
}

describe("banner tokens", () => {
  it("a signed token verifies to exactly its claims, and only until it expires", async () => {
    const now = Date.now();
    const token = await tokenFor("t1", "cust-42", { iat: now, exp: now + 15 * MIN });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyBannerToken(devSecret, token, now)).toEqual({ aud: "banner", tenantId: "t1", debtorId: "cust-42", iat: now, exp: now + 15 * MIN });
    expect(await verifyBannerToken(devSecret, token, now + 15 * MIN - 1)).not.toBeNull();
    expect(await verifyBannerToken(devSecret, token, now + 15 * MIN)).toBeNull();
  });

  it("a tampered, re-addressed, re-signed or other-audience token is rejected", async () => {
    const token = await tokenFor("t1", "cust-x");
    const [body = "", sig = ""] = token.split(".");
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const b64 = (o: unknown) => btoa(JSON.stringify(o)).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
    const claims = JSON.parse(atob(body.replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;
    expect(await verifyBannerToken(devSecret, `${flip(body, 3)}.${sig}`, Date.now())).toBeNull();
    expect(await verifyBannerToken(devSecret, `${body}.${flip(sig, 5)}`, Date.now())).toBeNull();
    expect(await verifyBannerToken(devSecret, `${b64({ ...claims, debtorId: "cust-y" })}.${sig}`, Date.now())).toBeNull();
    expect(await verifyBannerToken(devSecret, `${b64({ ...claims, aud: "link" })}.${sig}`, Date.now())).toBeNull();
    expect(await verifyBannerToken("another-secret", token, Date.now())).toBeNull();
    // A self-service link token (no audience) is not a banner token, even under the same secret.
    const link = await signDebtorLink(devSecret, { tenantId: "t1", debtorId: "cust-x", exp: Date.now() + MIN });
    expect(await verifyBannerToken(devSecret, link, Date.now())).toBeNull();
    for (const bad of ["", "abc", "a.b.c", "!!.??", ".", `${"A".repeat(2000)}.x`]) expect(await verifyBannerToken(devSecret, bad, Date.now())).toBeNull();
  });

  it("each tenant has its own derived key: a merchant can mint for its debtors only", async () => {
    const now = Date.now();
    const keyA = await tenantBannerKey(devSecret, "ta");
    expect(keyA).not.toBe(await tenantBannerKey(devSecret, "tb"));
    expect(keyA).not.toContain(devSecret);
    // What a merchant backend does with its key (the documented scheme, outside Kindly's code).
    const mint = async (tenantKey: string, claims: Record<string, unknown>) => {
      const raw = Uint8Array.from(atob(tenantKey.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
      const key = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const body = btoa(JSON.stringify(claims)).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
      return `${body}.${btoa(String.fromCharCode(...mac)).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "")}`;
    };
    const claims = { aud: "banner", tenantId: "ta", debtorId: "cust-1", iat: now, exp: now + 10 * MIN };
    expect(await verifyBannerToken(devSecret, await mint(keyA, claims), now)).toEqual(claims);
    // Tenant A's key cannot speak for tenant B.
    expect(await verifyBannerToken(devSecret, await mint(keyA, { ...claims, tenantId: "tb" }), now)).toBeNull();
    // Self-minted tokens get no longer life than Kindly's own, and none from the future.
    expect(await verifyBannerToken(devSecret, await mint(keyA, { ...claims, exp: now + MAX_TTL_SECONDS * 1000 + 5 * MIN }), now)).toBeNull();
    expect(await verifyBannerToken(devSecret, await mint(keyA, { ...claims, iat: now + 10 * MIN, exp: now + 20 * MIN }), now)).toBeNull();
    expect(await verifyBannerToken(devSecret, await mint(keyA, { ...claims, iat: now - 48 * 60 * MIN, exp: now + 10 * MIN }), now)).toBeNull();
    expect(await verifyBannerToken(devSecret, await mint(keyA, { ...claims, extra: true }), now)).toBeNull();
  });

  it("no secret means no tokens: development has a fixed one, production none", async () => {
    expect(bannerSigningSecret({ KINDLY_ENV: "development" })).toBeTruthy();
    expect(bannerSigningSecret({ KINDLY_ENV: "production" })).toBeNull();
    expect(bannerSigningSecret({ KINDLY_ENV: "production", BANNER_SIGNING_SECRET: "s3cret" })).toBe("s3cret");
    expect(await verifyBannerToken("", await tokenFor("t1", "c1"), Date.now())).toBeNull();
    await expect(signBannerToken("", { tenantId: "t1", debtorId: "c1", iat: 1, exp: 2 })).rejects.toThrow();
  });
});

describe("POST /v1/debtors/{id}/banner-token", () => {
  it("mints a 15-minute token for a known debtor that reads that debtor's banner", async () => {
    const { request, calls, data } = setup();
    const { tenant, debtorId } = await merchantWithDebtor();
    const before = Date.now();
    const res = await request(`/v1/debtors/${debtorId}/banner-token`, postJson(tenant.key, {}));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expires_at: string };
    expect(Object.keys(body).sort()).toEqual(["expires_at", "token"]);
    const exp = Date.parse(body.expires_at);
    expect(exp).toBeGreaterThanOrEqual(before + 15 * MIN);
    expect(exp).toBeLessThanOrEqual(Date.now() + 15 * MIN);
    // The token carries no secret: only audience, tenant, debtor and times.
    const claims = JSON.parse(atob((body.token.split(".")[0] ?? "").replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;
    expect(Object.keys(claims).sort()).toEqual(["aud", "debtorId", "exp", "iat", "tenantId"]);
    expect(body.token).not.toContain(tenant.key);

    data[`${tenant.id}/${debtorId}`] = dataFor();
    await setBannerIndex(env, tenant.id, debtorId, true);
    const banner = await request("/v1/banner", bearer(body.token));
    expect(banner.status).toBe(200);
    expect(calls.views).toEqual([`${tenant.id}/${debtorId}`]);
  });

  it("takes ttl_seconds up to 24 hours, works without a body, and rejects other lifetimes", async () => {
    const { request } = setup();
    const { tenant, debtorId } = await merchantWithDebtor();
    const day = await request(`/v1/debtors/${debtorId}/banner-token`, postJson(tenant.key, { ttl_seconds: MAX_TTL_SECONDS }));
    expect(day.status).toBe(200);
    expect(Date.parse(((await day.json()) as { expires_at: string }).expires_at)).toBeGreaterThan(Date.now() + 23 * 60 * MIN);
    const bare = await request(`/v1/debtors/${debtorId}/banner-token`, { method: "POST", headers: { authorization: `Bearer ${tenant.key}` } });
    expect(bare.status).toBe(200);
    await expectProblem(await request(`/v1/debtors/${debtorId}/banner-token`, postJson(tenant.key, { ttl_seconds: MAX_TTL_SECONDS + 1 })), 422, "ttl_seconds");
    await expectProblem(await request(`/v1/debtors/${debtorId}/banner-token`, postJson(tenant.key, { ttl_seconds: 30 })), 422, "ttl_seconds");
    await expectProblem(await request(`/v1/debtors/${debtorId}/banner-token`, postJson(tenant.key, { ttl_seconds: 60, debtor_id: "x" })), 422);
  });

  it("requires the merchant's API key and a debtor of that merchant", async () => {
    const { request } = setup();
    const { tenant, debtorId } = await merchantWithDebtor();
    const other = await newTenant();
    await expectProblem(await request(`/v1/debtors/${debtorId}/banner-token`, postJson(null, {})), 401);
    await expectProblem(await request(`/v1/debtors/${debtorId}/banner-token`, postJson("kind_test_" + "x".repeat(32), {})), 401);
    await expectProblem(await request(`/v1/debtors/${newDebtorId()}/banner-token`, postJson(tenant.key, {})), 404);
    // Another tenant cannot mint for this tenant's debtor (nor learn that it exists).
    await expectProblem(await request(`/v1/debtors/${debtorId}/banner-token`, postJson(other.key, {})), 404);
  });

  it("a banner token is not an API key, not even for minting more tokens", async () => {
    const { request } = setup();
    const { tenant, debtorId } = await merchantWithDebtor();
    const token = await tokenFor(tenant.id, debtorId);
    expect((await call(token, "GET", `/v1/debtors/${debtorId}`)).status).toBe(401);
    expect((await call(token, "POST", "/v1/invoices", await invoiceBody(debtorId, -1))).status).toBe(401);
    await expectProblem(await request(`/v1/debtors/${debtorId}/banner-token`, postJson(token, {})), 401);
  });

  it("fails closed in production without BANNER_SIGNING_SECRET, and works with it", async () => {
    const { request } = setup();
    const { tenant, debtorId } = await merchantWithDebtor();
    await expectProblem(await request(`/v1/debtors/${debtorId}/banner-token`, postJson(tenant.key, {}), prodEnv()), 503);
    // A token signed with the development secret is worthless in production.
    await expectProblem(await request("/v1/banner", bearer(await tokenFor(tenant.id, debtorId)), prodEnv()), 401);
    const res = await request(`/v1/debtors/${debtorId}/banner-token`, postJson(tenant.key, {}), prodEnv("prod-secret-0123456789abcdef"));
    const { token } = (await res.json()) as { token: string };
    expect(await verifyBannerToken("prod-secret-0123456789abcdef", token, Date.now())).not.toBeNull();
    expect(await verifyBannerToken(devSecret, token, Date.now())).toBeNull();
  });
});

describe("GET /v1/banner", () => {
  it("nothing open (no index key): 204 and the Durable Object is never asked", async () => {
    const { request, calls } = setup();
    const { tenantId, debtorId } = ids();
    const res = await request("/v1/banner", bearer(await tokenFor(tenantId, debtorId)));
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    expect(calls.views).toEqual([]);
  });

  it("the index key is per tenant and debtor, and setBannerIndex(false) removes it", async () => {
    const { tenantId, debtorId } = ids();
    expect(bannerIndexKey(tenantId, debtorId)).toBe(`open:${tenantId}:${debtorId}`);
    await setBannerIndex(env, tenantId, debtorId, true, "v7");
    expect(await env.BANNER_INDEX.get(`open:${tenantId}:${debtorId}`)).toBe("v7");
    await setBannerIndex(env, tenantId, debtorId, false);
    expect(await env.BANNER_INDEX.get(`open:${tenantId}:${debtorId}`)).toBeNull();
    await setBannerIndex(env, tenantId, debtorId, false); // idempotent
  });

  it("a stale index entry costs one DO read and still answers 204", async () => {
    const { request, calls } = setup();
    const { tenantId, debtorId } = ids();
    await setBannerIndex(env, tenantId, debtorId, true);
    const res = await request("/v1/banner", bearer(await tokenFor(tenantId, debtorId)));
    expect(res.status).toBe(204);
    expect(calls.views).toEqual([`${tenantId}/${debtorId}`]);
  });

  it("something open: the banner in Dutch, with pay link and the self-service actions", async () => {
    const { tenantId, debtorId } = ids();
    const { request } = setup({ [`${tenantId}/${debtorId}`]: dataFor() });
    await setBannerIndex(env, tenantId, debtorId, true);
    const res = await request("/v1/banner", bearer(await tokenFor(tenantId, debtorId)));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    expect(res.headers.get("vary")).toContain("Authorization");
    const banner = JSON.parse(plain(await res.text())) as Record<string, unknown>;
    expect(banner).toEqual({
      state: "open",
      locale: "nl-NL",
      title: "Er staat nog een betaling open",
      text: "Bij Zonnig Shop staat nog € 49,95 voor u open. Heeft u al betaald? Dan hoeft u niets te doen.",
      total_cents: 4995,
      total_formatted: "€ 49,95",
      invoice_count: 1,
      invoices: [{ reference: "1", due_date: "2026-11-20", due_date_formatted: "20 november 2026", outstanding_cents: 4995, outstanding_formatted: "€ 49,95", pay_url: "https://shop.example/pay/1" }],
      payment_date: null,
      next_instalment: null,
      pay_url: "https://shop.example/pay/1",
      pay_label: "Betaal € 49,95",
      actions: [
        { kind: "pay", label: "Betaal € 49,95", url: "https://shop.example/pay/1", amount_cents: 4995 },
        { kind: "already_paid", label: "Al betaald?", url: "https://kindly.example/d/tok.sig#already-paid" },
        { kind: "payment_date", label: "Later betalen?", url: "https://kindly.example/d/tok.sig#payment-date" },
        { kind: "arrangement", label: "In delen betalen?", url: "https://kindly.example/d/tok.sig#arrangement" },
        { kind: "help", label: "Hulp nodig?", url: "https://kindly.example/d/tok.sig#help" },
      ],
      shop: { name: "Zonnig Shop", logo_url: null, brand_colour: null, phone: null, hours: [], chat_url: null, email: "help@shop.example" },
      help: [
        { key: "geldfit", name: "Geldfit", detail: "gratis en anoniem advies over geld en schulden, ook per telefoon", url: "https://www.geldfit.nl", phone: { display: "0800-8115", tel: "+318008115" } },
        { key: "gemeente", name: "de schuldhulpverlening van uw gemeente", detail: "gratis hulp als u schulden hebt" },
      ],
      dismissible: true,
      dismiss_until: "2026-11-21T06:00:00.000Z",
    });
  });

  it("speaks each debtor's language: nl-BE, fr-BE and English, several invoices", async () => {
    const t = ids();
    const several = { invoices: [inv("1", 4995), inv("2", 2005)], country: "BE" as const };
    const { request } = setup({
      [`${t.tenantId}/be-nl`]: dataFor({ ...several, locale: "nl-BE" }),
      [`${t.tenantId}/be-fr`]: dataFor({ ...several, locale: "fr-BE" }),
      [`${t.tenantId}/en`]: dataFor({ locale: "en" }),
    });
    const read = async (debtorId: string) => {
      await setBannerIndex(env, t.tenantId, debtorId, true);
      const res = await request("/v1/banner", bearer(await tokenFor(t.tenantId, debtorId)));
      expect(res.status).toBe(200);
      return JSON.parse(plain(await res.text())) as { title: string; text: string; total_formatted: string; pay_label: string; actions: { label: string }[] };
    };
    const nl = await read("be-nl");
    expect(nl.title).toBe("Er staan nog betalingen open");
    expect(nl.text).toBe("Bij Zonnig Shop staan nog 2 facturen voor u open, samen € 70,00. Hebt u al betaald? Dan hoeft u niets te doen.");
    const fr = await read("be-fr");
    expect(fr.title).toBe("Il reste des paiements à faire");
    expect(fr.text).toBe("Il vous reste 2 factures à payer chez Zonnig Shop, pour un total de 70,00 €. Vous avez déjà payé ? Alors vous n'avez rien à faire.");
    // Two invoices and no consolidated link: the button leads to the page, naming no amount.
    expect(fr.pay_label).toBe("Voir et payer chaque facture");
    expect(fr.actions.map((a) => a.label)).toEqual(["Voir et payer chaque facture", "Déjà payé ?", "Payer plus tard ?", "Payer en plusieurs fois ?", "Besoin d'aide ?"]);
    const en = await read("en");
    expect(en.title).toBe("A payment is still open");
    expect(en.text).toContain("Already paid? Then you do not need to do anything.");
    for (const b of [nl, fr, en]) expect(`${b.title} ${b.text}`).not.toMatch(/incasso|deurwaarder|huissier|bailiff|debt collect|kosten|frais|legal|juridi/i);
  });

  it("ETag and If-None-Match: 304 until the data or the language changes", async () => {
    const { tenantId, debtorId } = ids();
    const { request, data } = setup({ [`${tenantId}/${debtorId}`]: dataFor({ dismissUntil: "v1" }) });
    await setBannerIndex(env, tenantId, debtorId, true);
    const token = await tokenFor(tenantId, debtorId);
    const first = await request("/v1/banner", bearer(token));
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await request("/v1/banner", bearer(token, { "if-none-match": etag }));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("private, max-age=60");
    expect((await request("/v1/banner", bearer(token, { "if-none-match": `"other", ${etag}` }))).status).toBe(304);
    data[`${tenantId}/${debtorId}`] = dataFor({ invoices: [inv("1", 2995)] });
    const changed = await request("/v1/banner", bearer(token, { "if-none-match": etag }));
    expect(changed.status).toBe(200);
    const etag2 = changed.headers.get("etag") ?? "";
    expect(etag2).not.toBe(etag);
    data[`${tenantId}/${debtorId}`] = dataFor({ invoices: [inv("1", 2995)], locale: "fr-BE" });
    expect((await request("/v1/banner", bearer(token, { "if-none-match": etag2 }))).status).toBe(200);
  });

  it("a token for debtor X reads X only, never Y, and the same version never yields Y's 304", async () => {
    const { tenant, debtorId: x } = await merchantWithDebtor();
    const y = newDebtorId();
    await register(tenant.key, await invoiceBody(y, -1));
    const { request, calls } = setup({
      [`${tenant.id}/${x}`]: dataFor({ invoices: [inv("1", 1000)] }),
      [`${tenant.id}/${y}`]: dataFor({ invoices: [inv("1", 99900)] }),
    });
    await setBannerIndex(env, tenant.id, x, true);
    await setBannerIndex(env, tenant.id, y, true);
    const mint = await request(`/v1/debtors/${x}/banner-token`, postJson(tenant.key, {}));
    const { token } = (await mint.json()) as { token: string };
    const yToken = await tokenFor(tenant.id, y);
    const yEtag = (await request("/v1/banner", bearer(yToken))).headers.get("etag") ?? "";
    calls.views.length = 0;
    const res = await request("/v1/banner?debtor=" + y, bearer(token, { "if-none-match": yEtag }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { total_cents: number }).total_cents).toBe(1000);
    expect(calls.views).toEqual([`${tenant.id}/${x}`]);
  });

  it("rejects missing, expired, tampered and query-string tokens with 401", async () => {
    const { request, calls } = setup();
    const { tenantId, debtorId } = ids();
    await setBannerIndex(env, tenantId, debtorId, true);
    const good = await tokenFor(tenantId, debtorId);
    await expectProblem(await request("/v1/banner"), 401);
    const query = await expectProblem(await request(`/v1/banner?token=${good}`), 401);
    expect(JSON.stringify(query)).toContain("not accepted");
    const expired = await tokenFor(tenantId, debtorId, { iat: Date.now() - 20 * MIN, exp: Date.now() - 5 * MIN });
    await expectProblem(await request("/v1/banner", bearer(expired)), 401);
    await expectProblem(await request("/v1/banner", bearer(good.slice(0, -2) + (good.endsWith("AA") ? "BB" : "AA"))), 401);
    await expectProblem(await request("/v1/banner", { headers: { authorization: `Basic ${good}` } }), 401);
    expect(calls.views).toEqual([]);
  });

  it("never hands out a non-web pay or page link", () => {
    const bad = dataFor({ selfServiceUrl: null });
    const banner = bannerFor({ ...bad, pay: { ...bad.pay, primary: { kind: "single_invoice", url: "javascript:alert(1)", amountCents: 4995, pays: true } }, invoices: [{ ...inv("1", 4995), payUrl: "javascript:alert(1)" }] });
    expect(banner.pay_url).toBeNull();
    expect(banner.pay_label).toBeNull();
    expect(banner.actions).toEqual([]);
    expect(banner.invoices[0]?.pay_url).toBeNull();
    expect(bannerFor(dataFor({ selfServiceUrl: "data:text/html,hi", pay: { primary: null, perInvoice: [] } })).actions).toEqual([]);
  });
});

describe("CORS for web shops", () => {
  const preflight = (path: string, origin: string, method = "GET", headers = "authorization,if-none-match"): RequestInit => ({
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
  });

  it("answers preflights for both banner routes, reflecting an https origin, without credentials", async () => {
    const { request } = setup();
    for (const [path, method] of [["/v1/banner", "GET"], ["/v1/banner/events", "POST"]] as const) {
      const res = await request(path, preflight(path, "https://shop.example", method, "authorization,content-type"), prodEnv("s"));
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("https://shop.example");
      expect(res.headers.get("access-control-allow-methods")).toContain(method);
      expect(res.headers.get("access-control-allow-headers")?.split(",")).toEqual(["authorization", "content-type", "if-none-match", "accept-language"]);
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      expect(res.headers.get("vary")).toContain("Origin");
    }
  });

  it("refuses plain-http origins, except localhost in development", async () => {
    const { request } = setup();
    const http = await request("/v1/banner", preflight("/v1/banner", "http://shop.example"), prodEnv("s"));
    expect(http.headers.get("access-control-allow-origin")).toBeNull();
    const localProd = await request("/v1/banner", preflight("/v1/banner", "http://localhost:3000"), prodEnv("s"));
    expect(localProd.headers.get("access-control-allow-origin")).toBeNull();
    const localDev = await request("/v1/banner", preflight("/v1/banner", "http://localhost:3000"), devEnv);
    expect(localDev.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    const weird = await request("/v1/banner", preflight("/v1/banner", "null"), devEnv);
    expect(weird.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("admits hybrid apps (Capacitor, Ionic) by their exact origins, and nothing that merely looks like them", async () => {
    const { request } = setup();
    for (const origin of ["capacitor://localhost", "ionic://localhost"]) {
      const res = await request("/v1/banner", preflight("/v1/banner", origin), prodEnv("s"));
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
    for (const origin of ["capacitor://evil.example", "ionic://localhost.evil", "capacitor://localhost:1234", "file://", "app://localhost"]) {
      const res = await request("/v1/banner", preflight("/v1/banner", origin), prodEnv("s"));
      expect(res.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
    // Android's Capacitor serves from https://localhost: the https rule covers it.
    const android = await request("/v1/banner", preflight("/v1/banner", "https://localhost"), prodEnv("s"));
    expect(android.headers.get("access-control-allow-origin")).toBe("https://localhost");
  });

  it("real answers, errors included, are readable cross-origin and expose the ETag", async () => {
    const { tenantId, debtorId } = ids();
    const { request } = setup({ [`${tenantId}/${debtorId}`]: dataFor() });
    await setBannerIndex(env, tenantId, debtorId, true);
    const origin = { origin: "https://shop.example" };
    const ok = await request("/v1/banner", bearer(await tokenFor(tenantId, debtorId), origin));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(ok.headers.get("access-control-expose-headers")).toBe("ETag,Content-Language");
    expect(ok.headers.get("vary")).toMatch(/Authorization/);
    expect(ok.headers.get("vary")).toMatch(/Origin/);
    const denied = await request("/v1/banner", { headers: origin });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("access-control-allow-origin")).toBe("https://shop.example");
  });

  it("the merchant's token route answers no CORS: it is for backends only", async () => {
    const { request } = setup();
    const res = await request("/v1/debtors/x/banner-token", preflight("/v1/debtors/x/banner-token", "https://shop.example", "POST"));
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("POST /v1/banner/events", () => {
  it("forwards impressions, clicks and dismissals to the debtor's object with 202", async () => {
    const { tenantId, debtorId } = ids();
    const { request, calls } = setup();
    await setBannerIndex(env, tenantId, debtorId, true);
    const token = await tokenFor(tenantId, debtorId);
    const at = new Date(Date.now() - MIN).toISOString();
    expect((await request("/v1/banner/events", postJson(token, { type: "impression", at }))).status).toBe(202);
    expect((await request("/v1/banner/events", postJson(token, { type: "click" }))).status).toBe(202);
    const dismiss = await request("/v1/banner/events", postJson(token, { type: "dismiss", at: at.replace("Z", "+00:00") }));
    expect(dismiss.status).toBe(202);
    expect(await dismiss.text()).toBe("");
    expect(calls.events).toEqual([
      { key: `${tenantId}/${debtorId}`, event: { type: "impression", at } },
      { key: `${tenantId}/${debtorId}`, event: { type: "click" } },
      { key: `${tenantId}/${debtorId}`, event: { type: "dismiss", at } },
    ]);
  });

  it("accepts but drops events for a debtor with nothing open (the object stays asleep)", async () => {
    const { tenantId, debtorId } = ids();
    const { request, calls } = setup();
    expect((await request("/v1/banner/events", postJson(await tokenFor(tenantId, debtorId), { type: "dismiss" }))).status).toBe(202);
    expect(calls.events).toEqual([]);
  });

  it("validates strictly, caps the body and requires a banner token", async () => {
    const { tenantId, debtorId } = ids();
    const { request, calls } = setup();
    await setBannerIndex(env, tenantId, debtorId, true);
    const token = await tokenFor(tenantId, debtorId);
    await expectProblem(await request("/v1/banner/events", postJson(token, { type: "purchase" })), 422, "type");
    await expectProblem(await request("/v1/banner/events", postJson(token, { type: "click", debtor_id: "other" })), 422);
    await expectProblem(await request("/v1/banner/events", postJson(token, { type: "click", at: "yesterday" })), 422, "at");
    await expectProblem(await request("/v1/banner/events", postJson(token, { type: "click", at: new Date(Date.now() - 2 * 24 * 60 * MIN).toISOString() })), 422, "at");
    await expectProblem(await request("/v1/banner/events", postJson(token, { type: "click", at: new Date(Date.now() + 60 * MIN).toISOString() })), 422, "at");
    await expectProblem(await request("/v1/banner/events", postJson(token, "{not json")), 400);
    await expectProblem(await request("/v1/banner/events", postJson(token, { type: "click", pad: "x".repeat(2000) })), 413);
    await expectProblem(await request("/v1/banner/events", { ...postJson(token, "type=click"), headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" } }), 415);
    await expectProblem(await request("/v1/banner/events", postJson(null, { type: "click" })), 401);
    const merchant = await newTenant();
    await expectProblem(await request("/v1/banner/events", postJson(merchant.key, { type: "click" })), 401);
    expect(calls.events).toEqual([]);
  });
});
