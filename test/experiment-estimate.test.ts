/**
 * The sample estimate at creation comes from the shop's own history: the base rate is the share of
 * debtors who got this template on this channel in the last 90 days and paid in full or agreed an
 * arrangement within the window, the volume is the debtors a day who got it in the last 28 days.
 * The history is written straight into D1's outcome events, so every count below is known.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { estimateSample } from "../workers/experiments/stats";
import { saveVariant } from "./experiments";
import { call, newTenant } from "./helpers";

const DAY = 24 * 3600_000;

interface HistoryEvent {
  debtor: string;
  type: string;
  at: number;
  data: Record<string, unknown>;
}

async function writeHistory(tenantId: string, events: HistoryEvent[]): Promise<void> {
  await env.DB.batch(
    events.map((e, i) =>
      env.DB.prepare("INSERT INTO outcome_events (id, tenant_id, debtor_id, invoice_id, type, occurred_at, data) VALUES (?, ?, ?, NULL, ?, ?, ?)").bind(
        `hist_${tenantId}_${i}`, tenantId, e.debtor, e.type, e.at, JSON.stringify(e.data),
      ),
    ),
  );
}

const sent = (debtor: string, at: number, template = "reminder-friendly", channel = "email"): HistoryEvent => ({ debtor, type: "reminder.sent", at, data: { template, channel, segment: "standard", step: "reminder_1" } });
const paid = (debtor: string, at: number): HistoryEvent => ({ debtor, type: "invoice.closed", at, data: { reason: "paid" } });
const arranged = (debtor: string, at: number): HistoryEvent => ({ debtor, type: "arrangement.created", at, data: {} });

describe("the sample estimate at creation", () => {
  it("reads the base rate and the volume from the shop's own history, and counts only what the metric counts", async () => {
    const t = await newTenant();
    const clock = (await (await call(null, "GET", "/dev/clock")).json()) as { now: string };
    const now = Date.parse(clock.now);
    const events: HistoryEvent[] = [];
    // 40 debtors got the first reminder by email, one a day from 59.5 days ago to 20.5 days ago
    // (half days, so no one sits on the 28-day edge of the volume).
    const sentAt = (i: number) => now - (60 - i) * DAY + DAY / 2;
    for (let i = 0; i < 40; i++) events.push(sent(`h-${i}`, sentAt(i)));
    // Counted (11): 8 paid within the 7-day window, 3 agreed an arrangement within it.
    for (let i = 0; i < 8; i++) events.push(paid(`h-${i}`, sentAt(i) + 3 * DAY));
    for (let i = 8; i < 11; i++) events.push(arranged(`h-${i}`, sentAt(i) + 6 * DAY));
    // Not counted: paid after the window, and a payment before the reminder.
    events.push(paid("h-20", sentAt(20) + 9 * DAY));
    events.push(paid("h-21", sentAt(21) - DAY));
    // Not in the history at all: another template, another channel, older than 90 days.
    events.push(sent("other-template", now - 30 * DAY, "reminder-second"), paid("other-template", now - 29 * DAY));
    events.push(sent("other-channel", now - 30 * DAY, "reminder-friendly", "sms"), paid("other-channel", now - 29 * DAY));
    events.push(sent("too-old", now - 100 * DAY), paid("too-old", now - 99 * DAY));
    // The volume: debtors who got it in the last 28 days: h-32 .. h-39 (8), plus 6 sent so recently
    // that their window has not closed (in the volume, not in the base rate).
    for (let i = 0; i < 6; i++) events.push(sent(`recent-${i}`, now - (i + 1) * DAY), paid(`recent-${i}`, now - (i + 1) * DAY + DAY));
    await writeHistory(t.id, events);

    const v = await saveVariant(t.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: een klein seintje" });
    const res = await call(t.key, "POST", "/v1/experiments", {
      name: "estimate", template: "reminder-friendly", channel: "email", locales: ["nl-NL"],
      variants: [{ key: "control", control: true, weight: 3 }, { key: "warm", weight: 1, versions: { "nl-NL": v } }],
      primary_metric: { kind: "paid_or_arrangement", window_days: 7 }, duration_days: 30, minimum_detectable_effect: 0.1,
    });
    expect(res.status).toBe(201);
    const { estimate } = (await res.json()) as { estimate: { base_rate: number; base_rate_source: string; daily_volume: number; per_variant: number; total: number; days: number } };
    const baseRate = 11 / 40;
    const volume = (8 + 6) / 28;
    const perVariant = estimateSample({ baseRate, mde: 0.1, variants: 2, alpha: 0.05, power: 0.8, dailyVolume: volume }).perVariant;
    expect(estimate).toEqual({
      base_rate: 0.275,
      base_rate_source: "history",
      daily_volume: 0.5,
      per_variant: perVariant,
      // The smallest variant gets a quarter of the debtors: it sets the total and the days.
      total: 4 * perVariant,
      days: Math.ceil(perVariant / (0.25 * volume)),
    });
  });

  it("says the base rate is assumed when the history is too short", async () => {
    const t = await newTenant();
    const clock = (await (await call(null, "GET", "/dev/clock")).json()) as { now: string };
    const now = Date.parse(clock.now);
    await writeHistory(t.id, Array.from({ length: 29 }, (_, i) => sent(`s-${i}`, now - (40 - i) * DAY)));
    const v = await saveVariant(t.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: een klein seintje" });
    const res = await call(t.key, "POST", "/v1/experiments", {
      name: "short", template: "reminder-friendly", channel: "email", locales: ["nl-NL"],
      variants: [{ key: "control", control: true }, { key: "warm", versions: { "nl-NL": v } }],
      primary_metric: { kind: "paid_or_arrangement", window_days: 7 }, duration_days: 30, minimum_detectable_effect: 0.1,
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { estimate: unknown }).estimate).toMatchObject({ base_rate: 0.3, base_rate_source: "assumed" });
  });
});
