/**
 * What the dashboard's pages read from the rollup tables: known rows in, the figures worked out by
 * hand out (the week window, sums per step and channel, the segment filter, "paid within n days",
 * the median of a cohort's histogram, matured cohorts for customers kept, one tenant only).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { collectionValue, funnel, npsComments, overview } from "../workers/dashboard/queries";

// Wednesday 25 November 2026: the current week is Monday 2026-11-23, the 12 weeks start on
// 2026-09-07, 90 days back is in the week of 2026-08-24, 180 days back in that of 2026-05-25.
const NOW = Date.UTC(2026, 10, 25, 12);
const T = "figures";

async function arrange(tenant: string): Promise<void> {
  const run = (sql: string, ...values: unknown[]) => env.DB.prepare(sql).bind(...values);
  await env.DB.batch([
    run("INSERT INTO rollup_week (tenant_id, week, invoices_registered, paid_cents) VALUES (?, '2026-11-16', 3, 500)", tenant),
    run("INSERT INTO rollup_week (tenant_id, week, invoices_registered) VALUES (?, '2026-11-23', 1)", tenant),
    run("INSERT INTO rollup_week (tenant_id, week, invoices_registered) VALUES (?, '2026-08-31', 9)", tenant),
    run("INSERT INTO rollup_cohort (tenant_id, due_week, invoices, paid) VALUES (?, '2026-11-16', 4, 3)", tenant),
    run("INSERT INTO rollup_cohort_days (tenant_id, due_week, days, n) VALUES (?, '2026-11-16', -2, 1), (?, '2026-11-16', 5, 2)", tenant, tenant),
    run("INSERT INTO rollup_tenant (tenant_id, open_cents, open_invoices) VALUES (?, 1234, 2)", tenant),
    run(
      `INSERT INTO rollup_cycles (tenant_id, dim, key, end_week, cycles, reordered_90, recovered_cents) VALUES
         (?1, 'all', 'all', '2026-07-06', 2, 1, 100), (?1, 'all', 'all', '2026-11-16', 5, 0, 50), (?1, 'segment', 'standard', '2026-07-06', 7, 0, 70)`,
      tenant,
    ),
    run(
      `INSERT INTO rollup_funnel (tenant_id, week, segment, step, channel, sent, delivered, opened, clicked, failed, cost_cents) VALUES
         (?1, '2026-11-16', 'standard', 'reminder_1', 'email', 10, 9, 5, 2, 1, 10),
         (?1, '2026-11-23', 'hardship', 'reminder_1', 'email', 4, 4, 0, 0, 0, 4),
         (?1, '2026-11-16', 'standard', 'reminder_sms', 'sms', 3, 3, 0, 0, 0, 24),
         (?1, '2026-08-31', 'standard', 'reminder_1', 'email', 100, 100, 0, 0, 0, 100)`,
      tenant,
    ),
    run(
      `INSERT INTO rollup_paid_after (tenant_id, week, segment, step, channel, days, n) VALUES
         (?1, '2026-11-16', 'standard', 'reminder_1', 'email', 3, 2), (?1, '2026-11-16', 'standard', 'reminder_1', 'email', 9, 5)`,
      tenant,
    ),
    run("INSERT INTO channel_stats (tenant_id, segment, channel, successes, trials) VALUES (?1, 'standard', 'email', 3, 10), (?1, 'hardship', 'sms', 1, 2)", tenant),
    run(
      `INSERT INTO nps_responses (tenant_id, debtor_id, cycle, score, comment, segment, ladder, policy_version, variant, answered_at) VALUES
         (?1, 'd1', 1, 9, 'Fijn geholpen', 'standard', 'standard_nl', 1, 'none', 1000), (?1, 'd2', 1, 3, NULL, 'standard', 'standard_nl', 1, 'none', 2000)`,
      tenant,
    ),
  ]);
}

describe("the dashboard's figures", () => {
  it("are read from the rollups of this tenant, inside the period, summed as the pages say", async () => {
    await arrange(T);
    await arrange("someone-else");

    const o = await overview(env.DB, T, NOW, 12);
    expect(o.weeks.map((w) => w.week)).toHaveLength(12);
    expect(o.weeks[0]?.week).toBe("2026-09-07");
    expect(o.weeks.slice(10).map((w) => [w.week, w.invoices_registered, w.paid_cents, w.messages_sent])).toEqual([
      ["2026-11-16", 3, 500, 0],
      ["2026-11-23", 1, 0, 0],
    ]);
    expect(o.weeks.reduce((n, w) => n + w.invoices_registered, 0)).toBe(4);
    // Days to pay -2, 5, 5: the median is 5.
    expect(o.cohorts[10]).toEqual({ due_week: "2026-11-16", invoices: 4, paid: 3, cancelled: 0, handed_over: 0, median_days: 5 });
    expect(o.cohorts[11]).toEqual({ due_week: "2026-11-23", invoices: 0, paid: 0, cancelled: 0, handed_over: 0, median_days: null });
    expect([o.openCents, o.openInvoices]).toEqual([1234, 2]);
    // Only the "all" cycles that ended before the week of 2026-08-24 have matured.
    expect(o.kept).toEqual({ matured: 2, reordered: 1 });

    const f = await funnel(env.DB, T, NOW, { weeks: 12, segment: null, days: 7 });
    expect([...f.rows].sort((a, b) => a.step.localeCompare(b.step))).toEqual([
      { step: "reminder_1", channel: "email", sent: 14, delivered: 13, opened: 5, clicked: 2, failed: 1, cost_cents: 14, paid: 2 },
      { step: "reminder_sms", channel: "sms", sent: 3, delivered: 3, opened: 0, clicked: 0, failed: 0, cost_cents: 24, paid: 0 },
    ]);
    expect(f.mix.map((m) => `${m.week} ${m.channel} ${m.sent}`).sort()).toEqual(["2026-11-16 email 10", "2026-11-16 sms 3", "2026-11-23 email 4"]);
    expect(f.mix.map((m) => m.week)).toEqual([...f.mix.map((m) => m.week)].sort());
    expect(f.segments).toEqual(["hardship", "standard"]);
    expect(f.learned).toEqual([
      { segment: "hardship", channel: "sms", successes: 1, trials: 2 },
      { segment: "standard", channel: "email", successes: 3, trials: 10 },
    ]);
    const hardship = await funnel(env.DB, T, NOW, { weeks: 12, segment: "hardship", days: 60 });
    expect(hardship.rows).toEqual([{ step: "reminder_1", channel: "email", sent: 4, delivered: 4, opened: 0, clicked: 0, failed: 0, cost_cents: 4, paid: 0 }]);

    const value = await collectionValue(env.DB, T, NOW);
    expect(value.all).toEqual([
      expect.objectContaining({ key: "all", cycles: 7, recovered_cents: 150, matured_90: 2, reordered_90: 1, matured_180: 0, reordered_180: 0 }),
    ]);
    expect(value.segment).toEqual([expect.objectContaining({ key: "standard", cycles: 7, recovered_cents: 70, matured_90: 7, matured_180: 0 })]);
    expect(value.ladder).toEqual([]);

    expect(await npsComments(env.DB, T)).toEqual([{ debtor_id: "d1", score: 9, comment: "Fijn geholpen", segment: "standard", answered_at: 1000 }]);
  });
});
