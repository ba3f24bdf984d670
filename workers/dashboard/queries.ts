/**
 * What the dashboard's pages read: only rollup tables (rollups.ts keeps them), each page in one
 * D1 batch, so a page costs the same with a thousand events or a million. The arithmetic on the
 * rows (medians from histograms, rates, matured shares) is pure and tested on worked examples.
 */
import { and, asc, desc, eq, gte, isNotNull, lt, lte, sql, type Column } from "drizzle-orm";
import { channelStats, npsResponses, rollupCohort, rollupCohortDays, rollupCycles, rollupFunnel, rollupPaidAfter, rollupTenant, rollupWeek } from "../../schema/d1";
import { db, type Db, type RowOf } from "../db";
import { addDays } from "../zoned-time";
import { CYCLE_DIMS, type CycleDim } from "./rollups";
import { lastWeeks, weekOfDate, dayOf } from "./weeks";

// The pages read rows under their SQL names (snake_case); each field is typed by its column.
const w = rollupWeek;
const WEEK_COLUMNS = {
  week: w.week,
  invoices_registered: w.invoicesRegistered,
  registered_cents: w.registeredCents,
  invoices_paid: w.invoicesPaid,
  paid_cents: w.paidCents,
  invoices_cancelled: w.invoicesCancelled,
  messages_sent: w.messagesSent,
  costs_cents: w.costsCents,
  handovers: w.handovers,
  help_requests: w.helpRequests,
  complaints: w.complaints,
  disputes: w.disputes,
  already_paid: w.alreadyPaid,
  arrangements: w.arrangements,
  nps_promoters: w.npsPromoters,
  nps_passives: w.npsPassives,
  nps_detractors: w.npsDetractors,
};
export type WeekRow = RowOf<typeof WEEK_COLUMNS>;
const co = rollupCohort;
const COHORT_COLUMNS = { due_week: co.dueWeek, invoices: co.invoices, paid: co.paid, cancelled: co.cancelled, handed_over: co.handedOver };
export type CohortRow = RowOf<typeof COHORT_COLUMNS> & { median_days: number | null };

/**
 * A sum over a group of rollup rows (never empty: GROUP BY makes no group without rows), named
 * after its column: D1's batch answers rows as objects, so two unnamed sums would share a key.
 */
const total = (c: Column) => sql<number>`SUM(${c})`.as(c.name);
const cy = rollupCycles;
/** Sums of ended cycles that ended before `week` (matured cohorts). */
const totalBefore = (c: Column, week: string, name: string) => sql<number>`SUM(CASE WHEN ${cy.endWeek} < ${week} THEN ${c} ELSE 0 END)`.as(name);
function cycleGroupColumns(m90: string, m180: string) {
  return {
    dim: cy.dim,
    key: cy.key,
    cycles: total(cy.cycles),
    ended_well: total(cy.endedWell),
    principal_cents: total(cy.principalCents),
    recovered_cents: total(cy.recoveredCents),
    costs_cents: total(cy.costsCents),
    lead_days: total(cy.leadDays),
    nps_promoters: total(cy.npsPromoters),
    nps_passives: total(cy.npsPassives),
    nps_detractors: total(cy.npsDetractors),
    revenue_90_cents: total(cy.revenue90Cents),
    revenue_180_cents: total(cy.revenue180Cents),
    /** Cycles that ended at least 90 (180) days ago, and of them how many ordered again within 90 (180) days. */
    matured_90: totalBefore(cy.cycles, m90, "matured_90"),
    reordered_90: totalBefore(cy.reordered90, m90, "reordered_90"),
    matured_180: totalBefore(cy.cycles, m180, "matured_180"),
    reordered_180: totalBefore(cy.reordered180, m180, "reordered_180"),
  };
}
export type CycleGroupRow = Omit<RowOf<ReturnType<typeof cycleGroupColumns>>, "dim">;

/** The median of a histogram of whole days (`[days, count]` pairs); null when it is empty. */
export function medianOfHistogram(bins: [number, number][]): number | null {
  const sorted = [...bins].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  // The lower and upper middle values; their mean is the median of the underlying list.
  const lowRank = Math.floor((total - 1) / 2);
  const highRank = Math.floor(total / 2);
  let seen = 0;
  let low: number | null = null;
  for (const [d, n] of sorted) {
    if (low === null && seen + n > lowRank) low = d;
    if (seen + n > highRank) return ((low ?? d) + d) / 2;
    seen += n;
  }
  return low;
}

