/**
 * The aggregate pages every role may read: the overview (money, invoices, cohorts, service and
 * the chain KPIs), the funnel per ladder step and channel, and the collection value per policy,
 * variant, segment and ladder. No personal data here, except the NPS comments on the value page,
 * which only roles with `nps.comments` see, and which are audited.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { loadClock } from "../../clock";
import { summarize } from "../../experiments/stats";
import { auditAs, type DashEnv, need, render } from "../context";
import { day, instant, money, number, percent } from "../copy";
import { chart, type Html, table, tile } from "../layout";
import { collectionValue, funnel, npsComments, npsScore, overview } from "../queries";
import { CYCLE_DIMS } from "../rollups";
import { can } from "../users";

export const overviewPages = new Hono<DashEnv>();

const WEEK_CHOICES = [4, 12, 26, 52];
const DAY_CHOICES = [3, 7, 14, 30];
const pick = (v: string | undefined, choices: number[], fallback: number) => (choices.includes(Number(v)) ? Number(v) : fallback);
const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);

overviewPages.get("/app", async (c) => {
  const ctx = need(c, "kpi.read");
  const { copy, locale } = ctx;
  const w = copy.overview;
  const weeks = pick(c.req.query("weeks"), WEEK_CHOICES, 12);
  const now = (await loadClock(c.env)).now();
  const o = await overview(c.env.DB, ctx.user.tenantId, now, weeks);
  const due = sum(o.cohorts, (r) => r.invoices - r.cancelled);
  const paidInCohorts = sum(o.cohorts, (r) => r.paid);
  const paid = sum(o.weeks, (r) => r.invoices_paid);
  const costs = sum(o.weeks, (r) => r.costs_cents);
  const medians = o.cohorts.map((r) => r.median_days).filter((m): m is number => m !== null);
  const mid = medians.length ? [...medians].sort((a, b) => a - b)[Math.floor(medians.length / 2)] ?? null : null;
  const nps = [sum(o.weeks, (r) => r.nps_promoters), sum(o.weeks, (r) => r.nps_passives), sum(o.weeks, (r) => r.nps_detractors)] as const;
  const npsN = nps[0] + nps[1] + nps[2];
  const score = npsScore(...nps);
  const label = (week: string) => day(week, locale);
  const tiles = html`<div class="tiles">
${tile(w.openAmount, money(o.openCents, locale), w.openInvoices(o.openInvoices))}
${tile(w.paidRate, percent(paidInCohorts, due, locale), w.paidRateNote)}
${tile(w.medianDays, mid === null ? "–" : number(mid, locale, 1), w.medianDaysNote)}
${tile(w.costPerPaid, paid > 0 ? money(Math.round(costs / paid), locale) : "–", w.costPerPaidNote)}
${tile(w.handoverRate, percent(sum(o.cohorts, (r) => r.handed_over), due, locale, 1), w.handoverRateNote)}
${tile(w.help, number(sum(o.weeks, (r) => r.help_requests), locale), `${weeks} ${copy.common.weeks}`)}
${tile(w.complaints, number(sum(o.weeks, (r) => r.complaints), locale), w.complaintsNote(sum(o.weeks, (r) => r.disputes)))}
${tile(w.nps, score === null ? "–" : String(score), w.npsNote(npsN))}
${tile(w.kept, percent(o.kept.reordered, o.kept.matured, locale), w.keptNote)}
</div>`;
  const weekly = chart(
    "weekly",
    w.weeklyTitle,
    { kind: "bars", x: o.weeks.map((r) => label(r.week)), series: [{ name: w.registered, values: o.weeks.map((r) => r.invoices_registered) }, { name: w.paid, values: o.weeks.map((r) => r.invoices_paid) }], yLabel: w.invoices },
    table(w.weeklyTitle, [copy.common.week, w.registered, w.paid], o.weeks.map((r) => [label(r.week), r.invoices_registered, r.invoices_paid]), { numeric: [1, 2] }),
    copy.common.showData,
  );
  const cohorts = chart(
    "cohorts",
    w.cohortTitle,
    {
      kind: "lines",
      x: o.cohorts.map((r) => label(r.due_week)),
      series: [{ name: w.rate, values: o.cohorts.map((r) => (r.invoices - r.cancelled > 0 ? r.paid / (r.invoices - r.cancelled) : null)) }],
      yLabel: w.rate,
      percent: true,
    },
    table(
      w.cohortTitle,
      [w.dueWeek, w.invoices, w.rate, w.median, w.handedOver],
      o.cohorts.map((r) => [label(r.due_week), r.invoices, percent(r.paid, r.invoices - r.cancelled, locale), r.median_days === null ? "–" : number(r.median_days, locale, 1), r.handed_over]),
      { numeric: [1, 2, 3, 4] },
    ),
    copy.common.showData,
  );
  const activity = table(
    w.activityTitle,
    [copy.common.week, w.messages, w.costs, w.handovers, w.help.toString(), w.complaints, w.disputes, w.nps],
    o.weeks.map((r) => [label(r.week), r.messages_sent, money(r.costs_cents, locale), r.handovers, r.help_requests, r.complaints, r.disputes, npsScore(r.nps_promoters, r.nps_passives, r.nps_detractors) ?? "–"]),
    { numeric: [1, 2, 3, 4, 5, 6, 7] },
  );
  return render(
    c,
    w.title,
    html`${periodForm(ctx.copy, "/app", weeks)}<p>${w.intro(weeks)}</p>${tiles}${weekly}${cohorts}<section aria-labelledby="activity-h"><h2 id="activity-h">${w.activityTitle}</h2>${activity}</section>`,
  );
});

/** The period picker (a GET form: bookmarkable, no CSRF needed). */
function periodForm(copy: DashEnv["Variables"]["page"]["copy"], action: string, weeks: number, extra: Html = html``): Html {
  const opts = WEEK_CHOICES.map((n) => html`<option value="${n}"${n === weeks ? html` selected` : ""}>${n} ${copy.common.weeks}</option>`);
  return html`<form class="filters" method="get" action="${action}"><label for="weeks">${copy.common.period}</label><select id="weeks" name="weeks">${opts}</select>${extra}<button type="submit">${copy.common.apply}</button></form>`;
}

