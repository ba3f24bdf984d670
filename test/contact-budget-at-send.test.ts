/**
 * The README's clock loop (`for days in 7 7 6 5 10 ... advance`), run back to back without
 * waiting for the dispatch queue, must never put two messages to one debtor closer than the
 * contact budget allows: the budget is checked again when a message goes out, and each step is
 * timed from when the previous one actually went out. Sends held back by quiet hours are spread
 * over the morning (each debtor's own slot between 10:00 and 12:00), not all at 07:00.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { localParts } from "../workers/zoned-time";
import { fakeChannel } from "./fake-channel";
import { call, DAY, goLive, invoiceBody, newDebtorId, newTenant, register, settleDispatch, useAdapters } from "./helpers";

const HOUR = 3600_000;
const AMS = "Europe/Amsterdam";
const { max_per_week, min_hours_between } = DEFAULT_POLICY.contact_budget;
let restore = () => {};
afterEach(() => restore());

const advance = (body: Record<string, unknown>) => call(null, "POST", "/dev/clock/advance", body);

/** Clock times of every contact that went out to this debtor (messages and call tasks), in order. */
async function contactTimes(key: string, debtorId: string): Promise<{ at: number; channel: string }[]> {
  const res = await call(key, "GET", `/v1/debtors/${debtorId}`);
  const view = (await res.json()) as { timeline: { type: string; at: string; data: Record<string, unknown> }[] };
  return view.timeline
    .filter((e) => (e.type === "reminder.sent" || e.type === "call_task.created") && e.data.step !== "arrangement_confirmation")
    .map((e) => ({ at: Date.parse(e.at), channel: String(e.data.channel) }))
    .sort((a, b) => a.at - b.at);
}

/** Checks the budget over every pair of contacts, worked out from the policy's numbers alone. */
function expectWithinBudget(times: number[]): number {
  let pairs = 0;
  for (let i = 0; i < times.length; i++) {
    for (let j = i + 1; j < times.length; j++) {
      const gap = (times[j] ?? 0) - (times[i] ?? 0);
      expect(gap).toBeGreaterThanOrEqual(min_hours_between * HOUR);
      pairs++;
    }
    // At most `max_per_week` contacts in the 7 days that end with this one.
    const t = times[i] ?? 0;
    expect(times.filter((x) => x > t - 7 * DAY && x <= t).length).toBeLessThanOrEqual(max_per_week);
  }
  return pairs;
}

describe("the README's clock loop, back to back", { timeout: 60_000 }, () => {
  for (const mode of ["sandbox", "live"] as const) {
    it(`${mode}: every pair of messages to one debtor respects the contact budget`, async () => {
      const t = await newTenant();
      if (mode === "live") {
        // Live through the dispatch queue, which the loop does not wait for.
        restore = useAdapters(fakeChannel("email", "fake-mail"), fakeChannel("sms", "fake-sms"), fakeChannel("letter", "fake-post"));
        await goLive(t.key);
      }
      const d = newDebtorId();
      const body = await invoiceBody(d, -1);
      await register(t.key, { ...body, debtor: { ...body.debtor, phone: "+31612345678", address: { line1: "Dorpsstraat 3", postal_code: "3511 AA", city: "Utrecht", country: "NL" } } });
      // The README's walk-through: 3 days, then the loop, each call right after the previous one.
      for (const days of [3, 7, 7, 6, 5, 10]) expect((await advance({ days, at: "13:00" })).status).toBe(200);
      // Then keep going the same way until the ladder has played out.
      for (let i = 0; i < 14; i++) {
        await settleDispatch(t.id, d);
        await advance({ days: 3, at: "13:00" });
      }
      await settleDispatch(t.id, d);
      const contacts = await contactTimes(t.key, d);
      // The whole ladder reached the person: an email, the second reminder by SMS (the channel mix
      // tries the phone after an ignored email), the letter, the SMS and the call task.
      expect(contacts.map((c) => c.channel)).toEqual(["email", "sms", "letter", "sms", "call"]);
      expect(expectWithinBudget(contacts.map((c) => c.at))).toBe(10);
    });
  }

  it("sends held back by quiet hours go out spread over 10:00-12:00, each debtor in its own slot, never all at 07:00", async () => {
    const t = await newTenant();
    const debtors = Array.from({ length: 12 }, () => newDebtorId());
    for (const d of debtors) await register(t.key, await invoiceBody(d, -1));
    // Due while it is night: every first reminder is held back to the next morning.
    await advance({ days: 3, at: "21:30" });
    const slots: number[] = [];
    for (const d of debtors) {
      const view = (await (await call(t.key, "GET", `/v1/debtors/${d}`)).json()) as { next_step: { at: string } | null };
      const at = Date.parse(view.next_step?.at ?? "");
      const p = localParts(at, AMS);
      expect(p.hour * 60 + p.minute).toBeGreaterThanOrEqual(10 * 60);
      expect(p.hour * 60 + p.minute).toBeLessThan(12 * 60);
      slots.push(p.hour * 60 + p.minute);
    }
    // Twelve debtors, spread by a hash of their ids over 120 minutes: nearly all in their own minute.
    expect(new Set(slots).size).toBeGreaterThanOrEqual(10);
    // The next morning at 12:00 every one of them has had its reminder, each at or after its own slot.
    await advance({ days: 1, at: "12:00" });
    for (const d of debtors) {
      await settleDispatch(t.id, d);
      const [first] = await contactTimes(t.key, d);
      expect(first).toBeDefined();
    }
  });
});
