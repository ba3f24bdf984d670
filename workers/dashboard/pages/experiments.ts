/**
 * The marketer's experiment pages: the list, the form that starts one (with the sample and
 * duration estimate from the tenant's own history before anything starts), and the result page:
 * each variant's rate and interval over time as a chart with its table, the results and
 * guardrails per variant, the plain-language recommendation, CSV, and promote and stop. Every
 * check and every effect is the API's own (`experiments/create.ts`, `api/experiments.ts`).
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { promoteVariant, stopExperiment } from "../../api/experiments";
import { NewExperimentSchema } from "../../api/experiment-schemas";
import { livePolicy } from "../../api/live-policy";
import { copyContextOf } from "../../api/templates";
import { loadClock } from "../../clock";
import { ApiError } from "../../errors";
import { buildExperiment, isRefusal } from "../../experiments/create";
import { estimateFor, type Estimate } from "../../experiments/estimate";
import { GUARDRAILS, type Experiment } from "../../experiments/model";
import { countsAsOf, insertExperiment, listExperiments, loadDaily } from "../../experiments/store";
import { dailyCsv, experimentView, variantsCsv } from "../../experiments/view";
import { watchExperiment } from "../../experiments/watch";
import { hasCopy } from "../../templates/copy";
import { TEMPLATE_DEFS } from "../../templates/keys";
import { TEMPLATE_LOCALES } from "../../templates/registry";
import { auditAs, type DashContext, type DashEnv, formOf, need, render } from "../context";
import { type DashCopy, day, instant, number, percent } from "../copy";
import { chart, csrfField, type Html, type PageCtx, problems, table } from "../layout";
import { can } from "../users";

export const experimentPages = new Hono<DashEnv>();

/** Variant rows on the form: the control and up to four others. */
const VARIANT_ROWS = 5;
const TEMPLATES = (Object.keys(TEMPLATE_DEFS) as (keyof typeof TEMPLATE_DEFS)[]).filter(hasCopy);

const pct = (r: number | null | undefined, ctx: PageCtx) => (r === null || r === undefined ? "–" : percent(r, 1, ctx.locale, 1));

/** The estimate in words. */
function estimateLine(est: Estimate, ctx: PageCtx): string {
  const w = ctx.copy.experiments;
  return w.estimateText(est.per_variant, est.total, est.days, pct(est.base_rate, ctx), w.sources[est.base_rate_source] ?? est.base_rate_source, est.daily_volume);
}

/** The form's fields as the API's body (NewExperimentSchema validates it, like POST /v1/experiments). */
function bodyFrom(form: Record<string, string>): unknown {
  const locales = TEMPLATE_LOCALES.filter((l) => form[`locale.${l}`] === "on");
  const segments = Object.keys(form).filter((k) => k.startsWith("segment.") && form[k] === "on").map((k) => k.slice(8));
  const int = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : Number(v));
  const variants = Array.from({ length: VARIANT_ROWS }, (_, i) => i)
    .filter((i) => (form[`v${i}.key`] ?? "").trim() !== "")
    .map((i) => ({
      key: (form[`v${i}.key`] ?? "").trim(),
      weight: int(form[`v${i}.weight`]) ?? 1,
      ...(i === 0 ? { control: true } : { versions: Object.fromEntries(locales.map((l) => [l, int(form[`v${i}.${l}`])]).filter(([, v]) => v !== undefined)) }),
    }));
  const mde = int(form.mde);
  return {
    name: (form.name ?? "").trim(),
    template: form.template ?? "",
    channel: form.channel ?? "",
    locales,
    ...(segments.length ? { segments } : {}),
    help_first: form.help_first === "on",
    variants,
    primary_metric: { kind: "paid_or_arrangement", window_days: int(form.window_days) ?? 14 },
    ...(int(form.duration_days) !== undefined ? { duration_days: int(form.duration_days) } : {}),
    ...(int(form.sample_size) !== undefined ? { sample_size: int(form.sample_size) } : {}),
    ...(mde !== undefined ? { minimum_detectable_effect: mde / 100 } : {}),
  };
}

