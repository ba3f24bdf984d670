/**
 * Debtor journeys end to end: the API or the signed-link page changes something, time moves,
 * alarms fire, and we look at what the person would receive (the sandbox outbox) and what the
 * merchant would see (GET /v1/debtors/{id}). The clock is shared by this file and only moves
 * forward: every test uses its own tenant and debtors and dates relative to the clock.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { advanceClock, loadClock } from "../workers/clock";
import { INSTALMENT_GRACE_DAYS } from "../workers/debtor/actions";
import { INSTALMENT_REMINDER_DAYS } from "../workers/debtor/messages";
import { debtorLinkSecret, signDebtorLink } from "../workers/links";
import { isPublicHoliday, weekday } from "../workers/policy/calendar";
import { addDays, addMonths, localParts, zonedTimeToEpoch } from "../workers/zoned-time";
import { advanceTo, call, DAY, invoiceBody, newDebtorId, newTenant, openDebtorPage, register, settleDispatch, stubOf, today } from "./helpers";

const AMS = "Europe/Amsterdam";
const BRU = "Europe/Brussels";
const PHONE = "+31612345678";
const ADDRESS_NL = { line1: "Dorpsstraat 1", postal_code: "1234 AB", city: "Utrecht", country: "NL" };
const ADDRESS_BE = { line1: "Kerkstraat 1", postal_code: "9000", city: "Gent", country: "BE" };

type Tenant = { id: string; key: string };
type Stub = ReturnType<typeof stubOf>;

interface Why {
  segment: string;
  segment_reasons: string[];
  ladder: string;
  channel_scores: { channel: string; expected_success: number; sampled: number; cost_cents: number; score: number; excluded: string | null }[];
  limits: string[];
  announced_costs_cents: number;
  chargeable_costs_cents: number;
  term_end_date: string | null;
}
interface DebtorJson {
  next_step: { key: string; kind: string; channel: string; channels: string[]; at: string; why: Why } | null;
  paused: { kind: string } | null;
  pauses: { kind: string; from: string; until: string | null }[];
  instalments: { seq: number; due_date: string; amount_cents: number; status: string }[];
  timeline: { at: string; type: string; data: Record<string, unknown> }[];
}
interface Msg {
  channel: string;
  subject: string;
  text: string;
  html: string;
  created_at: number;
}

// ---------- time ----------

const clockNow = async () => (await loadClock(env)).now();
const localDay = (ms: number, tz = AMS) => localParts(ms, tz).date;

/** Moves the shared clock to an absolute clock time; never backwards. */
async function moveClockTo(target: number): Promise<void> {
  const now = await clockNow();
  if (target <= now) throw new Error(`cannot move the clock back to ${new Date(target).toISOString()}`);
  await advanceClock(env, target - now);
}
/** Moves the clock to `hour`:`minute` on `day` in Amsterdam. */
const moveToLocal = (day: string, hour: number, minute = 0, tz = AMS) => moveClockTo(zonedTimeToEpoch(day, hour, minute, tz));
/** `day`, or the first day after it on which reminders may go out (no Sunday, no NL holiday). */
function sendableOnOrAfter(day: string): string {
  let d = day;
  while (weekday(d) === 0 || isPublicHoliday(d, "NL")) d = addDays(d, 1);
  return d;
}

/** `day`, or the last day before it on which reminders may go out. */
function sendableOnOrBefore(day: string): string {
  let d = day;
  while (weekday(d) === 0 || isPublicHoliday(d, "NL")) d = addDays(d, -1);
  return d;
}

/** Fires the alarm and runs whatever is due (as the sweep would). */
async function fire(stub: Stub): Promise<void> {
  await runDurableObjectAlarm(stub);
  await stub.tick();
}

// ---------- what people see ----------

