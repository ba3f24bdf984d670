/**
 * The marketer's pages by role and by form: a marketer's draft keeps every lint problem next to
 * its field and cannot be published; a credit manager and a viewer read the editor and the
 * experiment's results but get no form to change them, and their posts are refused (403) with
 * nothing written; the live preview draws an unsaved edit without storing it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, newTenant } from "./helpers";
import { signedIn } from "./dashboard-client";

const EDITOR = "/app/templates/reminder-friendly/nl-NL";

describe("the marketer's pages", () => {
  it("a draft with problems is kept with each problem at its field, and cannot be published", async () => {
    const t = await newTenant();
    const { client } = await signedIn(t, "marketer", "en");
    const res = await client.post(`${EDITOR}/versions`, { channel: "email", based_on: "0", subject: "{{frist_name}}: betaal nu", cta: "" }, EDITOR);
    expect(res.status).toBe(303);
    const page = await (await client.get(res.headers.get("location") ?? "")).text();
    // The subject's unknown placeholder and the empty button, each under its own field.
    expect(/<ul class="field-error" id="err-subject">[^]*?frist_name[^]*?<\/ul>/.test(page)).toBe(true);
    expect(/<ul class="field-error" id="err-cta">/.test(page)).toBe(true);
    expect(page).not.toContain("Publish version 1");
    const refused = await client.post(`${EDITOR}/versions/1/publish`, { channel: "email" }, EDITOR);
    expect(refused.status).toBe(400);
    expect(await env.DB.prepare("SELECT version, status, actor FROM template_versions WHERE tenant_id = ?").bind(t.id).all()).toMatchObject({ results: [{ version: 1, status: "draft", actor: expect.stringMatching(/^user:usr_/) }] });
  });

  it("the live preview draws an unsaved edit and stores nothing", async () => {
    const t = await newTenant();
    const { client } = await signedIn(t, "marketer", "en");
    const res = await client.post(`${EDITOR}/preview`, { channel: "email", based_on: "0", intro: "Dat kan iedereen overkomen, echt waar." }, EDITOR);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Dat kan iedereen overkomen, echt waar.");
    expect(decodeURIComponent(res.headers.get("x-lint-summary") ?? "")).toBe("The lint found no problems.");
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM template_versions WHERE tenant_id = ?").bind(t.id).first()).toEqual({ n: 0 });
  });

  it("a credit manager and a viewer read templates and results, and change nothing", async () => {
    const t = await newTenant();
    expect((await call(t.key, "POST", "/v1/templates/reminder-friendly/nl-NL/versions", { copy: { subject: "{{shop_name}}: een klein seintje" } })).status).toBe(201);
    const started = await call(t.key, "POST", "/v1/experiments", {
      name: "Seintje", template: "reminder-friendly", channel: "email", locales: ["nl-NL"], variants: [{ key: "control", control: true }, { key: "warm", versions: { "nl-NL": 1 } }], duration_days: 14,
    });
    const id = ((await started.json()) as { id: string }).id;
    for (const role of ["credit_manager", "viewer"] as const) {
      const { client } = await signedIn(t, role, "en");
      const editor = await (await client.get(`${EDITOR}?version=1`)).text();
      expect({ role, save: editor.includes("Save as draft"), publish: editor.includes("Publish version"), readonly: editor.includes('name="subject" value="{{shop_name}}: een klein seintje" readonly') }).toEqual({ role, save: false, publish: false, readonly: true });
      const result = await client.get(`/app/experiments/${id}`);
      const text = await result.text();
      expect({ role, status: result.status, promote: text.includes("Promote"), stop: text.includes("Stop the experiment") }).toEqual({ role, status: 200, promote: false, stop: false });
      const list = await (await client.get("/app/experiments")).text();
      expect({ role, create: list.includes("Start the experiment") }).toEqual({ role, create: false });
      const posts = [
        await client.post(`${EDITOR}/versions`, { channel: "email", based_on: "0", subject: "Hoi" }, EDITOR),
        await client.post(`${EDITOR}/versions/1/publish`, { channel: "email" }, EDITOR),
        await client.post(`/app/experiments/${id}/promote`, { variant: "warm" }, "/app/experiments"),
        await client.post(`/app/experiments/${id}/stop`, {}, "/app/experiments"),
        await client.post("/app/experiments", { intent: "start", name: "x" }, "/app/experiments"),
      ];
      expect({ role, statuses: posts.map((p) => p.status) }).toEqual({ role, statuses: [403, 403, 403, 403, 403] });
    }
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM template_versions WHERE tenant_id = ?").bind(t.id).first()).toEqual({ n: 1 });
    expect(await env.DB.prepare("SELECT status, promoted_variant FROM experiments WHERE id = ?").bind(id).first()).toEqual({ status: "running", promoted_variant: null });
  });
});
