/**
 * The channel rules (workers/policy/channel-rules.ts) as properties: who a protected debtor may
 * be reached on, where a step falls back to, which country's rules apply, who an SMS is from,
 * which messages start a legal term, and that the engine never plans a channel the shop cannot
 * send on. Each property counts the cases that reach its assertion, so a generator that stops
 * producing the interesting cases fails the test instead of passing it silently.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import {
  CHANNEL_TRAITS,
  debtorCountry,
  fallbackChannel,
  FALLBACK_ORDER,
  milestoneOf,
  phoneCountry,
  protectedMayUse,
  reachable,
  smsSenderFor,
  unreachableChannels,
} from "../workers/policy/channel-rules";
import { planNext } from "../workers/policy/engine";
import type { EngineState } from "../workers/policy/engine-types";
import { CHANNELS, type Channel } from "../workers/policy/policy-schema";
import { addDays, localParts } from "../workers/zoned-time";
import { PROPERTY_RUNS } from "./property";

// 1,000 cases in npm test, 10,000 in npm run test:deep (test/property.ts).
const RUNS = PROPERTY_RUNS;
const channels = fc.subarray([...CHANNELS]);
const contactChannels = CHANNELS.filter((c) => CHANNEL_TRAITS[c].contact);

describe("protected debtors (one meaning everywhere)", () => {
  it("may always get the banner and email, and anything more intrusive only on a channel already used with them", () => {
    let escalations = 0;
    fc.assert(
      fc.property(fc.constantFrom(...CHANNELS), channels, (channel, used) => {
        const gentle = channel === "banner" || channel === "email";
        if (!gentle && !used.includes(channel)) escalations++;
        expect(protectedMayUse(channel, used)).toBe(gentle || used.includes(channel));
      }),
      { numRuns: RUNS },
    );
    expect(escalations).toBeGreaterThan(RUNS / 10);
  });
});

describe("fallback order", () => {
  it("picks the first channel in the order (email, letter, SMS) that was not tried, is not blocked and does not escalate; null only when none is left", () => {
    const reached = { picked: 0, none: 0, protectedPick: 0 };
    fc.assert(
      fc.property(channels, channels, fc.boolean(), channels, (tried, blocked, isProtected, used) => {
        const next = fallbackChannel(tried, { blocked, isProtected, usedChannels: used });
        const eligible = (c: Channel) => !tried.includes(c) && !blocked.includes(c) && (!isProtected || c === "email" || used.includes(c));
        // Worked out from the documented order, not from the rule's own list.
        const expected = (["email", "letter", "sms"] as Channel[]).find(eligible) ?? null;
        expect(next).toBe(expected);
        if (next === null) reached.none++;
        else {
          reached.picked++;
          if (isProtected) reached.protectedPick++;
          // Never a call or the banner: a person phoning is no stand-in for a message.
          expect(["call", "banner"]).not.toContain(next);
        }
      }),
      { numRuns: RUNS },
    );
    expect(FALLBACK_ORDER).toEqual(["email", "letter", "sms"]);
    expect(reached.picked).toBeGreaterThan(RUNS / 5);
    expect(reached.none).toBeGreaterThan(RUNS / 20);
    expect(reached.protectedPick).toBeGreaterThan(RUNS / 20);
  });
});

describe("reachability and country", () => {
  const debtorArb = fc.record({
    email: fc.option(fc.constant("a@b.nl"), { nil: undefined }),
    phone: fc.option(fc.constantFrom("+31612345678", "+32470123456", "+4915112345678"), { nil: undefined }),
    address: fc.option(fc.record({ country: fc.constantFrom("NL" as const, "BE" as const) }), { nil: undefined }),
    locale: fc.constantFrom("nl-NL", "nl-BE", "fr-BE", "en"),
  });

  it("a channel is unreachable exactly when the contact field it needs is missing", () => {
    let unreachableSeen = 0;
    fc.assert(
      fc.property(debtorArb, (d) => {
        const expected: Channel[] = [];
        if (!d.email) expected.push("email");
        if (!d.address) expected.push("letter");
        if (!d.phone) expected.push("sms", "call");
        expect([...unreachableChannels(d)].sort()).toEqual(expected.sort());
        expect(reachable("banner", d)).toBe(true);
        unreachableSeen += expected.length > 0 ? 1 : 0;
      }),
      { numRuns: RUNS },
    );
    expect(unreachableSeen).toBeGreaterThan(RUNS / 4);
  });

  it("the law of the country letters go to, else a Belgian locale's, else the shop's", () => {
    const by = { address: 0, locale: 0, shop: 0 };
    fc.assert(
      fc.property(debtorArb, fc.constantFrom("NL" as const, "BE" as const), (d, shop) => {
        const country = debtorCountry(d, shop);
        if (d.address) {
          by.address++;
          expect(country).toBe(d.address.country);
        } else if (d.locale.endsWith("-BE")) {
          by.locale++;
          expect(country).toBe("BE");
        } else {
          by.shop++;
          expect(country).toBe(shop);
        }
      }),
      { numRuns: RUNS },
    );
    expect(Math.min(by.address, by.locale, by.shop)).toBeGreaterThan(RUNS / 20);
    expect(phoneCountry("+31612345678")).toBe("NL");
    expect(phoneCountry("+32470123456")).toBe("BE");
    expect(phoneCountry("+4915112345678")).toBeNull();
  });
});

describe("the SMS sender", () => {
  it("is the shop's alphanumeric ID only for NL and BE numbers (and never a generic one); then its number; then the platform's", () => {
    const kinds = { alphanumeric: 0, shop_number: 0, platform: 0, none: 0 };
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom("DeSpaak", "Fiets 24", "INFO", "sms"), { nil: undefined }),
        fc.option(fc.constant("+31201234567"), { nil: undefined }),
        fc.option(fc.constant("+3197010000000"), { nil: null }),
        fc.constantFrom("+31612345678", "+32470123456", "+4915112345678", "+33612345678"),
        (senderId, fromNumber, platform, to) => {
          const s = smsSenderFor({ ...(senderId ? { sender_id: senderId } : {}), ...(fromNumber ? { from_number: fromNumber } : {}) }, platform, to);
          const nlOrBe = to.startsWith("+31") || to.startsWith("+32");
          const usableId = senderId !== undefined && !["INFO", "SMS"].includes(senderId.toUpperCase());
          if (usableId && nlOrBe) expect(s).toEqual({ from: senderId, kind: "alphanumeric", replies: false });
          else if (fromNumber) expect(s).toEqual({ from: fromNumber, kind: "shop_number", replies: true });
          else if (platform) expect(s).toEqual({ from: platform, kind: "platform", replies: true });
          else expect(s).toBeNull();
          kinds[s?.kind ?? "none"]++;
        },
      ),
      { numRuns: RUNS },
    );
    // "none" (no usable ID, no number, no platform) is the rarest, about 2 % of cases.
    for (const n of Object.values(kinds)) expect(n).toBeGreaterThan(RUNS / 200);
  });
});

describe("legal milestones", () => {
  it("only a posted NL 14-day letter and a BE first reminder by letter or email start a term", () => {
    const kinds = ["reminder", "nl_fourteen_day_letter", "be_first_reminder", "call_task", "pre_due_nudge", "arrangement_confirmation"];
    for (const kind of kinds) {
      for (const channel of CHANNELS) {
        const m = milestoneOf(kind, channel);
        const expected = kind === "nl_fourteen_day_letter" && channel === "letter" ? kind : kind === "be_first_reminder" && (channel === "letter" || channel === "email") ? kind : null;
        expect(m).toBe(expected);
      }
    }
  });
});

describe("the engine and channels the shop cannot send on", () => {
  const T0 = Date.UTC(2026, 0, 5);
  const stateArb = fc
    .record({
      ago: fc.integer({ min: 0, max: 60 }),
      unavailable: fc.subarray(contactChannels),
      blocked: fc.subarray(contactChannels),
      used: fc.subarray(contactChannels),
      nextStep: fc.nat(6),
      hardship: fc.boolean(),
      at: fc.integer({ min: 0, max: 200 * 24 }),
    })
    .map((c) => {
      const now = T0 + c.at * 3600_000;
      const today = localParts(now, "Europe/Amsterdam").date;
      const state: EngineState = {
        country: "NL",
        timeZone: "Europe/Amsterdam",
        sendMinute: 30,
        facts: { late_payments_12m: 0, total_outstanding_cents: 5000, hardship_flag: c.hardship, vulnerable_flag: false, country: "NL", first_invoice: true },
        openInvoices: [{ id: "inv_1", dueDate: addDays(today, -c.ago), outstandingCents: 5000 }],
        position: { ladderKey: null, nextStep: c.nextStep, stepsTaken: c.nextStep, anchorDueDate: addDays(today, -c.ago), lastStepAt: null },
        contacts: [],
        pauses: [],
        blocked: c.blocked,
        unavailable: Object.fromEntries(c.unavailable.map((ch) => [ch, "not configured"])),
        usedChannels: c.used,
        history: {},
        priors: {},
        legal: { fourteenDayLetterPostedOn: null, beFirstReminder: null, announced: null },
      };
      return { state, now, unavailable: c.unavailable };
    });

  it("never plans an unavailable channel, and waits (instead of skipping the step) only when nothing else can reach the person", () => {
    const reached = { step: 0, waiting: 0 };
    fc.assert(
      fc.property(stateArb, ({ state, now, unavailable }) => {
        const plan = planNext(state, DEFAULT_POLICY, now, "seed");
        if (plan.kind === "step") {
          reached.step++;
          for (const c of plan.channels) expect(unavailable).not.toContain(c);
        }
        if (plan.kind === "waiting") {
          reached.waiting++;
          expect(unavailable.length).toBeGreaterThan(0);
          expect(plan.at).toBeGreaterThan(now);
          // It names the channels it waits for, with the shop's reason.
          expect(unavailable.some((c) => plan.reason.includes(`${c}: not configured`))).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    expect(reached.step).toBeGreaterThan(RUNS / 5);
    expect(reached.waiting).toBeGreaterThan(RUNS / 50);
  });
});
