import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

const countInvoices = async (tenantId: string) =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM invoice_index WHERE tenant_id = ?").bind(tenantId).first<{ n: number }>())?.n;

async function expectProblem(res: Response, status: number, field?: string): Promise<Problem> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as Problem;
  expect(body.status).toBe(status);
  expect(body.title).toBeTruthy();
  if (field) expect(body.errors?.map((e) => e.field)).toContain(field);
  return body;
}

describe("registering invoices", () => {
  it("registers an invoice and reads it back", async () => {
    const t = await newTenant();
    const body = await invoiceBody(newDebtorId(), 10);
    const res = await call(t.key, "POST", "/v1/invoices", body);
    expect(res.status).toBe(201);
    const inv = (await res.json()) as { id: string; status: string; outstanding_cents: number; merchant_invoice_id: string };
    expect(inv).toMatchObject({ status: "open", outstanding_cents: 4995, merchant_invoice_id: body.merchant_invoice_id });
    const got = await call(t.key, "GET", `/v1/invoices/${inv.id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(inv);
  });

  it("a retry with the same Idempotency-Key returns the same answer and creates nothing new", async () => {
    const t = await newTenant();
    const body = await invoiceBody(newDebtorId(), 10);
    const first = await call(t.key, "POST", "/v1/invoices", body, { "idempotency-key": "order-77" });
    const second = await call(t.key, "POST", "/v1/invoices", body, { "idempotency-key": "order-77" });
    expect(second.status).toBe(first.status);
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await countInvoices(t.id)).toBe(1);
  });

  it("the same Idempotency-Key with another body is refused", async () => {
    const t = await newTenant();
    const body = await invoiceBody(newDebtorId(), 10);
    await call(t.key, "POST", "/v1/invoices", body, { "idempotency-key": "k-1" });
    const res = await call(t.key, "POST", "/v1/invoices", { ...body, amount_cents: 1 }, { "idempotency-key": "k-1" });
    const p = await expectProblem(res, 422);
    expect(p.code).toBe("idempotency_key_reused");
    expect(await countInvoices(t.id)).toBe(1);
  });

  it("a key whose first request is still running answers 409", async () => {
    const t = await newTenant();
    await env.DB.prepare("INSERT INTO idempotency_keys (tenant_id, key, request_hash, state, locked_until, created_at) VALUES (?, 'busy', 'x', 'in_flight', ?, ?)")
      .bind(t.id, Date.now() + 60_000, Date.now())
      .run();
    const res = await call(t.key, "POST", "/v1/invoices", await invoiceBody(newDebtorId(), 10), { "idempotency-key": "busy" });
    expect((await expectProblem(res, 409)).code).toBe("idempotency_key_in_use");
  });

  it("the same merchant invoice id without a key is still one invoice", async () => {
    const t = await newTenant();
    const body = await invoiceBody(newDebtorId(), 10);
    const a = (await (await call(t.key, "POST", "/v1/invoices", body)).json()) as { id: string };
    const res = await call(t.key, "POST", "/v1/invoices", body);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(a.id);
    expect(await countInvoices(t.id)).toBe(1);
  });

  it("the same merchant invoice id with another amount or another debtor is a conflict", async () => {
    const t = await newTenant();
    const body = await invoiceBody(newDebtorId(), 10);
    await register(t.key, body);
    await expectProblem(await call(t.key, "POST", "/v1/invoices", { ...body, amount_cents: 100 }), 409, "merchant_invoice_id");
    const other = { ...body, debtor: { ...body.debtor, id: newDebtorId() } };
    await expectProblem(await call(t.key, "POST", "/v1/invoices", other), 409, "merchant_invoice_id");
  });
});

describe("bad input", () => {
  it("names every invalid field and writes nothing", async () => {
    const t = await newTenant();
    const body = await invoiceBody(newDebtorId(), 10);
    const res = await call(t.key, "POST", "/v1/invoices", {
      ...body,
      amount_cents: -5,
      due_date: "2026-02-30",
      debtor: { ...body.debtor, time_zone: "Mars/Olympus", locale: "de-DE" },
    });
    const p = await expectProblem(res, 422);
    const fields = p.errors?.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["amount_cents", "due_date", "debtor.time_zone", "debtor.locale"]));
    expect(await countInvoices(t.id)).toBe(0);
  });

  it("rejects client-sent status or paid amounts (no mass assignment)", async () => {
    const t = await newTenant();
    const body = await invoiceBody(newDebtorId(), 10);
    await expectProblem(await call(t.key, "POST", "/v1/invoices", { ...body, status: "paid", paid_cents: 4995 }), 422);
    expect(await countInvoices(t.id)).toBe(0);
  });

  it("rejects a due date before the issue date, and a debtor with no way to reach them", async () => {
    const t = await newTenant();
    const body = await invoiceBody(newDebtorId(), 10);
    await expectProblem(await call(t.key, "POST", "/v1/invoices", { ...body, issue_date: "2030-01-01" }), 422, "due_date");
    const { email: _e, ...noEmail } = body.debtor;
    await expectProblem(await call(t.key, "POST", "/v1/invoices", { ...body, debtor: noEmail }), 422, "debtor.email");
  });

  it("answers malformed JSON with 400", async () => {
    const t = await newTenant();
    await expectProblem(await call(t.key, "POST", "/v1/invoices", "{not json"), 400);
  });

  it("answers an oversized body with 413", async () => {
    const t = await newTenant();
    await expectProblem(await call(t.key, "POST", "/v1/invoices", JSON.stringify({ pad: "x".repeat(70_000) })), 413);
  });

  it("answers unknown routes with a 404 problem", async () => {
    const p = await expectProblem(await call(null, "GET", "/v1/nothing-here"), 404);
    expect(p.detail).toContain("/v1/nothing-here");
  });

  it("refuses a payment above what is still owed, and a payment on a paid invoice", async () => {
    const t = await newTenant();
    const inv = await register(t.key, await invoiceBody(newDebtorId(), 10));
    await expectProblem(await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 5000 }), 422, "amount_cents");
    expect((await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 })).status).toBe(200);
    await expectProblem(await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 1 }), 409);
  });

  it("counts a repeated payment reference once", async () => {
    const t = await newTenant();
    const inv = await register(t.key, await invoiceBody(newDebtorId(), 10));
    await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 1000, reference: "psp-1" });
    const res = await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 1000, reference: "psp-1" });
    expect(((await res.json()) as { outstanding_cents: number }).outstanding_cents).toBe(3995);
  });
});

describe("authentication and tenant isolation", () => {
  it("requires a valid API key", async () => {
    await expectProblem(await call(null, "GET", "/v1/invoices/inv_x"), 401);
    await expectProblem(await call("kind_test_" + "A".repeat(32), "GET", "/v1/invoices/inv_x"), 401);
    await expectProblem(await call("not-a-key", "POST", "/v1/invoices", {}), 401);
  });

  it("stores API keys only as hashes", async () => {
    const t = await newTenant();
    const rows = await env.DB.prepare("SELECT * FROM api_keys WHERE tenant_id = ?").bind(t.id).all();
    expect(JSON.stringify(rows.results)).not.toContain(t.key);
  });

  it("tenant B can neither read nor change tenant A's invoices and debtors", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const debtor = newDebtorId();
    const body = await invoiceBody(debtor, 10);
    const inv = await register(a.key, body);
    await expectProblem(await call(b.key, "GET", `/v1/invoices/${inv.id}`), 404);
    await expectProblem(await call(b.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 }), 404);
    await expectProblem(await call(b.key, "POST", `/v1/invoices/${inv.id}/cancel`, { reason: "other" }), 404);
    await expectProblem(await call(b.key, "GET", `/v1/debtors/${debtor}`), 404);
    // B may use the same ids for its own customers without touching A's.
    const mine = await register(b.key, body);
    expect(mine.id).not.toBe(inv.id);
    const still = (await (await call(a.key, "GET", `/v1/invoices/${inv.id}`)).json()) as { status: string; outstanding_cents: number };
    expect(still).toMatchObject({ status: "open", outstanding_cents: 4995 });
    const debtorA = (await (await call(a.key, "GET", `/v1/debtors/${debtor}`)).json()) as { open_invoices: { id: string }[] };
    expect(debtorA.open_invoices.map((i) => i.id)).toEqual([inv.id]);
  });
});

describe("the API description", () => {
  it("serves an OpenAPI 3.1 document built from the same schemas", async () => {
    const res = await call(null, "GET", "/openapi.json");
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/invoices", "/v1/invoices/{id}", "/v1/invoices/{id}/payments", "/v1/invoices/{id}/cancel", "/v1/debtors/{id}"]),
    );
    expect(doc.components.schemas).toHaveProperty("InvoiceInput");
  });

  it("serves a reference page at /docs that works offline: its script comes from this Worker", async () => {
    const res = await call(null, "GET", "/docs");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("/openapi.json");
    const scripts = [...page.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(scripts).toEqual(["/docs/scalar.js"]);
    const script = await call(null, "GET", "/docs/scalar.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  });
});

describe("the sandbox outbox", () => {
  it("lists a tenant's own kept messages only, and shows each as the recipient would see it", async () => {
    const { advanceTo, sandboxFor, stubOf } = await import("./helpers");
    const a = await newTenant();
    const b = await newTenant();
    const debtor = newDebtorId();
    await register(a.key, await invoiceBody(debtor, -1));
    await advanceTo(3);
    await stubOf(a.id, debtor).tick();
    const [kept] = await sandboxFor(a.id, debtor);
    expect(kept).toBeDefined();

    const mine = (await (await call(a.key, "GET", `/v1/sandbox/messages?debtor_id=${debtor}`)).json()) as { data: { id: string; subject: string; html_url: string }[] };
    expect(mine.data.map((m) => m.id)).toEqual([kept?.id]);
    const theirs = (await (await call(b.key, "GET", "/v1/sandbox/messages")).json()) as { data: unknown[] };
    expect(theirs.data).toEqual([]);

    const list = await (await call(null, "GET", "/sandbox")).text();
    expect(list).toContain(mine.data[0]?.subject.replaceAll("&", "&amp;") ?? "missing");
    const page = await call(null, "GET", mine.data[0]?.html_url ?? "/");
    expect(page.headers.get("content-security-policy")).toContain("sandbox");
    const html = await page.text();
    expect(html).toContain('lang="nl-NL"');
    expect(html).toContain("https://shop.example/pay/1");
  });
});

describe("the account", () => {
  it("shows and changes the sender details, validating the Belgian enterprise number", async () => {
    const t = await newTenant("BE");
    const before = (await (await call(t.key, "GET", "/v1/account")).json()) as { id: string; enterprise_number: string | null };
    expect(before).toMatchObject({ id: t.id, enterprise_number: null });
    await expectProblem(await call(t.key, "PATCH", "/v1/account", { enterprise_number: "12345" }), 422, "enterprise_number");
    const res = await call(t.key, "PATCH", "/v1/account", { enterprise_number: "0123.456.789", address_lines: ["Kerkstraat 2", "2000 Antwerpen"] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enterprise_number: "0123.456.789", address_lines: ["Kerkstraat 2", "2000 Antwerpen"], country: "BE" });
    await expectProblem(await call(t.key, "PATCH", "/v1/account", { id: "someone-else" }), 422);
  });
});

describe("request limits", () => {
  it("answers 429 with Retry-After when an API key goes over its limit, and writes nothing", async () => {
    const { api } = await import("../workers/api");
    const t = await newTenant();
    const limited = { ...env, API_RATE_LIMITER: { limit: async () => ({ success: false }) } };
    const res = await api.request(
      "http://kindly.test/v1/invoices",
      { method: "POST", headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json" }, body: JSON.stringify(await invoiceBody(newDebtorId(), 10)) },
      limited,
    );
    const p = await expectProblem(res, 429);
    expect(p.code).toBe("rate_limited");
    expect(res.headers.get("retry-after")).toBe("10");
    expect(await countInvoices(t.id)).toBe(0);
  });
});

describe("the sandbox page", () => {
  it("shows each message's status timeline and previews the in-app banner of debtors with open invoices", async () => {
    const { advanceTo, settleDispatch, stubOf } = await import("./helpers");
    const t = await newTenant();
    const debtor = newDebtorId();
    await register(t.key, await invoiceBody(debtor, -1));
    await advanceTo(3);
    await stubOf(t.id, debtor).tick();
    await settleDispatch(t.id, debtor);
    const list = await (await call(null, "GET", "/sandbox")).text();
    expect(list).toContain("reminder.sent");
    expect(list).toContain(`/sandbox/banner/${t.id}/${debtor}`);
    const banner = await call(null, "GET", `/sandbox/banner/${t.id}/${debtor}`);
    expect(banner.status).toBe(200);
    expect(await banner.text()).toContain("49,95");
  });
});

describe("template previews", () => {
  it("lists every template in every language and channel, renders them from sample data, in development only", async () => {
    const index = await (await call(null, "GET", "/sandbox/preview")).text();
    const links = [...index.matchAll(/href="(\/sandbox\/preview\/[^"]+\?channel=[a-z]+)"/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
    // 16 message templates x 4 languages x 3 channels.
    expect(links).toHaveLength(16 * 4 * 3);
    // One per template, cycling through languages and channels, keeps the test quick.
    const keys = [...new Set(links.map((l) => l.split("/")[3]))];
    for (const [n, key] of keys.entries()) {
      const link = links.filter((l) => l.split("/")[3] === key)[n % 12] ?? "";
      const res = await call(null, "GET", link);
      expect(res.status, link).toBe(200);
      expect((await res.text()).length).toBeGreaterThan(link.endsWith("sms") ? 100 : 1000);
    }
    const fourteen = await (await call(null, "GET", "/sandbox/preview/nl-fourteen-day-letter/nl-NL?channel=letter")).text();
    expect(fourteen).toContain("binnen 14 dagen vanaf de dag nadat deze brief bij u is bezorgd");
    // The Book XIX cap: damages on EUR 139.45 are EUR 20, computed by the law functions.
    const be = await (await call(null, "GET", "/sandbox/preview/be-first-reminder/nl-BE?channel=email")).text();
    expect(be).toContain("schadevergoeding bij van €\u00a020,00");
    const registry = (await (await call(null, "GET", "/sandbox/preview/templates.json")).json()) as { key: string; placeholders: { name: string }[] }[];
    expect(registry.find((t) => t.key === "final-notice")?.placeholders.map((p) => p.name)).toContain("partner_name");
    expect((await call(null, "GET", "/sandbox/preview/nope/nl-NL")).status).toBe(404);
  });
});
