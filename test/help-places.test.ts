import { describe, expect, it } from "vitest";
import { helpPlaces, helpRegion } from "../workers/help-places";

describe("concrete free help per country and Belgian region", () => {
  it("the Netherlands: Geldfit with its free number, and the municipality", () => {
    const places = helpPlaces("NL", "nl-NL", "1234 AB");
    expect(places.map((p) => p.key)).toEqual(["geldfit", "gemeente"]);
    expect(places[0]?.phone).toEqual({ display: "0800-8115", tel: "+318008115" });
  });

  it("Belgium by postal code (bpost ranges): Brussels, Walloon Brabant, Liège, Antwerp, Ghent", () => {
    expect(helpRegion("BE", "nl-BE", "1000")).toBe("BE-BRU");
    expect(helpRegion("BE", "fr-BE", "1300")).toBe("BE-WAL");
    expect(helpRegion("BE", "fr-BE", "4000")).toBe("BE-WAL");
    expect(helpRegion("BE", "fr-BE", "2000")).toBe("BE-VLG");
    expect(helpRegion("BE", "nl-BE", "9000")).toBe("BE-VLG");
    // Without an address the language decides.
    expect(helpRegion("BE", "fr-BE")).toBe("BE-BRU");
    expect(helpRegion("BE", "nl-BE")).toBe("BE-VLG");
  });

  it("every place is named in every language, and Belgium always names the OCMW/CPAS first", () => {
    for (const locale of ["nl-NL", "nl-BE", "fr-BE", "en"] as const) {
      for (const code of ["1000", "1300", "9000"]) {
        const places = helpPlaces("BE", locale, code);
        expect(places[0]?.key).toBe("ocmw");
        for (const p of places) expect(p.name.length * p.detail.length).toBeGreaterThan(0);
      }
    }
    expect(helpPlaces("BE", "fr-BE", "1000")[0]?.name).toBe("le CPAS de votre commune");
  });
});
