/**
 * No variant, whatever its copy, can render without the locked blocks. For every template, locale
 * and channel, generated edits (random text in any script, placeholders known, unknown and broken,
 * HTML and markup that tries to break out, text that imitates the locked lines, empty and very long
 * blocks) replace every editable block, and the message is rendered as the debtor would get it.
 * The oracle is the same message with Kindly's default words: every locked part it has (the
 * amounts and invoice or instalment table, the crossed-payment line, the help places, the pay
 * action and the bank transfer, the contact lines and every legal notice) must be in the edited
 * rendering too, word for word; and the edit's markup never becomes markup.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NL_FOURTEEN_DAY_WORDING } from "../workers/policy/law-nl";
import type { TemplateCopy } from "../workers/templates/blocks";
import { hasCopy, type CopyKey } from "../workers/templates/copy";
import { MESSAGE_TEMPLATE_KEYS, PLACEHOLDERS } from "../workers/templates/keys";
import { buildMessage, type MessageModel } from "../workers/templates/model";
import { renderEmail, renderPostedLetter, renderSms, type RenderedText } from "../workers/templates/render-message";
import { TEMPLATE_LOCALES } from "../workers/templates/registry";
import { sampleInput, sampleLetterParties } from "../workers/templates/samples";

const KEYS = MESSAGE_TEMPLATE_KEYS.filter(hasCopy) as CopyKey[];
const CHANNELS = ["email", "letter", "sms"] as const;
/** Generated edits per template, locale and channel (2 x 16 x 4 x 3 = 384 renderings, each checked). */
const RUNS_PER_COMBINATION = 2;
const norm = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, " ").trim();

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30, unit: "grapheme" }) },
  { weight: 2, arbitrary: fc.constantFrom(...Object.keys(PLACEHOLDERS).map((p) => `{{${p}}}`), "{{frist_name}}", "{{ amount", "{amount}", "}}", "{{{{name}}}}") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "<script>alert(1)</script>", "</p></td></tr></table></div>", "<!--", "<img src=x onerror=alert(1)>", '"><a href="https://evil.example">', "**vet**", "\n\n\n",
      "Totaal € 0,00", "Betaal € 1,00", "Hebt u al betaald? Dan hoeft u niets te doen.", "IBAN NL00BANK0000000000", "https://evil.example/pay", "\u0000", "\u202e",
    ),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 300, maxLength: 900, unit: "grapheme-ascii" }) },
);
const block = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(" "));
const edits: fc.Arbitrary<TemplateCopy> = fc.record({
  subject: block, preheader: block, heading: block, greeting: block, intro: block, body: fc.array(block, { maxLength: 4 }), cta: block, signoff: block, sms: block,
});

async function draw(key: CopyKey, locale: (typeof TEMPLATE_LOCALES)[number], channel: (typeof CHANNELS)[number], copy?: TemplateCopy): Promise<{ model: MessageModel; out: RenderedText }> {
  const input = sampleInput(key, locale, channel);
  const { sample: _, ...message } = input;
  const model = buildMessage({ ...message, ...(copy ? { copy } : {}) });
  if (channel === "email") return { model, out: await renderEmail(model) };
  if (channel === "letter") return { model, out: await renderPostedLetter(model, sampleLetterParties(input)) };
  return { model, out: renderSms(model, 2) };
}

/** The locked parts of a message, as the default words render them: what every edit must keep. */
function lockedParts(m: MessageModel, channel: (typeof CHANNELS)[number]): string[] {
  if (channel === "sms") {
    const place = m.help.places[0];
    return [m.locked.crossedSms[m.crossedVariant], m.locked.sms.help(`${place?.name ?? ""}${place?.phoneNumber ? ` ${place.phoneNumber}` : ""}`), m.locked.sms.link, m.input.links.short ?? ""];
  }
  const parts = [m.crossed, m.help.intro, ...m.help.places.map((p) => p.name), ...m.contact, ...(m.legal ?? []).map((p) => p.text)];
  if (m.input.template !== "payment-thanks") {
    parts.push(m.total);
    if (m.instalmentRows) parts.push(...m.instalmentRows.map((r) => r.amount));
    // On paper each row shows its amount; in an email a row whose own link pays it names the amount on the link.
    else parts.push(...m.rows.flatMap((r) => [r.reference, r.dueDate, channel === "email" && r.payLink ? r.payLink.label : r.outstanding]));
  }
  if (m.bank) parts.push(...m.bank.lines.map(([k, v]) => `${k} ${v}`));
  return parts;
}

