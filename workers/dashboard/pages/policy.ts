/**
 * The policy page: the ladder per segment as a timeline, the policy editor (the whole policy as
 * JSON, validated exactly like `PUT /v1/policy`), and the meetlat scorecard of seed 000: the
 * position per criterion, the tenant's ambition for a year, the gap, the tenant's own assessment
 * of what Kindly cannot see, and the action plan plotted by feasibility × social impact.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { z } from "zod";
import { livePolicy } from "../../api/live-policy";
import { liveScorecard, saveSelfAssessment, savePolicy } from "../../api/policy";
import { ApiError } from "../../errors";
import { LEVELS, type Level } from "../../policy/scorecard";
import type { Segment, TenantPolicy } from "../../policy/policy-schema";
import { auditAs, type DashContext, type DashEnv, formOf, need, render } from "../context";
import type { DashCopy } from "../copy";
import { chart, csrfField, type Html, problems, table } from "../layout";
import { can } from "../users";

export const policyPages = new Hono<DashEnv>();

/** Each step's day, counted from the due date (a pre-due nudge is before it). */
export function ladderDays(policy: TenantPolicy, ladder: string): { key: string; day: number; channels: string; tone: string }[] {
  let last = 0;
  return (policy.ladders[ladder]?.steps ?? []).map((s) => {
    const day = s.kind === "pre_due_nudge" ? -s.offset_days : s.from === "due_date" ? s.offset_days : last + s.offset_days;
    last = day;
    const channels = s.channels === "auto" ? `auto (${(s.auto_candidates ?? []).join(", ")})` : s.channels.join(", ");
    return { key: s.optional ? `${s.key} (optional)` : s.key, day, channels, tone: s.tone };
  });
}

/** A segment's conditions in words a credit manager reads. */
function conditions(s: Segment, copy: DashCopy): string {
  if (s.when.length === 0) return copy.policy.everyone;
  const ops = { eq: "=", gte: "≥", lte: "≤" } as const;
  return s.when.map((c) => ("op" in c ? `${c.fact} ${ops[c.op]} ${c.value}` : `${c.fact} = ${String(c.equals)}`)).join(" & ");
}

const thisYear = () => new Date().getUTCFullYear();
const levelIndex = (l: Level | null | undefined) => (l ? LEVELS.indexOf(l) : -1);
const HINT = { low: 1, medium: 2, high: 3 } as const;