/** The list and, for those who may, the form that starts one. */
async function listPage(c: DashContext, opts: { form?: Record<string, string>; errors?: { field: string; message: string }[]; estimate?: Estimate; status?: 200 | 400 | 409 } = {}) {
  const ctx = need(c, "experiments.read");
  const w = ctx.copy.experiments;
  const list = await listExperiments(c.env.DB, ctx.user.tenantId);
  const rows = list.map((e) => [
    html`<a href="/app/experiments/${e.id}">${e.name}</a>`,
    html`<code>${e.template}</code>`,
    e.channel,
    e.locales.join(", "),
    w.statuses[e.status] ?? e.status,
    e.variants.map((v) => v.key).join(", "),
    instant(e.createdAt, ctx.locale),
  ]);
  const listing = rows.length ? table(w.title, [w.name, w.template, w.channel, w.locales, w.status, w.variants, w.started], rows) : html`<p>${w.none}</p>`;
  const create = can(ctx.user.role, "experiments.write") ? await createForm(c, ctx, opts) : html``;
  return render(c, w.title, html`<p>${w.intro}</p>${listing}${create}`, opts.status ?? 200);
}

async function createForm(c: DashContext, ctx: PageCtx, opts: { form?: Record<string, string>; errors?: { field: string; message: string }[]; estimate?: Estimate }): Promise<Html> {
  const w = ctx.copy.experiments;
  const f = opts.form ?? { "v0.key": "control", "v0.weight": "1", "v1.key": "b", "v1.weight": "1", window_days: "14", duration_days: "28", mde: "10", channel: "email", "locale.nl-NL": "on" };
  const v = (name: string) => f[name] ?? "";
  const checked = (name: string) => (f[name] === "on" ? html` checked` : "");
  const segments = (await livePolicy(c.env.DB, ctx.user.tenantId)).policy.segments.map((s) => s.key);
  const select = (name: string, label: string, options: readonly string[]) =>
    html`<label for="x-${name}">${label}</label><select id="x-${name}" name="${name}">${options.map((o) => html`<option${o === v(name) ? html` selected` : ""}>${o}</option>`)}</select>`;
  const num = (name: string, label: string, attrs: { min: number; max: number }) =>
    html`<label for="x-${name.replace(".", "-")}">${label}</label><input id="x-${name.replace(".", "-")}" name="${name}" type="number" inputmode="numeric" min="${attrs.min}" max="${attrs.max}" value="${v(name)}">`;
  const variantRow = (i: number) => html`<fieldset class="variant"><legend>${i === 0 ? w.control : w.variant(i)}</legend>
<div class="row"><div><label for="x-v${i}-key">${w.key}</label><input id="x-v${i}-key" name="v${i}.key" maxlength="32" pattern="[a-z0-9_\\-]*" value="${v(`v${i}.key`)}"></div>
<div>${num(`v${i}.weight`, w.weight, { min: 1, max: 100 })}</div>
${i === 0 ? "" : TEMPLATE_LOCALES.map((l) => html`<div>${num(`v${i}.${l}`, w.versionIn(l), { min: 0, max: 999999999 })}</div>`)}</div></fieldset>`;
  return html`<section aria-labelledby="new-h"><h2 id="new-h">${w.newTitle}</h2>${problems(w.invalid, opts.errors ?? [])}
${opts.estimate ? html`<p class="note" role="status"><strong>${w.estimate}:</strong> ${estimateLine(opts.estimate, ctx)}</p>` : ""}
<form method="post" action="/app/experiments">${csrfField(ctx.csrf)}
<label for="x-name">${w.name}</label><input id="x-name" name="name" maxlength="100" value="${v("name")}">
${select("template", w.template, TEMPLATES)}${select("channel", w.channel, ["email", "letter", "sms"])}
<fieldset><legend>${w.locales}</legend>${TEMPLATE_LOCALES.map((l) => html`<label class="check"><input type="checkbox" name="locale.${l}"${checked(`locale.${l}`)}> ${l}</label>`)}</fieldset>
<fieldset><legend>${w.segments}</legend>${segments.map((s) => html`<label class="check"><input type="checkbox" name="segment.${s}"${checked(`segment.${s}`)}> ${s}</label>`)}</fieldset>
<label class="check"><input type="checkbox" name="help_first"${checked("help_first")}> ${w.helpFirst}</label>
${Array.from({ length: VARIANT_ROWS }, (_, i) => variantRow(i))}
${num("window_days", w.windowDays, { min: 1, max: 60 })}${num("duration_days", w.durationDays, { min: 1, max: 180 })}${num("sample_size", w.sampleSize, { min: 20, max: 1000000 })}${num("mde", w.mde, { min: 1, max: 50 })}
<div class="buttons"><button type="submit" name="intent" value="estimate" class="secondary">${w.estimateButton}</button> <button type="submit" name="intent" value="start">${w.startButton}</button></div></form></section>`;
}

experimentPages.get("/app/experiments", (c) => listPage(c));

