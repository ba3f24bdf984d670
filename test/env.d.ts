import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
declare module "vitest" {
  export interface ProvidedContext {
    /** Cases per property test (vitest.config.ts). */
    propertyRuns: number;
    /** The experiment journey's size and planted effect (vitest.config.ts, `npm run experiments:journey`). */
    journey: { debtors: number; control: number; variant: number; mde: number };
    /** Debtors in the fault-injection proof: 12 in `npm test`, 10,000 under `npm run proof:faults` (vitest.config.ts). */
    faultDebtors: number;
  }
}
export {};