/** NPS from its three counts: % promoters minus % detractors, or null without answers. */
export function npsScore(promoters: number, passives: number, detractors: number): number | null {
  const n = promoters + passives + detractors;
  return n === 0 ? null : Math.round(((promoters - detractors) / n) * 100);
}

const ZERO_WEEK: Omit<WeekRow, "week"> = {
  invoices_registered: 0, registered_cents: 0, invoices_paid: 0, paid_cents: 0, invoices_cancelled: 0, messages_sent: 0, costs_cents: 0, handovers: 0,
  help_requests: 0, complaints: 0, disputes: 0, already_paid: 0, arrangements: 0, nps_promoters: 0, nps_passives: 0, nps_detractors: 0,
};

export interface Overview {
  weeks: WeekRow[];
  cohorts: CohortRow[];
  openCents: number;
  openInvoices: number;
  /** Customers kept over every cycle that ended at least 90 days ago. */
  kept: { matured: number; reordered: number };
}

/** The overview's statements (one batch): the benchmark times exactly these. */
export function overviewStatements(d: Db, tenantId: string, now: number, weeks: number) {
  const span = lastWeeks(now, weeks);
  const from = span[0] as string;
  const matured90 = weekOfDate(addDays(dayOf(now), -90));
  const cd = rollupCohortDays;
  return [
    d.select(WEEK_COLUMNS).from(w).where(and(eq(w.tenantId, tenantId), gte(w.week, from))).orderBy(asc(w.week)),
    d.select(COHORT_COLUMNS).from(co).where(and(eq(co.tenantId, tenantId), gte(co.dueWeek, from))).orderBy(asc(co.dueWeek)),
    d.select({ due_week: cd.dueWeek, days: cd.days, n: cd.n }).from(cd).where(and(eq(cd.tenantId, tenantId), gte(cd.dueWeek, from))),
    d.select({ open_cents: rollupTenant.openCents, open_invoices: rollupTenant.openInvoices }).from(rollupTenant).where(eq(rollupTenant.tenantId, tenantId)),
    d
      .select({ matured: sql<number>`COALESCE(SUM(${cy.cycles}), 0)`.as("matured"), reordered: sql<number>`COALESCE(SUM(${cy.reordered90}), 0)`.as("reordered") })
      .from(cy)
      .where(and(eq(cy.tenantId, tenantId), eq(cy.dim, "all"), lt(cy.endWeek, matured90))),
  ] as const;
}

/** The overview page's figures for the last `weeks` weeks up to the clock's `now`. */
export async function overview(d1: D1Database, tenantId: string, now: number, weeks = 12): Promise<Overview> {
  const d = db(d1);
  const [weekRows, cohorts, days, open, kept] = await d.batch(overviewStatements(d, tenantId, now, weeks));
  const byWeek = new Map(weekRows.map((r) => [r.week, r]));
  const bins = new Map<string, [number, number][]>();
  for (const r of days) bins.set(r.due_week, [...(bins.get(r.due_week) ?? []), [r.days, r.n]]);
  const span = lastWeeks(now, weeks);
  const cohortRows = new Map(cohorts.map((r) => [r.due_week, r]));
  const openRow = open[0];
  const keptRow = kept[0];
  return {
    weeks: span.map((week) => ({ ...ZERO_WEEK, ...byWeek.get(week), week })),
    cohorts: span.map((week) => ({ invoices: 0, paid: 0, cancelled: 0, handed_over: 0, ...cohortRows.get(week), due_week: week, median_days: medianOfHistogram(bins.get(week) ?? []) })),
    openCents: openRow?.open_cents ?? 0,
    openInvoices: openRow?.open_invoices ?? 0,
    kept: { matured: keptRow?.matured ?? 0, reordered: keptRow?.reordered ?? 0 },
  };
}

