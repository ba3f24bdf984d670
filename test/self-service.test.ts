import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../workers/app";
import { createSelfService, type SelfServiceBackend } from "../workers/api/self-service";
import type { SelfServiceAction, SelfServiceResult, SelfServiceView } from "../workers/debtor/self-service-types";
import { debtorLinkSecret, selfServiceUrls, signDebtorLink, verifyDebtorLink } from "../workers/links";
import { addDays } from "../workers/zoned-time";
import { DAY, today } from "./helpers";

const SECRET = "test-secret-with-enough-entropy-0123456789";
const devEnv = { ...env, KINDLY_ENV: "development" };
const devSecret = debtorLinkSecret(devEnv) ?? "";

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

async function viewFor(debtorId: string, overrides: Partial<SelfServiceView> = {}): Promise<SelfServiceView> {
  const t = await today();
  const invoices = [
    { reference: "INV-1001", dueDate: "2026-11-20", outstandingCents: 4995, payUrl: "https://shop.example/pay/1" },
    { reference: "INV-1002", dueDate: "2026-11-25", outstandingCents: 2005, payUrl: "https://shop.example/pay/2" },
  ];
  return {
    name: debtorId === "cust-y" ? "Yara Yilmaz" : "Sanne de Vries",
    locale: "nl-NL",
    country: "NL",
    postalCode: null,
    merchantName: "Zonnig Shop",
    contactEmail: "help@shop.example",
    shop: { name: "Zonnig Shop", logoUrl: null, brandColour: null, phone: null, hours: [], chatUrl: null, helpUrl: null, email: "help@shop.example" },
    bank: null,
    invoices,
    totalCents: 7000,
    // The shop's consolidated link pays the total of both (49,95 + 20,05).
    pay: {
      primary: { kind: "consolidated", url: "https://shop.example/pay-all?amount=7000", amountCents: 7000, pays: true },
      perInvoice: invoices.map((i, n) => ({ invoiceId: `inv_${n}`, merchantInvoiceId: i.reference, url: i.payUrl, amountCents: i.outstandingCents })),
    },
    payReference: "INV-1001, INV-1002",
    state: { kind: "open" },
    latestPaymentDate: addDays(t, 30),
    suggestedPaymentDates: [addDays(t, 5), addDays(t, 25)],
    // 7000 / 5 = 1400 is below the minimum, so the choices are 2, 3 and 4 months.
    arrangement: { enabled: true, maxInstalments: 6, minInstalmentCents: 1500 },
    ...overrides,
  };
}

function okResult(action: SelfServiceAction): SelfServiceResult {
  if (action.kind === "arrangement") {
    return { ok: true, message: "arrangement", until: null, instalments: [{ dueDate: "2027-01-01", amountCents: 3500 }, { dueDate: "2027-02-01", amountCents: 3500 }] };
  }
  return { ok: true, message: action.kind, until: action.kind === "payment_date" ? addDays(action.date, 2) : "2027-01-15" };
}

/** The self-service app mounted at /d on an in-memory backend that records every call. */
async function setup(opts: { views?: Record<string, Partial<SelfServiceView>>; result?: (a: SelfServiceAction) => SelfServiceResult } = {}) {
  const views: Record<string, SelfServiceView> = {};
  for (const [key, o] of Object.entries(opts.views ?? { "t1/cust-x": {} })) views[key] = await viewFor(key.split("/")[1] ?? "", o);
  const calls = { views: [] as string[], acts: [] as { tenantId: string; debtorId: string; action: SelfServiceAction }[] };
  const backend: SelfServiceBackend = {
    async view(tenantId, debtorId) {
      calls.views.push(`${tenantId}/${debtorId}`);
      return views[`${tenantId}/${debtorId}`] ?? null;
    },
    async act(tenantId, debtorId, action) {
      calls.acts.push({ tenantId, debtorId, action });
      return (opts.result ?? okResult)(action);
    },
  };
  const app = createApp();
  app.route("/d", createSelfService(() => backend));
  return { app, calls };
}

