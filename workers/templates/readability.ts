/**
 * Readability scores for the copy, per language, by the published formulas (ASL = words per
 * sentence, ASW = syllables per word):
 * - English, Flesch (1948) Reading Ease: 206.835 - 1.015 ASL - 84.6 ASW (the `flesch` package;
 *   syllables by the `syllable` package).
 * - Dutch, Flesch-Douma (Douma 1960): 206.84 - 0.93 ASL - 77 ASW.
 * - French, Kandel & Moles (1958): 207 - 1.015 ASL - 73.6 ASW.
 * No maintained npm package counts Dutch or French syllables, so they are counted by vowel
 * groups: a run of vowels is one syllable ("ij", "ei", "ou", "eau" are one sound); a diaeresis
 * starts a new one (ideeën, Noël); in French a final mute "e"/"es" after a consonant is not a
 * syllable. About 60 and above reads as plain language (B1), 70 and above as easy. Pure; the
 * copy editor's lint (issue 8) and `npm run readability` use it.
 */
import { flesch } from "flesch";
import { syllable } from "syllable";

/** The languages scored. */
export type ReadabilityLocale = "nl-NL" | "nl-BE" | "fr-BE" | "en";

/** Syllables of a Dutch word, by vowel groups (ij as a vowel; a diaeresis starts a syllable). */
export function dutchSyllables(word: string): number {
  const w = word.toLowerCase().replace(/ij/g, "e");
  const groups = w.match(/[aeiouyáéíóúàèâêîôû]+|[ëïöü][aeiouyáéíóúàèâêîôû]*/g) ?? [];
  return Math.max(1, groups.length);
}

/** Syllables of a French word, by vowel groups, without a final mute e/es after a consonant. */
export function frenchSyllables(word: string): number {
  let w = word.toLowerCase().replace(/^(l|d|j|n|s|c|qu|m|t)'/, "");
  if (w.length > 3) w = w.replace(/([^aeiouyéèêàâîôûù])es?$/, "$1");
  const groups = w.match(/[aeiouyàâäéèêîôûùœæ]+|[ëïü][aeiouyàâäéèêîôûùœæ]*/g) ?? [];
  return Math.max(1, groups.length);
}

/** Sentences, words and syllables of a text. */
export function counts(text: string, syllables: (w: string) => number) {
  const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => /\p{L}/u.test(s));
  const words = text.split(/[\s\u00a0\u202f]+/).map((w) => w.replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, "")).filter((w) => /\p{L}/u.test(w) && !/^https?:|@|\.\w{2,}$/.test(w));
  return { sentence: sentences.length, word: words.length, syllable: words.reduce((s, w) => s + syllables(w), 0) };
}

/** The readability score of `text` in `locale`, by that language's formula. */
export function readability(text: string, locale: ReadabilityLocale): number {
  if (locale === "en") return flesch(counts(text, syllable));
  const c = counts(text, locale === "fr-BE" ? frenchSyllables : dutchSyllables);
  const asl = c.word / c.sentence;
  const asw = c.syllable / c.word;
  return locale === "fr-BE" ? 207 - 1.015 * asl - 73.6 * asw : 206.84 - 0.93 * asl - 77 * asw;
}

/** The formula used for a locale. */
export const READABILITY_FORMULA: Record<ReadabilityLocale, string> = { "nl-NL": "Flesch-Douma", "nl-BE": "Flesch-Douma", "fr-BE": "Kandel-Moles", en: "Flesch" };