/** What reached the sandbox outbox, once the dispatch queue has handed over everything it was given. */
async function messages(tenantId: string, debtorId: string): Promise<Msg[]> {
  await settleDispatch(tenantId, debtorId);
  const { results } = await env.DB.prepare("SELECT channel, subject, text, html, created_at FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ? ORDER BY created_at, rowid")
    .bind(tenantId, debtorId)
    .all<Msg>();
  return results;
}
/** Text as a reader sees it: Intl's no-break spaces as spaces, line wrapping undone. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ");

async function debtorOf(key: string, id: string): Promise<DebtorJson> {
  const res = await call(key, "GET", `/v1/debtors/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as DebtorJson;
}
const eventsOf = (view: DebtorJson, type: string) => view.timeline.filter((e) => e.type === type);

// ---------- the debtor's and the merchant's ways to act ----------

async function linkToken(tenantId: string, debtorId: string): Promise<string> {
  const secret = debtorLinkSecret(env);
  if (!secret) throw new Error("no link secret in development mode");
  return signDebtorLink(secret, { tenantId, debtorId, exp: (await clockNow()) + 400 * DAY });
}
type Say = (t: Tenant, debtorId: string, body: Record<string, unknown>) => Promise<Response>;
const viaLink: Say = async (t, debtorId, body) => call(null, "POST", `/d/${await linkToken(t.id, debtorId)}/actions`, body);
const viaApi: Say = (t, debtorId, body) => call(t.key, "POST", `/v1/debtors/${debtorId}/actions`, body);

/** An invoice body with extra debtor fields (phone, address, locale ...). */
async function invoiceFor(debtorId: string, dueInDays: number, debtor: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  const body = await invoiceBody(debtorId, dueInDays, overrides);
  return { ...body, debtor: { ...body.debtor, ...debtor } };
}

async function problemFields(res: Response): Promise<string[]> {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = (await res.json()) as { errors?: { field: string }[] };
  return (body.errors ?? []).map((e) => e.field);
}

const longDate = (day: string, locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

describe("I already paid", () => {
  it.each([
    ["on the signed-link page", viaLink, "debtor"],
    ["through the merchant API", viaApi, "merchant"],
  ] as const)("said %s: no reminder for 7 days, then one that kindly acknowledges it, once", async (_how, say, source) => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1)); // reminder_1 would go out in two days
    const stub = stubOf(t.id, d);

    const saidAt = await clockNow();
    const res = await say(t, d, { action: "already_paid" });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { ok: boolean; until: string };
    const until = Date.parse(answer.until);
    // The default policy's already_paid_pause_days is 7.
    expect(until - saidAt).toBeGreaterThanOrEqual(7 * DAY);
    expect(until - saidAt).toBeLessThan(7 * DAY + 5 * 60_000);

    let view = await debtorOf(t.key, d);
    expect(eventsOf(view, "debtor.already_paid")[0]?.data.source).toBe(source);
    expect(Date.parse(view.next_step?.at ?? "")).toBeGreaterThanOrEqual(until);

    // Alarms fire during the pause, also after reminder_1 would have been due: nothing is sent.
    for (const day of [3, 6]) {
      await moveToLocal(sendableOnOrBefore(addDays(localDay(saidAt), day)), 19);
      await fire(stub);
      expect(await messages(t.id, d)).toHaveLength(0);
    }

    // The first sending day after the pause: the reminder comes, with the acknowledgement.
    await moveToLocal(sendableOnOrAfter(addDays(localDay(until), 1)), 13);
    await fire(stub);
    const [first] = await messages(t.id, d);
    expect(first?.channel).toBe("email");
    // The "already paid" follow-up: thanks, we are checking (its own template, not the generic reminder).
    const ack = `liet u ons weten dat u uw factuur bij`;
    expect(plain(first?.text ?? "")).toContain(ack);
    expect(plain(first?.text ?? "")).toContain("We kijken het na.");

    // The next reminder does not repeat it.
    await advanceTo(8);
    await fire(stub);
    const sent = await messages(t.id, d);
    expect(sent).toHaveLength(2);
    expect(plain(sent[1]?.text ?? "")).not.toContain(ack);
    view = await debtorOf(t.key, d);
    expect(eventsOf(view, "reminder.sent")).toHaveLength(2);
  });
});

