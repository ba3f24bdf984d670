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
  }
}
export {};