const tokenFor = (tenantId: string, debtorId: string, secret = devSecret, exp = Date.now() + 30 * DAY) => signDebtorLink(secret, { tenantId, debtorId, exp });

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** The page text with Intl's (narrow) no-break spaces as plain spaces, so assertions stay readable. */
const text = async (res: Response) => (await res.text()).replace(/[\u00a0\u202f]/g, " ");

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src https:; form-action 'self'");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
}

async function expectProblem(res: Response, status: number, field?: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Problem;
  if (field) expect(body.errors?.map((e) => e.field)).toContain(field);
  return body;
}

describe("debtor link tokens", () => {
  const claims = { tenantId: "t1", debtorId: "cust-42", exp: Date.now() + DAY };

  it("a signed token verifies to exactly its claims", async () => {
    const token = await signDebtorLink(SECRET, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyDebtorLink(SECRET, token, Date.now())).toEqual(claims);
  });

  it("a tampered, re-addressed or re-signed token is rejected", async () => {
    const token = await signDebtorLink(SECRET, claims);
    const [body = "", sig = ""] = token.split(".");
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    expect(await verifyDebtorLink(SECRET, `${flip(body, 3)}.${sig}`, Date.now())).toBeNull();
    expect(await verifyDebtorLink(SECRET, `${body}.${flip(sig, 5)}`, Date.now())).toBeNull();
    // Another debtor's claims with this debtor's signature.
    const other = btoa(JSON.stringify({ ...claims, debtorId: "cust-43" })).replaceAll("=", "");
    expect(await verifyDebtorLink(SECRET, `${other}.${sig}`, Date.now())).toBeNull();
    expect(await verifyDebtorLink("another-secret", token, Date.now())).toBeNull();
  });

  it("an expired token is rejected from its exp on", async () => {
    const token = await signDebtorLink(SECRET, claims);
    expect(await verifyDebtorLink(SECRET, token, claims.exp - 1)).not.toBeNull();
    expect(await verifyDebtorLink(SECRET, token, claims.exp)).toBeNull();
    expect(await verifyDebtorLink(SECRET, token, claims.exp + DAY)).toBeNull();
  });

  it("malformed tokens are rejected, even when correctly signed", async () => {
    for (const bad of ["", "abc", "a.b.c", "!!.??", ".", "a.", `${"A".repeat(2000)}.x`]) {
      expect(await verifyDebtorLink(SECRET, bad, Date.now())).toBeNull();
    }
    // A valid MAC over a body that is not the claims JSON.
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    for (const payload of ["not json", JSON.stringify({ tenantId: "t1", debtorId: "x" }), JSON.stringify({ ...claims, admin: true })]) {
      const body = btoa(payload).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
      const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
      const sigText = btoa(String.fromCharCode(...sig)).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
      expect(await verifyDebtorLink(SECRET, `${body}.${sigText}`, Date.now())).toBeNull();
    }
  });

  it("no secret means no links: verify fails closed and sign refuses", async () => {
    const token = await signDebtorLink(SECRET, claims);
    expect(await verifyDebtorLink("", token, Date.now())).toBeNull();
    await expect(signDebtorLink("", claims)).rejects.toThrow();
  });

  it("the development secret exists only in development mode", () => {
    expect(debtorLinkSecret({ KINDLY_ENV: "development" })).toBeTruthy();
    expect(debtorLinkSecret({ KINDLY_ENV: "production" })).toBeNull();
    expect(debtorLinkSecret({ KINDLY_ENV: "production", LINK_SIGNING_SECRET: "s3cret" })).toBe("s3cret");
    expect(debtorLinkSecret({ KINDLY_ENV: "development", LINK_SIGNING_SECRET: "s3cret" })).toBe("s3cret");
  });

  it("every action link opens the one page at its own section", () => {
    expect(selfServiceUrls("https://kindly.example/", "tok.sig")).toEqual({
      page: "https://kindly.example/d/tok.sig",
      alreadyPaid: "https://kindly.example/d/tok.sig#already-paid",
      paymentDate: "https://kindly.example/d/tok.sig#payment-date",
      arrangement: "https://kindly.example/d/tok.sig#arrangement",
      help: "https://kindly.example/d/tok.sig#help",
      dispute: "https://kindly.example/d/tok.sig#dispute",
    });
  });
});

