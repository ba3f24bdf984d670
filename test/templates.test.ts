/**
 * Every template of the registry, in every locale, on every channel it has: it renders, it keeps
 * the locked parts (the crossed-payment line, concrete free help, a pay action), its copy uses
 * only the placeholders it declares, and it says nothing it must not. The plain-text renderings
 * are committed under test/snapshots/ (one readable file per template, all locales and channels)
 * and were read by a person; a change of wording shows up there as a diff to review.
 */
import { describe, expect, it } from "vitest";
import { call, newTenant } from "./helpers";
import { undeclaredPlaceholders } from "../workers/templates/blocks";
import { defaultCopy, hasCopy, type CopyKey } from "../workers/templates/copy";
import { MESSAGE_TEMPLATE_KEYS, TEMPLATE_DEFS } from "../workers/templates/keys";
import { LOCKED } from "../workers/templates/locked";
import { helpPlaces } from "../workers/help-places";
import { describeTemplates, renderSample, TEMPLATE_LOCALES } from "../workers/templates/registry";
import { messageLocale } from "../workers/templates/model";
import { sampleCountry, sampleInput, sampleKind } from "../workers/templates/samples";

const KEYS = MESSAGE_TEMPLATE_KEYS.filter(hasCopy) as CopyKey[];
const plain = (t: string) => t.replace(/[\u00a0\u202f]/g, " ");
// Words that threaten or shame; none may appear in any template (Wki; Book XIX).
const THREAT = /deurwaarder|rechter|rechtbank|dagvaarding|beslag|ingebrekestelling|aanmaning|huissier|tribunal|sommation|mise en demeure|saisie|bailiff|court order|to court|seizure|final warning|laatste waarschuwing|dernier avertissement/i;

describe("the template registry", () => {
  it("describes every template with its purpose, channels, editable blocks, placeholders and samples", () => {
    const all = describeTemplates();
    expect(all.map((t) => t.key).sort()).toEqual(Object.keys(TEMPLATE_DEFS).sort());
    for (const t of all.filter((d) => d.copy)) {
      expect(t.purpose.length).toBeGreaterThan(20);
      expect(t.editableBlocks.email).toContain("subject");
      expect(t.editableBlocks.letter).not.toContain("subject");
      expect(t.editableBlocks.sms).toEqual(["sms"]);
      expect(t.lockedBlocks).toContain("crossed-payment line");
      expect(Object.keys(t.samples ?? {})).toEqual([...TEMPLATE_LOCALES]);
    }
  });

  it("uses only declared placeholders in every template and locale", () => {
    for (const key of KEYS) for (const locale of TEMPLATE_LOCALES) expect(undeclaredPlaceholders(defaultCopy(key, locale), TEMPLATE_DEFS[key].placeholders), `${key} ${locale}`).toEqual([]);
  });
});

