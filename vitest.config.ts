/// <reference types="node" />
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "schema/migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            KINDLY_ENV: "development",
            // The platform admin key the admin API tests use (a wrangler secret in a deployment).
            ADMIN_API_KEY: "kind_admin_test_0123456789abcdefghijklmnopqrstuv",
          },
          // Deliver queue batches at once in tests (production waits up to a second to fill a batch).
          queueConsumers: {
            "kindly-dispatch": { maxBatchSize: 100, maxBatchTimeout: 0.05, maxRetries: 5, deadLetterQueue: "kindly-dispatch-dlq" },
            "kindly-dispatch-dlq": { maxBatchSize: 10, maxBatchTimeout: 0.05 },
            "kindly-webhooks": { maxBatchSize: 20, maxBatchTimeout: 0.05, maxRetries: 12, deadLetterQueue: "kindly-webhooks-dlq" },
          },
        },
      }),
    ],
    // As wrangler.toml's [alias]: the Worker under test is the Worker that is deployed.
    resolve: {
      alias: {
        "@pdf-lib/standard-fonts": path.join(import.meta.dirname, "letters/pdf/stubs/standard-fonts.ts"),
        "@pdf-lib/upng": path.join(import.meta.dirname, "letters/pdf/stubs/upng.ts"),
      },
    },
    test: {
      setupFiles: ["./test/apply-migrations.ts"],
      include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
      // The JSON report is what .ci/run counts passed and failed tests from.
      reporters: ["default", "json"],
      outputFile: { json: ".test-results/vitest.json" },
    },
  };
});