experimentPages.post("/app/experiments", async (c) => {
  const ctx = need(c, "experiments.write");
  const form = await formOf(c);
  const parsed = NewExperimentSchema.safeParse(bodyFrom(form));
  if (!parsed.success) return listPage(c, { form, errors: parsed.error.issues.map((i) => ({ field: i.path.join(".") || "experiment", message: i.message })), status: 400 });
  const input = parsed.data;
  const tenantId = ctx.user.tenantId;
  const now = (await loadClock(c.env)).now();
  if (form.intent === "estimate") {
    const estimate = await estimateFor(c.env.DB, tenantId, { template: input.template, channel: input.channel, windowDays: input.primary_metric.window_days, mde: input.minimum_detectable_effect, alpha: input.error_rate, weights: input.variants.map((x) => x.weight) }, now);
    return listPage(c, { form, estimate });
  }
  const [cc, policy] = await Promise.all([copyContextOf(c.env.DB, tenantId), livePolicy(c.env.DB, tenantId)]);
  const built = await buildExperiment(c.env.DB, input, { tenantId, actor: `user:${ctx.user.id}`, ...cc, segments: policy.policy.segments.map((s) => s.key), now });
  if (isRefusal(built)) return listPage(c, { form, errors: built.errors.length ? built.errors : [{ field: "experiment", message: built.message }], status: built.code === "conflict" ? 409 : 400 });
  await insertExperiment(c.env.DB, built);
  await auditAs(c, "experiment.created", built.id, { template: built.template, channel: built.channel });
  return c.redirect(`/app/experiments/${built.id}?created=1`, 303);
});

/** The experiment after a look now, or 404 (another tenant's id too). */
async function looked(c: DashContext, id: string): Promise<{ e: Experiment; now: number }> {
  const now = (await loadClock(c.env)).now();
  const e = await watchExperiment(c.env, c.get("page").user.tenantId, id, now);
  if (!e) throw new ApiError("not_found", "No such experiment.");
  return { e, now };
}

/** The result page. */
experimentPages.get("/app/experiments/:id", async (c) => {
  const ctx = need(c, "experiments.read");
  const w = ctx.copy.experiments;
  const { e, now } = await looked(c, c.req.param("id"));
  const [counts, daily] = await Promise.all([countsAsOf(c.env.DB, e, now), loadDaily(c.env.DB, e)]);
  const view = experimentView(e, counts, now);
  const note = c.req.query("created") === "1" ? w.createdNote : e.promotedVariant ? w.promotedNote(e.promotedVariant) : e.status === "stopped" ? w.stoppedNote : "";

  const points = daily.filter((r) => r.rate !== null);
  const history = points.length
    ? chart(
        "variants",
        w.chartTitle,
        { kind: "variants", rows: points.map((r) => ({ date: r.day, variant: r.variant, rate: r.rate ?? 0, lo: r.interval_low ?? 0, hi: r.interval_high ?? 0 })), yLabel: w.rate },
        table(w.chartTitle, [w.day, w.variants, w.exposures, w.measured, w.rate, w.interval], points.map((r) => [day(r.day, ctx.locale), r.variant, r.exposures, r.measured, pct(r.rate, ctx), `${pct(r.interval_low, ctx)} – ${pct(r.interval_high, ctx)}`]), { numeric: [2, 3, 4] }),
        ctx.copy.common.showData,
      )
    : html`<p>${w.noHistory}</p>`;

  const results = table(
    w.results,
    [w.variants, w.status, w.exposures, w.measured, w.waiting, w.successes, w.rate, w.interval, w.pBest, w.verdict],
    view.variants.map((v) => [
      v.control && v.key !== w.controlMark ? html`${v.key} <span class="muted">(${w.controlMark})</span>` : v.key,
      v.status === "stopped" ? (w.statuses.stopped ?? v.status) : (w.statuses[e.status] ?? e.status),
      v.exposures,
      v.measured,
      v.waiting,
      v.successes,
      pct(v.rate, ctx),
      v.interval ? `${pct(v.interval[0], ctx)} – ${pct(v.interval[1], ctx)}` : "–",
      pct(v.probability_best, ctx),
      v.vs_control ? (w.verdicts[v.vs_control.verdict] ?? v.vs_control.verdict) : "–",
    ]),
    { numeric: [2, 3, 4, 5, 6, 8] },
  );
  const guardrails = table(
    w.guardrails,
    [w.variants, ...GUARDRAILS.map((g) => w.guardrailNames[g] ?? g)],
    view.variants.map((v) => [v.key, ...GUARDRAILS.map((g) => html`${v.guardrails[g].count} (${pct(v.guardrails[g].rate, ctx)})${v.guardrails[g].breached ? html`<br><strong>${w.breached}</strong>` : ""}`)]),
  );
  const secondary = table(
    w.secondary,
    [w.variants, w.daysToPay, w.clicks, w.help],
    view.variants.map((v) => [v.key, v.secondary.days_to_pay_mean === null ? "–" : number(v.secondary.days_to_pay_mean, ctx.locale, 1), pct(v.secondary.click_share, ctx), pct(v.secondary.help_request_share, ctx)]),
  );
  const actions = can(ctx.user.role, "experiments.write") ? decisionForms(ctx, e) : html``;
  const body = html`${note ? html`<p class="note" role="status">${note}</p>` : ""}
<p><code>${e.template}</code> · ${e.channel} · ${e.locales.join(", ")} · ${w.status}: <strong>${w.statuses[e.status] ?? e.status}</strong></p>
<section aria-labelledby="rec-h"><h2 id="rec-h">${w.recommendation}</h2><p class="recommendation">${view.recommendation}</p>${e.state.estimate ? html`<p class="muted">${w.estimate}: ${estimateLine(e.state.estimate, ctx)}</p>` : ""}</section>
<section aria-labelledby="chart-h"><h2 id="chart-h">${w.chartTitle}</h2>${history}</section>
<section aria-labelledby="res-h"><h2 id="res-h">${w.results}</h2>${results}</section>
<section aria-labelledby="guard-h"><h2 id="guard-h">${w.guardrails}</h2>${guardrails}</section>
<section aria-labelledby="sec-h"><h2 id="sec-h">${w.secondary}</h2>${secondary}</section>${actions}
<p><a href="/app/experiments/${e.id}/results.csv">${w.csv}</a> · <a href="/app/experiments/${e.id}/results.csv?view=daily">${w.csvDaily}</a></p>
<details><summary>${w.method}</summary><p>${view.method}</p></details>`;
  return render(c, w.resultTitle(e.name), body as Html);
});