for (const key of KEYS) {
  describe(`template ${key}`, () => {
    it("renders in every locale and channel with the crossed-payment line, concrete help and a pay action", async () => {
      const doc: string[] = [`# ${key}: ${TEMPLATE_DEFS[key].purpose}`];
      for (const locale of TEMPLATE_LOCALES) {
        const locked = LOCKED[locale];
        const variant = TEMPLATE_DEFS[key].crossed;
        const country = sampleCountry(key, locale);
        const places = helpPlaces(country, locale, sampleInput(key, locale, "email").debtor.postalCode);
        const email = await renderSample(key, locale, "email");
        const letter = await renderSample(key, locale, "letter");
        const sms = await renderSample(key, locale, "sms");
        for (const [channel, r] of [["email", email], ["letter", letter]] as const) {
          const text = plain(r.text);
          // A 14-day letter to a reader of Belgian Dutch or French is written in Dutch (messageLocale).
          const written = LOCKED[messageLocale({ kind: sampleKind(key), channel, country, locale })];
          expect(text, `${channel} ${locale}`).toContain(plain(written.crossed[variant]));
          const writtenLocale = messageLocale({ kind: sampleKind(key), channel, country, locale });
          for (const p of helpPlaces(country, writtenLocale, sampleInput(key, locale, channel).debtor.postalCode)) expect(text, `${channel} ${locale}`).toContain(p.name);
          if (key !== "payment-thanks") {
            // The pay action: a button (email) or how to pay on paper (letter), with the bank transfer.
            if (channel === "email") expect(r.html).toMatch(/data-part="pay"[^]*?href="https:\/\//);
            expect(text).toContain(plain(written.pay.reference[country]));
          }
          expect(text).not.toMatch(/\{\{|undefined|null|NaN/);
          expect(text).not.toMatch(THREAT);
        }
        expect(email.subject).not.toMatch(/\{\{/);
        const smsText = plain(sms.text);
        expect(smsText).toContain(locked.crossedSms[variant]);
        expect(smsText).toContain(places[0]?.name ?? "?");
        expect(smsText).toMatch(/https:\/\/\S+$/);
        // No amount on a lock screen.
        expect(smsText).not.toMatch(/€|\d+,\d\d/);
        doc.push(`\n## ${locale} · email\nSubject: ${email.subject}\n\n${plain(email.text).trim()}`);
        doc.push(`\n## ${locale} · letter\n\n${plain(letter.text).trim()}`);
        doc.push(`\n## ${locale} · sms\n\n${smsText}`);
      }
      await expect(`${doc.join("\n")}\n`).toMatchFileSnapshot(`./snapshots/${key}.txt`);
    }, 30_000);
  });
}

describe("what a template must never say", () => {
  it("the pre-due nudge never says a payment was not received", async () => {
    for (const locale of TEMPLATE_LOCALES) {
      const { text } = await renderSample("pre-due-nudge", locale, "email");
      expect(text).not.toMatch(/niet ontvangen|pas encore reçu|not received|not yet received|vergeten|oublié|forgot|ontgaan|échappé|slipped/i);
    }
  });

  it("the 'already paid' follow-up thanks and checks, without 'maybe you missed it' or 'nothing to do'", async () => {
    for (const locale of TEMPLATE_LOCALES) {
      const { text } = await renderSample("already-paid-follow-up", locale, "email");
      expect(text).toMatch(/Dank u wel|Merci|Thank you/);
      expect(text).not.toMatch(/ontgaan|échappé|slipped your mind|vergeten|oublié|forgot|niets te doen|rien à faire|do not need to do anything/i);
    }
  });

  it("Flemish texts say 'afbetalingsplan', never 'betalingsregeling'", async () => {
    for (const key of KEYS) {
      for (const channel of ["email", "letter", "sms"] as const) {
        const r = await renderSample(key, "nl-BE", channel);
        expect(`${r.subject} ${r.text}`, `${key} ${channel}`).not.toMatch(/betalingsregeling/i);
      }
    }
    expect((await renderSample("arrangement-confirmation", "nl-BE", "email")).text).toContain("afbetalingsplan");
  }, 30_000);

  it("the email preheader never shows an amount (lock screens), in any template or locale", () => {
    for (const key of KEYS) for (const locale of TEMPLATE_LOCALES) expect(defaultCopy(key, locale).preheader).not.toMatch(/\{\{\s*(amount|instalment_amount|paid_amount)\s*\}\}|€/);
  });

  it("no two templates share a subject in a locale", () => {
    for (const locale of TEMPLATE_LOCALES) {
      const subjects = KEYS.map((k) => defaultCopy(k, locale).subject);
      expect(new Set(subjects).size, locale).toBe(subjects.length);
    }
  });
});

describe("saving a policy", () => {
  it("PUT /v1/policy refuses a step with an unknown template key, naming the step (422)", async () => {
    const t = await newTenant();
    const current = (await (await call(t.key, "GET", "/v1/policy")).json()) as { version: number; policy: { ladders: Record<string, { steps: { template: string }[] }> } };
    const policy = structuredClone(current.policy);
    const step = policy.ladders.standard_nl?.steps[2];
    if (!step) throw new Error("default ladder has a third step");
    step.template = "reminder-third";
    const res = await call(t.key, "PUT", "/v1/policy", { ...policy, version: current.version + 1 });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors).toEqual([expect.objectContaining({ field: "ladders.standard_nl.steps.2.template", message: expect.stringContaining('Unknown template "reminder-third"') })]);
  });
});
