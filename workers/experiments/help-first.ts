/**
 * What "help-first" means for a variant, checked against the control's words in the same locale.
 * Such an experiment may reach protected debtors (vulnerable, hardship, debt counselling), so each
 * variant may only add help and take pressure away:
 *
 * - no more pressure words (urgency, deadlines, consequences: word-lists.ts) than the control;
 * - no more exclamation marks;
 * - the amount ({{amount}}) and the due date ({{due_date}}) named no more often;
 * - at least as many help words (help, solutions, talking together, paying in parts or later).
 *
 * Pure. Everything else (threats, readability, placeholders) is the ordinary lint's.
 */
import type { TemplateCopy } from "../templates/blocks";
import { placeholdersIn } from "../templates/blocks";
import { HELP, listLanguage, matches, PRESSURE } from "../templates/word-lists";

/** The words a reader of this copy sees, every block together. */
const allText = (c: TemplateCopy) => [c.subject, c.preheader, c.heading, c.intro, ...c.body, c.cta, c.sms].join("\n");

/** What a copy weighs on the two sides. */
export function helpFirstMeasures(copy: TemplateCopy, locale: string) {
  const text = allText(copy);
  const lang = listLanguage(locale);
  const names = placeholdersIn(text);
  return {
    pressure: matches(PRESSURE[lang], text).length,
    exclamations: (text.match(/!/g) ?? []).length,
    amount: names.filter((n) => n === "amount").length,
    dueDate: names.filter((n) => n === "due_date").length,
    help: matches(HELP[lang], text).length,
  };
}

/** Why `variant` is not help-first against `control` (empty: it is). */
export function helpFirstProblems(control: TemplateCopy, variant: TemplateCopy, locale: string): string[] {
  const c = helpFirstMeasures(control, locale);
  const v = helpFirstMeasures(variant, locale);
  const out: string[] = [];
  if (v.pressure > c.pressure) out.push(`it uses ${v.pressure} pressure words (urgency, deadlines, consequences); the control uses ${c.pressure}`);
  if (v.exclamations > c.exclamations) out.push(`it has ${v.exclamations} exclamation marks; the control has ${c.exclamations}`);
  if (v.amount > c.amount) out.push(`it names the amount ${v.amount} times; the control ${c.amount}`);
  if (v.dueDate > c.dueDate) out.push(`it names the due date ${v.dueDate} times; the control ${c.dueDate}`);
  if (v.help < c.help) out.push(`it offers less help (${v.help} help words; the control ${c.help})`);
  return out;
}
