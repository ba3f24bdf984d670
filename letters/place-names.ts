/**
 * Belgian towns have a Dutch and a French name, and a reader expects their own: a French letter
 * from "9000 Gent" is dated "Gand, le ...", a Dutch one from "4000 Liège" "Luik, ...". Only the
 * date line is translated; the postal address stays as the post office writes it.
 */
const FR: Record<string, string> = {
  Gent: "Gand", Antwerpen: "Anvers", Brugge: "Bruges", Leuven: "Louvain", Mechelen: "Malines", Kortrijk: "Courtrai",
  Brussel: "Bruxelles", Ieper: "Ypres", Aalst: "Alost", Oudenaarde: "Audenarde", Tongeren: "Tongres", Hasselt: "Hasselt",
  "Sint-Niklaas": "Saint-Nicolas", Dendermonde: "Termonde", Ronse: "Renaix", Halle: "Hal", Vilvoorde: "Vilvorde",
};
const NL: Record<string, string> = {
  Liège: "Luik", Namur: "Namen", Mons: "Bergen", Bruxelles: "Brussel", Tournai: "Doornik", "Mouscron": "Moeskroen",
  Wavre: "Waver", Nivelles: "Nijvel", Arlon: "Aarlen", Huy: "Hoei", Jodoigne: "Geldenaken", Waremme: "Borgworm",
};

/** The town's name as a reader of `locale` writes it. */
export function localPlaceName(place: string, locale: string): string {
  if (locale === "fr-BE") return FR[place] ?? place;
  if (locale.startsWith("nl")) return NL[place] ?? place;
  return place;
}
