/**
 * /v1/templates: a tenant's own copy of every template, per locale. Every save is a new version
 * (a draft) and is linted; a version without problems can be published, and then every message
 * of that template says it. The locked parts (amounts, the crossed-payment line, help, how to pay,
 * legal notices) are drawn by Kindly around the words, whatever they say. Previews draw any
 * version, variant or unsaved edit from realistic sample data, for the tenant's own keys.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createApp, type AppEnv } from "../app";
import { requireApiKey } from "../auth";
import { ApiError } from "../errors";
import { getExperiment, runningOn } from "../experiments/store";
import type { TemplateCopy } from "../templates/blocks";
import { hasCopy, type CopyKey, type CopyLocale } from "../templates/copy";
import { mergeCopy } from "../templates/copy-schema";
import { isTemplateKey } from "../templates/keys";
import type { LintResult } from "../templates/lint";
import { lintFor, renderPreview, type PreviewChannel } from "../templates/preview";
import { describeTemplates, TEMPLATE_LOCALES } from "../templates/registry";
import { getVersion, listVersions, liveVersion, publishVersion, saveVersion, unpublish, versionCounts, type TemplateVersion } from "../templates/versions";
import { livePolicy } from "./live-policy";
import { ProblemSchema } from "./schemas";
import {
  LOCALE_VALUES, PreviewBody, PreviewQuery, PreviewSchema, SaveVersionBody, TemplateLocaleSchema, TemplateParams, TemplateSummarySchema, VersionParams, VersionSchema, versionSummary, versionView,
} from "./template-schemas";

export const templates = createApp();
templates.use("*", requireApiKey);

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const ok = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const json = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
const notFound = problem("No such template, locale or version");

/** The template and locale of a path, or 404. */
function target(key: string, locale: string): { key: CopyKey; locale: CopyLocale } {
  if (!isTemplateKey(key) || !hasCopy(key)) throw new ApiError("not_found", `No template "${key}" with editable copy. See GET /v1/templates.`);
  if (!(LOCALE_VALUES as readonly string[]).includes(locale)) throw new ApiError("not_found", `No locale "${locale}": use ${LOCALE_VALUES.join(", ")}.`);
  return { key, locale: locale as CopyLocale };
}

/** A version number from a path (0: Kindly's default), or 404. */
function versionNumber(v: string): number {
  if (!/^\d{1,9}$/.test(v)) throw new ApiError("not_found", `No version "${v}".`);
  return Number(v);
}

/** What the lint and the previews need of the tenant: its shop name (subjects are measured with it) and its SMS budget. */
export function copyContext(c: Context<AppEnv>): Promise<{ shopName: string; smsBudget: number }> {
  return copyContextOf(c.env.DB, c.get("tenant").id);
}

/** The same for a tenant by id (the dashboard's pages use it). */
export async function copyContextOf(db: D1Database, tenantId: string): Promise<{ shopName: string; smsBudget: number }> {
  const [tenant, policy] = await Promise.all([
    db.prepare("SELECT display_name FROM tenants WHERE id = ?").bind(tenantId).first<{ display_name: string }>(),
    livePolicy(db, tenantId),
  ]);
  return { shopName: tenant?.display_name ?? "", smsBudget: policy.policy.sms_max_segments };
}

/**
 * Publishes a version after the checks the API and the dashboard share: no experiment runs on the
 * template and locale (its control is frozen), and the lint passes (version 0, Kindly's default,
 * always may). Returns the version as published, with its lint.
 */
export async function publishChecked(db: D1Database, p: { tenantId: string; key: CopyKey; locale: CopyLocale; version: number; actor: string; now: number }): Promise<{ version: TemplateVersion; lint: LintResult }> {
  const { tenantId, key, locale } = p;
  const v = await getVersion(db, tenantId, key, locale, p.version);
  if (!v) throw new ApiError("not_found", `No version ${p.version} of ${key} in ${locale}.`);
  const running = await runningOn(db, tenantId, key, locale);
  if (running[0]) throw new ApiError("conflict", `Experiment ${running[0].id} ("${running[0].name}") runs on ${key} in ${locale}; its control is the copy published when it started. Stop or promote it first.`);
  const lint = lintFor(key, locale, v.copy, await copyContextOf(db, tenantId));
  if (v.version !== 0 && !lint.ok) throw new ApiError("validation_failed", `Version ${v.version} has ${lint.problems.length} problem(s); fix them in a new version.`, lintErrors(lint));
  if (v.version === 0) await unpublish(db, tenantId, key, locale);
  else await publishVersion(db, tenantId, key, locale, v.version, p.actor, p.now);
  return { version: (await getVersion(db, tenantId, key, locale, v.version)) as TemplateVersion, lint };
}