describe("the debtor's page", () => {
  it("shows the merchant, the invoices, the total, a pay button and all five options", async () => {
    const { app } = await setup();
    const res = await app.request(`/d/${await tokenFor("t1", "cust-x")}`, {}, devEnv);
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    const page = await text(res);
    expect(page).toContain('<html lang="nl-NL">');
    expect(page).toContain("Zonnig Shop");
    expect(page).toContain("INV-1001");
    expect(page).toContain("€ 70,00");
    expect(page).toMatch(/<a class="pay" href="https:\/\/shop.example\/pay-all\?amount=7000"[^>]*>Betaal € 70,00<\/a>/);
    for (const id of ["already-paid", "payment-date", "arrangement", "help", "dispute"]) expect(page).toContain(`id="${id}"`);
    for (const action of ["already_paid", "payment_date", "arrangement", "help", "dispute"]) expect(page).toContain(`value="${action}"`);
    expect(page).toContain(`max="${addDays(await today(), 30)}"`);
    expect(page).toContain(`value="${addDays(await today(), 5)}"`);
    expect(page).toContain("2 maanden: € 35,00 per maand");
    expect(page).toContain("3 maanden: ongeveer € 23,34 per maand");
    expect(page).not.toContain("5 maanden");
    expect(page).toContain('maxlength="1000"');
    expect(page).toContain("geldfit.nl");
    expect(page).toContain("schuldhulpverlening");
    expect(page).not.toContain("<script");
  });

  it("points Belgian debtors to the OCMW or CPAS, in their language", async () => {
    const { app } = await setup({
      views: { "t1/cust-nl": { locale: "nl-BE", country: "BE" }, "t1/cust-fr": { locale: "fr-BE", country: "BE" }, "t1/cust-en": { locale: "en", country: "BE" } },
    });
    const nl = await text(await app.request(`/d/${await tokenFor("t1", "cust-nl")}`, {}, devEnv));
    expect(nl).toContain('<html lang="nl-BE">');
    expect(nl).toContain("OCMW");
    expect(nl).toContain("Afbetalingsplan aanvragen");
    expect(nl).not.toContain("geldfit");
    const fr = await text(await app.request(`/d/${await tokenFor("t1", "cust-fr")}`, {}, devEnv));
    expect(fr).toContain('<html lang="fr-BE">');
    expect(fr).toContain("CPAS");
    expect(fr).toContain("Payer 70,00");
    expect(fr).not.toContain("geldfit");
    const en = await text(await app.request(`/d/${await tokenFor("t1", "cust-en")}`, {}, devEnv));
    expect(en).toContain("OCMW / CPAS");
  });


  it("escapes what the merchant and debtor supplied", async () => {
    const { app } = await setup({ views: { "t1/cust-x": { name: "<img src=x>", merchantName: 'Shop "<b>"' } } });
    const page = await text(await app.request(`/d/${await tokenFor("t1", "cust-x")}`, {}, devEnv));
    expect(page).not.toContain("<img src=x>");
    expect(page).toContain("&lt;img src=x&gt;");
  });

  it("an invalid or expired link shows a kind page without any data", async () => {
    const { app, calls } = await setup();
    const expired = await tokenFor("t1", "cust-x", devSecret, Date.now() - 1);
    for (const token of [expired, "nonsense", await tokenFor("t1", "cust-x", "wrong-secret")]) {
      const res = await app.request(`/d/${token}`, {}, devEnv);
      expect(res.status).toBe(404);
      expectSecurityHeaders(res);
      const page = await text(res);
      expect(page).toContain("Deze link werkt niet meer");
      expect(page).not.toContain("Zonnig Shop");
    }
    expect(calls.views).toEqual([]);
    const fr = await app.request(`/d/nonsense`, { headers: { "accept-language": "fr-BE,fr;q=0.9" } }, devEnv);
    expect(await text(fr)).toContain("Ce lien ne fonctionne plus");
  });

  it("without a signing secret in production every link is off (fail closed)", async () => {
    const { app, calls } = await setup();
    const token = await tokenFor("t1", "cust-x");
    const res = await app.request(`/d/${token}`, {}, { ...env, KINDLY_ENV: "production" });
    expect(res.status).toBe(404);
    expect(calls.views).toEqual([]);
    const withSecret: Env & { LINK_SIGNING_SECRET: string } = { ...env, KINDLY_ENV: "production", LINK_SIGNING_SECRET: SECRET };
    expect((await app.request(`/d/${token}`, {}, withSecret)).status).toBe(404);
    expect((await app.request(`/d/${await tokenFor("t1", "cust-x", SECRET)}`, {}, withSecret)).status).toBe(200);
  });

  it("a link for debtor X only ever reaches debtor X", async () => {
    const { app, calls } = await setup({ views: { "t1/cust-x": {}, "t1/cust-y": {}, "t2/cust-x": {} } });
    const token = await tokenFor("t1", "cust-x");
    const page = await text(await app.request(`/d/${token}`, {}, devEnv));
    expect(page).toContain("Sanne de Vries");
    expect(page).not.toContain("Yara");
    await app.request(`/d/${token}/actions`, json({ action: "already_paid" }), devEnv);
    await app.request(`/d/${token}/actions`, form({ action: "help" }), devEnv);
    expect(new Set(calls.views)).toEqual(new Set(["t1/cust-x"]));
    expect(calls.acts.map((a) => `${a.tenantId}/${a.debtorId}`)).toEqual(["t1/cust-x", "t1/cust-x"]);
  });
});

