import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BE_LATER_REMINDER_MAX_CENTS,
  beDamagesCap,
  beEarliestCostsDate,
  beReminderFeeAllowed,
  beWaitingPeriodStart,
} from "../workers/policy/law-be";
import {
  NL_FOURTEEN_DAY_WORDING,
  bikCosts,
  isLawfulNlTermWording,
  nlCostsLookbackStart,
  nlCostsMayBeCharged,
  nlPostalDeliveryDate,
  nlTermEndDate,
} from "../workers/policy/law-nl";
import { assertProperty } from "./property";

const euros = (amount: number) => Math.round(amount * 100);

describe("BIK costs (Besluit vergoeding voor buitengerechtelijke incassokosten)", () => {
  const staffel: [principal: number, costs: number][] = [
    [100, 40],
    [266.67, 40],
    [300, 45],
    [1_000, 150],
    [2_500, 375],
    [3_000, 425],
    [5_000, 625],
    [10_000, 875],
    [200_000, 2_775],
    [1_000_000, 6_775],
  ];
  for (const [principal, costs] of staffel) {
    it(`BIK costs follow the staffel: EUR ${principal.toLocaleString("en")} costs EUR ${costs.toLocaleString("en")}`, () => {
      expect(bikCosts(euros(principal))).toBe(euros(costs));
    });
  }

  it("rounds half up once, at the end: EUR 266.70 costs EUR 40.01 (40.005)", () => {
    expect(bikCosts(26_670)).toBe(4_001);
    expect(bikCosts(26_669)).toBe(4_000); // 40.0035
  });

  it("never exceeds EUR 6,775, however large the claim", () => {
    expect(bikCosts(Number.MAX_SAFE_INTEGER)).toBe(677_500);
  });

  it("rejects zero, negative and fractional cents", () => {
    for (const bad of [0, -1, 10.5, Number.NaN]) expect(() => bikCosts(bad)).toThrow(RangeError);
  });

  it("is monotone non-decreasing and stays within EUR 40-6,775 (property)", () => {
    assertProperty(fc.tuple(fc.integer({ min: 1, max: 200_000_000 }), fc.integer({ min: 0, max: 50_000_000 })), 1, ([a, extra], reached) => {
      reached();
      const low = bikCosts(a);
      const high = bikCosts(a + extra);
      expect(low).toBeLessThanOrEqual(high);
      expect(low).toBeGreaterThanOrEqual(4_000);
      expect(high).toBeLessThanOrEqual(677_500);
    });
  });
});

describe("NL postal delivery presumption (HR 25-11-2016): two days, not counting Sun, Mon or holidays", () => {
  const cases: [posted: string, delivered: string, label: string][] = [
    ["2025-03-03", "2025-03-05", "Monday -> Wednesday"],
    ["2025-03-04", "2025-03-06", "Tuesday -> Thursday"],
    ["2025-03-05", "2025-03-07", "Wednesday -> Friday"],
    ["2025-03-06", "2025-03-08", "Thursday -> Saturday"],
    ["2025-03-07", "2025-03-11", "Friday -> Tuesday"],
    ["2025-03-08", "2025-03-12", "Saturday -> Wednesday"],
    ["2025-04-17", "2025-04-22", "Maundy Thursday -> Tuesday (Good Friday, Sunday and Easter Monday skipped)"],
    ["2025-12-23", "2025-12-27", "Tuesday before Christmas -> Saturday (both Christmas days skipped)"],
    ["2025-12-24", "2025-12-30", "Christmas Eve -> Tuesday 30 December"],
    ["2025-05-28", "2025-06-03", "Wednesday before Ascension -> Tuesday (Ascension, designated Friday, Sunday, Monday skipped)"],
  ];
  for (const [posted, delivered, label] of cases) {
    it(`a letter posted ${label}`, () => expect(nlPostalDeliveryDate(posted)).toBe(delivered));
  }
});

describe("NL 14-day term (art. 6:96(6) BW; Algemene termijnenwet art. 1)", () => {
  it("delivered on D, the last day is D+14", () => {
    expect(nlTermEndDate("2025-03-05")).toBe("2025-03-19");
  });

  it("a term ending on Saturday runs on to Monday", () => {
    expect(nlTermEndDate("2025-03-08")).toBe("2025-03-24");
  });

  it("a term ending on Good Friday runs on past Easter Monday", () => {
    expect(nlTermEndDate("2026-03-20")).toBe("2026-04-07");
  });

  it("a term ending on Christmas runs on to the next working day", () => {
    expect(nlTermEndDate("2025-12-11")).toBe("2025-12-29");
  });

  it("a term ending on Ascension skips the designated Friday too", () => {
    expect(nlTermEndDate("2025-05-15")).toBe("2025-06-02");
  });

  it("a term ending on Koningsdag (Monday 27 April 2026) runs on to Tuesday", () => {
    expect(nlTermEndDate("2026-04-13")).toBe("2026-04-28");
  });

  it("costs only after the last day has passed, and only if the tenant enabled them", () => {
    const termEndDate = "2025-03-19";
    expect(nlCostsMayBeCharged({ termEndDate, today: "2025-03-19", tenantEnabled: true })).toBe(false);
    expect(nlCostsMayBeCharged({ termEndDate, today: "2025-03-20", tenantEnabled: true })).toBe(true);
    expect(nlCostsMayBeCharged({ termEndDate, today: "2025-03-20", tenantEnabled: false })).toBe(false);
  });
});

