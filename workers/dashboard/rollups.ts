/**
 * The dashboard's rollups, kept up to date as outcome events land in D1: `rollupStatements` is the
 * one place that maintains them, and its statements run in the same D1 batch as the event's
 * `INSERT OR IGNORE` (workers/debtor/flush.ts), right after it. So a rollup moves exactly when its
 * event row is new: a flush repeated after a crash, or an event flushed twice, counts once.
 *
 * How "only when new" works: each statement is an `INSERT ... SELECT ... WHERE changes() = 1`
 * that touches exactly one row when the statement before it touched one, and none otherwise (an
 * upsert counts one change whether it inserts or updates). So the chain starts at the event's
 * insert and keeps `changes()` at 1 or 0 to its end, as the channel priors and the merchant
 * webhook fan-out after it expect. A statement that finds nothing to update (an order with no
 * ended cycle before it) ends the chain with 0, which is right for what follows it too.
 *
 * Weeks are Mondays in Amsterdam (weeks.ts). Which events feed what:
 * - invoice.registered, payment.received, invoice.closed: open amount, invoices per week, the
 *   due-week cohorts (paid rate, days to pay as a histogram for the median, cancellations);
 * - reminder.sent and call_task.created, channel.delivered/opened/clicked, reminder.failed: the
 *   funnel per week of the message, segment, ladder step and channel, with cost;
 * - channel.success: payments in full (or arrangements) by the days since the last step went out;
 * - invoice.handover_ready, debtor.help_requested, debtor.disputed, debtor.already_paid,
 *   arrangement.created, channel.complained: weekly counts;
 * - cycle.ended, nps.answered, order.reported: the chain KPIs per ended cycle, grouped by
 *   everything ("all"), segment, ladder, policy version and experiment variant.
 */
import { dayOf as dayIn, daysBetween, weekOf, weekOfDate } from "./weeks";

/** An event as the DebtorDO flushes it. */
export interface FlushedEvent {
  id: string;
  type: string;
  invoice_id: string | null;
  at: number;
  data: string;
}

type Value = string | number | null;
type Data = Record<string, unknown>;

/** The groupings of ended cycles: the column of debtor_cycles each is keyed by. */
export const CYCLE_DIMS = [
  ["all", "'all'"],
  ["segment", "segment"],
  ["ladder", "ladder"],
  ["policy", "CAST(policy_version AS TEXT)"],
  ["variant", "variant"],
] as const;
export type CycleDim = (typeof CYCLE_DIMS)[number][0];

/** Days-to-pay histogram bounds (cohorts) and days-since-step bounds (funnel). */
const COHORT_DAYS: [number, number] = [-30, 180];
const PAID_AFTER_MAX_DAYS = 60;

const clamp = (n: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, n));
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.round(v) : 0);
const str = (v: unknown, fallback: string) => (typeof v === "string" && v.length > 0 ? v : fallback);
const isDay = (v: unknown): v is string => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * An upsert that adds `add` to the row at `key`, only when the statement before it changed a row.
 * Table and column names are this module's constants, never input.
 */
function bump(db: D1Database, table: string, key: Record<string, Value>, add: Record<string, number>): D1PreparedStatement {
  const keys = Object.keys(key);
  const cols = [...keys, ...Object.keys(add)];
  const marks = cols.map((_, i) => `?${i + 1}`).join(", ");
  const sets = Object.keys(add).map((c) => `${c} = ${c} + excluded.${c}`).join(", ");
  return db
    .prepare(`INSERT INTO ${table} (${cols.join(", ")}) SELECT ${marks} WHERE changes() = 1 ON CONFLICT (${keys.join(", ")}) DO UPDATE SET ${sets}`)
    .bind(...Object.values(key), ...Object.values(add));
}

/** The weekly counter that an event type adds one to. */
const WEEKLY_COUNT: Record<string, string> = {
  "invoice.handover_ready": "handovers",
  "debtor.help_requested": "help_requests",
  "debtor.disputed": "disputes",
  "debtor.already_paid": "already_paid",
  "arrangement.created": "arrangements",
  "channel.complained": "complaints",
};
const FUNNEL_COUNT: Record<string, string> = { "channel.delivered": "delivered", "channel.opened": "opened", "channel.clicked": "clicked", "reminder.failed": "failed" };
const SENT_TYPES = new Set(["reminder.sent", "call_task.created"]);

