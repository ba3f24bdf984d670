/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type ViteUserConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";

// The Worker's build settings (wrangler.toml [define] and [alias]: React's production build, the
// lean holiday, zod, React and prettier modules), so tests run what ships. The plugin reads the
// bindings from wrangler.toml but not these. Exact matches: an alias names one import path.
const wrangler: { alias?: Record<string, string>; define: Record<string, string> } = unstable_readConfig({ config: "wrangler.toml" });
const wranglerAliases = Object.entries(wrangler.alias ?? {}).map(([from, to]) => ({
  find: new RegExp(`^${from.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`),
  replacement: path.resolve(import.meta.dirname, to),
}));
// moment-timezone require()s "moment"; the test pool would resolve its "jsnext:main" ES module
// build, which cannot be required. esbuild (wrangler) picks this same CommonJS file by itself.
wranglerAliases.push({ find: /^moment$/, replacement: path.resolve(import.meta.dirname, "node_modules/moment/moment.js") });

// Property tests run 1,000 cases each, 10,000 under `npm run test:deep` (test/property.ts).
const propertyRuns = process.env.KINDLY_DEEP_TESTS === "1" ? 10_000 : 1_000;
// The fault-injection proof: a small version in `npm test`, 10,000 debtors under `npm run proof:faults`.
const faultDebtors = Number(process.env.KINDLY_FAULT_DEBTORS ?? 12);

// The experiment journey (test/experiment-journey.test.ts): 40 debtors and a large planted effect
// in npm test; `npm run experiments:journey` sets KINDLY_JOURNEY (debtors=300,control=0.3,...).
const journeyOverrides = Object.fromEntries((process.env.KINDLY_JOURNEY ?? "").split(",").filter(Boolean).map((kv) => kv.split("=").map((x) => x.trim())).map(([k, v]) => [k, Number(v)]));
const journey = { debtors: 40, control: 0.1, variant: 0.75, mde: 0.3, ...journeyOverrides };

// A test file is "pure" when neither it nor a test module it imports (test/helpers.ts, the fakes)
// touches cloudflare:test or cloudflare:workers. Pure files share one workerd in a non-isolated
// project; the others get a fresh workerd each (isolated storage and module state per file).
const testDir = path.join(import.meta.dirname, "test");
function touchesBindings(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  if (/from\s+["']cloudflare:/.test(source)) return true;
  for (const [, local] of source.matchAll(/from\s+["']\.\/([^"']+)["']/g)) {
    const base = path.join(testDir, local ?? "");
    const target = [base, `${base}.ts`, `${base}.tsx`].find((f) => /\.tsx?$/.test(f) && readdirSync(testDir).includes(path.basename(f)));
    if (target && touchesBindings(target, seen)) return true;
  }
  return false;
}
const testFiles = readdirSync(testDir).filter((f) => /\.test\.tsx?$/.test(f));
const pureTests = testFiles.filter((f) => !touchesBindings(path.join(testDir, f))).map((f) => `test/${f}`);

export default defineConfig(async (): Promise<ViteUserConfig> => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "schema/migrations"));
  // The workerd pool, per project: a plugin in the root config would put every project, the
  // browser one too, into workerd (the plugin configures each project it sees).
  const workerd = () =>
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
    });
  return {
    resolve: { alias: wranglerAliases },
    define: wrangler.define,
    // With React's production build, JSX must compile to jsx(), not the development jsxDEV().
    oxc: { jsx: { development: false } },
    test: {
      provide: { propertyRuns, journey, faultDebtors },
      // The plugin inlines every dependency (bundled by vite, as wrangler bundles them) in the
      // root config; projects inherit only what is written here.
      server: { deps: { inline: true } },
      // The JSON report is what .ci/run counts passed and failed tests from.
      reporters: ["default", "json"],
      outputFile: { json: ".test-results/vitest.json" },
      projects: [
        { extends: true, plugins: [workerd()], test: { name: "pure", include: pureTests, isolate: false } },
        {
          extends: true,
          plugins: [workerd()],
          test: { name: "workers", include: ["test/**/*.test.ts", "test/**/*.test.tsx"], exclude: [...pureTests, "test/browser/**"], setupFiles: ["./test/apply-migrations.ts"] },
        },
        // The dashboard in Debian's Chromium (playwright-core) against `wrangler dev`, in Node:
        // the workerd pool cannot drive a browser.
        {
          test: {
            name: "browser",
            include: ["test/browser/**/*.test.ts"],
            environment: "node",
            pool: "forks",
            globalSetup: ["./test/browser/global-setup.ts"],
            testTimeout: 60_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
