/**
 * Days the Crown designated "gelijkgesteld met een algemeen erkende feestdag" under Algemene
 * termijnenwet (Atw) art. 3(3). They count as holidays for terms (Atw art. 1) and for the Wki
 * contact ban (Besluit kwaliteit incassodienstverlening, Stb. 2024, 44, art. 4.2(2)).
 *
 * Each decree covers about three years and is published in the Staatscourant, so this table must
 * be extended when the next one appears (the one for 2029 onwards is expected around 2027/2028).
 * Only sourced dates are listed; 2020-2022 are left out for want of a checked source (all before
 * the Wki applied, 1 Apr 2024).
 */

/** NL dates designated equal to a public holiday by decree under Atw art. 3(3). */
export const NL_DESIGNATED_DAYS: readonly string[] = [
  // Besluit van 24 oktober 2016, Stcrt. 2016, 58653 (wetten.overheid.nl BWBR0038666).
  "2017-04-28",
  "2017-05-26",
  "2018-05-11",
  "2018-12-24",
  "2018-12-31",
  "2019-05-31",
  "2019-12-27",
  // "Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en
  // 30 mei 2025 met een algemeen erkende feestdag" (nvi.nl, "De Wki en de Algemene Termijnenwet";
  // sterfgeval.nl vraag 70745; domain.md names 10 May and 27 Dec 2024).
  "2023-04-28",
  "2023-05-19",
  "2024-05-10",
  "2024-12-27",
  "2025-05-30",
  // "Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en
  // 26 mei 2028 met een algemeen erkende feestdag" (sterfgeval.nl vraag 70745, 4 Oct 2025).
  "2026-01-02",
  "2026-05-15",
  "2027-05-07",
  "2028-04-28",
  "2028-05-26",
];