describe("choosing a payment date", () => {
  it("a date within the limit: nothing until just after it, then the ladder resumes", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const stub = stubOf(t.id, d);
    const date = addDays(await today(), 12);

    const res = await viaLink(t, d, { action: "payment_date", date });
    expect(res.status).toBe(200);
    const view = await debtorOf(t.key, d);
    expect(eventsOf(view, "debtor.payment_date_chosen")[0]?.data.date).toBe(date);
    // Planned no earlier than the morning after the chosen date.
    expect(localDay(Date.parse(view.next_step?.at ?? ""))).toBe(sendableOnOrAfter(addDays(date, 1)));

    // reminder_1 was due in two days; through the chosen date itself nothing goes out.
    await advanceTo(3);
    await fire(stub);
    await moveToLocal(sendableOnOrBefore(date), 19);
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(0);

    // Just after the date: the first reminder.
    await moveToLocal(sendableOnOrAfter(addDays(date, 1)), 13);
    await fire(stub);
    expect((await messages(t.id, d)).map((m) => m.channel)).toEqual(["email"]);

    // And the ladder goes on: reminder_2 a week later.
    await advanceTo(7);
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(2);
  });

  it.each([
    ["on the signed-link page", viaLink],
    ["through the merchant API", viaApi],
  ] as const)("a date beyond the limit (30 days) is refused %s with 422 naming date", async (_how, say) => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const res = await say(t, d, { action: "payment_date", date: addDays(await today(), 31) });
    expect(res.status).toBe(422);
    expect(await problemFields(res)).toContain("date");
    // Nothing changed: no pause, the ladder still plans reminder_1.
    const view = await debtorOf(t.key, d);
    expect(view.pauses).toHaveLength(0);
    expect(view.next_step?.key).toBe("reminder_1");
  });
});

describe("a payment arrangement", () => {
  it("is confirmed by SMS and email, pauses the ladder while instalments are paid, and a missed one resumes it", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const inv = await register(t.key, await invoiceFor(d, -1, { phone: PHONE }));
    const stub = stubOf(t.id, d);
    await advanceTo(1); // inside the sending window, so the confirmations may go out at once

    const res = await viaLink(t, d, { action: "arrangement", instalments: 3 });
    expect(res.status).toBe(200);
    const { instalments } = (await res.json()) as { instalments: { dueDate: string; amountCents: number }[] };
    expect(instalments).toHaveLength(3);
    expect(instalments.reduce((s, i) => s + i.amountCents, 0)).toBe(4995);
    const [first, second] = instalments as [{ dueDate: string; amountCents: number }, { dueDate: string; amountCents: number }];
    expect(first.dueDate > (await today())).toBe(true);

    // The confirmations: one SMS and one email, saying what was agreed.
    await vi.waitFor(async () => {
      await fire(stub);
      expect((await messages(t.id, d)).map((m) => m.channel).sort()).toEqual(["email", "sms"]);
    });
    const confirmations = await messages(t.id, d);
    const sms = plain(confirmations.find((m) => m.channel === "sms")?.text ?? "");
    const mail = plain(confirmations.find((m) => m.channel === "email")?.text ?? "");
    expect(sms).toContain("3 delen");
    // In an SMS dates are in figures (GSM-7, lock screens): 25-12-2026.
    expect(sms).toContain(first.dueDate.split("-").reverse().join("-"));
    expect(mail).toContain(longDate(first.dueDate, "nl-NL"));
    expect(mail).toContain("€ 16,65");
    expect(mail).toContain("Een paar dagen voor elk deel sturen we u een korte herinnering.");

    let view = await debtorOf(t.key, d);
    expect(view.paused?.kind).toBe("arrangement");
    expect(view.next_step).toBeNull();
    expect(view.instalments.map((i) => i.status)).toEqual(["due", "due", "due"]);

    // The first instalment is paid on time: after its grace the arrangement still holds.
    const paid = await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: first.amountCents });
    expect(paid.status).toBe(200);
    await moveToLocal(sendableOnOrAfter(addDays(first.dueDate, INSTALMENT_GRACE_DAYS)), 13);
    await fire(stub);
    view = await debtorOf(t.key, d);
    expect(view.instalments[0]?.status).toBe("paid");
    expect(view.paused?.kind).toBe("arrangement");
    expect(await messages(t.id, d)).toHaveLength(2);

    // The second is not paid: a few days before its date a short reminder comes (the first, paid
    // in time, got none) ...
    await moveToLocal(sendableOnOrAfter(addDays(second.dueDate, -INSTALMENT_REMINDER_DAYS)), 13);
    await vi.waitFor(async () => {
      await fire(stub);
      const reminded = await messages(t.id, d);
      expect(reminded).toHaveLength(3);
      expect(reminded[2]?.subject).toContain("deel 2 van uw betalingsregeling");
    }, { timeout: 30_000 });
    // ... and within its grace nothing else happens yet.
    await moveToLocal(addDays(second.dueDate, 1), 13);
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(3);
    expect((await debtorOf(t.key, d)).paused?.kind).toBe("arrangement");

    // ... after it, the arrangement is missed and a reminder for what is left follows.
    await moveToLocal(sendableOnOrAfter(addDays(second.dueDate, INSTALMENT_GRACE_DAYS)), 13);
    await fire(stub);
    view = await debtorOf(t.key, d);
    expect(eventsOf(view, "arrangement.missed")[0]?.data.instalment).toBe(2);
    expect(view.instalments[1]?.status).toBe("missed");
    expect(view.paused).toBeNull();
    // ... after it, a kind message about the missed part, with what is left in total.
    await vi.waitFor(async () => {
      await fire(stub);
      expect(await messages(t.id, d)).toHaveLength(4);
    }, { timeout: 30_000 });
    const after = await messages(t.id, d);
    expect(after[3]?.channel).toBe("email");
    expect(after[3]?.subject).toContain("over deel 2");
    expect(plain(after[3]?.text ?? "")).toContain("33,30");
  }, 60_000);
});

