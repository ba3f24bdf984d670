/**
 * The copy lint: run on every save, and again before a version is published or used in an
 * experiment. It names every problem, block by block, so a marketer can fix them all at once:
 *
 * - placeholders: malformed (`{name}`, `{{ Name`), unknown (not a Kindly placeholder), not
 *   available in this template (a Kindly placeholder it has no value for), and missing (the SMS and
 *   the email must say which shop writes: `{{shop_name}}`);
 * - empty blocks the message cannot do without (subject, heading, greeting, button, sign-off, SMS);
 * - a subject over 60 characters once filled in with the shop's own name;
 * - an amount in the preheader or the SMS text (lock screens show both), or an amount typed
 *   into any other block instead of a placeholder (it would go stale);
 * - an SMS over its segment budget with the locked parts added (crossed-payment line, help, link);
 * - words on the threatening-language list;
 * - readability below the B1 target of the language (Flesch-Douma for Dutch, Kandel-Moles for
 *   French, Flesch for English), scored on the words the marketer wrote (heading, introduction,
 *   paragraphs) filled in with the sample's values.
 *
 * Pure: the copy and the sample message data in, the problems and the measurements out.
 */
import { messageSmsText, plainTypography, smsSegments } from "../channels/sms-text";
import { BLOCK_NAMES, placeholdersIn, type TemplateCopy } from "./blocks";
import type { CopyKey, CopyLocale } from "./copy";
import { PLACEHOLDERS, TEMPLATE_DEFS, type Placeholder } from "./keys";
import { buildMessage, type MessageInput } from "./model";
import { READABILITY_FORMULA, readability } from "./readability";
import { matches, THREATENING } from "./word-lists";

/** Longest subject, filled in, that mail apps show whole on a phone. */
export const MAX_SUBJECT_CHARS = 60;
/** Fewer words than this in the introduction and paragraphs are not scored for readability. */
const MIN_SCORED_WORDS = 8;
/** The B1 target per language: 60 and above reads as plain language on each formula's scale. */
export const B1_TARGET: Record<CopyLocale, number> = { "nl-NL": 60, "nl-BE": 60, "fr-BE": 60, en: 60 };

/** One problem, named at its block. */
export interface LintProblem {
  block: keyof TemplateCopy | "copy";
  code:
    | "malformed_placeholder"
    | "unknown_placeholder"
    | "placeholder_not_available"
    | "missing_placeholder"
    | "empty_block"
    | "subject_too_long"
    | "amount_on_lock_screen"
    | "literal_amount"
    | "sms_over_budget"
    | "threatening_words"
    | "readability_below_b1"
    | "help_first";
  message: string;
}

/** What the lint measured, so an editor can show it next to the problems. */
export interface LintMeasures {
  subject_chars: number;
  sms_segments: number;
  sms_budget: number;
  sms_encoding: "GSM-7" | "UCS-2";
  readability: number;
  readability_formula: string;
  readability_target: number;
}

/** The lint's answer. */
export interface LintResult {
  ok: boolean;
  problems: LintProblem[];
  measures: LintMeasures;
}

const REQUIRED: (keyof TemplateCopy)[] = ["subject", "heading", "greeting", "cta", "signoff", "sms"];
const AMOUNTS: Placeholder[] = ["amount", "instalment_amount", "paid_amount"];
const LITERAL_AMOUNT = /€\s?\d|\d\s?€|\b(eur|euro)\s?\d|\d[.,]\d\d\s?(eur|euro)\b/i;

/** The text of a block (paragraphs joined). */
const textOf = (copy: TemplateCopy, block: keyof TemplateCopy) => {
  const v = copy[block];
  return Array.isArray(v) ? v.join("\n") : v;
};

/** Braces that are not a well-formed `{{lower_case}}` placeholder. */
function malformed(text: string): string[] {
  const rest = text.replace(/\{\{\s*[a-z_]+\s*\}\}/g, "");
  return [...rest.matchAll(/\{+[^{}]*\}*|\}+/g)].map((m) => m[0]).filter((s) => s.length > 0);
}

function placeholderProblems(copy: TemplateCopy, key: CopyKey): LintProblem[] {
  const declared = TEMPLATE_DEFS[key].placeholders as readonly string[];
  const problems: LintProblem[] = [];
  for (const block of BLOCK_NAMES) {
    const text = textOf(copy, block);
    for (const bad of new Set(malformed(text))) {
      problems.push({ block, code: "malformed_placeholder", message: `"${bad}" is not a placeholder: write placeholders as {{name}}, in lower case with two braces each side.` });
    }
    for (const name of new Set(placeholdersIn(text))) {
      if (!Object.hasOwn(PLACEHOLDERS, name)) problems.push({ block, code: "unknown_placeholder", message: `{{${name}}} is not a Kindly placeholder. This template offers: ${declared.map((p) => `{{${p}}}`).join(", ")}.` });
      else if (!declared.includes(name)) problems.push({ block, code: "placeholder_not_available", message: `{{${name}}} has no value in this template. It offers: ${declared.map((p) => `{{${p}}}`).join(", ")}.` });
    }
  }
  if (!placeholdersIn(copy.sms).includes("shop_name")) problems.push({ block: "sms", code: "missing_placeholder", message: "The SMS must say who writes: use {{shop_name}} (a sender name may not show on every phone)." });
  if (![copy.subject, copy.signoff].some((t) => placeholdersIn(t).includes("shop_name"))) {
    problems.push({ block: "subject", code: "missing_placeholder", message: "The email must say who writes: use {{shop_name}} in the subject or the sign-off." });
  }
  return problems;
}

