/**
 * The marketer's template pages: every template with what is live per locale, and the editor for
 * one template and locale: the editable blocks of a channel with the lint's problems next to each
 * field, save as a draft, publish, the version history (who saved and published what, when), and
 * a live preview drawn by the same functions the API's preview uses (`templates/preview.ts`).
 */
import { and, eq, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { experiments } from "../../../schema/d1";
import { html, raw } from "hono/html";
import { copyContextOf, publishChecked, smsPage } from "../../api/templates";
import { db } from "../../db";
import { ApiError } from "../../errors";
import { runningOn } from "../../experiments/store";
import type { TemplateCopy } from "../../templates/blocks";
import { hasCopy, type CopyKey, type CopyLocale } from "../../templates/copy";
import { TemplateCopySchema, mergeCopy } from "../../templates/copy-schema";
import { isTemplateKey } from "../../templates/keys";
import type { LintResult } from "../../templates/lint";
import { lintFor, renderPreview, type PreviewChannel } from "../../templates/preview";
import { CHANNEL_BLOCKS, describeTemplates, TEMPLATE_LOCALES } from "../../templates/registry";
import { getVersion, listVersions, liveVersion, saveVersion, versionCounts, type TemplateVersion } from "../../templates/versions";
import { auditAs, type DashContext, type DashEnv, formOf, need, render } from "../context";
import { instant } from "../copy";
import { csrfField, type Html, problems, table } from "../layout";
import { can, listUsers } from "../users";

export const templatePages = new Hono<DashEnv>();

const CHANNELS = ["email", "letter", "sms"] as const;

/** The template and locale of a path, or 404 (like the API). */
function target(key: string, locale: string): { key: CopyKey; locale: CopyLocale } {
  if (!isTemplateKey(key) || !hasCopy(key) || !(TEMPLATE_LOCALES as readonly string[]).includes(locale)) throw new ApiError("not_found", "No such template or locale.");
  return { key, locale: locale as CopyLocale };
}

/** The channels a template is sent on (the call script has no copy), and the one asked for. */
function channelOf(key: CopyKey, asked: string | undefined): { channel: PreviewChannel; channels: PreviewChannel[] } {
  const def = describeTemplates().find((d) => d.key === key);
  const channels = CHANNELS.filter((ch) => def?.channels.includes(ch));
  const channel = channels.find((ch) => ch === asked) ?? channels[0] ?? "email";
  return { channel, channels };
}

/** Paragraphs from a textarea: a blank line between them. */
const paragraphs = (text: string) => text.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean);

/** The blocks of `channel` as the form sent them (an edit over the copy it is based on). */
function editFrom(form: Record<string, string>, channel: PreviewChannel): { edit: Partial<TemplateCopy>; errors: { field: string; message: string }[] } {
  const raw: Record<string, unknown> = {};
  for (const b of CHANNEL_BLOCKS[channel]) {
    const v = form[b];
    if (v === undefined) continue;
    raw[b] = b === "body" ? paragraphs(v) : v.replace(/\r\n/g, "\n");
  }
  const parsed = TemplateCopySchema.partial().safeParse(raw);
  if (parsed.success) return { edit: parsed.data as Partial<TemplateCopy>, errors: [] };
  return { edit: {}, errors: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? "copy"), message: i.message })) };
}

/** "user:<id>" as the user's name, "api_key:<id>" as the key. */
function actorName(actor: string | null, names: Map<string, string>, w: { apiKey: (id: string) => string; kindly: string }): string {
  if (!actor) return "";
  if (actor.startsWith("user:")) return names.get(actor.slice(5)) ?? actor;
  if (actor.startsWith("api_key:")) return w.apiKey(actor.slice(8));
  return w.kindly;
}

templatePages.get("/app/templates", async (c) => {
  const ctx = need(c, "templates.read");
  const w = ctx.copy.templates;
  const [counts, running] = await Promise.all([
    versionCounts(c.env.DB, ctx.user.tenantId),
    db(c.env.DB)
      .select({ template: experiments.templateKey, locales: experiments.locales })
      .from(experiments)
      .where(and(eq(experiments.tenantId, ctx.user.tenantId), inArray(experiments.status, ["running", "measuring"]))),
  ]);
  const testing = new Set(running.flatMap((e) => (JSON.parse(e.locales) as string[]).map((l) => `${e.template}|${l}`)));
  const rows = describeTemplates()
    .filter((t) => t.copy !== null)
    .map((t) => [
      html`<code>${t.key}</code>`,
      t.purpose,
      t.channels.filter((ch) => ch !== "call").join(", "),
      ...TEMPLATE_LOCALES.map((l) => {
        const n = counts.get(`${t.key}|${l}`);
        const extra = [n?.drafts ? w.drafts(n.drafts) : "", testing.has(`${t.key}|${l}`) ? w.testing : ""].filter(Boolean).join(", ");
        return html`<a href="/app/templates/${t.key}/${l}">${w.live(n?.published ?? 0)}<span class="sr"> (${w.edit(t.key, l)})</span></a>${extra ? html`<br><span class="muted">${extra}</span>` : ""}`;
      }),
    ]);
  return render(c, w.title, html`<p>${w.intro}</p>${table(w.title, [w.template, w.purpose, w.channels, ...TEMPLATE_LOCALES], rows)}`);
});