describe("I can't pay (help)", () => {
  it("pauses reminders and records debtor.help_requested", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const stub = stubOf(t.id, d);
    const res = await viaLink(t, d, { action: "help" });
    expect(res.status).toBe(200);
    const view = await debtorOf(t.key, d);
    expect(eventsOf(view, "debtor.help_requested")).toHaveLength(1);
    expect(view.pauses.map((p) => p.kind)).toContain("help");
    // reminder_1 was due in two days; three weeks later still nothing.
    for (const days of [3, 7, 11]) {
      await advanceTo(days);
      await fire(stub);
    }
    expect(await messages(t.id, d)).toHaveLength(0);
  });

  it("the page points an NL debtor to geldfit.nl and a Belgian (nl-BE) debtor to the OCMW", async () => {
    const nl = await newTenant();
    const be = await newTenant("BE");
    const dNl = newDebtorId();
    const dBe = newDebtorId();
    await register(nl.key, await invoiceBody(dNl, -1));
    await register(be.key, await invoiceFor(dBe, -1, { locale: "nl-BE", time_zone: BRU, address: ADDRESS_BE }));

    const pageNl = await openDebtorPage(`/d/${await linkToken(nl.id, dNl)}`);
    expect(pageNl.status).toBe(200);
    const htmlNl = await pageNl.text();
    expect(htmlNl).toContain("geldfit.nl");
    expect(htmlNl).not.toContain("OCMW");

    const pageBe = await openDebtorPage(`/d/${await linkToken(be.id, dBe)}`);
    expect(pageBe.status).toBe(200);
    const htmlBe = await pageBe.text();
    expect(htmlBe).toContain("OCMW");
    expect(htmlBe).not.toContain("geldfit");
  });
});

describe("a dispute", () => {
  it("stops reminders until the merchant lifts it; then they resume", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const stub = stubOf(t.id, d);
    const res = await viaLink(t, d, { action: "dispute", reason: "Ik heb dit nooit ontvangen." });
    expect(res.status).toBe(200);
    let view = await debtorOf(t.key, d);
    expect(view.paused?.kind).toBe("dispute");
    expect(view.next_step).toBeNull();
    expect(eventsOf(view, "debtor.disputed")).toHaveLength(1);

    for (const days of [3, 14, 30]) {
      await advanceTo(days);
      await fire(stub);
    }
    expect(await messages(t.id, d)).toHaveLength(0);

    const lifted = await call(t.key, "POST", `/v1/debtors/${d}/stops/lift`, { kinds: ["dispute"] });
    expect(lifted.status).toBe(200);
    view = (await lifted.json()) as DebtorJson;
    expect(view.paused).toBeNull();
    expect(view.next_step?.key).toBe("reminder_1");
    await vi.waitFor(async () => {
      await fire(stub);
      expect((await messages(t.id, d)).map((m) => m.channel)).toEqual(["email"]);
    });
  });
});

