/**
 * Concrete, free help with money worries, per country (and Belgian region), in the debtor's
 * language: the help line every message, page and banner points to. People with money worries
 * are ashamed to ask and avoid their post; naming a real, free, anonymous place lowers that
 * threshold (domain.md, seeds 001 and 003).
 *
 * Sources (checked 2026-11-28; the organisations' own sites could not be reached from the build
 * machine, so each entry names where it was confirmed):
 * - Geldfit (NL): geldfit.nl is the start of the Nederlandse Schuldhulproute
 *   (nederlandseschuldhulproute.nl, "Hoe werkt het?"); free national phone line 0800-8115 since
 *   September 2020 (Geldfit's figures in blikopnieuws.nl, 2022-04; rijksoverheid.nl 2022-11-07).
 * - Municipal debt help (NL, Wet gemeentelijke schuldhulpverlening): every municipality must
 *   offer it, free of charge.
 * - OCMW / CPAS (BE): every municipality's public social welfare centre offers free debt
 *   mediation (schuldbemiddeling / médiation de dettes), e.g. ocmw.merelbeke.be, bierbeek.be.
 * - eerstehulpbijschulden.be (Flanders): the public information site the OCMWs refer to
 *   (bierbeek.be "Schuldbemiddeling").
 * - tropdedettes.be (Brussels): the campaign site of the Brussels support centre for debt
 *   mediation services, CAMD (echosducredit.be, sudinfo.be 2022-11-17).
 * - wallonie.be/surendettement (Wallonia): the Walloon Region's over-indebtedness portal
 *   (alterechos.be).
 */
export type HelpLocale = "nl-NL" | "nl-BE" | "fr-BE" | "en";
export type HelpRegion = "NL" | "BE-VLG" | "BE-BRU" | "BE-WAL";

/** One place that gives free help; `url` and `phone` only where the place has one for everyone. */
export interface HelpPlace {
  key: string;
  name: string;
  detail: string;
  url?: string;
  /** Display form, e.g. "0800-8115"; `tel` is the dialable E.164 form. */
  phone?: { display: string; tel: string };
}

type Words = Record<HelpLocale, { name: string; detail: string }>;
interface PlaceDef {
  key: string;
  url?: string;
  phone?: { display: string; tel: string };
  words: Words;
}

const GELDFIT: PlaceDef = {
  key: "geldfit",
  url: "https://www.geldfit.nl",
  phone: { display: "0800-8115", tel: "+318008115" },
  words: {
    "nl-NL": { name: "Geldfit", detail: "gratis en anoniem advies over geld en schulden, ook per telefoon" },
    "nl-BE": { name: "Geldfit", detail: "gratis en anoniem advies over geld en schulden, ook per telefoon" },
    "fr-BE": { name: "Geldfit", detail: "conseils gratuits et anonymes sur l'argent et les dettes, aussi par téléphone (en néerlandais)" },
    en: { name: "Geldfit", detail: "free and anonymous advice about money and debts, also by phone (in Dutch)" },
  },
};

const MUNICIPALITY_NL: PlaceDef = {
  key: "gemeente",
  words: {
    "nl-NL": { name: "de schuldhulpverlening van uw gemeente", detail: "gratis hulp als u schulden hebt" },
    "nl-BE": { name: "de schuldhulpverlening van uw gemeente", detail: "gratis hulp als u schulden hebt" },
    "fr-BE": { name: "le service d'aide aux dettes de votre commune (schuldhulpverlening)", detail: "aide gratuite en cas de dettes" },
    en: { name: "your municipality's debt help service (schuldhulpverlening)", detail: "free help with debts" },
  },
};