interface EditorState {
  key: CopyKey;
  locale: CopyLocale;
  channel: PreviewChannel;
  /** The version shown (its copy fills the form unless a draft was posted). */
  shown: TemplateVersion;
  copy: TemplateCopy;
  lint: LintResult;
  errors?: { field: string; message: string }[];
  note?: string;
  status?: 200 | 400 | 409;
}

/** The editor: locale and channel switches, the form with the lint next to each field, the preview, the history. */
async function editorPage(c: DashContext, s: EditorState): Promise<Response> {
  const ctx = need(c, "templates.read");
  const w = ctx.copy.templates;
  const tenantId = ctx.user.tenantId;
  const writer = can(ctx.user.role, "templates.write");
  const { channels } = channelOf(s.key, s.channel);
  const [versions, running, users, cc] = await Promise.all([listVersions(c.env.DB, tenantId, s.key, s.locale), runningOn(c.env.DB, tenantId, s.key, s.locale), listUsers(c.env.DB, tenantId), copyContextOf(c.env.DB, tenantId)]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  const base = `/app/templates/${s.key}/${s.locale}`;
  const preview = await renderPreview({ key: s.key, locale: s.locale, channel: s.channel, copy: s.copy, shopName: cc.shopName, smsBudget: cc.smsBudget });
  const frame = s.channel === "sms" ? smsPage(preview.text, preview.sms) : preview.html;

  const switches = html`<nav class="switch" aria-label="${w.language}"><span>${w.language}:</span> ${TEMPLATE_LOCALES.map((l) => html`<a href="/app/templates/${s.key}/${l}?channel=${s.channel}"${l === s.locale ? raw(' aria-current="page"') : ""}>${l}</a> `)}</nav>
<nav class="switch" aria-label="${w.channel}"><span>${w.channel}:</span> ${channels.map((ch) => html`<a href="${base}?channel=${ch}&amp;version=${s.shown.version}"${ch === s.channel ? raw(' aria-current="page"') : ""}>${ch}</a> `)}</nav>`;

  const byBlock = new Map<string, string[]>();
  for (const p of [...s.lint.problems.map((p) => ({ field: p.block, message: `${p.message}` })), ...(s.errors ?? [])]) byBlock.set(p.field, [...(byBlock.get(p.field) ?? []), p.message]);
  const field = (b: keyof TemplateCopy) => {
    const errs = byBlock.get(b) ?? [];
    const value = b === "body" ? s.copy.body.join("\n\n") : s.copy[b];
    const multi = b === "intro" || b === "body" || b === "signoff" || b === "sms";
    const described = errs.length ? raw(` aria-describedby="err-${b}" aria-invalid="true"`) : "";
    const input = multi
      ? html`<textarea id="f-${b}" name="${b}" rows="${b === "body" ? 8 : 3}"${described}${writer ? "" : raw(" readonly")}>${value}</textarea>`
      : html`<input id="f-${b}" name="${b}" value="${value}"${described}${writer ? "" : raw(" readonly")}>`;
    return html`<div class="field"><label for="f-${b}">${w.blocks[b] ?? b}</label>${input}${errs.length ? html`<ul class="field-error" id="err-${b}">${errs.map((e) => html`<li>${e}</li>`)}</ul>` : ""}</div>`;
  };
  const m = s.lint.measures;
  const lintLine = html`<p class="${s.lint.ok ? "note" : "error"}" role="status">${s.lint.ok ? w.lintOk : w.lintProblems(s.lint.problems.length)} <span class="muted">${w.measures(m.subject_chars, m.sms_segments, m.sms_budget, Math.round(m.readability), m.readability_target)}</span></p>`;
  const general = byBlock.get("copy") ?? [];
  const form = html`<form method="post" action="${base}/versions" data-live-preview="preview-frame" data-preview-url="${base}/preview">${csrfField(ctx.csrf)}
<input type="hidden" name="channel" value="${s.channel}"><input type="hidden" name="based_on" value="${s.shown.version}">
${general.length ? html`<ul class="field-error">${general.map((e) => html`<li>${e}</li>`)}</ul>` : ""}${CHANNEL_BLOCKS[s.channel].map(field)}
${writer ? html`<label for="f-note">${w.note}</label><input id="f-note" name="note" maxlength="200"><button type="submit">${w.saveDraft}</button>` : ""}
<button type="submit" class="secondary" formaction="${base}/preview?page=1">${w.preview}</button><p class="muted" data-preview-status aria-live="polite"></p></form>`;

  const published = versions.find((v) => v.status === "published")?.version ?? 0;
  const mayPublish = writer && running.length === 0 && s.shown.version !== published && (s.shown.version === 0 || s.lint.ok) && !s.errors?.length && s.copy === s.shown.copy;
  const publishForm = mayPublish
    ? html`<form method="post" action="${base}/versions/${s.shown.version}/publish">${csrfField(ctx.csrf)}<input type="hidden" name="channel" value="${s.channel}"><button type="submit">${s.shown.status === "superseded" || s.shown.version === 0 ? w.rollBack(s.shown.version) : w.publish(s.shown.version)}</button></form>`
    : html``;
  const runningNote = running[0] ? html`<p class="note">${w.experimentRuns(running[0].id)}</p>` : "";

  const def = describeTemplates().find((d) => d.key === s.key);
  const side = html`<details><summary>${w.placeholders}</summary><ul>${(def?.placeholders ?? []).map((p) => html`<li><code>{{${p.name}}}</code>: ${p.description}</li>`)}</ul></details>
<section aria-labelledby="locked-h"><h3 id="locked-h">${w.locked}</h3><ul class="locked">${(def?.lockedBlocks ?? []).map((b) => html`<li>${b}</li>`)}</ul></section>`;

  const historyRows = [
    ...versions.map((v) => [
      html`<a href="${base}?channel=${s.channel}&amp;version=${v.version}">${v.version}<span class="sr"> (${w.open})</span></a>`,
      w.status[v.status] ?? v.status,
      v.note ?? "",
      actorName(v.actor, names, w),
      v.createdAt === null ? "" : instant(v.createdAt, ctx.locale),
      v.publishedAt === null ? "" : html`${instant(v.publishedAt, ctx.locale)}<br><span class="muted">${actorName(v.publishedBy, names, w)}</span>`,
    ]),
    [html`<a href="${base}?channel=${s.channel}&amp;version=0">0<span class="sr"> (${w.open})</span></a>`, w.status.default ?? "", "", w.kindly, "", ""],
  ];
  const history = html`<section aria-labelledby="history-h"><h2 id="history-h">${w.history}</h2>${table(w.history, [w.version, w.statusCol, w.noteCol, w.who, w.when, w.publishedWhen], historyRows)}</section>`;

  const previewBlock = html`<section aria-labelledby="preview-h"><h2 id="preview-h">${w.preview}</h2><p class="muted">${w.previewIntro}</p>
<iframe id="preview-frame" class="message" title="${w.previewFrame(s.channel, s.locale)}" sandbox srcdoc="${frame}"></iframe>
${preview.sms ? html`<p>${w.segments(preview.sms.segments, preview.sms.encoding, preview.sms.budget)}</p>` : ""}
<p><a href="${base}/preview?channel=${s.channel}&amp;version=${s.shown.version}" target="_blank" rel="noopener">${w.openPreview}</a></p></section>`;

  const body = html`${s.note ? html`<p class="note" role="status">${s.note}</p>` : ""}${runningNote}${switches}
<p>${w.editing(s.shown.version, w.status[s.shown.status] ?? s.shown.status)}</p>${problems(w.invalid, s.errors ?? [])}
<div class="grid2"><section aria-labelledby="edit-h"><h2 id="edit-h">${w.editorTitle(s.key, s.locale)}</h2>${lintLine}${form}${publishForm}${side}</section>${previewBlock}</div>${history}`;
  return render(c, `${w.title}: ${s.key} (${s.locale})`, body as Html, s.status ?? 200);
}

/** The version named by `?version=` (default: the live copy), or 404. */
async function shownVersion(c: DashContext, key: CopyKey, locale: CopyLocale, asked: string | undefined): Promise<TemplateVersion> {
  const tenantId = c.get("page").user.tenantId;
  if (asked === undefined || asked === "") return liveVersion(c.env.DB, tenantId, key, locale);
  const v = /^\d{1,9}$/.test(asked) ? await getVersion(c.env.DB, tenantId, key, locale, Number(asked)) : null;
  if (!v) throw new ApiError("not_found", "No such version.");
  return v;
}

templatePages.get("/app/templates/:key/:locale", async (c) => {
  const ctx = need(c, "templates.read");
  const { key, locale } = target(c.req.param("key"), c.req.param("locale"));
  const shown = await shownVersion(c, key, locale, c.req.query("version"));
  const lint = lintFor(key, locale, shown.copy, await copyContextOf(c.env.DB, ctx.user.tenantId));
  const w = ctx.copy.templates;
  const note = c.req.query("saved") === "1" ? w.saved(shown.version) : c.req.query("published") === "1" ? w.published(shown.version) : undefined;
  return editorPage(c, { key, locale, channel: channelOf(key, c.req.query("channel")).channel, shown, copy: shown.copy, lint, ...(note ? { note } : {}) });
});

/** The draft a form describes: its blocks over the version it was based on. */
async function draftOf(c: DashContext, key: CopyKey, locale: CopyLocale) {
  const form = await formOf(c);
  const { channel } = channelOf(key, form.channel);
  const shown = await shownVersion(c, key, locale, form.based_on ?? "");
  const { edit, errors } = editFrom(form, channel);
  const copy = mergeCopy(shown.copy, edit);
  const lint = lintFor(key, locale, copy, await copyContextOf(c.env.DB, c.get("page").user.tenantId));
  return { form, channel, shown, copy, lint, errors };
}

templatePages.post("/app/templates/:key/:locale/versions", async (c) => {
  const ctx = need(c, "templates.write");
  const { key, locale } = target(c.req.param("key"), c.req.param("locale"));
  const d = await draftOf(c, key, locale);
  if (d.errors.length) return editorPage(c, { key, locale, channel: d.channel, shown: d.shown, copy: d.copy, lint: d.lint, errors: d.errors, status: 400 });
  const note = d.form.note?.trim().slice(0, 200) || null;
  const saved = await saveVersion(c.env.DB, { tenantId: ctx.user.tenantId, key, locale, copy: d.copy, basedOn: d.shown.version, note, actor: `user:${ctx.user.id}`, now: Date.now() });
  await auditAs(c, "template.saved", `${key}/${locale}`, { version: saved.version, problems: d.lint.problems.length });
  return c.redirect(`/app/templates/${key}/${locale}?channel=${d.channel}&version=${saved.version}&saved=1`, 303);
});

templatePages.post("/app/templates/:key/:locale/versions/:version/publish", async (c) => {
  const ctx = need(c, "templates.write");
  const { key, locale } = target(c.req.param("key"), c.req.param("locale"));
  const shown = await shownVersion(c, key, locale, c.req.param("version"));
  const channel = channelOf(key, (await formOf(c)).channel).channel;
  try {
    await publishChecked(c.env.DB, { tenantId: ctx.user.tenantId, key, locale, version: shown.version, actor: `user:${ctx.user.id}`, now: Date.now() });
  } catch (err) {
    if (!(err instanceof ApiError) || (err.code !== "conflict" && err.code !== "validation_failed")) throw err;
    const lint = lintFor(key, locale, shown.copy, await copyContextOf(c.env.DB, ctx.user.tenantId));
    return editorPage(c, { key, locale, channel, shown, copy: shown.copy, lint, errors: [{ field: "version", message: err.message }], status: err.code === "conflict" ? 409 : 400 });
  }
  await auditAs(c, "template.published", `${key}/${locale}`, { version: shown.version });
  return c.redirect(`/app/templates/${key}/${locale}?channel=${channel}&version=${shown.version}&published=1`, 303);
});

// The live preview: the unsaved draft drawn as the debtor gets it. The client bundle puts the
// answer in the sandboxed frame; without JavaScript (`?page=1`) the whole editor comes back.
templatePages.post("/app/templates/:key/:locale/preview", async (c) => {
  const ctx = need(c, "templates.read");
  const { key, locale } = target(c.req.param("key"), c.req.param("locale"));
  const d = await draftOf(c, key, locale);
  if (c.req.query("page") === "1") return editorPage(c, { key, locale, channel: d.channel, shown: d.shown, copy: d.copy, lint: d.lint, errors: d.errors });
  const cc = await copyContextOf(c.env.DB, ctx.user.tenantId);
  const p = await renderPreview({ key, locale, channel: d.channel, copy: d.copy, shopName: cc.shopName, smsBudget: cc.smsBudget });
  const w = ctx.copy.templates;
  c.header("x-lint-summary", encodeURIComponent(d.lint.ok ? w.lintOk : w.lintProblems(d.lint.problems.length)));
  return c.html(d.channel === "sms" ? smsPage(p.text, p.sms) : p.html);
});

// A version on its own page: the email, the printable A4 letter, or the SMS. Sandboxed like the API's.
templatePages.get("/app/templates/:key/:locale/preview", async (c) => {
  const ctx = need(c, "templates.read");
  const { key, locale } = target(c.req.param("key"), c.req.param("locale"));
  const shown = await shownVersion(c, key, locale, c.req.query("version"));
  const { channel } = channelOf(key, c.req.query("channel"));
  const cc = await copyContextOf(c.env.DB, ctx.user.tenantId);
  const p = await renderPreview({ key, locale, channel, copy: shown.copy, shopName: cc.shopName, smsBudget: cc.smsBudget });
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'");
  return c.html(channel === "sms" ? smsPage(p.text, p.sms) : p.html);
});