/** Promote (a variant no guardrail stopped, while none is promoted) and stop (while it runs). */
function decisionForms(ctx: PageCtx, e: Experiment): Html {
  const w: DashCopy["experiments"] = ctx.copy.experiments;
  const promotable = e.promotedVariant ? [] : e.variants.filter((v) => v.status !== "stopped");
  const promote = promotable.length
    ? html`<p>${w.promoteIntro}</p><div class="buttons">${promotable.map((v) => html`<form class="inline" method="post" action="/app/experiments/${e.id}/promote">${csrfField(ctx.csrf)}<input type="hidden" name="variant" value="${v.key}"><button type="submit">${w.promote(v.key)}</button></form>`)}</div>`
    : html``;
  const stop = e.status === "running" || e.status === "measuring"
    ? html`<form method="post" action="/app/experiments/${e.id}/stop">${csrfField(ctx.csrf)}<p>${w.stopIntro}</p><label for="stop-reason">${w.reason}</label><input id="stop-reason" name="reason" maxlength="200"><button type="submit" class="danger">${w.stop}</button></form>`
    : html``;
  return html`<section aria-labelledby="act-h"><h2 id="act-h">${w.decide}</h2>${promote}${stop}</section>`;
}

experimentPages.get("/app/experiments/:id/results.csv", async (c) => {
  need(c, "experiments.read");
  const { e, now } = await looked(c, c.req.param("id"));
  const daily = c.req.query("view") === "daily";
  const body = daily ? dailyCsv(e, await loadDaily(c.env.DB, e)) : variantsCsv(e, experimentView(e, await countsAsOf(c.env.DB, e, now), now).variants);
  return c.body(body, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${e.id}${daily ? "-daily" : ""}.csv"` });
});

experimentPages.post("/app/experiments/:id/stop", async (c) => {
  need(c, "experiments.write");
  const { e, now } = await looked(c, c.req.param("id"));
  const reason = (await formOf(c)).reason?.trim().slice(0, 200);
  await stopExperiment(c.env, e, reason || undefined, now);
  await auditAs(c, "experiment.stopped", e.id, reason ? { reason } : {});
  return c.redirect(`/app/experiments/${e.id}`, 303);
});

experimentPages.post("/app/experiments/:id/promote", async (c) => {
  const ctx = need(c, "experiments.write");
  const { e, now } = await looked(c, c.req.param("id"));
  const variant = (await formOf(c)).variant ?? "";
  await promoteVariant(c.env, e, variant, `user:${ctx.user.id}`, now);
  await auditAs(c, "experiment.promoted", e.id, { variant });
  return c.redirect(`/app/experiments/${e.id}`, 303);
});