describe("legal stops", () => {
  it("a debt counsellor's notice stops reminders for 8 calendar months (at least the policy's 240 days), then they resume", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const stub = stubOf(t.id, d);
    const noticeAt = await clockNow();
    const res = await call(t.key, "POST", `/v1/debtors/${d}/stops`, { kind: "debt_counselling", reference: "NVVK-2026-001" });
    expect(res.status).toBe(200);
    const view = (await res.json()) as DebtorJson;
    const stop = view.pauses.find((p) => p.kind === "debt_counselling");
    const until = Date.parse(stop?.until ?? "");
    // NVVK covenant: 8 months. The stop ends at the start of the same calendar day 8 months on.
    expect(until - noticeAt).toBeGreaterThanOrEqual(240 * DAY);
    expect(localDay(until)).toBe(addMonths(localDay(noticeAt), 8));

    // Seven months and more of alarms: nothing.
    for (const day of [3, 60, 150, 213, 237]) {
      await moveToLocal(sendableOnOrBefore(addDays(localDay(noticeAt), day)), 13);
      await fire(stub);
    }
    expect(await messages(t.id, d)).toHaveLength(0);

    await moveToLocal(sendableOnOrAfter(addDays(localDay(until), 1)), 13);
    await fire(stub);
    expect((await messages(t.id, d)).map((m) => m.channel)).toEqual(["email"]);
  });

  it("a breathing space with an end date: nothing until it ends, then reminders resume", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    const stub = stubOf(t.id, d);

    const missing = await call(t.key, "POST", `/v1/debtors/${d}/stops`, { kind: "breathing_space" });
    expect(missing.status).toBe(422);
    expect(await problemFields(missing)).toContain("until");

    const last = addDays(await today(), 20);
    const res = await call(t.key, "POST", `/v1/debtors/${d}/stops`, { kind: "breathing_space", until: last });
    expect(res.status).toBe(200);
    await advanceTo(3);
    await fire(stub);
    await moveToLocal(sendableOnOrBefore(last), 19); // the last (sendable) day of the breathing space, evening
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(0);

    await moveToLocal(sendableOnOrAfter(addDays(last, 1)), 13);
    await fire(stub);
    expect((await messages(t.id, d)).map((m) => m.channel)).toEqual(["email"]);
  });
});

describe("a vulnerable debtor", () => {
  it("is reminded by email only over the whole ladder, even with phone and address, and the merchant sees why", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceFor(d, -1, { phone: PHONE, address: ADDRESS_NL }));
    const stub = stubOf(t.id, d);
    const flagged = await call(t.key, "PUT", `/v1/debtors/${d}/flags`, { vulnerable: true });
    expect(flagged.status).toBe(200);

    const view = await debtorOf(t.key, d);
    expect(view.next_step?.why.segment).toBe("vulnerable");
    expect(view.next_step?.why.segment_reasons.join(" ")).toMatch(/vulnerable/);
    expect(view.next_step?.channels).toEqual(["email"]);

    for (let i = 0; i < 8; i++) {
      await advanceTo(7);
      await fire(stub);
    }
    const sent = await messages(t.id, d);
    // The gentle ladder has three steps; every one reaches the person, by email.
    expect(sent.map((m) => m.channel)).toEqual(["email", "email", "email"]);
    const end = await debtorOf(t.key, d);
    expect(end.next_step).toBeNull();
    const types = end.timeline.map((e) => e.type);
    expect(types).not.toContain("call_task.created");
    expect(types).not.toContain("invoice.handover_ready");
  });
});

