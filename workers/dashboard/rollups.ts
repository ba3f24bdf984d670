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
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { debtorCycles, debtorOrders, npsResponses, rollupCohort, rollupCohortDays, rollupCycles, rollupFunnel, rollupPaidAfter, rollupTenant, rollupWeek } from "../../schema/d1";
import { toD1 } from "../db";
import { dayOf as dayIn, daysBetween, weekOf, weekOfDate } from "./weeks";

/** An event as the DebtorDO flushes it. */
export interface FlushedEvent {
  id: string;
  type: string;
  invoice_id: string | null;
  at: number;
  data: string;
}

type Data = Record<string, unknown>;
/** A row of `T` as written: its columns by their schema names. */
type Insert<T extends SQLiteTable> = T["$inferInsert"];
/** The counter columns of `T` (integer columns outside the key). */
type Counters<T extends SQLiteTable> = Partial<{ [K in keyof Insert<T>]: number }>;

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

/** The SQL names of the given properties of `table`'s columns, in the order given. */
function columnsOf<T extends SQLiteTable>(table: T, props: string[]): SQL[] {
  const columns: Record<string, { name: string }> = getTableColumns(table);
  return props.map((p) => {
    const column = columns[p];
    if (!column) throw new Error(`rollups: ${p} is not a column of the table`);
    return sql`${sql.identifier(column.name)}`;
  });
}

// Raw SQL (drizzle's `sql`, over the schema's tables and columns): every statement here is an
// INSERT ... SELECT ... WHERE changes() = 1, gated on the statement before it in the flush's batch,
// which drizzle's insert builder cannot say. Rows are typed by the schema (`Insert<T>`); the
// statements are compiled to plain D1 statements because the flush still batches those.

/** Inserts one row, only when the statement before it changed a row; an existing row stays (and ends the chain). */
function insertIfChanged<T extends SQLiteTable>(db: D1Database, table: T, row: Insert<T>): D1PreparedStatement {
  const props = Object.keys(row);
  const values = Object.values(row).map((v: unknown) => sql`${v}`);
  return toD1(db, sql`INSERT INTO ${table} (${sql.join(columnsOf(table, props), sql`, `)}) SELECT ${sql.join(values, sql`, `)} WHERE changes() = 1 ON CONFLICT DO NOTHING`);
}

/** An upsert that adds `add` to the row at `key`, only when the statement before it changed a row. */
function bump<T extends SQLiteTable>(db: D1Database, table: T, key: Partial<Insert<T>>, add: Counters<T>): D1PreparedStatement {
  const keys = columnsOf(table, Object.keys(key));
  const counters = columnsOf(table, Object.keys(add));
  const values = [...Object.values(key), ...Object.values(add)].map((v: unknown) => sql`${v}`);
  const sets = counters.map((c) => sql`${c} = ${c} + excluded.${c}`);
  return toD1(
    db,
    sql`INSERT INTO ${table} (${sql.join([...keys, ...counters], sql`, `)}) SELECT ${sql.join(values, sql`, `)} WHERE changes() = 1 ON CONFLICT (${sql.join(keys, sql`, `)}) DO UPDATE SET ${sql.join(sets, sql`, `)}`,
  );
}

/** The weekly counter that an event type adds one to. */
const WEEKLY_COUNT: Record<string, keyof Insert<typeof rollupWeek>> = {
  "invoice.handover_ready": "handovers",
  "debtor.help_requested": "helpRequests",
  "debtor.disputed": "disputes",
  "debtor.already_paid": "alreadyPaid",
  "arrangement.created": "arrangements",
  "channel.complained": "complaints",
};
const FUNNEL_COUNT: Record<string, keyof Insert<typeof rollupFunnel>> = { "channel.delivered": "delivered", "channel.opened": "opened", "channel.clicked": "clicked", "reminder.failed": "failed" };
const SENT_TYPES = new Set(["reminder.sent", "call_task.created"]);

