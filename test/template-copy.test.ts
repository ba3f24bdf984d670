/**
 * A tenant's own words for a template, through the API: saved as versions (drafts, with who and
 * when), linted on every save, published only without problems, and then what every message of
 * that template says; previews for the tenant's own keys, in production too; another tenant never
 * sees them; and while D1 is briefly down the debtor's object still writes with the published words.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { api } from "../workers/api";
import { resendAdapter } from "../workers/channels/resend";
import { fakeResend } from "./fake-resend";
import { advanceTo, call, goLive, invoiceBody, newDebtorId, newTenant, register, sandboxFor, settleDispatch, stubOf, useAdapters, takeD1Down } from "./helpers";

const KEY = "reminder-friendly";
const save = (key: string, copy: Record<string, unknown>, extra: Record<string, unknown> = {}) => call(key, "POST", `/v1/templates/${KEY}/nl-NL/versions`, { copy, ...extra });
type Version = { version: number; status: string; actor: string; based_on: number; copy: Record<string, unknown>; lint: { ok: boolean; problems: { block: string; code: string }[] } };

describe("editable copy: versions, lint and publishing", () => {
  it("saves an edit as a draft version over the live copy, with who saved it, and names every lint problem", async () => {
    const t = await newTenant();
    const res = await save(t.key, { subject: "{{shop_name}}: even een seintje" }, { note: "shorter" });
    expect(res.status).toBe(201);
    const v = (await res.json()) as Version;
    expect(v).toMatchObject({ version: 1, status: "draft", based_on: 0, lint: { ok: true } });
    expect(v.actor).toMatch(/^api_key:/);
    // The blocks not sent keep Kindly's default words.
    const def = (await (await call(t.key, "GET", `/v1/templates/${KEY}`)).json()) as { default_copy: Record<string, { intro: string }> };
    expect(v.copy.intro).toBe(def.default_copy["nl-NL"]?.intro);

    const bad = await save(t.key, { subject: "Hallo {{frist_name}}, uw deurwaarder belt {{instalment_amount}}", sms: "Betaal {{amount}} nu." }, { based_on: 1 });
    expect(bad.status).toBe(201);
    const draft = (await bad.json()) as Version;
    expect(draft).toMatchObject({ version: 2, based_on: 1, lint: { ok: false } });
    expect(draft.lint.problems.map((p) => `${p.block}:${p.code}`).sort()).toEqual(
      ["sms:amount_on_lock_screen", "sms:missing_placeholder", "subject:placeholder_not_available", "subject:threatening_words", "subject:unknown_placeholder"].sort(),
    );
    // A version with problems cannot be published: 422 with each problem at its block.
    const refused = await call(t.key, "POST", `/v1/templates/${KEY}/nl-NL/versions/2/publish`);
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { errors: { field: string; message: string }[] };
    expect(problem.errors.map((e) => e.field)).toContain("copy.subject");
    expect(problem.errors.some((e) => e.message.startsWith("threatening_words"))).toBe(true);
  });

  it("a published version is what the next reminder says, around the same locked parts; version 0 goes back to Kindly's default", async () => {
    const t = await newTenant();
    await save(t.key, { subject: "{{shop_name}}: even een seintje", intro: "Uw betaling voor {{invoice_phrase}} staat nog open. Dat kan gebeuren." });
    const published = await call(t.key, "POST", `/v1/templates/${KEY}/nl-NL/versions/1/publish`);
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ version: 1, status: "published" });
    const live = (await (await call(t.key, "GET", `/v1/templates/${KEY}/nl-NL`)).json()) as { live: { version: number }; versions: { version: number; status: string }[] };
    expect(live.live.version).toBe(1);

    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    await advanceTo(3);
    await runDurableObjectAlarm(stubOf(t.id, d));
    const [mail] = await sandboxFor(t.id, d);
    expect(mail?.subject).toBe(`Shop ${t.accountId}: even een seintje`);
    expect(mail?.text).toContain("Uw betaling voor uw factuur bij");
    // The locked parts are still there: the crossed-payment line, free help, the amount.
    expect(mail?.text).toContain("dit bericht elkaar misschien gekruist");
    expect(mail?.text).toContain("Geldfit");
    expect(mail?.text).toContain("49,95");

    // Back to Kindly's default: the published version is superseded.
    expect((await call(t.key, "POST", `/v1/templates/${KEY}/nl-NL/versions/0/publish`)).status).toBe(200);
    const after = (await (await call(t.key, "GET", `/v1/templates/${KEY}/nl-NL`)).json()) as { live: { version: number; status: string }; versions: { version: number; status: string }[] };
    expect(after.live).toMatchObject({ version: 0, status: "default" });
    expect(after.versions).toEqual([expect.objectContaining({ version: 1, status: "superseded" })]);
  });

  it("another tenant never sees a tenant's versions, and its messages keep Kindly's words", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await save(a.key, { subject: "{{shop_name}}: alleen voor A" });
    expect((await call(a.key, "POST", `/v1/templates/${KEY}/nl-NL/versions/1/publish`)).status).toBe(200);
    expect((await call(b.key, "GET", `/v1/templates/${KEY}/nl-NL/versions/1`)).status).toBe(404);
    expect((await call(b.key, "POST", `/v1/templates/${KEY}/nl-NL/versions/1/publish`)).status).toBe(404);
    const live = (await (await call(b.key, "GET", `/v1/templates/${KEY}/nl-NL`)).json()) as { live: { version: number }; versions: unknown[] };
    expect(live).toMatchObject({ live: { version: 0 }, versions: [] });
    const preview = (await (await call(b.key, "GET", `/v1/templates/${KEY}/nl-NL/preview`)).json()) as { subject: string };
    expect(preview.subject).not.toContain("alleen voor A");
  });

  it("unknown templates, locales and versions answer 404; a marketing key edits, a read-only key only reads", async () => {
    const t = await newTenant();
    expect((await call(t.key, "GET", "/v1/templates/no-such-template/nl-NL")).status).toBe(404);
    expect((await call(t.key, "GET", `/v1/templates/${KEY}/de-DE`)).status).toBe(404);
    expect((await call(t.key, "GET", `/v1/templates/handover-ready/nl-NL`)).status).toBe(404);
    expect((await call(t.key, "GET", `/v1/templates/${KEY}/nl-NL/versions/7`)).status).toBe(404);
    const key = async (scopes: string[]) => ((await (await call(t.key, "POST", "/v1/api-keys", { name: scopes.join(), scopes })).json()) as { key: string }).key;
    const marketing = await key(["marketing"]);
    const reader = await key(["read_only"]);
    const policy = await key(["policy_admin"]);
    expect((await save(marketing, { subject: "{{shop_name}}: een seintje" })).status).toBe(201);
    expect((await call(marketing, "POST", `/v1/templates/${KEY}/nl-NL/versions/1/publish`)).status).toBe(200);
    expect((await save(reader, { subject: "{{shop_name}}: nee" })).status).toBe(403);
    expect((await save(policy, { subject: "{{shop_name}}: nee" })).status).toBe(403);
    expect((await call(reader, "GET", `/v1/templates/${KEY}/nl-NL/preview?version=1`)).status).toBe(200);
    // A marketing key touches no debtor and no policy.
    expect((await call(marketing, "POST", "/v1/invoices", await invoiceBody(newDebtorId(), -1))).status).toBe(403);
    expect((await call(marketing, "PUT", "/v1/policy", {})).status).toBe(403);
  });
});

describe("previews for real users", () => {
  it("draws a version as email HTML, as the letter's printable page and as SMS text with its segment count", async () => {
    const t = await newTenant();
    await save(t.key, { subject: "{{shop_name}}: even een seintje", sms: "{{shop_name}}: een vraag over een betaling." });
    const email = (await (await call(t.key, "GET", `/v1/templates/${KEY}/nl-NL/preview?version=1`)).json()) as { subject: string; html: string; sms: unknown; version: number; lint: { ok: boolean } };
    expect(email).toMatchObject({ subject: `Shop ${t.accountId}: even een seintje`, sms: null, version: 1, lint: { ok: true } });
    expect(email.html).toMatch(/^<!DOCTYPE html/);
    const page = await call(t.key, "GET", `/v1/templates/${KEY}/nl-NL/preview?version=1&channel=letter&format=html`);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("sandbox");
    const letter = await page.text();
    // The A4 page for a window envelope, with the sample's Dutch address and the 45 mm address zone.
    expect(letter).toMatch(/@page\s*\{\s*size:\s*A4/);
    expect(letter).toContain("Dorpsstraat 1");
    const sms = (await (await call(t.key, "GET", `/v1/templates/${KEY}/nl-NL/preview?version=1&channel=sms`)).json()) as { text: string; sms: { segments: number; encoding: string; budget: number } };
    expect(sms.text.startsWith(`Shop ${t.accountId}: een vraag over een betaling.`)).toBe(true);
    expect(sms.sms).toMatchObject({ encoding: "GSM-7", budget: 2 });
    expect(sms.sms.segments).toBe(sms.text.length > 160 ? Math.ceil(sms.text.length / 153) : 1);
  });

  it("a Belgian sample has Belgian law and help, a French-speaking one a Walloon shop; country=BE gives English for a Belgian shop", async () => {
    const t = await newTenant("BE");
    const be = (await (await call(t.key, "GET", "/v1/templates/be-first-reminder/nl-BE/preview")).json()) as { text: string; country: string };
    expect(be.country).toBe("BE");
    expect(be.text).toContain("Deze herinnering is gratis.");
    expect(be.text).toContain("OCMW");
    const fr = (await (await call(t.key, "GET", "/v1/templates/reminder-friendly/fr-BE/preview?channel=letter")).json()) as { text: string };
    expect(fr.text).toContain("Liège");
    expect(fr.text).toContain("CPAS");
    const en = (await (await call(t.key, "GET", "/v1/templates/reminder-friendly/en/preview?country=BE")).json()) as { text: string; country: string };
    expect(en.country).toBe("BE");
    expect(en.text).toMatch(/OCMW|CPAS/);
  });

  it("previews and lints unsaved changes, without saving anything", async () => {
    const t = await newTenant();
    const res = await call(t.key, "POST", `/v1/templates/${KEY}/nl-NL/preview`, { channel: "sms", copy: { sms: "{{shop_name}} " + "heeft een heel lang bericht voor u ".repeat(12) } });
    expect(res.status).toBe(200);
    const p = (await res.json()) as { version: null; lint: { ok: boolean; problems: { code: string }[] } };
    expect(p.version).toBeNull();
    expect(p.lint.problems.map((x) => x.code)).toEqual(["sms_over_budget"]);
    const list = (await (await call(t.key, "GET", `/v1/templates/${KEY}/nl-NL`)).json()) as { versions: unknown[] };
    expect(list.versions).toEqual([]);
  });

  it("works in production for the tenant's own keys, where /sandbox/preview does not exist", async () => {
    const t = await newTenant();
    const prod = { ...env, KINDLY_ENV: "production" };
    const auth = { headers: { authorization: `Bearer ${t.key}` } };
    const res = await api.request(`/v1/templates/${KEY}/nl-NL/preview?channel=email`, auth, prod);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { subject: string }).subject).toContain(`Shop ${t.accountId}`);
    expect((await api.request(`/v1/templates/${KEY}/nl-NL/preview`, {}, prod)).status).toBe(401);
    expect((await api.request(`/sandbox/preview/${KEY}/nl-NL`, {}, prod)).status).toBe(404);
  });
});

describe("the published copy in the debtor's object", () => {
  it("while D1 is briefly down, a due reminder still goes out with the tenant's published words (from the object's snapshot)", async () => {
    const fake = fakeResend("https://resend.copy.test");
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const restore = useAdapters(resendAdapter({ apiKey: "re_copy", baseUrl: "https://resend.copy.test", platformFrom: env.EMAIL_FROM }));
    let bringD1Back = () => {};
    try {
      const t = await newTenant();
      await goLive(t.key);
      await save(t.key, { subject: "{{shop_name}}: ook zonder D1" });
      expect((await call(t.key, "POST", `/v1/templates/${KEY}/nl-NL/versions/1/publish`)).status).toBe(200);
      const d = newDebtorId();
      await register(t.key, await invoiceBody(d, -1));
      const stub = stubOf(t.id, d);
      await advanceTo(3);
      await stub.selfServiceView(t.id);
      bringD1Back = takeD1Down();
      await runDurableObjectAlarm(stub);
      await settleDispatch(t.id, d);
      expect(fake.requests.map((r) => r.body.subject)).toEqual([`Shop ${t.accountId}: ook zonder D1`]);
    } finally {
      bringD1Back();
      vi.restoreAllMocks();
      restore();
    }
  });
});
