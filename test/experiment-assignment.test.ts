/**
 * Who sees which variant. The choice of words (experiments/choose.ts) over many debtors: the split
 * follows the weights, protected debtors are never assigned unless the experiment is help-first,
 * a stopped variant takes nobody new and shows its debtors the control. And in the debtor's
 * object, over a whole ladder: the variant is decided at the first exposure and kept, even when
 * a fresh draw would now give another one.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseCopy, type CopyQuestion } from "../workers/experiments/choose";
import type { ActiveExperiment, Variant } from "../workers/experiments/model";
import type { TemplateCopy } from "../workers/templates/blocks";
import { defaultCopy } from "../workers/templates/copy";
import { advanceDays, keptByObject, sameTemplateTwice, saveVariant, startExperiment, units } from "./experiments";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

const base = defaultCopy("reminder-friendly", "nl-NL");
const copyWith = (subject: string): TemplateCopy => ({ ...base, subject });
const variant = (key: string, weight: number, over: Partial<Variant> = {}): Variant => ({
  key, weight, control: key === "control", versions: { "nl-NL": 0 }, copies: { "nl-NL": copyWith(key) }, status: "active", stopped_at: null, stopped_reason: null, ...over,
});
const experiment = (variants: Variant[], over: Partial<ActiveExperiment> = {}): ActiveExperiment => ({
  id: "exp_test", template: "reminder-friendly", channel: "email", locales: ["nl-NL"], segments: null, helpFirst: false, status: "running", variants, ...over,
});
const published = { "reminder-friendly|nl-NL": { version: 3, copy: copyWith("published") } };
const ask = (e: ActiveExperiment, unitId: string, over: Partial<CopyQuestion> = {}) =>
  chooseCopy({ template: "reminder-friendly", channel: "email", locale: "nl-NL", segment: "standard", protectedDebtor: false, published, experiments: [e], assignment: () => null, unitId, ...over });

describe("choosing the words: many debtors", () => {
  it("splits 10,000 debtors within tolerance of the weights (chi-square, 2 df, p > 0.001)", () => {
    const weights = { control: 50, b: 30, c: 20 };
    const e = experiment(Object.entries(weights).map(([k, w]) => variant(k, w)));
    const counts: Record<string, number> = { control: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++) {
      const choice = ask(e, `t1/debtor-${i}`);
      counts[choice.experiment?.variant ?? "none"] = (counts[choice.experiment?.variant ?? "none"] ?? 0) + 1;
      // The words are the assigned variant's.
      expect(choice.copy?.subject).toBe(choice.experiment?.variant);
    }
    const chi = Object.entries(weights).reduce((s, [k, w]) => s + ((counts[k] ?? 0) - w * 100) ** 2 / (w * 100), 0);
    expect(chi).toBeLessThan(13.82); // the 0.999 quantile of chi-square with 2 degrees of freedom
  });

  it("never assigns a protected debtor unless the experiment is help-first (any weights, statuses, debtors)", () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 5 }), fc.string({ minLength: 1, maxLength: 20 }), fc.boolean(), (weights, debtor, helpFirst) => {
        const e = experiment(weights.map((w, i) => variant(i === 0 ? "control" : `v${i}`, w)), { helpFirst });
        const choice = ask(e, `t/${debtor}`, { protectedDebtor: true });
        if (helpFirst) expect(choice.experiment).not.toBeNull();
        else expect(choice).toEqual({ copy: published["reminder-friendly|nl-NL"].copy, experiment: null });
        checked++;
      }),
      { numRuns: 500, seed: 8 },
    );
    expect(checked).toBe(500);
  });

  it("a protected debtor assigned before being flagged gets the control's words, and still counts for the variant first seen", () => {
    const e = experiment([variant("control", 1), variant("b", 1)]);
    expect(ask(e, "t/x", { protectedDebtor: true, assignment: () => "b" })).toEqual({ copy: copyWith("control"), experiment: { id: "exp_test", variant: "control", assigned: "b" } });
  });

  it("a stopped variant takes nobody new, and its debtors see the control's words", () => {
    const e = experiment([variant("control", 1), variant("b", 1, { status: "stopped", stopped_reason: "guardrail: complaints" }), variant("c", 1)]);
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => ask(e, `t/d${i}`).experiment?.variant));
    expect([...seen].sort()).toEqual(["c", "control"]);
    expect(ask(e, "t/kept", { assignment: () => "b" })).toEqual({ copy: copyWith("control"), experiment: { id: "exp_test", variant: "control", assigned: "b" } });
  });

  it("once enrolment ended, nobody new enters, and those in it keep their variant; outside its locales or segments, the published copy", () => {
    const measuring = experiment([variant("control", 1), variant("b", 1)], { status: "measuring" });
    expect(ask(measuring, "t/new")).toEqual({ copy: copyWith("published"), experiment: null });
    expect(ask(measuring, "t/in", { assignment: () => "b" }).experiment).toEqual({ id: "exp_test", variant: "b", assigned: "b" });
    const running = experiment([variant("control", 1), variant("b", 1)], { segments: ["first_time_late_nl"] });
    expect(ask(running, "t/x", { segment: "standard" }).experiment).toBeNull();
    expect(ask(running, "t/x", { segment: "first_time_late_nl" }).experiment).not.toBeNull();
    expect(ask(running, "t/x", { locale: "en" })).toEqual({ copy: undefined, experiment: null });
    expect(ask(running, "t/x", { channel: "letter" }).experiment).toBeNull();
  });
});

describe("in the debtor's object, over a whole ladder", () => {
  it("decides the variant at the first exposure and keeps it for every later message, even when a fresh draw would now differ", { timeout: 90_000 }, async () => {
    const t = await newTenant();
    // The second reminder uses the same template, so every debtor gets it twice.
    await sameTemplateTwice(t.key);
    const v = await saveVariant(t.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: variant b" });
    const e = await startExperiment(t.key, { variants: [{ key: "control", control: true }, { key: "b", versions: { "nl-NL": v } }] });
    const debtors = Array.from({ length: 12 }, () => newDebtorId());
    for (const d of debtors) await register(t.key, await invoiceBody(d, -1));
    await advanceDays(3);
    const first = new Map<string, string>();
    for (const d of debtors) {
      const kept = await keptByObject(t.id, d);
      expect(kept.assignments).toHaveLength(1);
      first.set(d, kept.assignments[0]?.variant ?? "");
    }
    expect(new Set(first.values()).size).toBe(2);
    // Everything now weighs on the control: a fresh draw would put everyone there.
    const row = await env.DB.prepare("SELECT variants FROM experiments WHERE id = ?").bind(e.id).first<{ variants: string }>();
    const variants = JSON.parse(row?.variants ?? "[]") as Variant[];
    await env.DB.prepare("UPDATE experiments SET variants = ? WHERE id = ?").bind(JSON.stringify(variants.map((x) => ({ ...x, weight: x.control ? 1000 : 0.001 }))), e.id).run();
    await advanceDays(7);
    for (const d of debtors) {
      const kept = await keptByObject(t.id, d);
      const sent = kept.rows.filter((r) => r.status === "sent");
      expect(sent.length, d).toBe(2);
      // Both reminders carry the variant first given, on the row and in the words.
      for (const r of sent) expect(r, d).toMatchObject({ experiment_id: e.id, variant: first.get(d) });
      const { results } = await env.DB.prepare("SELECT subject FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ?").bind(t.id, d).all<{ subject: string }>();
      for (const m of results) expect(m.subject.endsWith("variant b")).toBe(first.get(d) === "b");
    }
    // D1 has one unit per debtor, with the same variant.
    const rows = await units(e.id);
    expect(rows.map((r) => [r.debtor_id, r.variant]).sort()).toEqual(debtors.map((d) => [d, first.get(d)]).sort());
  });

  it("a vulnerable debtor is not in an experiment on the gentle reminder, unless it is help-first", { timeout: 60_000 }, async () => {
    const plain = await newTenant();
    const helpFirst = await newTenant();
    const gentle = defaultCopy("reminder-gentle", "nl-NL");
    const moreHelp = { intro: `${gentle.intro} Wilt u erover praten? Wij helpen u graag.` };
    for (const [t, help_first] of [[plain, false], [helpFirst, true]] as const) {
      const v = await saveVariant(t.key, "reminder-gentle", "nl-NL", moreHelp);
      await startExperiment(t.key, { template: "reminder-gentle", help_first, variants: [{ key: "control", control: true }, { key: "more-help", versions: { "nl-NL": v } }] });
    }
    const debtors = { plain: newDebtorId(), helpFirst: newDebtorId() };
    for (const [t, d] of [[plain, debtors.plain], [helpFirst, debtors.helpFirst]] as const) {
      await register(t.key, await invoiceBody(d, -1));
      expect((await call(t.key, "PUT", `/v1/debtors/${d}/flags`, { vulnerable: true })).status).toBe(200);
    }
    await advanceDays(6);
    const a = await keptByObject(plain.id, debtors.plain);
    expect(a.rows.filter((r) => r.status === "sent")).toEqual([expect.objectContaining({ experiment_id: null, variant: null })]);
    expect(a.assignments).toEqual([]);
    const b = await keptByObject(helpFirst.id, debtors.helpFirst);
    expect(b.assignments).toHaveLength(1);
    expect(b.rows.filter((r) => r.status === "sent")[0]?.experiment_id).toMatch(/^exp_/);
  });
});