/** NPS: 9-10 promoters, 7-8 passives, 0-6 detractors. */
export function npsClass(score: number): "nps_promoters" | "nps_passives" | "nps_detractors" {
  return score >= 9 ? "nps_promoters" : score >= 7 ? "nps_passives" : "nps_detractors";
}

/**
 * The rollup statements for one event, to run in the flush's batch directly after the event's
 * `INSERT OR IGNORE INTO outcome_events`. Every statement touches exactly one row when the event
 * is new and none when it is not (see the module comment), so they may be followed by statements
 * that read `changes()` of the insert.
 */
export function rollupStatements(db: D1Database, tenantId: string, debtorId: string, e: FlushedEvent): D1PreparedStatement[] {
  const d = JSON.parse(e.data) as Data;
  const week = weekOf(e.at);
  const weekly = (add: Record<string, number>) => bump(db, "rollup_week", { tenant_id: tenantId, week }, add);
  const tenant = (add: Record<string, number>) => bump(db, "rollup_tenant", { tenant_id: tenantId }, add);
  const cohort = (due: string, add: Record<string, number>) => bump(db, "rollup_cohort", { tenant_id: tenantId, due_week: weekOfDate(due) }, add);

  if (e.type === "invoice.registered") {
    const cents = num(d.amount_cents);
    return [
      weekly({ invoices_registered: 1, registered_cents: cents }),
      tenant({ open_cents: cents, open_invoices: 1 }),
      ...(isDay(d.due_date) ? [cohort(d.due_date, { invoices: 1 })] : []),
    ];
  }
  if (e.type === "payment.received") {
    const cents = num(d.amount_cents);
    return [weekly({ paid_cents: cents }), tenant({ open_cents: -cents })];
  }
  if (e.type === "invoice.closed") {
    const due = isDay(d.due_date) ? d.due_date : null;
    if (d.reason === "paid") {
      const days = due ? clamp(daysBetween(due, dayIn(e.at)), COHORT_DAYS) : null;
      return [
        weekly({ invoices_paid: 1 }),
        tenant({ open_invoices: -1 }),
        ...(due && days !== null ? [cohort(due, { paid: 1 }), bump(db, "rollup_cohort_days", { tenant_id: tenantId, due_week: weekOfDate(due), days }, { n: 1 })] : []),
      ];
    }
    return [
      weekly({ invoices_cancelled: 1 }),
      tenant({ open_invoices: -1, open_cents: -num(d.outstanding_cents) }),
      ...(due ? [cohort(due, { cancelled: 1 })] : []),
    ];
  }
  if (SENT_TYPES.has(e.type) || FUNNEL_COUNT[e.type]) return funnelStatements(db, tenantId, e, d, week);
  if (e.type === "channel.success") {
    const sentAt = typeof d.sent_at === "number" ? d.sent_at : null;
    if (sentAt === null) return [];
    const days = clamp(daysBetween(dayIn(sentAt), dayIn(e.at)), [0, PAID_AFTER_MAX_DAYS]);
    return [
      bump(db, "rollup_paid_after", { tenant_id: tenantId, week: weekOf(sentAt), segment: str(d.segment, "unknown"), step: str(d.step, "unknown"), channel: str(d.channel, "unknown"), days }, { n: 1 }),
    ];
  }
  if (e.type === "invoice.handover_ready" && isDay(d.due_date)) return [weekly({ handovers: 1 }), cohort(d.due_date, { handed_over: 1 })];
  const counter = WEEKLY_COUNT[e.type];
  if (counter) return [weekly({ [counter]: 1 })];
  if (e.type === "cycle.ended") return cycleStatements(db, tenantId, debtorId, e, d);
  if (e.type === "nps.answered") return npsStatements(db, tenantId, debtorId, e, d, week);
  if (e.type === "order.reported") return orderStatements(db, tenantId, debtorId, e, d);
  return [];
}

