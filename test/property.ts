/**
 * Property tests with a case count set in one place and a proof that they are not vacuous.
 * `npm test` runs PROPERTY_RUNS = 1,000 cases per property, `npm run test:deep` 10,000
 * (vitest.config.ts reads KINDLY_DEEP_TESTS and provides the count).
 */
import fc from "fast-check";
import { expect, inject } from "vitest";

/** Cases per property in this run. */
export const PROPERTY_RUNS: number = inject("propertyRuns");

/**
 * Checks `body` over PROPERTY_RUNS cases of `arbitrary` and counts the cases that reach its
 * assertions: `body` calls `reached()` once it is past its early returns. A property whose
 * guard skips almost every case proves almost nothing, so the share that reached must be at
 * least `minShare` (0..1). Returns the number of cases that reached the assertions.
 */
export function assertProperty<T>(arbitrary: fc.Arbitrary<T>, minShare: number, body: (value: T, reached: () => void) => void): number {
  let cases = 0;
  let reachedCases = 0;
  fc.assert(
    fc.property(arbitrary, (value) => {
      cases++;
      let counted = false;
      body(value, () => {
        if (!counted) reachedCases++;
        counted = true;
      });
    }),
    { numRuns: PROPERTY_RUNS },
  );
  expect(cases, "cases run").toBe(PROPERTY_RUNS);
  expect(reachedCases / cases, `share of ${cases} cases that reached the assertions`).toBeGreaterThanOrEqual(minShare);
  return reachedCases;
}
