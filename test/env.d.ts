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
  }
}
export {};
