/**
 * The reader's language from an `Accept-Language` header (RFC 9110 §12.5.4), among the four
 * Kindly writes: a bilingual Belgian app sends "fr-BE" or "nl-BE" for the language its user
 * chose, whatever language the shop registered for that customer. Quality values are honoured;
 * plain "nl" means Flemish Dutch for a Belgian debtor and Dutch Dutch for everyone else.
 */
export type ReaderLocale = "nl-NL" | "nl-BE" | "fr-BE" | "en";

const LOCALES: readonly ReaderLocale[] = ["nl-NL", "nl-BE", "fr-BE", "en"];

/** Whether `value` is one of the four locales (e.g. a `?lang=` query value). */
export function isReaderLocale(value: unknown): value is ReaderLocale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function localeFor(tag: string, country: "NL" | "BE"): ReaderLocale | null {
  const [lang, region] = tag.split("-");
  if (lang === "fr") return "fr-BE";
  if (lang === "en") return "en";
  if (lang !== "nl") return null;
  if (region === "be") return "nl-BE";
  if (region === "nl") return "nl-NL";
  return country === "BE" ? "nl-BE" : "nl-NL";
}

/**
 * The best of the four locales for this header, or `fallback` (the debtor's own locale) when
 * the header is absent, names none of them, or only says "*".
 */
export function negotiateLocale(header: string | undefined, fallback: ReaderLocale, country: "NL" | "BE"): ReaderLocale {
  const ranges = (header ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag !== "" && r.q > 0)
    // Highest quality first; equal qualities keep the header's order.
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) {
    if (r.tag === "*") return fallback;
    const locale = localeFor(r.tag, country);
    if (locale) return locale;
  }
  return fallback;
}
