/**
 * Operating Kindly: a D1 outage answers 503 with Retry-After (never 500), a missing secret is a
 * clear configuration error naming it, and scoped keys can do only what their scopes allow, on
 * every route (a matrix over every route the API describes).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api } from "../workers/api";
import { ROUTE_PERMISSIONS, SCOPES, scopesAllow } from "../workers/scopes";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

/** A D1 whose every statement fails the way D1 does when it is unreachable. */
const downDb = new Proxy(env.DB, {
  get(target, prop) {
    if (prop === "prepare") {
      const fail = () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
      const stmt = { bind: () => stmt, first: fail, all: fail, run: fail, raw: fail };
      return () => stmt;
    }
    if (prop === "batch") return () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
    return Reflect.get(target, prop);
  },
});

describe("outages and configuration", () => {
  it("D1 unreachable: 503 with Retry-After, as problem+json", async () => {
    const t = await newTenant();
    const res = await api.request("/v1/account", { headers: { authorization: `Bearer ${t.key}` } }, { ...env, DB: downDb });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toBe("unavailable");
  });

  it("a missing secret names the setting (503 not_configured), never a 500", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, 10));
    const production = { ...env, KINDLY_ENV: "production", BANNER_SIGNING_SECRET: undefined, PHONE_INDEX_SECRET: undefined };
    const post = (path: string, body: unknown) =>
      api.request(path, { method: "POST", headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json" }, body: JSON.stringify(body) }, production);
    const banner = await post(`/v1/debtors/${d}/banner-token`, {});
    expect(banner.status).toBe(503);
    expect(((await banner.json()) as { detail: string }).detail).toContain("BANNER_SIGNING_SECRET");
    const phone = await post("/v1/invoices", await invoiceBody(newDebtorId(), 10, { debtor: { id: newDebtorId(), name: "A", email: "a@example.nl", phone: "+31612345678", locale: "nl-NL" } }));
    expect(phone.status).toBe(503);
    expect(((await phone.json()) as { detail: string }).detail).toContain("PHONE_INDEX_SECRET");
  });

  it("the production /openapi.json does not list /dev routes; development's does", async () => {
    const prod = (await (await api.request("/openapi.json", {}, { ...env, KINDLY_ENV: "production" })).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(prod.paths).filter((p) => p.startsWith("/dev"))).toEqual([]);
    expect(Object.keys(prod.paths)).toContain("/v1/invoices");
    const dev = (await (await call(null, "GET", "/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(dev.paths)).toContain("/dev/seed");
  });
});

describe("the contract check every API test runs", () => {
  it("refuses a body that does not match the schema, and a status the operation does not declare", async () => {
    const { checkContract, contractStats } = await import("./contract");
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    await expect(checkContract("GET", "/v1/settings", json({ mode: "live", retention_months: "24", pay_later_enabled: false }))).rejects.toThrow(/retention_months/);
    await expect(checkContract("GET", "/v1/settings", json({ mode: "live", retention_months: 24, pay_later_enabled: false }, 418))).rejects.toThrow(/does not declare/);
    const before = contractStats.checked;
    await checkContract("GET", "/v1/settings", json({ mode: "live", retention_months: 24, pay_later_enabled: false }));
    expect(contractStats.checked).toBe(before + 1);
  });
});

describe("the webhooks section", () => {
  it("describes every outgoing event, and every payload Kindly builds validates against it", async () => {
    const { default: Ajv2020 } = await import("ajv/dist/2020");
    const { merchantEventFor, MERCHANT_EVENT_TYPES } = await import("../workers/webhooks-out");
    const doc = (await (await api.request("/openapi.json", {}, { ...env, KINDLY_ENV: "production" })).json()) as {
      webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: object }> } } }>;
    };
    expect(Object.keys(doc.webhooks).sort()).toEqual([...MERCHANT_EVENT_TYPES].sort());
    const ajv = new Ajv2020({ strict: false });
    // Internal events as the debtor's object emits them, with every field the mapping reads.
    const internal: [string, Record<string, unknown>][] = [
      ["reminder.sent", { outbox_id: "ob_c1_s0_email", step: "reminder_1", channel: "email", invoice_ids: ["inv_1"], total_cents: 4995, segment: "standard" }],
      ["channel.delivered", { outbox_id: "ob_c1_s0_email", channel: "email" }],
      ["reminder.failed", { outbox_id: "ob_c1_s0_email", step: "reminder_1", channel: "email", attempts: 8, error: "boom" }],
      ["debtor.already_paid", { source: "debtor", until: "2027-01-01T10:00:00.000Z" }],
      ["debtor.payment_date_chosen", { source: "merchant", date: "2027-01-25" }],
      ["debtor.disputed", { source: "debtor", note_id: "note_1" }],
      ["debtor.debt_counselling", { until: null, reference: "SHV-1" }],
      ["debtor.help_requested", { source: "debtor", until: "2027-01-01T10:00:00.000Z" }],
      ["arrangement.created", { source: "debtor", instalments: 3, total_cents: 4995, first_due_date: "2027-01-25" }],
      ["call_task.created", { outbox_id: "ob_c1_s4_call", step: "call", invoice_ids: ["inv_1"], total_cents: 4995 }],
      ["channel.unavailable", { channel: "sms", reason: "no SMS sender for NL", outbox_id: "ob_c1_s3_sms", step: "reminder_sms" }],
      ["invoice.handover_ready", { merchant_invoice_id: "INV-1", issue_date: "2026-10-01", due_date: "2026-10-15", principal_cents: 4995, outstanding_cents: 4995, costs_cents: 0 }],
      ["experiment.stopped", { experiment_id: "exp_1", name: "Warmer", variant: "b", reason: "guardrail", guardrail: "complaints", variant_rate: 0.2, control_rate: 0, status: "running" }],
      ["experiment.completed", { experiment_id: "exp_1", name: "Warmer", reason: "promoted", promoted_variant: "b", recommendation: "Promoted.", variants: [{ key: "control", control: true, status: "active", exposures: 10, measured: 10, successes: 3, rate: 0.3 }] }],
    ];
    const seen = new Set<string>();
    for (const [type, data] of internal) {
      const mapped = merchantEventFor({ id: `evt_${type}`, type, tenantId: "t", debtorId: "cust-1", invoiceId: "inv_1", occurredAt: Date.now(), data });
      expect(mapped, type).not.toBeNull();
      const schema = doc.webhooks[mapped?.type ?? ""]?.post.requestBody.content["application/json"]?.schema ?? {};
      const validate = ajv.compile(schema);
      expect(validate(mapped?.payload), `${type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      seen.add(mapped?.type ?? "");
    }
    expect([...seen].sort()).toEqual([...MERCHANT_EVENT_TYPES].sort());
  });
});

describe("scopes", () => {
  it("every route an API key reaches has its scope in the table", async () => {
    const doc = (await (await api.request("/openapi.json", {}, { ...env, KINDLY_ENV: "production" })).json()) as {
      paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
    };
    const keyed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !op.security || op.security.some((s) => "apiKey" in s))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    const table = ROUTE_PERMISSIONS.map(([m, p]) => `${m} ${p}`);
    expect(keyed.filter((r) => !table.includes(r))).toEqual([]);
    expect(table.filter((r) => !keyed.includes(r))).toEqual([]);
  });

  it("a scoped key is refused (403) exactly on the routes its scopes do not allow", { timeout: 60_000 }, async () => {
    const owner = await newTenant();
    const keys: Record<string, string> = {};
    for (const scope of SCOPES) {
      const res = await call(owner.key, "POST", "/v1/api-keys", { name: scope, scopes: [scope] });
      keys[scope] = ((await res.json()) as { key: string }).key;
    }
    let checked = 0;
    for (const [method, template, permission] of ROUTE_PERMISSIONS) {
      const path = template.replace("{channel}", "email").replace(/\{[^}]+\}/g, "nobody-here");
      for (const scope of SCOPES) {
        const res = await call(keys[scope] ?? "", method, path, method === "GET" || method === "DELETE" ? undefined : {});
        const allowed = scopesAllow([scope], permission);
        expect(res.status === 403, `${scope} ${method} ${path} (${permission})`).toBe(!allowed);
        checked++;
      }
    }
    expect(checked).toBe(ROUTE_PERMISSIONS.length * SCOPES.length);
  });
});