const OCMW: PlaceDef = {
  key: "ocmw",
  words: {
    "nl-NL": { name: "het OCMW van uw gemeente", detail: "gratis hulp bij schulden (schuldbemiddeling)" },
    "nl-BE": { name: "het OCMW van uw gemeente", detail: "gratis hulp bij schulden (schuldbemiddeling)" },
    "fr-BE": { name: "le CPAS de votre commune", detail: "aide gratuite en cas de dettes (médiation de dettes)" },
    en: { name: "the OCMW / CPAS of your municipality", detail: "free help with debts (debt mediation)" },
  },
};

const FLANDERS: PlaceDef = {
  key: "eerstehulpbijschulden",
  url: "https://www.eerstehulpbijschulden.be",
  words: {
    "nl-NL": { name: "eerstehulpbijschulden.be", detail: "uitleg en tips, en waar u gratis hulp vindt" },
    "nl-BE": { name: "eerstehulpbijschulden.be", detail: "uitleg en tips, en waar u gratis hulp vindt" },
    "fr-BE": { name: "eerstehulpbijschulden.be", detail: "explications et conseils, et où trouver une aide gratuite (en néerlandais)" },
    en: { name: "eerstehulpbijschulden.be", detail: "explanations, tips and where to find free help (in Dutch)" },
  },
};

const BRUSSELS: PlaceDef = {
  key: "tropdedettes",
  url: "https://tropdedettes.be",
  words: {
    "nl-NL": { name: "tropdedettes.be", detail: "gratis schuldbemiddeling in Brussel" },
    "nl-BE": { name: "tropdedettes.be", detail: "gratis schuldbemiddeling in Brussel" },
    "fr-BE": { name: "tropdedettes.be", detail: "médiation de dettes gratuite à Bruxelles, sans jugement" },
    en: { name: "tropdedettes.be", detail: "free debt mediation in Brussels" },
  },
};

const WALLONIA: PlaceDef = {
  key: "wallonie-surendettement",
  url: "https://www.wallonie.be/surendettement",
  words: {
    "nl-NL": { name: "wallonie.be/surendettement", detail: "uitleg en gratis hulp bij schulden in Wallonië (in het Frans)" },
    "nl-BE": { name: "wallonie.be/surendettement", detail: "uitleg en gratis hulp bij schulden in Wallonië (in het Frans)" },
    "fr-BE": { name: "wallonie.be/surendettement", detail: "conseils et aide gratuite en cas de dettes en Wallonie" },
    en: { name: "wallonie.be/surendettement", detail: "advice and free help with debts in Wallonia (in French)" },
  },
};

const BY_REGION: Record<HelpRegion, PlaceDef[]> = {
  NL: [GELDFIT, MUNICIPALITY_NL],
  "BE-VLG": [OCMW, FLANDERS],
  "BE-BRU": [OCMW, BRUSSELS],
  "BE-WAL": [OCMW, WALLONIA],
};

/**
 * The region whose help applies: NL, or for Belgium the region of the postal code (bpost:
 * 1000-1299 Brussels, 1300-1499 and 4000-7999 Wallonia, the rest Flanders); without an address,
 * French speakers get the Brussels/Wallonia help and Dutch speakers the Flemish.
 */
export function helpRegion(country: "NL" | "BE", locale: HelpLocale, postalCode?: string): HelpRegion {
  if (country === "NL") return "NL";
  const code = Number(postalCode?.trim().slice(0, 4));
  if (Number.isInteger(code) && code >= 1000 && code <= 9999) {
    if (code <= 1299) return "BE-BRU";
    if (code <= 1499 || (code >= 4000 && code <= 7999)) return "BE-WAL";
    return "BE-VLG";
  }
  return locale === "fr-BE" ? "BE-BRU" : "BE-VLG";
}

/** The free help places for this debtor, in their language. */
export function helpPlaces(country: "NL" | "BE", locale: HelpLocale, postalCode?: string): HelpPlace[] {
  return BY_REGION[helpRegion(country, locale, postalCode)].map((p) => ({
    key: p.key,
    ...p.words[locale],
    ...(p.url ? { url: p.url } : {}),
    ...(p.phone ? { phone: p.phone } : {}),
  }));
}
