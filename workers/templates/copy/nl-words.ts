/** The few words Dutch in the Netherlands and in Flanders say differently; shared by the Dutch copy modules. */
export type DutchRegion = "NL" | "BE";

/** Region-dependent Dutch words. */
export function dutchWords(region: DutchRegion) {
  const nl = region === "NL";
  return {
    heeft: nl ? "heeft" : "hebt",
    Heeft: nl ? "Heeft" : "Hebt",
    /** "Betalingsregeling" in NL; Flemish texts say "afbetalingsplan" everywhere. */
    plan: nl ? "betalingsregeling" : "afbetalingsplan",
    salary: nl ? "salaris" : "loon",
    greeting: "Beste {{name}},",
    signoff: nl ? "Met vriendelijke groet,\n{{shop_name}}" : "Met vriendelijke groeten,\n{{shop_name}}",
  };
}