describe("quiet hours, at the Durable Object", () => {
  const local = (ms: number) => ({ ...localParts(ms, AMS), weekday: weekday(localParts(ms, AMS).date) });

  /** The sending window's morning spread: a held-back step goes in the debtor's own slot, 10:00-12:00, never all at 07:00. */
  const inMorningSlot = (ms: number) => local(ms).hour >= 10 && local(ms).hour < 12;

  it("a step that falls due on a Sunday goes out on Monday in the debtor's morning slot, not on Sunday", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    // A Sunday at least three days ahead whose Monday is a working day.
    let sunday = addDays(await today(), 3);
    while (weekday(sunday) !== 0 || isPublicHoliday(addDays(sunday, 1), "NL")) sunday = addDays(sunday, 1);
    const monday = addDays(sunday, 1);
    await register(t.key, await invoiceBody(d, 0, { due_date: addDays(sunday, -3), issue_date: addDays(sunday, -20) })); // reminder_1 is due+3: Sunday
    const stub = stubOf(t.id, d);

    const next = (await debtorOf(t.key, d)).next_step;
    const planned = Date.parse(next?.at ?? "");
    expect(local(planned).date).toBe(monday);
    expect(inMorningSlot(planned)).toBe(true);
    // The merchant is told why it moved.
    expect(next?.why.limits.join(" ")).toMatch(/quiet hours/);

    await moveToLocal(sunday, 10, 59);
    await fire(stub);
    await moveToLocal(sunday, 15);
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(0);

    await moveClockTo(planned + 60_000);
    await fire(stub);
    const [mail] = await messages(t.id, d);
    expect(mail).toBeDefined();
    const at = local(mail?.created_at ?? 0);
    expect(at.date).toBe(monday);
    expect(inMorningSlot(mail?.created_at ?? 0)).toBe(true);
  });

  it("a step whose alarm only runs at 22:00 waits for the debtor's slot the next morning", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    // A weekday at least three days ahead, followed by a day on which contact is allowed.
    let day = addDays(await today(), 3);
    while (weekday(day) === 0 || weekday(day) === 6 || isPublicHoliday(day, "NL") || isPublicHoliday(addDays(day, 1), "NL")) day = addDays(day, 1);
    await register(t.key, await invoiceBody(d, 0, { due_date: addDays(day, -3), issue_date: addDays(day, -20) }));
    const stub = stubOf(t.id, d);

    await moveToLocal(day, 22); // the 10:00 step is overdue, but it is night now
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(0);
    const planned = Date.parse((await debtorOf(t.key, d)).next_step?.at ?? "");
    expect(local(planned).date).toBe(addDays(day, 1));
    expect(inMorningSlot(planned)).toBe(true);

    await moveToLocal(day, 23, 30);
    await fire(stub);
    await moveToLocal(addDays(day, 1), 7, 1);
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(0);

    await moveClockTo(planned + 60_000);
    await fire(stub);
    const [mail] = await messages(t.id, d);
    expect(local(mail?.created_at ?? 0).date).toBe(addDays(day, 1));
    expect(inMorningSlot(mail?.created_at ?? 0)).toBe(true);
  });

  it("an arrangement made at 22:00 is confirmed in the debtor's slot the next morning, not at night", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceFor(d, -1, { phone: PHONE }));
    const stub = stubOf(t.id, d);
    let day = addDays(await today(), 1);
    while (weekday(day) === 0 || weekday(day) === 6 || isPublicHoliday(day, "NL") || isPublicHoliday(addDays(day, 1), "NL")) day = addDays(day, 1);
    await moveToLocal(day, 22);
    const res = await viaLink(t, d, { action: "arrangement", instalments: 2 });
    expect(res.status).toBe(200);
    await fire(stub);
    await moveToLocal(day, 23, 45);
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(0);

    await moveToLocal(addDays(day, 1), 7, 5);
    await fire(stub);
    expect(await messages(t.id, d)).toHaveLength(0);
    await moveToLocal(addDays(day, 1), 11, 59);
    await vi.waitFor(async () => {
      await fire(stub);
      expect(await messages(t.id, d)).toHaveLength(2);
    });
    for (const m of await messages(t.id, d)) {
      expect(local(m.created_at).date).toBe(addDays(day, 1));
      expect(inMorningSlot(m.created_at)).toBe(true);
    }
  });
});

/**
 * The last day of the NL 14-day term for a letter posted on `posted`, worked out here from
 * domain.md alone: presumed delivered on the second day after posting not counting Sundays,
 * Mondays or holidays; then 14 days from the day after delivery, a last day on a weekend or
 * holiday running on to the next working day.
 */