async function policyPage(c: DashContext, opts: { draft?: string; errors?: { field: string; message: string }[]; status?: 200 | 400 | 409; note?: string } = {}) {
  const ctx = need(c, "policy.read");
  const { copy } = ctx;
  const w = copy.policy;
  const tenantId = ctx.user.tenantId;
  const [live, card] = await Promise.all([livePolicy(c.env.DB, tenantId), liveScorecard(c.env.DB, tenantId)]);
  const year = /^20\d{2}$/.test(c.req.query("year") ?? "") ? (c.req.query("year") as string) : String(thisYear() + 1);
  const writer = can(ctx.user.role, "policy.write");

  // The ladder per segment, in the order the engine checks them.
  const lanes = live.policy.segments.map((s) => ({ s, steps: ladderDays(live.policy, s.ladder) }));
  const timeline = chart(
    "ladders",
    w.timelineTitle,
    { kind: "timeline", rows: lanes.flatMap(({ s, steps }) => steps.map((st) => ({ lane: s.key, day: st.day, label: `${st.key}: ${st.channels}` }))), xLabel: w.day },
    table(
      w.timelineTitle,
      [w.segment, w.when, w.step, w.day, w.channels, w.tone],
      lanes.flatMap(({ s, steps }) => steps.map((st) => [`${s.key} → ${s.ladder}`, conditions(s, copy), st.key, st.day, st.channels, st.tone])),
      { numeric: [3] },
    ),
    copy.common.showData,
  );

  const draft = opts.draft ?? JSON.stringify({ ...live.policy, version: live.version + 1 }, null, 2);
  const editor = writer
    ? html`<section aria-labelledby="editor-h"><h2 id="editor-h">${w.editorTitle}</h2><p>${w.editorIntro}</p>${problems(w.invalid, opts.errors ?? [])}
<form method="post" action="/app/policy">${csrfField(ctx.csrf)}<label for="policy-json">${w.policyJson}</label>
<textarea id="policy-json" name="policy" rows="24" spellcheck="false" class="code">${draft}</textarea>
<button type="submit">${w.saveVersion(live.version + 1)}</button></form></section>`
    : html``;

  // The scorecard: position, ambition for the year, gap, and what moves it up.
  const criteria = card.themes.flatMap((t) => t.criteria.map((cr) => ({ ...cr, theme: t.theme })));
  const gapOf = (cr: (typeof criteria)[number]) => {
    const ambition = cr.self_assessment?.ambitions[year] ?? null;
    return ambition === null ? null : Math.max(0, levelIndex(ambition) - Math.max(0, levelIndex(cr.level)));
  };
  const levelWord = (l: Level | null | undefined) => (l ? w.level[l] : w.notAssessed);
  const scoreTables = card.themes.map(
    (t) => html`<h3>${w.theme[t.theme]}</h3>${table(
      w.theme[t.theme],
      [w.criterion, w.position, w.ambition(year), w.gap, w.toImprove],
      t.criteria.map((cr) => [
        html`${cr.title}<br><span class="muted">${w.basis[cr.basis]}</span>`,
        levelWord(cr.level),
        cr.self_assessment?.ambitions[year] ? levelWord(cr.self_assessment.ambitions[year]) : "–",
        gapOf({ ...cr, theme: t.theme }) ?? "–",
        cr.to_improve ?? "",
      ]),
      { numeric: [3] },
    )}`,
  );
  const options = (selected: Level | null | undefined, empty: string) =>
    html`<option value="">${empty}</option>${LEVELS.map((l) => html`<option value="${l}"${l === selected ? html` selected` : ""}>${w.level[l]}</option>`)}`;
  const assess = writer
    ? html`<details><summary>${w.assessTitle}</summary><form method="post" action="/app/policy/score">${csrfField(ctx.csrf)}<input type="hidden" name="year" value="${year}">
<div class="scroll" role="region" aria-label="${w.assessTitle}" tabindex="0"><table><thead><tr><th scope="col">${w.criterion}</th><th scope="col">${w.position}</th><th scope="col">${w.ambition(year)}</th></tr></thead><tbody>
${criteria.map(
  (cr) => html`<tr><th scope="row">${cr.title}</th><td>${
    cr.basis === "self_assessed"
      ? html`<label class="sr" for="pos-${cr.key}">${w.position}: ${cr.title}</label><select id="pos-${cr.key}" name="position.${cr.key}">${options(cr.self_assessment?.position, w.notAssessed)}</select>`
      : levelWord(cr.level)
  }</td><td><label class="sr" for="amb-${cr.key}">${w.ambition(year)}: ${cr.title}</label><select id="amb-${cr.key}" name="ambition.${cr.key}">${options(cr.self_assessment?.ambitions[year] ?? null, "–")}</select></td></tr>`,
)}</tbody></table></div><button type="submit">${w.saveAssessment}</button></form></details>`
    : html``;

  // The action plan: criteria below the year's ambition, by feasibility and social impact.
  const plan = criteria.filter((cr) => (gapOf(cr) ?? 0) > 0);
  const cells = new Map<string, number>();
  const points = plan.map((cr) => {
    const cell = `${cr.action.feasibility}|${cr.action.social_impact}`;
    const k = cells.get(cell) ?? 0;
    cells.set(cell, k + 1);
    // Several actions in one cell are spread a little so each label stays readable.
    return { x: HINT[cr.action.feasibility] + (k % 3) * 0.15 - 0.15, y: HINT[cr.action.social_impact] + Math.floor(k / 3) * 0.15, label: cr.title };
  });
  const actionPlan = html`<section aria-labelledby="plan-h"><h2 id="plan-h">${w.planTitle}</h2><p>${w.planIntro}</p>${
    plan.length
      ? chart(
          "plan",
          w.planTitle,
          { kind: "scatter", rows: points, xLabel: w.feasibility, yLabel: w.impact, ticks: [w.hint.low, w.hint.medium, w.hint.high] },
          table(w.planTitle, [w.criterion, w.feasibility, w.impact, w.gap, w.toImprove], plan.map((cr) => [cr.title, w.hint[cr.action.feasibility], w.hint[cr.action.social_impact], gapOf(cr) ?? 0, cr.to_improve ?? ""]), { numeric: [3] }),
          copy.common.showData,
        )
      : html`<p>${copy.common.none}</p>`
  }</section>`;
  const years = Array.from({ length: 5 }, (_, i) => String(thisYear() + i));
  const yearForm = html`<form class="filters" method="get" action="/app/policy#score-h"><label for="year">${w.year}</label><select id="year" name="year">${years.map((y) => html`<option${y === year ? html` selected` : ""}>${y}</option>`)}</select><button type="submit">${copy.common.apply}</button></form>`;
  const body = html`${opts.note ? html`<p class="note" role="status">${opts.note}</p>` : ""}<p>${w.version(live.version)}</p>
<section aria-labelledby="ladders-h"><h2 id="ladders-h">${w.timelineTitle}</h2><p>${w.timelineIntro}</p>${timeline}</section>${editor}
<section aria-labelledby="score-h"><h2 id="score-h">${w.scoreTitle}</h2><p>${w.scoreIntro}</p><p><strong>${w.overall(w.level[card.overall])}</strong></p>${yearForm}${scoreTables}${assess}</section>${actionPlan}`;
  return render(c, w.title, body as Html, opts.status ?? 200);
}