/**
 * Lints `copy` for template `key` in `locale`. `sample` is realistic message data for the
 * template (the shop's own name in it), `smsBudget` the tenant's `sms_max_segments`.
 */
export function lintCopy(key: CopyKey, locale: CopyLocale, copy: TemplateCopy, sample: MessageInput, smsBudget: number): LintResult {
  const problems = placeholderProblems(copy, key);
  for (const block of REQUIRED) if (textOf(copy, block).trim() === "") problems.push({ block, code: "empty_block", message: "This block cannot be empty." });
  if (copy.intro.trim() === "" && copy.body.every((p) => p.trim() === "")) problems.push({ block: "intro", code: "empty_block", message: "Write at least an introduction or one paragraph." });

  for (const block of ["preheader", "sms"] as const) {
    const used = placeholdersIn(copy[block]).filter((p) => (AMOUNTS as string[]).includes(p));
    if (used.length > 0 || /€|\beur\b|\d+[.,]\d\d\b/i.test(copy[block])) {
      problems.push({ block, code: "amount_on_lock_screen", message: `No amount in the ${block === "sms" ? "SMS" : "preheader"}: lock screens show it to whoever holds the phone.` });
    }
  }

  // An amount typed into the words goes stale and may not be what is owed (every amount a debtor
  // reads must be exactly what is due): amounts come from placeholders only.
  for (const block of BLOCK_NAMES) {
    if (block === "preheader" || block === "sms") continue;
    if (LITERAL_AMOUNT.test(textOf(copy, block))) problems.push({ block, code: "literal_amount", message: "Do not type an amount: use {{amount}} (or {{instalment_amount}}, {{paid_amount}}), which is always what is owed." });
  }

  for (const block of BLOCK_NAMES) {
    const found = [...new Set(matches(THREATENING, textOf(copy, block)))];
    if (found.length > 0) problems.push({ block, code: "threatening_words", message: `Threatening or court language is never allowed (Wki, Book XIX): ${found.map((w) => `"${w}"`).join(", ")}.` });
  }

  // Measured on the message as it would go out, with the sample's values (and the shop's name).
  const m = buildMessage({ ...sample, template: key, locale, copy, channel: "email" });
  const subjectChars = Array.from(m.copy.subject).length;
  if (subjectChars > MAX_SUBJECT_CHARS) problems.push({ block: "subject", code: "subject_too_long", message: `The subject is ${subjectChars} characters filled in; keep it to ${MAX_SUBJECT_CHARS} so phones show it whole.` });

  const budget = Math.max(2, smsBudget);
  const sms = buildMessage({ ...sample, template: key, locale, copy, channel: "sms" });
  const place = sms.help.places[0];
  const full = messageSmsText({
    text: sms.copy.sms, crossed: sms.locked.crossedSms[sms.crossedVariant], help: place ? sms.locked.sms.help(`${place.name}${place.phoneNumber ? ` ${place.phoneNumber}` : ""}`) : "",
    linkLabel: sms.locked.sms.link, link: sample.links.short ?? "https://kindly.example/l/ABCDE-FGHJK-MNPQR", maxSegments: 1000,
  });
  // As the send does: plain typography (no-break spaces, curly quotes) when the text is too long as it is.
  const size = smsSegments(full).segments <= budget ? smsSegments(full) : smsSegments(plainTypography(full));
  if (size.segments > budget) problems.push({ block: "sms", code: "sms_over_budget", message: `With the crossed-payment line, the help line and the link the SMS takes ${size.segments} segments (${size.encoding}); the budget is ${budget}. Shorten the text.` });

  // The words the marketer wrote, filled in: locked sentences are easy and would hide a hard edit.
  const prose = [m.copy.heading ? `${m.copy.heading.replace(/[.!?:]*$/, "")}.` : "", m.copy.intro, ...m.copy.body].filter(Boolean).join(" ");
  const score = readability(prose, m.input.locale);
  const target = B1_TARGET[locale];
  // Too few words to score (the formulas need sentences); an empty text is empty_block's.
  const scored = [m.copy.intro, ...m.copy.body].join(" ").split(/\s+/).filter((w) => /\p{L}/u.test(w)).length >= MIN_SCORED_WORDS;
  if (scored && score < target) {
    problems.push({ block: "copy", code: "readability_below_b1", message: `Readability ${score.toFixed(0)} (${READABILITY_FORMULA[locale]}) is below the B1 target of ${target}: use shorter sentences and everyday words.` });
  }
  return {
    ok: problems.length === 0,
    problems,
    measures: {
      subject_chars: subjectChars, sms_segments: size.segments, sms_budget: budget, sms_encoding: size.encoding,
      readability: Math.round(score * 10) / 10, readability_formula: READABILITY_FORMULA[locale], readability_target: target,
    },
  };
}
