/**
 * `npm run readability`: the readability score of every template in every locale (see
 * workers/templates/readability.ts for the formulas), computed from each template's sample
 * message as the debtor reads it: the editable blocks filled in, plus the locked sentences (the
 * crossed-payment line, the help intro, any legal notice); not tables, links or amounts.
 */
import "./node-globals";
import { hasCopy, type CopyKey, type CopyLocale } from "../workers/templates/copy";
import { MESSAGE_TEMPLATE_KEYS, TEMPLATE_DEFS } from "../workers/templates/keys";
import { READABILITY_FORMULA, readability } from "../workers/templates/readability";
import { sampleProse } from "../workers/templates/registry";

const LOCALES: CopyLocale[] = ["nl-NL", "nl-BE", "fr-BE", "en"];

const keys = MESSAGE_TEMPLATE_KEYS.filter(hasCopy) as CopyKey[];
const rows = keys.map((key) => ({ key, purpose: TEMPLATE_DEFS[key].purpose, scores: LOCALES.map((l) => {
  const prose = sampleProse(key, l);
  return readability(prose.text, prose.locale);
}) }));
console.log(`| Template | Purpose | ${LOCALES.map((l) => `${l} (${READABILITY_FORMULA[l]})`).join(" | ")} |`);
console.log(`|---|---|${LOCALES.map(() => "---:").join("|")}|`);
for (const r of rows) console.log(`| \`${r.key}\` | ${r.purpose} | ${r.scores.map((s) => s.toFixed(0)).join(" | ")} |`);
const low = rows.flatMap((r) => r.scores.map((s, i) => ({ key: r.key, locale: LOCALES[i], s }))).filter((x) => x.s < 60);
console.log(low.length ? `\nBelow 60: ${low.map((x) => `${x.key} ${x.locale} (${x.s.toFixed(0)})`).join(", ")}` : "\nEvery template scores 60 or more in every locale.");