policyPages.get("/app/policy", (c) => policyPage(c, { ...(c.req.query("saved") === "1" ? { note: c.get("page").copy.common.saved } : {}) }));

policyPages.post("/app/policy", async (c) => {
  const ctx = need(c, "policy.write");
  const draft = (await formOf(c)).policy ?? "";
  let body: unknown;
  try {
    body = JSON.parse(draft);
  } catch (err) {
    return policyPage(c, { draft, errors: [{ field: "(json)", message: err instanceof Error ? err.message : "Not JSON" }], status: 400 });
  }
  try {
    const saved = await savePolicy(c.env.DB, ctx.user.tenantId, body, Date.now());
    await auditAs(c, "policy.changed", null, { version: saved.policy.version });
  } catch (err) {
    if (!(err instanceof ApiError) || (err.code !== "validation_failed" && err.code !== "conflict")) throw err;
    return policyPage(c, { draft, errors: err.code === "conflict" ? [{ field: "version", message: ctx.copy.policy.conflict }] : err.errors, status: err.code === "conflict" ? 409 : 400 });
  }
  return c.redirect("/app/policy?saved=1", 303);
});

const LevelOrEmpty = z.union([z.enum(LEVELS), z.literal("")]);

policyPages.post("/app/policy/score", async (c) => {
  const ctx = need(c, "policy.write");
  const form = await formOf(c);
  const year = /^20\d{2}$/.test(form.year ?? "") ? (form.year as string) : String(thisYear() + 1);
  const card = await liveScorecard(c.env.DB, ctx.user.tenantId);
  const criteria: Record<string, { position?: Level | null; ambitions: Record<string, Level>; note?: string | null }> = {};
  for (const cr of card.themes.flatMap((t) => t.criteria)) {
    const ambition = LevelOrEmpty.safeParse(form[`ambition.${cr.key}`] ?? "");
    const position = LevelOrEmpty.safeParse(form[`position.${cr.key}`] ?? "");
    // Other years' ambitions and the note stay as they were; only this year's changes.
    const ambitions = { ...(cr.self_assessment?.ambitions ?? {}) };
    if (ambition.success && ambition.data) ambitions[year] = ambition.data;
    else delete ambitions[year];
    criteria[cr.key] = {
      ambitions,
      note: cr.self_assessment?.note ?? null,
      ...(cr.basis === "self_assessed" ? { position: position.success && position.data ? position.data : null } : {}),
    };
  }
  await saveSelfAssessment(c.env.DB, ctx.user.tenantId, { criteria }, Date.now());
  await auditAs(c, "score.assessed", null, { year });
  return c.redirect(`/app/policy?saved=1&year=${year}#score-h`, 303);
});
