/**
 * What the dashboard's pages read: only rollup tables (rollups.ts keeps them), each page in one
 * D1 batch, so a page costs the same with a thousand events or a million. The arithmetic on the
 * rows (medians from histograms, rates, matured shares) is pure and tested on worked examples.
 */
import { addDays } from "../zoned-time";
import { CYCLE_DIMS, type CycleDim } from "./rollups";
import { lastWeeks, weekOfDate, dayOf } from "./weeks";

export interface WeekRow {
  week: string;
  invoices_registered: number;
  registered_cents: number;
  invoices_paid: number;
  paid_cents: number;
  invoices_cancelled: number;
  messages_sent: number;
  costs_cents: number;
  handovers: number;
  help_requests: number;
  complaints: number;
  disputes: number;
  already_paid: number;
  arrangements: number;
  nps_promoters: number;
  nps_passives: number;
  nps_detractors: number;
}
export interface CohortRow {
  due_week: string;
  invoices: number;
  paid: number;
  cancelled: number;
  handed_over: number;
  median_days: number | null;
}
export interface CycleGroupRow {
  key: string;
  cycles: number;
  ended_well: number;
  principal_cents: number;
  recovered_cents: number;
  costs_cents: number;
  lead_days: number;
  nps_promoters: number;
  nps_passives: number;
  nps_detractors: number;
  revenue_90_cents: number;
  revenue_180_cents: number;
  /** Cycles that ended at least 90 (180) days ago, and of them how many ordered again within 90 (180) days. */
  matured_90: number;
  reordered_90: number;
  matured_180: number;
  reordered_180: number;
}

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
export function overviewStatements(db: D1Database, tenantId: string, now: number, weeks: number): D1PreparedStatement[] {
  const span = lastWeeks(now, weeks);
  const from = span[0] as string;
  const matured90 = weekOfDate(addDays(dayOf(now), -90));
  return [
    db.prepare("SELECT * FROM rollup_week WHERE tenant_id = ? AND week >= ? ORDER BY week").bind(tenantId, from),
    db.prepare("SELECT due_week, invoices, paid, cancelled, handed_over FROM rollup_cohort WHERE tenant_id = ? AND due_week >= ? ORDER BY due_week").bind(tenantId, from),
    db.prepare("SELECT due_week, days, n FROM rollup_cohort_days WHERE tenant_id = ? AND due_week >= ?").bind(tenantId, from),
    db.prepare("SELECT open_cents, open_invoices FROM rollup_tenant WHERE tenant_id = ?").bind(tenantId),
    db.prepare("SELECT COALESCE(SUM(cycles), 0) AS matured, COALESCE(SUM(reordered_90), 0) AS reordered FROM rollup_cycles WHERE tenant_id = ? AND dim = 'all' AND end_week < ?").bind(tenantId, matured90),
  ];
}

