/**
 * The Worker's zod (workers/bundle/zod.js, wired by wrangler.toml [alias]) is zod without its
 * error-message locales: everything else must be there, and messages stay English.
 */
import { describe, expect, it } from "vitest";
import * as bundled from "zod";
// zod's own entry, by path so the alias stays out.
import * as upstream from "../node_modules/zod/index.js";

const keys = (o: object) => Object.keys(o).sort();

describe("zod in the Worker bundle", () => {
  it("exports everything zod exports except the locales", () => {
    expect(keys(bundled)).toEqual(keys(upstream).filter((k) => k !== "locales"));
    expect(keys(bundled.z)).toEqual(keys(upstream.z).filter((k) => k !== "locales"));
    expect(keys(bundled.z.core)).toEqual(keys(upstream.z.core).filter((k) => k !== "locales"));
    expect(keys(upstream)).toContain("locales");
  });

  it("still explains a failed parse in English", () => {
    const result = bundled.z.object({ amount_cents: bundled.z.number().int() }).safeParse({ amount_cents: "12" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("Invalid input: expected number, received string");
  });
});