export interface FunnelRow {
  step: string;
  channel: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  failed: number;
  cost_cents: number;
  paid: number;
}
export interface Funnel {
  rows: FunnelRow[];
  mix: { week: string; channel: string; sent: number }[];
  segments: string[];
  learned: { segment: string; channel: string; successes: number; trials: number }[];
}

/** The funnel's statements (one batch): per step and channel, paid within `days`, the mix per week, the priors. */
export function funnelStatements(d: Db, tenantId: string, now: number, weeks: number, segment: string | null, days: number) {
  const from = lastWeeks(now, weeks)[0] as string;
  const f = rollupFunnel;
  const p = rollupPaidAfter;
  const s = channelStats;
  const inFunnel = and(eq(f.tenantId, tenantId), gte(f.week, from), segment ? eq(f.segment, segment) : undefined);
  return [
    d
      .select({
        step: f.step,
        channel: f.channel,
        sent: total(f.sent),
        delivered: total(f.delivered),
        opened: total(f.opened),
        clicked: total(f.clicked),
        failed: total(f.failed),
        cost_cents: total(f.costCents),
      })
      .from(f)
      .where(inFunnel)
      .groupBy(f.step, f.channel),
    d
      .select({ step: p.step, channel: p.channel, paid: total(p.n) })
      .from(p)
      .where(and(eq(p.tenantId, tenantId), gte(p.week, from), segment ? eq(p.segment, segment) : undefined, lte(p.days, days)))
      .groupBy(p.step, p.channel),
    d.select({ week: f.week, channel: f.channel, sent: total(f.sent) }).from(f).where(inFunnel).groupBy(f.week, f.channel).orderBy(asc(f.week)),
    d.selectDistinct({ segment: f.segment }).from(f).where(eq(f.tenantId, tenantId)).orderBy(asc(f.segment)),
    d
      .select({ segment: s.segment, channel: s.channel, successes: s.successes, trials: s.trials })
      .from(s)
      .where(eq(s.tenantId, tenantId))
      .orderBy(asc(s.segment), asc(s.channel)),
  ] as const;
}

/** The funnel page's figures. */
export async function funnel(d1: D1Database, tenantId: string, now: number, opts: { weeks: number; segment: string | null; days: number }): Promise<Funnel> {
  const d = db(d1);
  const [rows, paid, mix, segs, learned] = await d.batch(funnelStatements(d, tenantId, now, opts.weeks, opts.segment, opts.days));
  const paidBy = new Map(paid.map((r) => [`${r.step}|${r.channel}`, r.paid]));
  return {
    rows: rows.map((r) => ({ ...r, paid: paidBy.get(`${r.step}|${r.channel}`) ?? 0 })),
    mix,
    segments: segs.map((r) => r.segment),
    learned,
  };
}

/** Collection value per grouping: cycles, money, lead time, NPS, and customers kept (matured cohorts only). */
export async function collectionValue(d1: D1Database, tenantId: string, now: number): Promise<Record<CycleDim, CycleGroupRow[]>> {
  const today = dayOf(now);
  const m90 = weekOfDate(addDays(today, -90));
  const m180 = weekOfDate(addDays(today, -180));
  const results = await db(d1)
    .select(cycleGroupColumns(m90, m180))
    .from(cy)
    .where(eq(cy.tenantId, tenantId))
    .groupBy(cy.dim, cy.key)
    .orderBy(asc(cy.dim), asc(cy.key))
    .all();
  const out = Object.fromEntries(CYCLE_DIMS.map(([dim]) => [dim, [] as CycleGroupRow[]])) as Record<CycleDim, CycleGroupRow[]>;
  for (const { dim, ...row } of results) out[dim as CycleDim]?.push(row);
  return out;
}

/** The latest NPS comments (personal data: the page that shows them is audited). */
export async function npsComments(d1: D1Database, tenantId: string, limit = 20): Promise<{ debtor_id: string; score: number; comment: string; segment: string; answered_at: number }[]> {
  const n = npsResponses;
  return db(d1)
    .select({ debtor_id: n.debtorId, score: n.score, comment: sql<string>`${n.comment}`, segment: n.segment, answered_at: n.answeredAt })
    .from(n)
    .where(and(eq(n.tenantId, tenantId), isNotNull(n.comment)))
    .orderBy(desc(n.answeredAt))
    .limit(limit)
    .all();
}