/** A message sent, delivered, opened, clicked or failed: counted in the week the message was decided. */
function funnelStatements(db: D1Database, tenantId: string, e: FlushedEvent, d: Data, eventWeek: string): D1PreparedStatement[] {
  const week = typeof d.message_at === "number" ? weekOf(d.message_at) : eventWeek;
  const key = { tenant_id: tenantId, week, segment: str(d.segment, "unknown"), step: str(d.step, "unknown"), channel: str(d.channel, "unknown") };
  if (!SENT_TYPES.has(e.type)) return [bump(db, "rollup_funnel", key, { [FUNNEL_COUNT[e.type] as string]: 1 })];
  const cost = num(d.cost_cents);
  return [bump(db, "rollup_funnel", key, { sent: 1, cost_cents: cost }), bump(db, "rollup_week", { tenant_id: tenantId, week: eventWeek }, { messages_sent: 1, costs_cents: cost })];
}

/** The key of an ended cycle (or its NPS answer) for each grouping. */
function dimKeys(d: Data): Record<CycleDim, string> {
  return { all: "all", segment: str(d.segment, "none"), ladder: str(d.ladder, "none"), policy: String(num(d.policy_version)), variant: str(d.variant, "none") };
}

/**
 * Orders of this debtor that count for a cycle ending on `?end`: dated after it, within `days`,
 * and with no later cycle of the debtor ended before them (an order counts for the latest cycle
 * that ended before it).
 */
const ORDERS_IN_WINDOW = (days: number, end: string) => `FROM debtor_orders o WHERE o.tenant_id = ?1 AND o.debtor_id = ?2
  AND o.order_date > ${end} AND o.order_date <= date(${end}, '+${days} days')
  AND NOT EXISTS (SELECT 1 FROM debtor_cycles l WHERE l.tenant_id = ?1 AND l.debtor_id = ?2 AND l.end_date > ${end} AND l.end_date < o.order_date)`;

/** A cycle ended: its row, and its value in every grouping (with any orders already reported after it). */
function cycleStatements(db: D1Database, tenantId: string, debtorId: string, e: FlushedEvent, d: Data): D1PreparedStatement[] {
  if (!isDay(d.end_date) || typeof d.cycle !== "number") return [];
  const endWeek = weekOfDate(d.end_date);
  const row = db
    .prepare(
      `INSERT INTO debtor_cycles (tenant_id, debtor_id, cycle, ended_at, end_date, end_week, outcome, segment, ladder, policy_version, variant, principal_cents, recovered_cents, costs_cents, lead_days)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15 WHERE changes() = 1 ON CONFLICT DO NOTHING`,
    )
    .bind(
      tenantId, debtorId, d.cycle, e.at, d.end_date, endWeek, str(d.outcome, "paid"), str(d.segment, "none"), str(d.ladder, "none"), num(d.policy_version),
      str(d.variant, "none"), num(d.principal_cents), num(d.recovered_cents), num(d.costs_cents), num(d.lead_days),
    );
  const keys = dimKeys(d);
  const end = "?3";
  const groups = CYCLE_DIMS.map(([dim]) =>
    db
      .prepare(
        `INSERT INTO rollup_cycles (tenant_id, dim, key, end_week, cycles, ended_well, principal_cents, recovered_cents, costs_cents, lead_days,
           reordered_90, reordered_180, revenue_90_cents, revenue_180_cents)
         SELECT ?1, ?4, ?5, ?6, 1, ?7, ?8, ?9, ?10, ?11,
           EXISTS (SELECT 1 ${ORDERS_IN_WINDOW(90, end)}), EXISTS (SELECT 1 ${ORDERS_IN_WINDOW(180, end)}),
           (SELECT COALESCE(SUM(o.amount_cents), 0) ${ORDERS_IN_WINDOW(90, end)}), (SELECT COALESCE(SUM(o.amount_cents), 0) ${ORDERS_IN_WINDOW(180, end)})
         WHERE changes() = 1
         ON CONFLICT (tenant_id, dim, key, end_week) DO UPDATE SET cycles = cycles + 1, ended_well = ended_well + excluded.ended_well,
           principal_cents = principal_cents + excluded.principal_cents, recovered_cents = recovered_cents + excluded.recovered_cents,
           costs_cents = costs_cents + excluded.costs_cents, lead_days = lead_days + excluded.lead_days,
           reordered_90 = reordered_90 + excluded.reordered_90, reordered_180 = reordered_180 + excluded.reordered_180,
           revenue_90_cents = revenue_90_cents + excluded.revenue_90_cents, revenue_180_cents = revenue_180_cents + excluded.revenue_180_cents`,
      )
      .bind(tenantId, debtorId, d.end_date, dim, keys[dim], endWeek, d.ended_well === true ? 1 : 0, num(d.principal_cents), num(d.recovered_cents), num(d.costs_cents), num(d.lead_days)),
  );
  return [row, ...groups];
}

