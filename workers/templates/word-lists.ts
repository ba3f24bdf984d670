/**
 * Word lists the copy lint reads, per language: words that threaten or shame (never allowed, Wki
 * and Book XIX: no intimidation, nothing that looks like a court document), words that press
 * (urgency and consequences), and words that offer help. The last two define a help-first
 * variant: it may only add help and take pressure away. Pure data.
 */

/** Threats and court language; none may appear in any copy, in any language (checked on every save). */
export const THREATENING = /\b(deurwaarders?|rechters?|rechtbank|dagvaarding|beslag|beslaglegging|ingebrekestelling|aanmaning|sommatie|huissiers?|tribunal|sommation|mise en demeure|saisies?|poursuites? judiciaires?|bailiffs?|court order|to court|seizure|legal action|final warning|laatste waarschuwing|dernier avertissement|zwarte lijst|liste noire|blacklist)\b/giu;

/** Pressure: urgency, deadlines and consequences. A help-first variant may not use more of it than the control. */
export const PRESSURE: Record<"nl" | "fr" | "en", RegExp> = {
  nl: /\b(dringend|onmiddellijk|per direct|direct betalen|meteen betalen|betaal nu|nu betalen|vandaag nog|zo snel mogelijk|uiterlijk|laatste kans|laatste keer|verplicht|gevolgen|maatregelen|incasso\w*)\b/giu,
  fr: /\b(urgent|imm[ée]diatement|sans d[ée]lai|sans tarder|d[èe]s aujourd'hui|payez maintenant|au plus tard|derni[èe]re chance|derni[èe]re fois|obligatoire|cons[ée]quences|mesures|recouvrement)\b/giu,
  en: /\b(urgent|urgently|immediately|right away|without delay|pay now|today|as soon as possible|at the latest|last chance|final|must|required|consequences|measures|collection)\b/giu,
};

/** Help: where to find it, solutions, talking together, paying in parts or later. */
export const HELP: Record<"nl" | "fr" | "en", RegExp> = {
  nl: /\b(hulp|helpen|help|geldzorgen|schuldhulp\w*|oplossing(en)?|samen|praten|betalingsregeling|afbetalingsplan|in delen|later betalen|andere datum|geen haast|rustig)\b/giu,
  fr: /\b(aide|aider|solutions?|ensemble|parler|plan de paiement|en plusieurs fois|plus tard|autre date|soucis d'argent|pas d'urgence|prenez le temps)\b/giu,
  en: /\b(help|support|solutions?|together|talk|arrangement|in parts|instalments|later date|another date|money worries|debt advice|no rush|take your time)\b/giu,
};

/** The word-list language of a locale. */
export const listLanguage = (locale: string): "nl" | "fr" | "en" => (locale.startsWith("nl") ? "nl" : locale.startsWith("fr") ? "fr" : "en");

/** Every match of `re` in `text`, lower-cased. */
export function matches(re: RegExp, text: string): string[] {
  return [...text.matchAll(new RegExp(re.source, re.flags))].map((m) => m[0].toLowerCase());
}