describe("answering from the page", () => {
  it("each form reaches the backend as the right action and the answer says what happens next", async () => {
    const { app, calls } = await setup();
    const token = await tokenFor("t1", "cust-x");
    const post = async (fields: Record<string, string>) => {
      const res = await app.request(`/d/${token}/actions`, form(fields), devEnv);
      expect(res.status).toBe(200);
      expectSecurityHeaders(res);
      return text(res);
    };
    const date = addDays(await today(), 5);

    expect(await post({ action: "already_paid" })).toContain("We kijken of uw betaling binnen is");
    const planned = await post({ action: "payment_date", date });
    expect(planned).toMatch(/U betaalt op \d+ \w+ \d{4}/);
    expect(planned).toContain("krijgt u geen herinneringen");
    const plan = await post({ action: "arrangement", instalments: "2" });
    expect(plan).toContain("Dit is uw betalingsregeling");
    expect(plan).toContain("Laat het ons dan vóór die dag weten.");
    expect(plan).toContain("1 januari 2027");
    expect(plan).toContain("€ 35,00");
    const help = await post({ action: "help" });
    expect(help).toContain("Zonnig Shop neemt contact met u op");
    expect(help).toContain("geldfit.nl");
    expect(await post({ action: "dispute", reason: "Ik heb het pakket\r\nteruggestuurd." })).toContain("We bekijken wat u schrijft");

    expect(calls.acts.map((a) => a.action)).toEqual([
      { kind: "already_paid" },
      { kind: "payment_date", date },
      { kind: "arrangement", instalments: 2 },
      { kind: "help" },
      { kind: "dispute", reason: "Ik heb het pakket\nteruggestuurd." },
    ]);
  });

  it("a JSON post answers the backend's result as JSON", async () => {
    const { app, calls } = await setup();
    const token = await tokenFor("t1", "cust-x");
    const res = await app.request(`/d/${token}/actions`, json({ action: "arrangement", instalments: 3 }), devEnv);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(okResult({ kind: "arrangement", instalments: 3 }));
    expect(calls.acts[0]?.action).toEqual({ kind: "arrangement", instalments: 3 });
  });

  it("invalid input answers 422 and never reaches the backend", async () => {
    const { app, calls } = await setup();
    const token = await tokenFor("t1", "cust-x");
    const t = await today();
    const cases: [unknown, string][] = [
      [{ action: "payment_date", date: "2026-02-30" }, "date"],
      [{ action: "payment_date", date: "24-12-2026" }, "date"],
      [{ action: "payment_date", date: t }, "date"],
      [{ action: "payment_date", date: addDays(t, 31) }, "date"],
      [{ action: "arrangement", instalments: 5 }, "instalments"],
      [{ action: "arrangement", instalments: 1 }, "instalments"],
      [{ action: "arrangement", instalments: "3" }, "instalments"],
      [{ action: "arrangement", instalments: 2.5 }, "instalments"],
      [{ action: "dispute", reason: "x".repeat(1001) }, "reason"],
      [{ action: "dispute", reason: "   " }, "reason"],
      [{ action: "pay_me_later" }, "action"],
      [{ action: "help", tenantId: "t2" }, "(body)"],
    ];
    for (const [body, field] of cases) await expectProblem(await app.request(`/d/${token}/actions`, json(body), devEnv), 422, field);
    expect(calls.acts).toEqual([]);
  });

  it("an invalid form post shows a kind error page and a way back", async () => {
    const { app, calls } = await setup();
    const token = await tokenFor("t1", "cust-x");
    const post = (fields: Record<string, string>) => app.request(`/d/${token}/actions`, form(fields), devEnv);

    const late = await post({ action: "payment_date", date: addDays(await today(), 60) });
    expect(late.status).toBe(422);
    expectSecurityHeaders(late);
    const latePage = await text(late);
    expect(latePage).toContain("Kies een dag tot en met");
    expect(latePage).toContain(`href="/d/${token}#payment-date"`);
    expect(await text(await post({ action: "payment_date", date: "morgen" }))).toContain("Kies een dag in de kalender");
    expect(await text(await post({ action: "arrangement", instalments: "12" }))).toContain("Kies een aantal maanden uit de lijst");
    expect(await text(await post({ action: "dispute", reason: "x".repeat(1001) }))).toContain("maximaal 1000 tekens");
    expect(calls.acts).toEqual([]);
  });

  it("an option this debtor is not offered is refused without a backend call", async () => {
    const { app, calls } = await setup({ views: { "t1/cust-x": { arrangement: { enabled: false, maxInstalments: 6, minInstalmentCents: 1500 }, latestPaymentDate: null } } });
    const token = await tokenFor("t1", "cust-x");
    const page = await text(await app.request(`/d/${token}`, {}, devEnv));
    expect(page).toContain("Wilt u in delen betalen? Neem dan contact met ons op.");
    expect(page).not.toContain('name="instalments"');
    expect((await expectProblem(await app.request(`/d/${token}/actions`, json({ action: "arrangement", instalments: 2 }), devEnv), 409)).code).toBe("invalid_state");
    const res = await app.request(`/d/${token}/actions`, form({ action: "payment_date", date: addDays(await today(), 3) }), devEnv);
    expect(res.status).toBe(409);
    expect(await text(res)).toContain("Neem contact met ons op");
    expect(calls.acts).toEqual([]);
  });

  it("a refusal from the backend becomes a problem or a kind page", async () => {
    const { app } = await setup({ result: () => ({ ok: false, code: "invalid_state", message: "Everything is paid already." }) });
    const token = await tokenFor("t1", "cust-x");
    expect((await expectProblem(await app.request(`/d/${token}/actions`, json({ action: "help" }), devEnv), 409)).code).toBe("invalid_state");
    const res = await app.request(`/d/${token}/actions`, form({ action: "help" }), devEnv);
    expect(res.status).toBe(409);
    expect(await text(res)).toContain("Dit kan nu niet via deze pagina");
  });

  it("a post with a bad link or an unknown body type is refused", async () => {
    const { app, calls } = await setup();
    await expectProblem(await app.request(`/d/nonsense/actions`, json({ action: "help" }), devEnv), 404);
    const res = await app.request(`/d/nonsense/actions`, form({ action: "help" }), devEnv);
    expect(res.status).toBe(404);
    expect(await text(res)).toContain("Deze link werkt niet meer");
    const token = await tokenFor("t1", "cust-x");
    await expectProblem(await app.request(`/d/${token}/actions`, { method: "POST", headers: { "content-type": "text/plain" }, body: "help" }, devEnv), 415);
    await expectProblem(await app.request(`/d/${token}/actions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }, devEnv), 400);
    expect(calls.acts).toEqual([]);
  });
});
