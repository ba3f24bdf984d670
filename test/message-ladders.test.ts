/**
 * What one debtor receives over a whole ladder, for every default segment: no two messages have
 * the same subject and body, each says what came before, and a debtor reached only by email hears
 * about a possible handover (the final notice, naming the shop's partner) before the ladder marks
 * the invoices ready for handover. The pure part walks every segment's ladder; one journey plays
 * the standard ladder end to end through the debtor's object.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { renderLetter } from "../letters";
import { templateFor } from "../workers/debtor/render";
import { DEFAULT_POLICY } from "../workers/policy/default-policy";
import { skipsStep } from "../workers/policy/engine";
import type { Step } from "../workers/policy/policy-schema";
import { buildMessage, type MessageInput } from "../workers/templates/model";
import { renderEmail, renderSms } from "../workers/templates/render-message";
import { sampleInput, sampleLetterParties } from "../workers/templates/samples";
import { addDays } from "../workers/zoned-time";
import { advanceTo, call, invoiceBody, newDebtorId, newTenant, register, sandboxFor, stubOf } from "./helpers";

type Reach = "all" | "email-only";
const withoutLinks = (t: string) => t.replace(/https?:\/\/\S+/g, "<link>").replace(/[\u00a0\u202f]/g, " ");

/** The channel a step's message goes by for this debtor (email-only: every message step falls back to email). */
function channelOf(step: Step, reach: Reach): MessageInput["channel"] | null {
  if (step.kind === "call_task" || step.kind === "handover_ready") return null;
  if (reach === "email-only") return "email";
  const first = step.channels === "auto" ? step.auto_candidates?.[0] : step.channels.find((c) => c !== "banner");
  return first === "letter" || first === "sms" ? first : "email";
}

/** Renders every message of a ladder in order, as the debtor would receive them. */
async function walk(ladderKey: string, locale: "nl-NL" | "nl-BE" | "fr-BE" | "en", reach: Reach, partner: boolean) {
  const steps = DEFAULT_POLICY.ladders[ladderKey]?.steps ?? [];
  const received: { step: string; kind: string; subject: string; body: string }[] = [];
  let previous: MessageInput["history"]["previous"] = null;
  let day = "2026-11-05";
  for (const step of steps) {
    if (skipsStep(step, { handoverPartner: partner })) continue;
    day = addDays(day, step.offset_days);
    if (step.kind === "handover_ready") {
      received.push({ step: step.key, kind: step.kind, subject: "", body: "" });
      continue;
    }
    const channel = channelOf(step, reach);
    if (!channel) continue;
    const base = sampleInput(templateFor({ template: step.template, kind: step.kind, acknowledgeAlreadyPaid: false }), locale, channel);
    const { sample: _, ...plain } = base;
    const input: MessageInput = { ...plain, kind: step.kind, today: day, history: { previous, reportedPaidOn: null }, shop: { ...plain.shop, partnerName: partner ? plain.shop.partnerName : undefined } };
    const model = buildMessage(input);
    const r = channel === "email" ? await renderEmail(model) : channel === "letter" ? await renderLetter({ model, ...sampleLetterParties(base) }) : renderSms(model, 2);
    received.push({ step: step.key, kind: step.kind, subject: r.subject, body: withoutLinks(r.text) });
    previous = { date: day, channel };
  }
  return received;
}

describe("every default segment's ladder", () => {
  const segments = DEFAULT_POLICY.segments;
  for (const segment of segments) {
    for (const reach of ["all", "email-only"] as const) {
      it(`${segment.key} (${reach}): no two messages alike, and a handover is announced before it happens`, async () => {
        const locale = segment.key.endsWith("_be") ? "nl-BE" : "nl-NL";
        for (const partner of [true, false]) {
          const got = await walk(segment.ladder, locale, reach, partner);
          const messages = got.filter((m) => m.kind !== "handover_ready");
          expect(messages.length).toBeGreaterThan(1);
          const pairs = messages.map((m) => `${m.subject}\n${m.body}`);
          expect(new Set(pairs).size, pairs.join("\n=====\n").slice(0, 400)).toBe(pairs.length);
          const handover = got.findIndex((m) => m.kind === "handover_ready");
          if (handover < 0) continue; // the gentle ladder never hands over
          const before = got.slice(0, handover);
          if (partner) {
            // Named once, in a message before the handover, on a channel this debtor reads.
            const notice = before.find((m) => m.step === "final_notice");
            expect(notice?.body).toMatch(/Incasso(bureau|kantoor) Voorbeeld/);
          } else {
            // Without a partner nothing announces a handover that will not happen (Wki).
            for (const m of before) expect(m.body).not.toMatch(/incassobureau|incassokantoor|overdragen|geven we de factuur door/i);
          }
        }
      }, 30_000);
    }
  }
});

describe("an email-only debtor, played out through the debtor's object", () => {
  it("hears about the shop's handover partner before handover_ready, and never gets the same message twice", async () => {
    const t = await newTenant();
    const patch = await call(t.key, "PATCH", "/v1/account", { handover_partner: { name: "Incassobureau Voorbeeld" } });
    expect(patch.status).toBe(200);
    const debtor = newDebtorId();
    await register(t.key, await invoiceBody(debtor, -1));
    const stub = stubOf(t.id, debtor);
    for (const days of [3, 7, 7, 6, 5, 3, 7]) {
      await advanceTo(days);
      await runDurableObjectAlarm(stub);
    }
    const sent = await sandboxFor(t.id, debtor);
    const view = (await (await call(t.key, "GET", `/v1/debtors/${debtor}`)).json()) as { timeline: { type: string; at: string }[] };
    const handover = view.timeline.find((e) => e.type === "invoice.handover_ready");
    expect(handover).toBeDefined();
    const pairs = sent.map((m) => `${m.subject}\n${withoutLinks(m.text)}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    // The final notice came, by email, and names the partner (the 14-day email may name it too).
    const notice = sent.find((m) => m.subject.includes("laatste herinnering"));
    expect(notice?.text).toContain("Incassobureau Voorbeeld");
    expect(sent.every((m) => m.recipient === "sanne@example.nl")).toBe(true);
  }, 60_000);
});