/** The lint's problems as a 422's errors. */
export function lintErrors(lint: LintResult, prefix = "copy") {
  return lint.problems.map((p) => ({ field: p.block === "copy" ? prefix : `${prefix}.${p.block}`, message: `${p.code}: ${p.message}` }));
}

templates.openapi(
  createRoute({
    method: "get",
    path: "/",
    summary: "List the templates and what is live per locale",
    description: "Every template with editable copy: what it is for, its channels, the blocks you may edit per channel, its placeholders, the locked parts, and per locale the published version (0: Kindly's default), drafts and running experiments.",
    responses: { 200: ok(z.object({ data: z.array(TemplateSummarySchema) }), "The templates"), 401: problem("Missing or invalid API key") },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const [counts, running] = await Promise.all([
      versionCounts(c.env.DB, tenantId),
      c.env.DB.prepare("SELECT id, template_key, locales FROM experiments WHERE tenant_id = ? AND status IN ('running', 'measuring')").bind(tenantId).all<{ id: string; template_key: string; locales: string }>(),
    ]);
    const data = describeTemplates()
      .filter((t) => t.copy !== null)
      .map((t) => ({
        key: t.key, purpose: t.purpose, channels: t.channels.filter((ch): ch is "email" | "letter" | "sms" => ch !== "call"),
        editable_blocks: t.editableBlocks as Record<string, string[]>, placeholders: t.placeholders, locked_blocks: t.lockedBlocks,
        locales: TEMPLATE_LOCALES.map((locale) => {
          const n = counts.get(`${t.key}|${locale}`);
          const experiments = running.results.filter((e) => e.template_key === t.key && (JSON.parse(e.locales) as string[]).includes(locale)).map((e) => e.id);
          return { locale, published_version: n?.published ?? 0, latest_version: n?.latest ?? 0, drafts: n?.drafts ?? 0, experiments };
        }),
      }));
    return c.json({ data }, 200);
  },
);

templates.openapi(
  createRoute({
    method: "get",
    path: "/{key}",
    summary: "Describe one template",
    request: { params: TemplateParams.pick({ key: true }) },
    responses: { 200: ok(TemplateSummarySchema.extend({ default_copy: z.record(z.string(), z.unknown()) }), "The template, with Kindly's default copy per locale"), 401: problem("Missing or invalid API key"), 404: notFound },
  }),
  async (c) => {
    const { key } = target(c.req.valid("param").key, "nl-NL");
    const tenantId = c.get("tenant").id;
    const t = describeTemplates().find((d) => d.key === key);
    if (!t?.copy) throw new ApiError("not_found", `No template "${key}".`);
    const locales = await Promise.all(
      TEMPLATE_LOCALES.map(async (locale) => {
        const [versions, running] = await Promise.all([listVersions(c.env.DB, tenantId, key, locale), runningOn(c.env.DB, tenantId, key, locale)]);
        return { locale, published_version: versions.find((v) => v.status === "published")?.version ?? 0, latest_version: versions[0]?.version ?? 0, drafts: versions.filter((v) => v.status === "draft").length, experiments: running.map((e) => e.id) };
      }),
    );
    return c.json({
      key, purpose: t.purpose, channels: t.channels.filter((ch): ch is "email" | "letter" | "sms" => ch !== "call"), editable_blocks: t.editableBlocks as Record<string, string[]>,
      placeholders: t.placeholders, locked_blocks: t.lockedBlocks, locales, default_copy: t.copy as Record<string, unknown>,
    }, 200);
  },
);

templates.openapi(
  createRoute({
    method: "get",
    path: "/{key}/{locale}",
    summary: "The live copy of a template in a locale, and its versions",
    request: { params: TemplateParams },
    responses: { 200: ok(TemplateLocaleSchema, "Live copy and versions"), 401: problem("Missing or invalid API key"), 404: notFound },
  }),
  async (c) => {
    const p = c.req.valid("param");
    const { key, locale } = target(p.key, p.locale);
    const tenantId = c.get("tenant").id;
    const [versions, running, ctx] = await Promise.all([listVersions(c.env.DB, tenantId, key, locale), runningOn(c.env.DB, tenantId, key, locale), copyContext(c)]);
    const live = versions.find((v) => v.status === "published") ?? (await liveVersion(c.env.DB, tenantId, key, locale));
    return c.json({ template: key, locale, live: versionView(live, lintFor(key, locale, live.copy, ctx)), versions: versions.map(versionSummary), experiments: running.map((e) => e.id) }, 200);
  },
);

templates.openapi(
  createRoute({
    method: "post",
    path: "/{key}/{locale}/versions",
    summary: "Save a new version (a draft)",
    description:
      "Saves the blocks you send over `based_on` (default: the live copy) as the next version, a draft. The answer carries the lint: every problem by block (placeholders, empty blocks, a subject over 60 characters, an SMS over its budget, threatening words, readability below B1). A draft with problems is kept, so you can fix it; only a version without problems can be published or used in an experiment.",
    request: { params: TemplateParams, body: json(SaveVersionBody) },
    responses: { 201: ok(VersionSchema, "Saved, with its lint"), 401: problem("Missing or invalid API key"), 404: notFound },
  }),
  async (c) => {
    const p = c.req.valid("param");
    const { key, locale } = target(p.key, p.locale);
    const body = c.req.valid("json");
    const tenant = c.get("tenant");
    const base = body.based_on === undefined ? await liveVersion(c.env.DB, tenant.id, key, locale) : await getVersion(c.env.DB, tenant.id, key, locale, body.based_on);
    if (!base) throw new ApiError("validation_failed", `There is no version ${body.based_on} of ${key} in ${locale}.`, [{ field: "based_on", message: "No such version." }]);
    const copy = mergeCopy(base.copy, body.copy as Partial<TemplateCopy>);
    const saved = await saveVersion(c.env.DB, { tenantId: tenant.id, key, locale, copy, basedOn: base.version, note: body.note ?? null, actor: `api_key:${tenant.keyId}`, now: Date.now() });
    return c.json(versionView(saved, lintFor(key, locale, copy, await copyContext(c))), 201);
  },
);

templates.openapi(
  createRoute({
    method: "get",
    path: "/{key}/{locale}/versions/{version}",
    summary: "One version, with its copy and lint",
    request: { params: VersionParams },
    responses: { 200: ok(VersionSchema, "The version"), 401: problem("Missing or invalid API key"), 404: notFound },
  }),
  async (c) => {
    const p = c.req.valid("param");
    const { key, locale } = target(p.key, p.locale);
    const v = await getVersion(c.env.DB, c.get("tenant").id, key, locale, versionNumber(p.version));
    if (!v) throw new ApiError("not_found", `No version ${p.version} of ${key} in ${locale}.`);
    return c.json(versionView(v, lintFor(key, locale, v.copy, await copyContext(c))), 200);
  },
);

templates.openapi(
  createRoute({
    method: "post",
    path: "/{key}/{locale}/versions/{version}/publish",
    summary: "Publish a version: every message of this template in this locale says it from now on",
    description:
      "Runs the lint again (with your current shop name and SMS budget) and refuses a version with problems (422, each problem named). Publishing an older version rolls back; publishing version 0 goes back to Kindly's default copy. While an experiment runs on this template and locale, its control is the copy published when it started: stop or promote it first (409).",
    request: { params: VersionParams },
    responses: { 200: ok(VersionSchema, "Published"), 401: problem("Missing or invalid API key"), 404: notFound, 409: problem("An experiment runs on this template and locale"), 422: problem("The version has lint problems") },
  }),
  async (c) => {
    const p = c.req.valid("param");
    const { key, locale } = target(p.key, p.locale);
    const tenant = c.get("tenant");
    const published = await publishChecked(c.env.DB, { tenantId: tenant.id, key, locale, version: versionNumber(p.version), actor: `api_key:${tenant.keyId}`, now: Date.now() });
    return c.json(versionView(published.version, published.lint), 200);
  },
);

/** The copy a preview shows: a version, a variant, or the live copy, with an unsaved edit over it. */
async function previewCopy(c: Context<AppEnv>, key: CopyKey, locale: CopyLocale, q: { version?: number | undefined; experiment?: string | undefined; variant?: string | undefined }): Promise<{ copy: TemplateCopy; version: number | null }> {
  const tenantId = c.get("tenant").id;
  if (q.experiment !== undefined || q.variant !== undefined) {
    const e = q.experiment ? await getExperiment(c.env.DB, tenantId, q.experiment) : null;
    if (!e || e.template !== key) throw new ApiError("not_found", `No experiment ${q.experiment ?? "(give experiment and variant)"} on ${key}.`);
    const v = e.variants.find((x) => x.key === q.variant);
    const copy = v?.copies[locale];
    if (!v || !copy) throw new ApiError("not_found", `Experiment ${e.id} has no variant "${q.variant ?? ""}" in ${locale}.`);
    return { copy, version: null };
  }
  const v = q.version === undefined ? await liveVersion(c.env.DB, tenantId, key, locale) : await getVersion(c.env.DB, tenantId, key, locale, q.version);
  if (!v) throw new ApiError("not_found", `No version ${q.version} of ${key} in ${locale}.`);
  return { copy: v.copy, version: v.version };
}

/** A preview answer: the rendering and the lint of the copy shown. */
async function preview(c: Context<AppEnv>, key: CopyKey, locale: CopyLocale, channel: PreviewChannel, copy: TemplateCopy, country: "NL" | "BE" | undefined, tag: { version: number | null; experiment: string | null; variant: string | null }) {
  const ctx = await copyContext(c);
  const r = await renderPreview({ key, locale, channel, copy, shopName: ctx.shopName, smsBudget: ctx.smsBudget, ...(country ? { country } : {}) });
  const sms = r.sms ? { segments: r.sms.segments, encoding: r.sms.encoding, units: r.sms.units, budget: r.sms.budget } : null;
  return { template: key, locale, written_locale: r.writtenLocale, country: r.country, channel, ...tag, subject: r.subject, html: r.html, text: r.text, sms, lint: lintFor(key, locale, copy, ctx) };
}

templates.openapi(
  createRoute({
    method: "get",
    path: "/{key}/{locale}/preview",
    summary: "Preview a version or a variant as the debtor gets it",
    description:
      "Draws the live copy, a `version`, or an experiment's `variant` from realistic sample data of the country, with your shop name: the email, the letter's printable A4 page, or the SMS with its segment count. `format=html` answers the page itself, to open in a browser.",
    request: { params: TemplateParams, query: PreviewQuery },
    responses: {
      200: { content: { "application/json": { schema: PreviewSchema }, "text/html": { schema: z.string() } }, description: "The preview" },
      401: problem("Missing or invalid API key"),
      404: notFound,
    },
  }),
  async (c) => {
    const p = c.req.valid("param");
    const q = c.req.valid("query");
    const { key, locale } = target(p.key, p.locale);
    const chosen = await previewCopy(c, key, locale, { version: q.version === undefined ? undefined : Number(q.version), experiment: q.experiment, variant: q.variant });
    const body = await preview(c, key, locale, q.channel, chosen.copy, q.country, { version: chosen.version, experiment: q.experiment ?? null, variant: q.variant ?? null });
    if (q.format === "html") {
      // The message's own HTML, sandboxed: no script runs, nothing is fetched but images.
      c.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'");
      const page = q.channel === "sms" ? smsPage(body.text, body.sms) : body.html;
      return c.html(page, 200);
    }
    return c.json(body, 200);
  },
);

templates.openapi(
  createRoute({
    method: "post",
    path: "/{key}/{locale}/preview",
    summary: "Preview and lint unsaved changes",
    description: "For an editor: the blocks you send over `based_on` (default: the live copy), drawn and linted, without saving anything.",
    request: { params: TemplateParams, body: json(PreviewBody) },
    responses: { 200: ok(PreviewSchema, "The preview"), 401: problem("Missing or invalid API key"), 404: notFound },
  }),
  async (c) => {
    const p = c.req.valid("param");
    const body = c.req.valid("json");
    const { key, locale } = target(p.key, p.locale);
    const base = await previewCopy(c, key, locale, { version: body.based_on });
    const copy = body.copy ? mergeCopy(base.copy, body.copy as Partial<TemplateCopy>) : base.copy;
    return c.json(await preview(c, key, locale, body.channel, copy, body.country, { version: body.copy ? null : base.version, experiment: null, variant: null }), 200);
  },
);

/** An SMS preview as a page: the text as a phone shows it, and its segments. */
export function smsPage(text: string, sms: { segments: number; encoding: string; budget: number } | null): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch] ?? ch);
  return `<!doctype html><html><head><meta charset="utf-8"><title>SMS preview</title><style>body{font:16px system-ui,sans-serif;margin:2rem;color:#1f2937}.sms{max-width:22rem;background:#e5e7eb;border-radius:1rem;padding:1rem;white-space:pre-wrap}</style></head><body><div class="sms">${esc(text)}</div><p>${sms ? `${sms.segments} segment(s), ${sms.encoding}; budget ${sms.budget}` : ""}</p></body></html>`;
}
