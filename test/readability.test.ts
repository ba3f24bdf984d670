/** The readability formulas and syllable counters behind `npm run readability`, on worked examples. */
import { describe, expect, it } from "vitest";
import { hasCopy, type CopyKey } from "../workers/templates/copy";
import { MESSAGE_TEMPLATE_KEYS } from "../workers/templates/keys";
import { counts, dutchSyllables, frenchSyllables, readability } from "../workers/templates/readability";
import { sampleProse, TEMPLATE_LOCALES } from "../workers/templates/registry";

describe("syllable counters", () => {
  it("counts Dutch syllables by vowel groups, 'ij' as one sound and a diaeresis as a new syllable", () => {
    // be-ta-lings-re-ge-ling, vrij-dag, bij-voor-beeld, i-dee-ën, schuld.
    expect(["betalingsregeling", "vrijdag", "bijvoorbeeld", "ideeën", "schuld"].map(dutchSyllables)).toEqual([6, 2, 3, 3, 1]);
  });

  it("counts French syllables without a final mute e", () => {
    // fac-ture, rap-pel, pai(e)-ment, é-chéance -> é-ché-ance, aide.
    expect(["facture", "rappel", "paiement", "aide", "médiation"].map(frenchSyllables)).toEqual([2, 2, 2, 1, 3]);
  });
});

describe("readability formulas", () => {
  it("Flesch-Douma: 206.84 - 0.93 x words per sentence - 77 x syllables per word", () => {
    // "Wij helpen u graag." 4 words, 1 sentence, syllables wij 1, hel-pen 2, u 1, graag 1 = 5.
    const text = "Wij helpen u graag.";
    expect(counts(text, dutchSyllables)).toEqual({ sentence: 1, word: 4, syllable: 5 });
    expect(readability(text, "nl-NL")).toBeCloseTo(206.84 - 0.93 * 4 - 77 * (5 / 4), 6);
  });

  it("Kandel-Moles: 207 - 1.015 x words per sentence - 73.6 x syllables per word", () => {
    // "Nous vous aidons." 3 words, 1 sentence: nous 1, vous 1, ai-dons 2 = 4.
    expect(readability("Nous vous aidons.", "fr-BE")).toBeCloseTo(207 - 1.015 * 3 - 73.6 * (4 / 3), 6);
  });

  it("Flesch: 206.835 - 1.015 x words per sentence - 84.6 x syllables per word", () => {
    // "We can help you." 4 words, 4 syllables, 1 sentence.
    expect(readability("We can help you.", "en")).toBeCloseTo(206.835 - 1.015 * 4 - 84.6 * 1, 6);
  });
});

describe("the templates", () => {
  it("every template reads as easy (70 or more) in every language, by its language's formula", () => {
    for (const key of MESSAGE_TEMPLATE_KEYS.filter(hasCopy) as CopyKey[]) {
      for (const locale of TEMPLATE_LOCALES) {
        const prose = sampleProse(key, locale);
        expect(readability(prose.text, prose.locale), `${key} ${locale}`).toBeGreaterThanOrEqual(70);
      }
    }
  });
});