overviewPages.get("/app/funnel", async (c) => {
  const ctx = need(c, "kpi.read");
  const { copy, locale } = ctx;
  const w = copy.funnel;
  const weeks = pick(c.req.query("weeks"), WEEK_CHOICES, 12);
  const days = pick(c.req.query("days"), DAY_CHOICES, 7);
  const segmentQuery = c.req.query("segment") ?? "";
  const now = (await loadClock(c.env)).now();
  const f = await funnel(c.env.DB, ctx.user.tenantId, now, { weeks, segment: segmentQuery || null, days });
  const segmentOpts = [html`<option value="">${copy.common.all}</option>`, ...f.segments.map((s) => html`<option value="${s}"${s === segmentQuery ? html` selected` : ""}>${s}</option>`)];
  const dayOpts = DAY_CHOICES.map((n) => html`<option value="${n}"${n === days ? html` selected` : ""}>${w.daysOption(n)}</option>`);
  const filters = html`<label for="segment">${w.segment}</label><select id="segment" name="segment">${segmentOpts}</select><label for="days">${w.days}</label><select id="days" name="days">${dayOpts}</select>`;
  const rows = f.rows.map((r) => [
    r.step, r.channel, r.sent, `${r.delivered} (${percent(r.delivered, r.sent, locale)})`, `${r.clicked} (${percent(r.clicked, r.sent, locale)})`,
    `${r.paid} (${percent(r.paid, r.sent, locale)})`, money(r.cost_cents, locale), r.paid > 0 ? money(Math.round(r.cost_cents / r.paid), locale) : "–",
  ]);
  const steps = table(w.title, [w.step, w.channel, w.sent, w.delivered, w.clicked, w.paidWithin(days), w.cost, w.costPerPaid], rows, { numeric: [2, 3, 4, 5, 6, 7] });
  const weeksSeen = [...new Set(f.mix.map((m) => m.week))];
  const channels = [...new Set(f.mix.map((m) => m.channel))];
  const sentOf = (week: string, ch: string) => f.mix.find((m) => m.week === week && m.channel === ch)?.sent ?? 0;
  const mix = chart(
    "mix",
    w.mixTitle,
    { kind: "bars", stacked: true, x: weeksSeen.map((x) => day(x, locale)), series: channels.map((ch) => ({ name: ch, values: weeksSeen.map((wk) => sentOf(wk, ch)) })), yLabel: w.sent },
    table(w.mixTitle, [copy.common.week, ...channels], weeksSeen.map((wk) => [day(wk, locale), ...channels.map((ch) => sentOf(wk, ch))]), { numeric: channels.map((_, i) => i + 1) }),
    copy.common.showData,
  );
  // The priors the engine draws from: Beta(1 + successes, 1 + failures), as in the experiments.
  const learnedRows = f.learned.map((l) => ({ ...l, s: summarize({ exposures: l.trials, successes: l.successes }) }));
  const learned = chart(
    "learned",
    w.learnedTitle,
    { kind: "intervals", rows: learnedRows.map((l) => ({ group: l.segment, label: l.channel, value: l.s.mean, lo: l.s.interval[0], hi: l.s.interval[1] })), xLabel: w.expected },
    table(
      w.learnedTitle,
      [w.segment, w.channel, w.successes, w.trials, w.expected, w.interval],
      learnedRows.map((l) => [l.segment, l.channel, l.successes, l.trials, percent(l.s.mean, 1, locale, 1), `${percent(l.s.interval[0], 1, locale, 1)} – ${percent(l.s.interval[1], 1, locale, 1)}`]),
      { numeric: [2, 3, 4] },
    ),
    copy.common.showData,
  );
  return render(
    c,
    w.title,
    html`${periodForm(copy, "/app/funnel", weeks, filters)}<p>${w.intro}</p>${f.rows.length ? steps : html`<p>${copy.overview.noData}</p>`}${mix}
<section aria-labelledby="learned-h"><h2 id="learned-h">${w.learnedTitle}</h2><p>${w.learnedIntro}</p>${learnedRows.length ? learned : html`<p>${copy.overview.noData}</p>`}</section>`,
  );
});

