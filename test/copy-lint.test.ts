/**
 * The copy lint on worked examples, one rule at a time, and on Kindly's own default copy, which
 * must pass it in every template and locale (a marketer starts from it).
 */
import { describe, expect, it } from "vitest";
import { smsSegments } from "../workers/channels/sms-text";
import type { TemplateCopy } from "../workers/templates/blocks";
import { defaultCopy, hasCopy, type CopyKey } from "../workers/templates/copy";
import { MESSAGE_TEMPLATE_KEYS } from "../workers/templates/keys";
import { MAX_SUBJECT_CHARS } from "../workers/templates/lint";
import { lintFor, renderPreview } from "../workers/templates/preview";
import { counts, dutchSyllables } from "../workers/templates/readability";
import { TEMPLATE_LOCALES } from "../workers/templates/registry";

const SHOP = "Fietsenwinkel De Spaak";
const ctx = { shopName: SHOP, smsBudget: 2 };
const base = defaultCopy("reminder-friendly", "nl-NL");
const lint = (edit: Partial<TemplateCopy>, key: CopyKey = "reminder-friendly") => lintFor(key, "nl-NL", { ...defaultCopy(key, "nl-NL"), ...edit }, ctx);
const codes = (edit: Partial<TemplateCopy>, key?: CopyKey) => lint(edit, key).problems.map((p) => `${p.block}:${p.code}`);

describe("the copy lint", () => {
  it("passes Kindly's default copy in every template and locale", () => {
    for (const key of MESSAGE_TEMPLATE_KEYS.filter(hasCopy) as CopyKey[]) {
      for (const locale of TEMPLATE_LOCALES) expect(lintFor(key, locale, defaultCopy(key, locale), ctx).problems, `${key} ${locale}`).toEqual([]);
    }
  });

  it("names placeholders that are malformed, unknown, or not available in this template", () => {
    // Each broken one is named: "{name}", "{{ Naam }}" and "{{amount".
    expect(codes({ intro: "Beste {name}, {{ Naam }} en {{amount" })).toEqual(["intro:malformed_placeholder", "intro:malformed_placeholder", "intro:malformed_placeholder"]);
    expect(codes({ greeting: "Beste {{frist_name}}," })).toEqual(["greeting:unknown_placeholder"]);
    expect(codes({ intro: "Deel {{instalment_number}} staat open." })).toEqual(["intro:placeholder_not_available"]);
    // The same placeholder is fine where the template has it.
    expect(codes({ intro: "Deel {{instalment_number}} van {{instalment_count}} staat open." }, "instalment-reminder")).toEqual([]);
  });

  it("wants the shop's name in the SMS and in the email's subject or sign-off", () => {
    expect(codes({ sms: "Er staat een betaling open." })).toEqual(["sms:missing_placeholder"]);
    expect(codes({ subject: "Een herinnering", signoff: "Met vriendelijke groet" })).toEqual(["subject:missing_placeholder"]);
    expect(codes({ subject: "Een herinnering" })).toEqual([]);
  });

  it("refuses empty blocks the message cannot do without", () => {
    expect(codes({ subject: " ", cta: "" }).sort()).toEqual(["cta:empty_block", "subject:empty_block"]);
    expect(codes({ intro: "", body: [] })).toEqual(["intro:empty_block"]);
  });

  it("measures the subject filled in with the shop's name: 60 characters pass, 61 do not", () => {
    const filler = (n: number) => `{{shop_name}}: ${"x".repeat(n - SHOP.length - 2)}`;
    expect(lint({ subject: filler(MAX_SUBJECT_CHARS) }).measures.subject_chars).toBe(60);
    expect(codes({ subject: filler(MAX_SUBJECT_CHARS) })).toEqual([]);
    expect(codes({ subject: filler(MAX_SUBJECT_CHARS + 1) })).toEqual(["subject:subject_too_long"]);
  });

  it("keeps amounts off lock screens and out of typed words", () => {
    expect(codes({ preheader: "Nog {{amount}} te betalen" })).toEqual(["preheader:amount_on_lock_screen"]);
    expect(codes({ sms: "{{shop_name}}: nog € 12 open" })).toEqual(["sms:amount_on_lock_screen"]);
    expect(codes({ intro: "U moet nog € 49,95 betalen." })).toEqual(["intro:literal_amount"]);
    expect(codes({ cta: "Betaal 49,95 euro" })).toEqual(["cta:literal_amount"]);
    expect(codes({ cta: "Betaal {{amount}}" })).toEqual([]);
  });

  it("counts the SMS with its locked parts as it is sent: the longest text that fits the budget passes, one word more does not", async () => {
    const textOf = (words: number) => `{{shop_name}} ${"heeft een bericht".repeat(1)} ${Array.from({ length: words }, () => "woord").join(" ")}.`;
    let words = 0;
    while (lint({ sms: textOf(words + 1) }).problems.length === 0) words++;
    expect(lint({ sms: textOf(words + 1) }).problems.map((p) => p.code)).toEqual(["sms_over_budget"]);
    // Independently: the SMS as rendered with no budget has 2 segments at the limit and 3 past it.
    const drawn = async (w: number) => smsSegments((await renderPreview({ key: "reminder-friendly", locale: "nl-NL", channel: "sms", copy: { ...base, sms: textOf(w) }, shopName: SHOP, smsBudget: 10 })).text).segments;
    expect(await drawn(words)).toBe(2);
    expect(await drawn(words + 1)).toBe(3);
  });

  it("refuses threatening and court language in any block, in every language", () => {
    expect(codes({ body: [...base.body, "Of de deurwaarder komt."] })).toContain("body:threatening_words");
    expect(codes({ heading: "Laatste waarschuwing" })).toEqual(["heading:threatening_words"]);
    expect(lintFor("reminder-friendly", "fr-BE", { ...defaultCopy("reminder-friendly", "fr-BE"), intro: "Sinon, un huissier passera. Mise en demeure." }, ctx).problems.map((p) => p.code)).toEqual(["threatening_words"]);
    expect(lintFor("reminder-friendly", "en", { ...defaultCopy("reminder-friendly", "en"), body: ["We will take legal action."] }, ctx).problems.map((p) => p.code)).toEqual(["threatening_words"]);
  });

  it("wants B1: long sentences of long words score under 60 (Flesch-Douma, computed here from the counts)", () => {
    const hard = "Overeenkomstig de toepasselijke betalingsvoorwaarden verzoeken wij u vriendelijk doch nadrukkelijk het openstaande factuurbedrag onverwijld over te maken op het bovengenoemde rekeningnummer.";
    const r = lint({ heading: "Betalingsherinnering", intro: hard, body: [] });
    const c = counts(`Betalingsherinnering. ${hard}`, dutchSyllables);
    const expected = 206.84 - 0.93 * (c.word / c.sentence) - 77 * (c.syllable / c.word);
    expect(expected).toBeLessThan(60);
    expect(r.measures.readability).toBeCloseTo(expected, 0);
    expect(r.problems.map((p) => p.code)).toEqual(["readability_below_b1"]);
  });
});