describe("NL 14-day wording", () => {
  it("our own sentences are lawful", () => {
    expect(NL_FOURTEEN_DAY_WORDING.nl).toContain("binnen 14 dagen vanaf de dag nadat deze brief bij u is bezorgd");
    expect(isLawfulNlTermWording(NL_FOURTEEN_DAY_WORDING.nl)).toBe(true);
    expect(isLawfulNlTermWording(NL_FOURTEEN_DAY_WORDING.en)).toBe(true);
  });

  it("accepts both lawful forms, whatever the case or line breaks", () => {
    expect(isLawfulNlTermWording("Betaal Binnen 14 dagen vanaf de dag nadat deze brief\nbij u is bezorgd.")).toBe(true);
    expect(isLawfulNlTermWording("Betaal binnen 15 dagen nadat deze brief bij u is bezorgd.")).toBe(true);
  });

  it("rejects a term counted from the letter's date", () => {
    expect(isLawfulNlTermWording("Betaal binnen 14 dagen na dagtekening van deze brief.")).toBe(false);
    expect(isLawfulNlTermWording("Betaal binnen 14 dagen na de datum van deze brief.")).toBe(false);
    expect(isLawfulNlTermWording("Please pay within 14 days from the date of this letter.")).toBe(false);
    expect(isLawfulNlTermWording("Betaal binnen 14 dagen.")).toBe(false);
  });

  it("rejects a letter that also counts from dagtekening, even beside the lawful sentence", () => {
    const mixed = `${NL_FOURTEEN_DAY_WORDING.nl} Dus uiterlijk 14 dagen na dagtekening.`;
    expect(isLawfulNlTermWording(mixed)).toBe(false);
  });
});

describe("NL instalment look-back (cumulatieregeling)", () => {
  it("looks back six calendar months, clamped to the end of a shorter month", () => {
    expect(nlCostsLookbackStart("2025-03-15")).toBe("2024-09-15");
    expect(nlCostsLookbackStart("2025-08-31")).toBe("2025-02-28");
    expect(nlCostsLookbackStart("2024-08-31")).toBe("2024-02-29");
    expect(nlCostsLookbackStart("2025-06-30")).toBe("2024-12-30");
  });
});

describe("BE damages cap (Book XIX WER)", () => {
  const caps: [balance: number, cap: number][] = [
    [100, 20],
    [150, 20],
    [150.01, 30],
    [400, 55],
    [500, 65],
    [1_000, 90],
    [40_000, 2_000],
  ];
  for (const [balance, cap] of caps) {
    it(`a balance of EUR ${balance.toLocaleString("en")} allows at most EUR ${cap.toLocaleString("en")} damages`, () => {
      expect(beDamagesCap(euros(balance))).toBe(euros(cap));
    });
  }

  it("rounds half up once: EUR 150.05 allows EUR 30.01 (30.005)", () => {
    expect(beDamagesCap(15_005)).toBe(3_001);
  });

  it("is monotone non-decreasing and stays within EUR 20-2,000 (property)", () => {
    assertProperty(fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 5_000_000 })), 1, ([a, extra], reached) => {
      reached();
      const low = beDamagesCap(a);
      const high = beDamagesCap(a + extra);
      expect(low).toBeLessThanOrEqual(high);
      expect(low).toBeGreaterThanOrEqual(2_000);
      expect(high).toBeLessThanOrEqual(200_000);
    });
  });
});

describe("BE waiting period after the free first reminder", () => {
  it("by email it starts the day after sending; costs from start + 14", () => {
    expect(beWaitingPeriodStart("2025-03-03", "email")).toBe("2025-03-04");
    expect(beEarliestCostsDate("2025-03-03", "email")).toBe("2025-03-18");
  });

  it("by post it starts on the third working day after sending", () => {
    expect(beWaitingPeriodStart("2025-03-03", "letter")).toBe("2025-03-06");
    expect(beEarliestCostsDate("2025-03-03", "letter")).toBe("2025-03-20");
    expect(beWaitingPeriodStart("2025-03-07", "letter")).toBe("2025-03-12");
  });

  it("Belgian holidays delay the postal start: Easter Monday, Christmas (26 December is a working day)", () => {
    expect(beWaitingPeriodStart("2025-04-17", "letter")).toBe("2025-04-23");
    expect(beWaitingPeriodStart("2025-12-23", "letter")).toBe("2025-12-29");
  });
});

describe("BE reminder fees", () => {
  it("the first reminder is free", () => {
    expect(beReminderFeeAllowed(1, 0, 0)).toBe(true);
    expect(beReminderFeeAllowed(1, 1, 130)).toBe(false);
  });

  it("later reminders cost at most EUR 7.50 plus postage", () => {
    expect(BE_LATER_REMINDER_MAX_CENTS).toBe(750);
    expect(beReminderFeeAllowed(2, 750, 0)).toBe(true);
    expect(beReminderFeeAllowed(2, 751, 0)).toBe(false);
    expect(beReminderFeeAllowed(3, 880, 130)).toBe(true);
    expect(beReminderFeeAllowed(3, 881, 130)).toBe(false);
  });

  it("rejects nonsense input", () => {
    expect(() => beReminderFeeAllowed(0, 0, 0)).toThrow(RangeError);
    expect(() => beReminderFeeAllowed(2, -1, 0)).toThrow(RangeError);
  });
});