overviewPages.get("/app/value", async (c) => {
  const ctx = need(c, "kpi.read");
  const { copy, locale } = ctx;
  const w = copy.value;
  const now = (await loadClock(c.env)).now();
  const groups = await collectionValue(c.env.DB, ctx.user.tenantId, now);
  const sections = CYCLE_DIMS.filter(([dim]) => dim !== "all").map(([dim]) => {
    const rows = groups[dim].map((g) => [
      g.key, g.cycles, percent(g.ended_well, g.cycles, locale), money(g.principal_cents, locale), `${money(g.recovered_cents, locale)} (${percent(g.recovered_cents, g.principal_cents, locale)})`,
      money(g.costs_cents, locale), g.cycles ? number(g.lead_days / g.cycles, locale, 1) : "–", npsScore(g.nps_promoters, g.nps_passives, g.nps_detractors) ?? "–",
      percent(g.reordered_90, g.matured_90, locale), percent(g.reordered_180, g.matured_180, locale), money(g.revenue_90_cents, locale), money(g.revenue_180_cents, locale),
    ]);
    const title = w.by[dim as keyof typeof w.by];
    return html`<section aria-labelledby="by-${dim}"><h2 id="by-${dim}">${title}</h2>${
      rows.length
        ? table(title, [w.group, w.cycles, w.endedWell, w.principal, w.recovered, w.costs, w.leadTime, w.nps, w.kept90, w.kept180, w.revenue90, w.revenue180], rows, { numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] })
        : html`<p>${copy.overview.noData}</p>`
    }</section>`;
  });
  const segs = groups.segment;
  const kept = chart(
    "kept",
    w.keptTitle,
    {
      kind: "bars",
      x: segs.map((g) => g.key),
      series: [
        { name: w.kept90, values: segs.map((g) => (g.matured_90 ? g.reordered_90 / g.matured_90 : 0)) },
        { name: w.kept180, values: segs.map((g) => (g.matured_180 ? g.reordered_180 / g.matured_180 : 0)) },
      ],
      yLabel: "%",
      percent: true,
    },
    table(w.keptTitle, [w.group, w.kept90, w.kept180], segs.map((g) => [g.key, percent(g.reordered_90, g.matured_90, locale), percent(g.reordered_180, g.matured_180, locale)]), { numeric: [1, 2] }),
    copy.common.showData,
  );
  let comments: Html = html``;
  if (can(ctx.user.role, "nps.comments")) {
    const list = await npsComments(c.env.DB, ctx.user.tenantId);
    if (list.length > 0) await auditAs(c, "nps.comments_viewed", null, { count: list.length });
    comments = html`<section aria-labelledby="comments-h"><h2 id="comments-h">${w.commentsTitle}</h2>${
      list.length
        ? table(w.commentsTitle, [w.answered, w.score, copy.funnel.segment, w.comment], list.map((r) => [instant(r.answered_at, locale), r.score, r.segment, r.comment]), { numeric: [1] })
        : html`<p>${copy.common.none}</p>`
    }</section>`;
  }
  return render(c, w.title, html`<p>${w.intro}</p><p class="muted">${w.matured}</p>${segs.length ? kept : ""}${sections}${comments}`);
});