function nlTermEnd(posted: string): string {
  let delivered = posted;
  for (let n = 0; n < 2; ) {
    delivered = addDays(delivered, 1);
    if (weekday(delivered) > 1 && !isPublicHoliday(delivered, "NL")) n++;
  }
  let end = addDays(delivered, 14);
  while (weekday(end) === 0 || weekday(end) === 6 || isPublicHoliday(end, "NL")) end = addDays(end, 1);
  return end;
}

describe("the Dutch 14-day letter", () => {
  /** A tenant with BIK costs on (PUT /v1/policy version 1 from GET), and an EUR 49.95 debtor with every channel. */
  async function bikDebtor() {
    const t = await newTenant();
    const current = (await (await call(t.key, "GET", "/v1/policy")).json()) as { version: number; policy: Record<string, unknown> & { costs: Record<string, unknown> } };
    expect(current.version).toBe(0);
    const put = await call(t.key, "PUT", "/v1/policy", { ...current.policy, version: 1, costs: { ...current.policy.costs, nl_bik_enabled: true } });
    expect(put.status).toBe(200);
    const d = newDebtorId();
    await register(t.key, await invoiceFor(d, -1, { phone: PHONE, address: ADDRESS_NL }));
    return { t, d, stub: stubOf(t.id, d) };
  }
  /** Plays reminder_1 and reminder_2; returns the view with the letter as the next step. */
  async function upToTheLetter(t: Tenant, d: string, stub: Stub): Promise<DebtorJson> {
    for (const days of [3, 7]) {
      await advanceTo(days);
      await fire(stub);
    }
    return debtorOf(t.key, d);
  }
  async function postTheLetter(t: Tenant, d: string, stub: Stub): Promise<{ text: string; postedOn: string }> {
    await advanceTo(7);
    await fire(stub);
    const letter = (await messages(t.id, d)).find((m) => m.channel === "letter");
    expect(letter).toBeDefined();
    return { text: plain(letter?.text ?? ""), postedOn: localDay(letter?.created_at ?? 0) };
  }

  it("with BIK costs enabled: the lawful term sentence, the BIK amount, and nothing chargeable before the term ends", async () => {
    const { t, d, stub } = await bikDebtor();
    let view = await upToTheLetter(t, d, stub);
    // The letter is next and will announce EUR 40.00 (15% of 49.95 is below the minimum).
    expect(view.next_step?.key).toBe("fourteen_day_letter");
    expect(view.next_step?.why.announced_costs_cents).toBe(4000);
    expect(view.next_step?.why.chargeable_costs_cents).toBe(0);

    const { text, postedOn } = await postTheLetter(t, d, stub);
    expect(text).toContain("binnen 14 dagen vanaf de dag nadat deze brief bij u is bezorgd");
    expect(text).toContain("€ 40,00");
    expect(text).not.toMatch(/dagtekening/i);
    const termEnd = nlTermEnd(postedOn);

    // The rest of the ladder: SMS, call task, handover-ready.
    for (const days of [6, 5, 10]) {
      await advanceTo(days);
      await fire(stub);
    }
    view = await debtorOf(t.key, d);
    const decided = eventsOf(view, "reminder.decided");
    expect(decided.map((e) => e.data.step)).toEqual(["handover_ready", "call", "reminder_sms", "fourteen_day_letter", "reminder_2", "reminder_1"]);
    for (const e of decided) {
      if (localDay(Date.parse(e.at)) <= termEnd) expect(e.data.chargeable_costs_cents, `${String(e.data.step)} on ${e.at}`).toBe(0);
    }
    // Only after the term has passed unpaid may the BIK amount be charged.
    const [handover] = eventsOf(view, "invoice.handover_ready");
    expect(handover).toBeDefined();
    expect(localDay(Date.parse(handover?.at ?? "")) > termEnd).toBe(true);
    expect(handover?.data.costs_cents).toBe(4000);
  });

  it("once the letter is posted, the merchant sees when its term ends and that nothing is chargeable yet", async () => {
    const { t, d, stub } = await bikDebtor();
    await upToTheLetter(t, d, stub);
    const { postedOn } = await postTheLetter(t, d, stub);
    const view = await debtorOf(t.key, d);
    expect(view.next_step?.key).toBe("reminder_sms");
    expect(view.next_step?.why.chargeable_costs_cents).toBe(0);
    expect(view.next_step?.why.term_end_date).toBe(nlTermEnd(postedOn));
  });
});