/** NPS: 9-10 promoters, 7-8 passives, 0-6 detractors. */
export function npsClass(score: number): "npsPromoters" | "npsPassives" | "npsDetractors" {
  return score >= 9 ? "npsPromoters" : score >= 7 ? "npsPassives" : "npsDetractors";
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
  const weekly = (add: Counters<typeof rollupWeek>) => bump(db, rollupWeek, { tenantId, week }, add);
  const tenant = (add: Counters<typeof rollupTenant>) => bump(db, rollupTenant, { tenantId }, add);
  const cohort = (due: string, add: Counters<typeof rollupCohort>) => bump(db, rollupCohort, { tenantId, dueWeek: weekOfDate(due) }, add);

  if (e.type === "invoice.registered") {
    const cents = num(d.amount_cents);
    return [
      weekly({ invoicesRegistered: 1, registeredCents: cents }),
      tenant({ openCents: cents, openInvoices: 1 }),
      ...(isDay(d.due_date) ? [cohort(d.due_date, { invoices: 1 })] : []),
    ];
  }
  if (e.type === "payment.received") {
    const cents = num(d.amount_cents);
    return [weekly({ paidCents: cents }), tenant({ openCents: -cents })];
  }
  if (e.type === "invoice.closed") {
    const due = isDay(d.due_date) ? d.due_date : null;
    if (d.reason === "paid") {
      const days = due ? clamp(daysBetween(due, dayIn(e.at)), COHORT_DAYS) : null;
      return [
        weekly({ invoicesPaid: 1 }),
        tenant({ openInvoices: -1 }),
        ...(due && days !== null ? [cohort(due, { paid: 1 }), bump(db, rollupCohortDays, { tenantId, dueWeek: weekOfDate(due), days }, { n: 1 })] : []),
      ];
    }
    return [
      weekly({ invoicesCancelled: 1 }),
      tenant({ openInvoices: -1, openCents: -num(d.outstanding_cents) }),
      ...(due ? [cohort(due, { cancelled: 1 })] : []),
    ];
  }
  if (SENT_TYPES.has(e.type) || FUNNEL_COUNT[e.type]) return funnelStatements(db, tenantId, e, d, week);
  if (e.type === "channel.success") {
    const sentAt = typeof d.sent_at === "number" ? d.sent_at : null;
    if (sentAt === null) return [];
    const days = clamp(daysBetween(dayIn(sentAt), dayIn(e.at)), [0, PAID_AFTER_MAX_DAYS]);
    return [
      bump(db, rollupPaidAfter, { tenantId, week: weekOf(sentAt), segment: str(d.segment, "unknown"), step: str(d.step, "unknown"), channel: str(d.channel, "unknown"), days }, { n: 1 }),
    ];
  }
  if (e.type === "invoice.handover_ready" && isDay(d.due_date)) return [weekly({ handovers: 1 }), cohort(d.due_date, { handedOver: 1 })];
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
  const key = { tenantId, week, segment: str(d.segment, "unknown"), step: str(d.step, "unknown"), channel: str(d.channel, "unknown") };
  const counter = FUNNEL_COUNT[e.type];
  if (!SENT_TYPES.has(e.type)) return counter ? [bump(db, rollupFunnel, key, { [counter]: 1 })] : [];
  const cost = num(d.cost_cents);
  return [bump(db, rollupFunnel, key, { sent: 1, costCents: cost }), bump(db, rollupWeek, { tenantId, week: eventWeek }, { messagesSent: 1, costsCents: cost })];
}

/** The key of an ended cycle (or its NPS answer) for each grouping. */
function dimKeys(d: Data): Record<CycleDim, string> {
  return { all: "all", segment: str(d.segment, "none"), ladder: str(d.ladder, "none"), policy: String(num(d.policy_version)), variant: str(d.variant, "none") };
}

// The two rollup_cycles upserts below stay plain SQL on purpose: each reuses its numbered
// parameters (?1 tenant, ?2 debtor, ?3 date) across four correlated subqueries, and spelled with
// drizzle's builder they would be longer and no safer; their columns are checked by
// test/chain-kpis.test.ts and the schema check (test/schema-matches-migrations.test.ts).

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
  const row = insertIfChanged(db, debtorCycles, {
    tenantId,
    debtorId,
    cycle: d.cycle,
    endedAt: e.at,
    endDate: d.end_date,
    endWeek,
    outcome: str(d.outcome, "paid"),
    segment: str(d.segment, "none"),
    ladder: str(d.ladder, "none"),
    policyVersion: num(d.policy_version),
    variant: str(d.variant, "none"),
    principalCents: num(d.principal_cents),
    recoveredCents: num(d.recovered_cents),
    costsCents: num(d.costs_cents),
    leadDays: num(d.lead_days),
  });
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
  const row = insertIfChanged(db, npsResponses, {
    tenantId,
    debtorId,
    cycle: d.cycle,
    score,
    comment: typeof d.comment === "string" ? d.comment : null,
    segment: keys.segment,
    ladder: keys.ladder,
    policyVersion: num(d.policy_version),
    variant: keys.variant,
    answeredAt: e.at,
  });
  const cls = npsClass(score);
  const endWeek = isDay(d.end_date) ? weekOfDate(d.end_date) : week;
  return [
    row,
    bump(db, rollupWeek, { tenantId, week }, { [cls]: 1 }),
    ...CYCLE_DIMS.map(([dim]) => bump(db, rollupCycles, { tenantId, dim, key: keys[dim], endWeek }, { [cls]: 1 })),
  ];
}

/**
 * A later order: stored once per order id, then counted for the latest cycle of the debtor that
 * ended before its date, within 180 days: its revenue, and the cycle as "ordered again" when no
 * other order counted for that cycle before. Without such a cycle the chain ends at 0.
 */
function orderStatements(db: D1Database, tenantId: string, debtorId: string, e: FlushedEvent, d: Data): D1PreparedStatement[] {
  if (!isDay(d.date) || typeof d.order_id !== "string") return [];
  const row = insertIfChanged(db, debtorOrders, { tenantId, orderId: d.order_id, debtorId, orderDate: d.date, amountCents: num(d.amount_cents), reportedAt: e.at });
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