describe("locked blocks survive any edit", () => {
  it(`renders every template, locale and channel with ${RUNS_PER_COMBINATION} generated edits each, and every locked part is there`, { timeout: 120_000 }, async () => {
    let checked = 0;
    let combination = 0;
    for (const key of KEYS) {
      for (const locale of TEMPLATE_LOCALES) {
        for (const channel of CHANNELS) {
          const reference = await draw(key, locale, channel);
          // What the default words render of the locked parts (a thank-you letter has no pay block, so no contact lines there).
          const shown = norm(reference.out.text);
          const locked = lockedParts(reference.model, channel).map(norm).filter((p) => p && shown.includes(p));
          // Always: the crossed-payment line and the help; with something to pay, the amounts too.
          const crossed = norm(channel === "sms" ? reference.model.locked.crossedSms[reference.model.crossedVariant] : reference.model.crossed);
          expect(locked, `${key} ${locale} ${channel}`).toContain(crossed);
          expect(locked.filter((p) => reference.model.help.places.some((h) => p.includes(norm(h.name)))).length, `${key} ${locale} ${channel} help`).toBeGreaterThan(0);
          if (channel !== "sms" && key !== "payment-thanks") expect(locked, `${key} ${locale} ${channel}`).toContain(norm(reference.model.total));
          const payUrl = reference.model.pay?.url;
          await fc.assert(
            fc.asyncProperty(edits, async (copy) => {
              const { out } = await draw(key, locale, channel, copy);
              const text = norm(out.text);
              for (const part of locked) expect(text, `${key} ${locale} ${channel}: ${part}`).toContain(part);
              if (channel === "sms") expect(out.text.trimEnd().endsWith(reference.model.input.links.short ?? "?"), `${key} ${locale} sms link last`).toBe(true);
              else {
                // The edit's markup stays text: no script, no handler, no link the shop did not make.
                expect(out.html).not.toMatch(/<script|<img[^>]*onerror|<a[^>]*href="https:\/\/evil/i);
                if (channel === "email" && payUrl) expect(out.html).toContain(`href="${payUrl.replaceAll("&", "&amp;")}"`);
              }
              checked++;
            }),
            // A seed per combination: each gets its own edits, and a failure names the seed to replay.
            { numRuns: RUNS_PER_COMBINATION, seed: 8_2026 + combination++ },
          );
        }
      }
    }
    expect(checked).toBe(KEYS.length * TEMPLATE_LOCALES.length * CHANNELS.length * RUNS_PER_COMBINATION);
  });

  it("the legal notices are the lawful words themselves: the NL 14-day term on the letter, the BE first reminder's content", async () => {
    const blank: TemplateCopy = { subject: "", preheader: "", heading: "", greeting: "", intro: "", body: [], cta: "", signoff: "", sms: "" };
    const nl = norm((await draw("nl-fourteen-day-letter", "nl-NL", "letter", blank)).out.text);
    expect(nl).toContain(norm(NL_FOURTEEN_DAY_WORDING.nl));
    const be = (await draw("be-first-reminder", "nl-BE", "email", blank)).model;
    const beText = norm((await draw("be-first-reminder", "nl-BE", "email", blank)).out.text);
    for (const p of be.legal ?? []) expect(beText).toContain(norm(p.text));
    expect(beText).toContain("Deze herinnering is gratis.");
    expect(beText).toContain("U hebt 14 dagen om te betalen.");
  });
});
