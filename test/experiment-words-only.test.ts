/**
 * An experiment changes words only: the same debtors, registered at the same moment in a shop
 * with an experiment running and in a shop without, get the same steps on the same channels at
 * the same times over the whole ladder (the 14-day letter included), and the channel mix's
 * learning (`channel_stats`) counts the same trials and successes. Both shops are live (fake
 * providers), as a sandboxed message teaches the mix nothing, and every debtor can be reached by
 * email, SMS and post, so the mix has real choices to make from what it learnt. If variants moved
 * a step, its timing or its channel, or fed the mix per variant, the two shops would differ.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { advanceDays, saveVariant, startExperiment } from "./experiments";
import { fakeChannel } from "./fake-channel";
import { call, goLive, invoiceBody, newDebtorId, newTenant, register, settleDispatch, useAdapters } from "./helpers";

let restore: (() => void) | null = null;
afterEach(() => restore?.());

interface Sent {
  debtor: string;
  step: string;
  channel: string;
  at: number;
  variant: string | null;
}

async function sentMessages(tenantId: string): Promise<Sent[]> {
  const { results } = await env.DB.prepare("SELECT debtor_id, occurred_at, data FROM outcome_events WHERE tenant_id = ? AND type = 'reminder.sent' ORDER BY debtor_id, occurred_at")
    .bind(tenantId)
    .all<{ debtor_id: string; occurred_at: number; data: string }>();
  return results.map((r) => {
    const d = JSON.parse(r.data) as { step?: string; channel?: string; variant?: string };
    return { debtor: r.debtor_id, step: d.step ?? "", channel: d.channel ?? "", at: r.occurred_at, variant: d.variant ?? null };
  });
}

const channelStats = async (tenantId: string) =>
  (await env.DB.prepare("SELECT segment, channel, successes, trials FROM channel_stats WHERE tenant_id = ? ORDER BY segment, channel").bind(tenantId).all()).results;

describe("an experiment changes words only", () => {
  it("the same debtors get the same steps, channels and send times with or without it, and channel_stats counts the same", { timeout: 150_000 }, async () => {
    restore = useAdapters(fakeChannel("email", "fake-mail"), fakeChannel("sms", "fake-sms"), fakeChannel("letter", "fake-post"));
    const withTest = await newTenant();
    const without = await newTenant();
    for (const t of [withTest, without]) await goLive(t.key);
    const v = await saveVariant(withTest.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: variant b" });
    await startExperiment(withTest.key, { variants: [{ key: "control", control: true }, { key: "b", versions: { "nl-NL": v } }] });

    const debtors = Array.from({ length: 8 }, () => newDebtorId());
    const invoices: Record<string, Record<string, string>> = { [withTest.id]: {}, [without.id]: {} };
    for (const d of debtors) {
      const plain = await invoiceBody(d, -1);
      const body = { ...plain, debtor: { ...plain.debtor, phone: "+31612345678", address: { line1: "Dorpsstraat 3", postal_code: "3511 AA", city: "Utrecht", country: "NL" } } };
      for (const t of [withTest, without]) {
        const inv = await register(t.key, { ...body });
        (invoices[t.id] as Record<string, string>)[d] = inv.id;
      }
    }
    // Three debtors pay after their first reminder, in both shops on the same day: successes for the mix.
    for (let day = 1; day <= 24; day++) {
      await advanceDays(1);
      for (const d of debtors) for (const t of [withTest, without]) await settleDispatch(t.id, d);
      if (day !== 5) continue;
      for (const d of debtors.slice(0, 3)) {
        for (const t of [withTest, without]) expect((await call(t.key, "POST", `/v1/invoices/${invoices[t.id]?.[d]}/payments`, { amount_cents: 4995 })).status).toBe(200);
      }
    }

    const a = await sentMessages(withTest.id);
    const b = await sentMessages(without.id);
    // The experiment ran: both variants reached someone in the first shop, nobody in the second.
    expect(new Set(a.map((m) => m.variant).filter(Boolean))).toEqual(new Set(["control", "b"]));
    expect(b.every((m) => m.variant === null)).toBe(true);
    // The whole ladder, past the first reminder: later steps are what could move.
    expect(new Set(b.map((m) => m.step)).size).toBeGreaterThanOrEqual(3);
    // To the hour: a send is stamped when the dispatch queue delivered it, moments apart in the two shops.
    const plan = (xs: Sent[]) => xs.map(({ debtor, step, channel, at }) => ({ debtor, step, channel, hour: Math.floor(at / 3600_000) }));
    expect(plan(a)).toEqual(plan(b));
    const stats = await channelStats(without.id);
    expect(stats.length).toBeGreaterThan(0);
    expect(await channelStats(withTest.id)).toEqual(stats);
  });
});
