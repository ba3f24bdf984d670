/**
 * A session of tenant A never reads or changes tenant B: every dashboard route, called by an
 * owner of A with B's ids where the route takes ids, answers 404 (or A's own data) and never
 * shows anything of B. The matrix is checked against the dashboard's route table, so a new route
 * without a row here fails this test.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dashboard } from "../workers/dashboard/app";
import { advanceTo, call, invoiceBody, newDebtorId, newTenant, register, stubOf } from "./helpers";
import { signedIn } from "./dashboard-client";

type Probe = { method: "GET" | "POST"; path: string; form?: Record<string, string>; expect: number; echo?: string };

describe("tenant isolation over every dashboard route", () => {
  it("a session of tenant A gets 404 for B's ids and never sees B's data", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const dA = newDebtorId();
    const dB = newDebtorId();
    await register(a.key, await invoiceBody(dA, -4));
    await register(b.key, await invoiceBody(dB, -4, { debtor: { id: dB, name: "Bram Bakker", email: "bram@b.example", locale: "nl-NL", time_zone: "Europe/Amsterdam" } }));
    await advanceTo(1);
    await stubOf(b.id, dB).tick();
    const outboxB = (await env.DB.prepare("SELECT data FROM outcome_events WHERE tenant_id = ? AND type = 'reminder.sent'").bind(b.id).first<{ data: string }>())?.data;
    const outboxId = (JSON.parse(outboxB ?? "{}") as { outbox_id?: string }).outbox_id ?? "";
    expect(outboxId).not.toBe("");
    // B's own copy and an experiment on it: A's marketer pages must never show or act on them.
    const savedB = await call(b.key, "POST", "/v1/templates/reminder-friendly/nl-NL/versions", { copy: { subject: "{{shop_name}}: een klein seintje" }, note: "Bram Bakker asked for this" });
    expect(savedB.status).toBe(201);
    const expB = await call(b.key, "POST", "/v1/experiments", {
      name: "Bram Bakker test", template: "reminder-friendly", channel: "email", locales: ["nl-NL"],
      variants: [{ key: "control", control: true }, { key: "warm", versions: { "nl-NL": 1 } }], duration_days: 14,
    });
    expect(expB.status).toBe(201);
    const expIdB = ((await expB.json()) as { id: string }).id;
    const ownerB = await signedIn(b, "owner");
    const { client } = await signedIn(a, "owner");
    await client.get("/app");

    const matrix: Record<string, Probe[]> = {
      "GET /app": [{ method: "GET", path: "/app", expect: 200 }],
      "GET /app/funnel": [{ method: "GET", path: "/app/funnel?weeks=52", expect: 200 }],
      "GET /app/value": [{ method: "GET", path: "/app/value", expect: 200 }],
      "GET /app/policy": [{ method: "GET", path: "/app/policy", expect: 200 }],
      "POST /app/policy": [{ method: "POST", path: "/app/policy", form: { policy: "{}" }, expect: 400 }],
      "POST /app/policy/score": [{ method: "POST", path: "/app/policy/score", form: { year: "2030" }, expect: 303 }],
      // The search box shows what A typed (B's id); nothing found is all it may say.
      "GET /app/debtors": [{ method: "GET", path: `/app/debtors?q=${encodeURIComponent(dB)}`, expect: 200, echo: `value="${dB}"` }],
      "GET /app/debtors/:id": [{ method: "GET", path: `/app/debtors/${dB}`, expect: 404 }],
      "POST /app/debtors/:id/flags": [{ method: "POST", path: `/app/debtors/${dB}/flags`, form: { vulnerable: "1" }, expect: 404 }],
      "GET /app/debtors/:id/messages/:outbox": [
        { method: "GET", path: `/app/debtors/${dB}/messages/${outboxId}`, expect: 404 },
        // A's own debtor with B's message id: still nothing of B.
        { method: "GET", path: `/app/debtors/${dA}/messages/${outboxId}`, expect: 404 },
      ],
      "GET /app/users": [{ method: "GET", path: "/app/users", expect: 200 }],
      "POST /app/users": [{ method: "POST", path: "/app/users", form: { email: ownerB.email, name: "Copy of B", role: "viewer", locale: "nl" }, expect: 303 }],
      "POST /app/users/:id": [{ method: "POST", path: `/app/users/${ownerB.userId}`, form: { disabled: "1" }, expect: 404 }],
      "GET /app/audit": [{ method: "GET", path: "/app/audit", expect: 200 }],
      "GET /app/account": [{ method: "GET", path: "/app/account", expect: 200 }],
      "POST /app/account": [{ method: "POST", path: "/app/account", form: { from_name: "A shop", from_address: "a@a.example" }, expect: 303 }],
      "GET /app/templates": [{ method: "GET", path: "/app/templates", expect: 200 }],
      "GET /app/templates/:key/:locale": [
        { method: "GET", path: "/app/templates/reminder-friendly/nl-NL", expect: 200 },
        { method: "GET", path: "/app/templates/reminder-friendly/nl-NL?version=1", expect: 404 },
      ],
      "POST /app/templates/:key/:locale/versions": [{ method: "POST", path: "/app/templates/reminder-friendly/nl-NL/versions", form: { channel: "email", based_on: "1", subject: "Hoi" }, expect: 404 }],
      "POST /app/templates/:key/:locale/versions/:version/publish": [{ method: "POST", path: "/app/templates/reminder-friendly/nl-NL/versions/1/publish", form: { channel: "email" }, expect: 404 }],
      "POST /app/templates/:key/:locale/preview": [{ method: "POST", path: "/app/templates/reminder-friendly/nl-NL/preview", form: { channel: "email", based_on: "1" }, expect: 404 }],
      "GET /app/templates/:key/:locale/preview": [{ method: "GET", path: "/app/templates/reminder-friendly/nl-NL/preview?version=1", expect: 404 }],
      "GET /app/experiments": [{ method: "GET", path: "/app/experiments", expect: 200 }],
      // A variant naming version 1, which only B has: refused as A's own problem, nothing of B shown.
      "POST /app/experiments": [
        { method: "POST", path: "/app/experiments", form: { intent: "start", name: "Mine", template: "reminder-friendly", channel: "email", "locale.nl-NL": "on", "v0.key": "control", "v1.key": "warm", "v1.nl-NL": "1", duration_days: "14" }, expect: 400 },
      ],
      "GET /app/experiments/:id": [{ method: "GET", path: `/app/experiments/${expIdB}`, expect: 404 }],
      "GET /app/experiments/:id/results.csv": [{ method: "GET", path: `/app/experiments/${expIdB}/results.csv`, expect: 404 }],
      "POST /app/experiments/:id/stop": [{ method: "POST", path: `/app/experiments/${expIdB}/stop`, form: {}, expect: 404 }],
      "POST /app/experiments/:id/promote": [{ method: "POST", path: `/app/experiments/${expIdB}/promote`, form: { variant: "warm" }, expect: 404 }],
      "POST /app/language": [{ method: "POST", path: "/app/language", form: { locale: "en", back: "/app" }, expect: 303 }],
      "POST /app/signout": [],
      "GET /app/signin": [],
      "POST /app/signin": [],
      "GET /app/signin/verify": [],
      "POST /app/signin/verify": [],
      "GET /app/assets/*": [],
      "ALL /app/*": [{ method: "GET", path: `/app/nothing/${dB}`, expect: 404 }],
    };
    // Every route the dashboard has is in the matrix (the sign-in routes and assets hold no tenant data).
    const routes = dashboard.routes.filter((r) => !(r.method === "ALL" && r.path === "/*")).map((r) => `${r.method} ${r.path}`);
    expect([...new Set(routes)].sort()).toEqual(Object.keys(matrix).sort());

    const secrets = [b.id, dB, "Bram Bakker", "bram@b.example", ownerB.userId, expIdB];
    for (const [route, probes] of Object.entries(matrix)) {
      for (const p of probes) {
        const res = p.method === "GET" ? await client.get(p.path) : await client.post(p.path, p.form ?? {});
        // What A asked for is echoed back (the URL in the language form, the search box): that is not B's data.
        const body = (await res.text()).replaceAll(p.path.split("?")[0] ?? p.path, "").replace(p.echo ?? "\u0000", "");
        expect({ route, path: p.path, status: res.status }).toEqual({ route, path: p.path, status: p.expect });
        for (const s of secrets) expect({ route, leaked: body.includes(s) ? s : null }).toEqual({ route, leaked: null });
      }
    }
    // Nothing of B changed: its owner is active, its debtor not flagged, its users one.
    const userB = await env.DB.prepare("SELECT disabled_at FROM dashboard_users WHERE id = ?").bind(ownerB.userId).first();
    expect(userB).toEqual({ disabled_at: null });
    const debtorB = (await (await call(b.key, "GET", `/v1/debtors/${dB}`)).json()) as { flags: { vulnerable: boolean } };
    expect(debtorB.flags.vulnerable).toBe(false);
    // The user A added with B's owner's address belongs to A only, and signs in to A.
    expect(await env.DB.prepare("SELECT tenant_id FROM dashboard_users WHERE email = ? ORDER BY tenant_id").bind(ownerB.email).all()).toMatchObject({
      results: [{ tenant_id: [a.id, b.id].sort()[0] }, { tenant_id: [a.id, b.id].sort()[1] }],
    });
    // B's experiment still runs and its version is still a draft.
    expect(await env.DB.prepare("SELECT status FROM experiments WHERE id = ?").bind(expIdB).first()).toEqual({ status: "running" });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM template_versions WHERE tenant_id = ?").bind(a.id).first()).toEqual({ n: 0 });
    // B's owner still reads B's own debtor.
    expect((await ownerB.client.get(`/app/debtors/${dB}`)).status).toBe(200);
  });
});
