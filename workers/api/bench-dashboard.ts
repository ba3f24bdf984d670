/**
 * Benchmark routes for `npm run bench:dashboard` (bench/dashboard.mjs), off unless KINDLY_BENCH=on:
 * load synthetic outcome events into D1 through the same statements the flush runs (the event's
 * insert and `rollupStatements`), then time the overview's and the funnel's queries (exactly the
 * statements the pages run) against a bare single-row D1 read, and against a scan of the events.
 */
import { and, eq, gte, sql } from "drizzle-orm";
import { Hono } from "hono";
import { outcomeEvents, rollupTenant } from "../../schema/d1";
import { db } from "../db";
import { rollupStatements, type FlushedEvent } from "../dashboard/rollups";
import { funnelStatements, overviewStatements } from "../dashboard/queries";
import type { AppEnv } from "../app";

export const benchDashboard = new Hono<AppEnv>();
const TENANT = "bench";
const WEEK = 7 * 86_400_000;
const STEPS = [
  ["reminder_1", "email"],
  ["reminder_2", "email"],
  ["fourteen_day_letter", "letter"],
  ["reminder_sms", "sms"],
] as const;
const SEGMENTS = ["standard", "first_time_late", "often_late", "high_amount", "hardship"];

benchDashboard.use("*", async (c, next) => {
  if (c.env.KINDLY_BENCH !== "on") return c.json({ code: "not_found" }, 404);
  await next();
});

/** A small seeded generator (mulberry32), so every run loads the same events. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The events of one debtor's cycle: registered, reminders with delivery and clicks, paid or not, the end, sometimes NPS and an order. */
function debtorEvents(n: number, now: number): { debtor: string; events: FlushedEvent[] } {
  const r = rng(n + 1);
  const debtor = `d${n}`;
  const start = now - Math.floor(r() * 26) * WEEK - Math.floor(r() * WEEK);
  const due = new Date(start).toISOString().slice(0, 10);
  const segment = SEGMENTS[Math.floor(r() * SEGMENTS.length)] as string;
  const amount = 1000 + Math.floor(r() * 20_000);
  const events: FlushedEvent[] = [];
  const ev = (type: string, at: number, data: Record<string, unknown>) => events.push({ id: `evt_${debtor}_${events.length}`, type, invoice_id: `inv_${debtor}`, at, data: JSON.stringify(data) });
  ev("invoice.registered", start, { amount_cents: amount, due_date: due });
  const steps = 1 + Math.floor(r() * 4);
  let at = start + 3 * 86_400_000;
  for (let s = 0; s < steps; s++) {
    const [step, channel] = STEPS[s] as (typeof STEPS)[number];
    ev("reminder.sent", at, { step, channel, segment, cost_cents: channel === "letter" ? 120 : channel === "sms" ? 8 : 1, message_at: at });
    if (r() < 0.95) ev("channel.delivered", at + 60_000, { step, channel, segment, message_at: at });
    if (r() < 0.3) ev("channel.clicked", at + 3_600_000, { step, channel, segment, message_at: at });
    at += 7 * 86_400_000;
  }
  const paid = r() < 0.7;
  const end = at - 5 * 86_400_000;
  if (paid) {
    ev("payment.received", end, { amount_cents: amount });
    ev("invoice.closed", end, { reason: "paid", due_date: due, amount_cents: amount });
    ev("channel.success", end, { segment, channel: "email", step: "reminder_1", outcome: "paid", sent_at: start + 3 * 86_400_000 });
    const endDate = new Date(end).toISOString().slice(0, 10);
    ev("cycle.ended", end, { cycle: 1, end_date: endDate, outcome: "paid", ended_well: true, segment, ladder: "standard_nl", policy_version: 1, variant: "none", principal_cents: amount, recovered_cents: amount, costs_cents: steps, lead_days: 10, messages: steps });
    if (r() < 0.2) ev("nps.answered", end + 86_400_000, { cycle: 1, score: Math.floor(r() * 11), comment: null, segment, ladder: "standard_nl", policy_version: 1, variant: "none", end_date: endDate });
    if (r() < 0.3) ev("order.reported", end + 2 * 86_400_000, { order_id: `o${n}`, date: new Date(end + 20 * 86_400_000).toISOString().slice(0, 10), amount_cents: 2_500 });
  } else if (steps === 4) {
    ev("invoice.handover_ready", at, { due_date: due, principal_cents: amount });
  }
  return { debtor, events };
}

// Loads the events of debtors [from, to): each event's insert followed by its rollup statements, as
// the flush does (raw D1 statements, like workers/debtor/flush.ts, which is not on drizzle yet).
benchDashboard.post("/load", async (c) => {
  const { from, to, now } = await c.req.json<{ from: number; to: number; now: number }>();
  const db = c.env.DB;
  let statements: D1PreparedStatement[] = [];
  let events = 0;
  for (let n = from; n < to; n++) {
    const { debtor, events: list } = debtorEvents(n, now);
    for (const e of list) {
      statements.push(
        db.prepare("INSERT OR IGNORE INTO outcome_events (id, tenant_id, debtor_id, invoice_id, type, occurred_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)").bind(e.id, TENANT, debtor, e.invoice_id, e.type, e.at, e.data),
        ...rollupStatements(db, TENANT, debtor, e),
      );
      events++;
    }
    if (statements.length > 2000) {
      await db.batch(statements);
      statements = [];
    }
  }
  if (statements.length) await db.batch(statements);
  return c.json({ events });
});

benchDashboard.get("/overview", async (c) => {
  const now = Number(c.req.query("now"));
  const d = db(c.env.DB);
  const res = await d.batch(overviewStatements(d, TENANT, now, 12));
  return c.json({ rows: res.reduce((s, r) => s + r.length, 0) });
});

benchDashboard.get("/funnel", async (c) => {
  const now = Number(c.req.query("now"));
  const d = db(c.env.DB);
  const res = await d.batch(funnelStatements(d, TENANT, now, 12, null, 7));
  return c.json({ rows: res.reduce((s, r) => s + r.length, 0) });
});

// The baseline: one row by its primary key (through drizzle too, as the pages read).
benchDashboard.get("/one-row", async (c) =>
  c.json(
    (await db(c.env.DB)
      .select({ open_cents: rollupTenant.openCents })
      .from(rollupTenant)
      .where(eq(rollupTenant.tenantId, TENANT))
      .get()) ?? null,
  ),
);

// For contrast: the overview's weekly counts computed by scanning the events (what the rollups avoid).
benchDashboard.get("/scan", async (c) => {
  const now = Number(c.req.query("now"));
  const e = outcomeEvents;
  const results = await db(c.env.DB)
    .select({
      week: sql<number>`(${e.occurredAt} / 604800000)`.as("week"),
      registered: sql<number>`SUM(${e.type} = 'invoice.registered')`,
      closed: sql<number>`SUM(${e.type} = 'invoice.closed')`,
      sent: sql<number>`SUM(${e.type} = 'reminder.sent')`,
    })
    .from(e)
    .where(and(eq(e.tenantId, TENANT), gte(e.occurredAt, now - 12 * WEEK)))
    .groupBy(sql`week`)
    .all();
  return c.json({ rows: results.length });
});
