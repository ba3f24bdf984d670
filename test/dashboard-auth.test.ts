/**
 * Signing in to the dashboard and what each role may do: one-time links (used once, expiring,
 * never used up by opening them), sessions in __Host- cookies, CSRF refused, roles enforced on
 * pages and forms, and an audit row for every view of a debtor's personal data.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";
import { DashClient, requestLink, signedIn, signinLinkFor } from "./dashboard-client";

describe("sign-in by one-time link", () => {
  it("signs in once with the emailed link; the session cookie is HttpOnly, Secure, SameSite and __Host-", async () => {
    const t = await newTenant();
    const res = await call(t.key, "POST", "/v1/users", { email: "Sanne@Shop.example", name: "Sanne", role: "owner", locale: "en" });
    expect(res.status).toBe(201);
    const client = new DashClient();
    expect((await client.get("/app")).headers.get("location")).toBe("/app/signin");
    const sent = await requestLink(client, "sanne@shop.example");
    expect(await sent.text()).toContain("sanne@shop.example");
    const link = await signinLinkFor(t.id, "sanne@shop.example");
    // Opening the link (as a mail scanner would) does not use it up.
    expect((await client.get(link)).status).toBe(200);
    const page = await (await client.get(link)).text();
    const token = /name="token" value="([A-Za-z0-9]{32})"/.exec(page)?.[1] ?? "";
    const done = await client.fetch("POST", "/app/signin/verify", { form: { _csrf: DashClient.csrfOf(page), token } });
    expect(done.status).toBe(303);
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith("__Host-kindly_app="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    const home = await client.get("/app");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Signed in as Sanne");
    // The same link again: refused, and it signs nobody in.
    const other = new DashClient();
    const again = await other.get(link);
    expect(again.status).toBe(410);
    const page2 = await (await other.get("/app/signin")).text();
    const reuse = await other.fetch("POST", "/app/signin/verify", { form: { _csrf: DashClient.csrfOf(page2), token } });
    expect(reuse.status).toBe(410);
    expect((await other.get("/app")).status).toBe(303);
  });

  it("refuses an expired link, and answers the same for an unknown address", async () => {
    const t = await newTenant();
    await call(t.key, "POST", "/v1/users", { email: "late@shop.example", name: "Late", role: "viewer" });
    const client = new DashClient();
    await requestLink(client, "late@shop.example");
    const link = await signinLinkFor(t.id, "late@shop.example");
    await env.DB.prepare("UPDATE signin_links SET expires_at = ? WHERE tenant_id = ?").bind(Date.now() - 1, t.id).run();
    expect((await client.get(link)).status).toBe(410);
    const signin = await (await client.get("/app/signin")).text();
    const token = /token=([A-Za-z0-9]{32})/.exec(link)?.[1] ?? "";
    expect((await client.fetch("POST", "/app/signin/verify", { form: { _csrf: DashClient.csrfOf(signin), token } })).status).toBe(410);
    const unknown = await requestLink(client, "nobody@nowhere.example");
    const known = await requestLink(client, "late@shop.example");
    expect(unknown.status).toBe(known.status);
    expect((await unknown.text()).replace("nobody@nowhere.example", "X")).toBe((await known.text()).replace("late@shop.example", "X"));
  });

  it("signing out, a role change and disabling the user end the session", async () => {
    const t = await newTenant();
    const a = await signedIn(t, "viewer");
    expect((await a.client.post("/app/signout", {})).status).toBe(303);
    expect((await a.client.get("/app")).status).toBe(303);
    const b = await signedIn(t, "marketer");
    expect((await call(t.key, "PATCH", `/v1/users/${b.userId}`, { role: "viewer" })).status).toBe(200);
    expect((await b.client.get("/app")).status).toBe(303);
    const c = await signedIn(t, "credit_manager");
    expect((await call(t.key, "PATCH", `/v1/users/${c.userId}`, { disabled: true })).status).toBe(200);
    expect((await c.client.get("/app")).status).toBe(303);
  });
});

describe("session limits", () => {
  it("a session ends after 12 hours without use or 7 days in all; at most 5 links per 15 minutes; pages are not cached or framed", async () => {
    const t = await newTenant();
    const idle = await signedIn(t, "viewer");
    const page = await idle.client.get("/app");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    await env.DB.prepare("UPDATE dashboard_sessions SET last_seen_at = ? WHERE user_id = ?").bind(Date.now() - 12 * 3600_000 - 1000, idle.userId).run();
    expect((await idle.client.get("/app")).status).toBe(303);
    const old = await signedIn(t, "viewer");
    await env.DB.prepare("UPDATE dashboard_sessions SET expires_at = ? WHERE user_id = ?").bind(Date.now() - 1, old.userId).run();
    expect((await old.client.get("/app")).status).toBe(303);
    const client = new DashClient();
    for (let i = 0; i < 7; i++) await requestLink(client, old.email);
    // One link from signing in, then four more: five in the window.
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM signin_links WHERE user_id = ?").bind(old.userId).first()).toEqual({ n: 5 });
  });
});

describe("CSRF", () => {
  it("refuses a form without the token, with another session's token, or from another site, and changes nothing", async () => {
    const t = await newTenant();
    const owner = await signedIn(t, "owner");
    const other = await signedIn(t, "owner");
    const form = { email: "new@shop.example", name: "New", role: "viewer", locale: "nl" };
    expect((await owner.client.fetch("POST", "/app/users", { form })).status).toBe(403);
    const otherToken = DashClient.csrfOf(await (await other.client.get("/app")).text());
    expect((await owner.client.fetch("POST", "/app/users", { form: { ...form, _csrf: otherToken } })).status).toBe(403);
    const mine = DashClient.csrfOf(await (await owner.client.get("/app")).text());
    expect((await owner.client.fetch("POST", "/app/users", { form: { ...form, _csrf: mine }, headers: { origin: "https://evil.example" } })).status).toBe(403);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM dashboard_users WHERE email = 'new@shop.example'").first()).toEqual({ n: 0 });
    // The sign-in form too: without the pre-session cookie's token, nothing is sent.
    expect((await new DashClient().fetch("POST", "/app/signin", { form: { email: owner.email } })).status).toBe(403);
    // And with everything right, it works.
    expect((await owner.client.fetch("POST", "/app/users", { form: { ...form, _csrf: mine } })).status).toBe(303);
  });
});

describe("roles", () => {
  it("each role sees only its own pages and links, and is refused the others", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -2));
    const may: Record<string, string[]> = {
      owner: ["/app", "/app/funnel", "/app/value", "/app/policy", `/app/debtors/${d}`, "/app/users", "/app/audit", "/app/account", "/app/templates", "/app/experiments"],
      credit_manager: ["/app", "/app/funnel", "/app/value", "/app/policy", `/app/debtors/${d}`, "/app/templates", "/app/experiments"],
      marketer: ["/app", "/app/funnel", "/app/value", "/app/policy", "/app/templates", "/app/experiments"],
      viewer: ["/app", "/app/funnel", "/app/value", "/app/policy", "/app/templates", "/app/experiments"],
    };
    const all = may.owner ?? [];
    for (const role of ["owner", "credit_manager", "marketer", "viewer"] as const) {
      const { client } = await signedIn(t, role);
      const home = await (await client.get("/app")).text();
      for (const path of all) {
        const allowed = (may[role] ?? []).includes(path);
        const res = await client.get(path);
        expect({ role, path, status: res.status }).toEqual({ role, path, status: allowed ? 200 : 403 });
        const nav = path.startsWith("/app/debtors/") ? "/app/debtors" : path;
        if (nav !== "/app") expect({ role, nav, linked: home.includes(`href="${nav}"`) }).toEqual({ role, nav, linked: allowed });
      }
    }
  });

  it("only the roles that may change a thing can post its form", async () => {
    const t = await newTenant();
    const viewer = await signedIn(t, "viewer");
    const marketer = await signedIn(t, "marketer");
    const policy = await (await call(t.key, "GET", "/v1/policy")).json<{ policy: Record<string, unknown> }>();
    const body = JSON.stringify({ ...policy.policy, version: 1 });
    expect((await viewer.client.post("/app/policy", { policy: body })).status).toBe(403);
    expect((await marketer.client.post("/app/users", { email: "x@shop.example", name: "X", role: "owner" })).status).toBe(403);
    const cm = await signedIn(t, "credit_manager");
    expect((await cm.client.post("/app/policy", { policy: body })).status).toBe(303);
    expect((await call(t.key, "GET", "/v1/policy")).status).toBe(200);
    expect(((await (await call(t.key, "GET", "/v1/policy")).json()) as { version: number }).version).toBe(1);
  });
});

describe("audit log", () => {
  it("writes a row for every view of a debtor's personal data, which the owner reads", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -2));
    const cm = await signedIn(t, "credit_manager");
    const page = await (await cm.client.get(`/app/debtors/${d}`)).text();
    expect(page).toContain("Sanne de Vries");
    await cm.client.get(`/app/debtors/${d}`);
    const rows = await env.DB.prepare("SELECT user_id, action, subject FROM audit_log WHERE tenant_id = ? AND action = 'debtor.viewed'").bind(t.id).all();
    expect(rows.results).toEqual([
      { user_id: cm.userId, action: "debtor.viewed", subject: d },
      { user_id: cm.userId, action: "debtor.viewed", subject: d },
    ]);
    // A search shows ids only, and writes nothing.
    expect(await (await cm.client.get(`/app/debtors?q=${d.slice(0, 6)}`)).text()).toContain(d);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ?").bind(t.id).first())).toEqual({ n: 2 });
    const owner = await signedIn(t, "owner");
    const log = await (await owner.client.get("/app/audit")).text();
    expect(log).toContain("credit_manager person");
    expect(log).toContain(d);
    expect((await cm.client.get("/app/audit")).status).toBe(403);
  });
});