/** The overview page's figures for the last `weeks` weeks up to the clock's `now`. */
export async function overview(db: D1Database, tenantId: string, now: number, weeks = 12): Promise<Overview> {
  const [w, c, days, open, kept] = await db.batch<Record<string, unknown>>(overviewStatements(db, tenantId, now, weeks));
  const byWeek = new Map(((w?.results ?? []) as unknown as WeekRow[]).map((r) => [r.week, r]));
  const bins = new Map<string, [number, number][]>();
  for (const r of (days?.results ?? []) as { due_week: string; days: number; n: number }[]) bins.set(r.due_week, [...(bins.get(r.due_week) ?? []), [r.days, r.n]]);
  const span = lastWeeks(now, weeks);
  const cohortRows = new Map(((c?.results ?? []) as unknown as Omit<CohortRow, "median_days">[]).map((r) => [r.due_week, r]));
  const openRow = open?.results[0] as { open_cents: number; open_invoices: number } | undefined;
  const keptRow = kept?.results[0] as { matured: number; reordered: number } | undefined;
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
export function funnelStatements(db: D1Database, tenantId: string, now: number, weeks: number, segment: string | null, days: number): D1PreparedStatement[] {
  const from = lastWeeks(now, weeks)[0] as string;
  const seg = segment ?? "";
  return [
    db
      .prepare(
        `SELECT step, channel, SUM(sent) AS sent, SUM(delivered) AS delivered, SUM(opened) AS opened, SUM(clicked) AS clicked, SUM(failed) AS failed, SUM(cost_cents) AS cost_cents
         FROM rollup_funnel WHERE tenant_id = ?1 AND week >= ?2 AND (?3 = '' OR segment = ?3) GROUP BY step, channel`,
      )
      .bind(tenantId, from, seg),
    db
      .prepare("SELECT step, channel, SUM(n) AS paid FROM rollup_paid_after WHERE tenant_id = ?1 AND week >= ?2 AND (?3 = '' OR segment = ?3) AND days <= ?4 GROUP BY step, channel")
      .bind(tenantId, from, seg, days),
    db.prepare("SELECT week, channel, SUM(sent) AS sent FROM rollup_funnel WHERE tenant_id = ?1 AND week >= ?2 AND (?3 = '' OR segment = ?3) GROUP BY week, channel ORDER BY week").bind(tenantId, from, seg),
    db.prepare("SELECT DISTINCT segment FROM rollup_funnel WHERE tenant_id = ? ORDER BY segment").bind(tenantId),
    db.prepare("SELECT segment, channel, successes, trials FROM channel_stats WHERE tenant_id = ? ORDER BY segment, channel").bind(tenantId),
  ];
}

/** The funnel page's figures. */
export async function funnel(db: D1Database, tenantId: string, now: number, opts: { weeks: number; segment: string | null; days: number }): Promise<Funnel> {
  const [rows, paid, mix, segs, learned] = await db.batch<Record<string, unknown>>(funnelStatements(db, tenantId, now, opts.weeks, opts.segment, opts.days));
  const paidBy = new Map(((paid?.results ?? []) as { step: string; channel: string; paid: number }[]).map((r) => [`${r.step}|${r.channel}`, r.paid]));
  return {
    rows: ((rows?.results ?? []) as unknown as Omit<FunnelRow, "paid">[]).map((r) => ({ ...r, paid: paidBy.get(`${r.step}|${r.channel}`) ?? 0 })),
    mix: (mix?.results ?? []) as unknown as Funnel["mix"],
    segments: ((segs?.results ?? []) as { segment: string }[]).map((r) => r.segment),
    learned: (learned?.results ?? []) as unknown as Funnel["learned"],
  };
}

/** Collection value per grouping: cycles, money, lead time, NPS, and customers kept (matured cohorts only). */
export async function collectionValue(db: D1Database, tenantId: string, now: number): Promise<Record<CycleDim, CycleGroupRow[]>> {
  const today = dayOf(now);
  const m90 = weekOfDate(addDays(today, -90));
  const m180 = weekOfDate(addDays(today, -180));
  const { results } = await db
    .prepare(
      `SELECT dim, key, SUM(cycles) AS cycles, SUM(ended_well) AS ended_well, SUM(principal_cents) AS principal_cents, SUM(recovered_cents) AS recovered_cents,
         SUM(costs_cents) AS costs_cents, SUM(lead_days) AS lead_days, SUM(nps_promoters) AS nps_promoters, SUM(nps_passives) AS nps_passives,
         SUM(nps_detractors) AS nps_detractors, SUM(revenue_90_cents) AS revenue_90_cents, SUM(revenue_180_cents) AS revenue_180_cents,
         SUM(CASE WHEN end_week < ?2 THEN cycles ELSE 0 END) AS matured_90, SUM(CASE WHEN end_week < ?2 THEN reordered_90 ELSE 0 END) AS reordered_90,
         SUM(CASE WHEN end_week < ?3 THEN cycles ELSE 0 END) AS matured_180, SUM(CASE WHEN end_week < ?3 THEN reordered_180 ELSE 0 END) AS reordered_180
       FROM rollup_cycles WHERE tenant_id = ?1 GROUP BY dim, key ORDER BY dim, key`,
    )
    .bind(tenantId, m90, m180)
    .all<CycleGroupRow & { dim: CycleDim }>();
  const out = Object.fromEntries(CYCLE_DIMS.map(([dim]) => [dim, [] as CycleGroupRow[]])) as Record<CycleDim, CycleGroupRow[]>;
  for (const r of results) out[r.dim]?.push(r);
  return out;
}

/** The latest NPS comments (personal data: the page that shows them is audited). */
export async function npsComments(db: D1Database, tenantId: string, limit = 20): Promise<{ debtor_id: string; score: number; comment: string; segment: string; answered_at: number }[]> {
  const { results } = await db
    .prepare("SELECT debtor_id, score, comment, segment, answered_at FROM nps_responses WHERE tenant_id = ? AND comment IS NOT NULL ORDER BY answered_at DESC LIMIT ?")
    .bind(tenantId, limit)
    .all<{ debtor_id: string; score: number; comment: string; segment: string; answered_at: number }>();
  return results;
}