/** An NPS answer: stored once per debtor and cycle, counted in its week and in its cycle's groupings. */
function npsStatements(db: D1Database, tenantId: string, debtorId: string, e: FlushedEvent, d: Data, week: string): D1PreparedStatement[] {
  const score = num(d.score);
  if (typeof d.cycle !== "number" || score < 0 || score > 10) return [];
  const keys = dimKeys(d);
  const row = db
    .prepare(
      `INSERT INTO nps_responses (tenant_id, debtor_id, cycle, score, comment, segment, ladder, policy_version, variant, answered_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE changes() = 1 ON CONFLICT DO NOTHING`,
    )
    .bind(tenantId, debtorId, d.cycle, score, typeof d.comment === "string" ? d.comment : null, keys.segment, keys.ladder, num(d.policy_version), keys.variant, e.at);
  const cls = npsClass(score);
  const endWeek = isDay(d.end_date) ? weekOfDate(d.end_date) : week;
  return [
    row,
    bump(db, "rollup_week", { tenant_id: tenantId, week }, { [cls]: 1 }),
    ...CYCLE_DIMS.map(([dim]) => bump(db, "rollup_cycles", { tenant_id: tenantId, dim, key: keys[dim], end_week: endWeek }, { [cls]: 1 })),
  ];
}

/**
 * A later order: stored once per order id, then counted for the latest cycle of the debtor that
 * ended before its date, within 180 days: its revenue, and the cycle as "ordered again" when no
 * other order counted for that cycle before. Without such a cycle the chain ends at 0.
 */
function orderStatements(db: D1Database, tenantId: string, debtorId: string, e: FlushedEvent, d: Data): D1PreparedStatement[] {
  if (!isDay(d.date) || typeof d.order_id !== "string") return [];
  const row = db
    .prepare(
      `INSERT INTO debtor_orders (tenant_id, order_id, debtor_id, order_date, amount_cents, reported_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE changes() = 1 ON CONFLICT DO NOTHING`,
    )
    .bind(tenantId, d.order_id, debtorId, d.date, num(d.amount_cents), e.at);
  // ?3 is the order's date, ?4 its id, ?5 its amount; `c` the cycle it counts for.
  const others = (days: number) =>
    `NOT EXISTS (SELECT 1 ${ORDERS_IN_WINDOW(days, "c.end_date")} AND o.order_id <> ?4)`;
  const groups = CYCLE_DIMS.map(([dim, column]) =>
    db
      .prepare(
        `INSERT INTO rollup_cycles (tenant_id, dim, key, end_week, reordered_90, reordered_180, revenue_90_cents, revenue_180_cents)
         SELECT ?1, '${dim}', ${column}, c.end_week,
           CASE WHEN ?3 <= date(c.end_date, '+90 days') AND ${others(90)} THEN 1 ELSE 0 END,
           CASE WHEN ${others(180)} THEN 1 ELSE 0 END,
           CASE WHEN ?3 <= date(c.end_date, '+90 days') THEN ?5 ELSE 0 END,
           ?5
         FROM debtor_cycles c
         WHERE changes() = 1 AND c.tenant_id = ?1 AND c.debtor_id = ?2 AND c.end_date < ?3 AND ?3 <= date(c.end_date, '+180 days')
           AND c.end_date = (SELECT MAX(end_date) FROM debtor_cycles m WHERE m.tenant_id = ?1 AND m.debtor_id = ?2 AND m.end_date < ?3)
         ORDER BY c.cycle DESC LIMIT 1
         ON CONFLICT (tenant_id, dim, key, end_week) DO UPDATE SET reordered_90 = reordered_90 + excluded.reordered_90,
           reordered_180 = reordered_180 + excluded.reordered_180, revenue_90_cents = revenue_90_cents + excluded.revenue_90_cents,
           revenue_180_cents = revenue_180_cents + excluded.revenue_180_cents`,
      )
      .bind(tenantId, debtorId, d.date, d.order_id, num(d.amount_cents)),
  );
  return [row, ...groups];
}