describe("a Belgian debtor", () => {
  it("gets a first reminder email with the Book XIX content: free, the balance and the end of the 14-day term", async () => {
    const t = await newTenant("BE");
    const d = newDebtorId();
    await register(t.key, await invoiceFor(d, -1, { locale: "nl-BE", time_zone: BRU, address: ADDRESS_BE }));
    const stub = stubOf(t.id, d);
    expect((await debtorOf(t.key, d)).next_step?.kind).toBe("be_first_reminder");

    await advanceTo(3);
    await fire(stub);
    const [mail] = await messages(t.id, d);
    expect(mail?.channel).toBe("email");
    const text = plain(mail?.text ?? "");
    const sentOn = localDay(mail?.created_at ?? 0, BRU);
    expect(text).toContain("Dit is een eerste herinnering. Deze herinnering is gratis.");
    expect(text).toContain("€ 49,95");
    // By email the 14 days run from the day after sending: the last day is sent + 14.
    expect(text).toContain(longDate(addDays(sentOn, 14), "nl-BE"));
    expect(text).toMatch(/14 dagen/);
  });
});

describe("explainability", () => {
  it("next_step.why names the segment, its reasons, the ladder and the limits that applied", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    await register(t.key, await invoiceBody(d, -1));
    let why = (await debtorOf(t.key, d)).next_step?.why;
    expect(why?.segment).toBe("first_time_late_nl");
    expect(why?.segment_reasons).toEqual(expect.arrayContaining([expect.stringMatching(/late payments in 12 months: 0/), "country is NL"]));
    expect(why?.ladder).toBe("standard_nl");
    expect(Array.isArray(why?.limits)).toBe(true);

    // A limit that applies is named: the already-paid pause.
    expect((await viaApi(t, d, { action: "already_paid" })).status).toBe(200);
    why = (await debtorOf(t.key, d)).next_step?.why;
    expect(why?.limits.join(" ")).toMatch(/paused \(already_paid\)/);
  });

  it("for an often-late debtor on an auto step: every candidate channel with expected success, cost and score", async () => {
    const t = await newTenant();
    const d = newDebtorId();
    const reach = { phone: PHONE, address: ADDRESS_NL };
    // Three invoices paid late this year.
    for (let i = 0; i < 3; i++) {
      const inv = await register(t.key, await invoiceFor(d, -10, reach));
      expect((await call(t.key, "POST", `/v1/invoices/${inv.id}/payments`, { amount_cents: 4995 })).status).toBe(200);
    }
    await register(t.key, await invoiceFor(d, -1, reach));
    const stub = stubOf(t.id, d);
    let view = await debtorOf(t.key, d);
    expect(view.next_step?.why.segment).toBe("often_late_nl");
    expect(view.next_step?.why.segment_reasons.join(" ")).toMatch(/late payments in 12 months: 3/);

    await advanceTo(3);
    await fire(stub);
    view = await debtorOf(t.key, d);
    expect(view.next_step?.key).toBe("reminder_2");
    const scores = view.next_step?.why.channel_scores ?? [];
    expect(scores.map((s) => s.channel).sort()).toEqual(["email", "letter", "sms"]);
    const cost = { email: 1, sms: 8, letter: 120 } as Record<string, number>;
    for (const s of scores) {
      expect(s.expected_success).toBeGreaterThan(0);
      expect(s.expected_success).toBeLessThan(1);
      expect(s.cost_cents).toBe(cost[s.channel]);
      expect(Number.isFinite(s.score)).toBe(true);
      expect(s.score).toBeGreaterThan(0);
      expect(s.excluded).toBeNull();
    }
    // The chosen channel is one of the scored ones.
    expect(scores.map((s) => s.channel)).toContain(view.next_step?.channel);
  });
});
