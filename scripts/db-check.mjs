#!/usr/bin/env node
// `npm run db:check` (npm test runs it first): offline, no database needed.
//   1. `drizzle-kit check`: the migration history in schema/migrations/ is consistent.
//   2. `drizzle-kit generate` into a scratch copy of schema/migrations/ writes nothing: the
//      drizzle schema (schema/d1.ts) has no change that lacks its migration.
// test/schema-matches-migrations.test.ts then checks the migration SQL itself against the schema.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";

const kit = (args) => spawnSync("npx", ["drizzle-kit", ...args], { encoding: "utf8", env: { ...process.env, CI: "true" } });

function fail(message, run) {
  process.stderr.write(run.stdout + run.stderr);
  console.error(`db:check: ${message}`);
  process.exitCode = 1;
}

function schemaHasNoPendingChange() {
  // Inside the project: drizzle-kit reads `--out` relative to the working directory.
  const scratch = mkdtempSync(".db-check-");
  try {
    cpSync("schema/migrations", scratch, { recursive: true });
    const sqlFiles = () => readdirSync(scratch).filter((f) => f.endsWith(".sql")).length;
    const before = sqlFiles();
    const generate = kit(["generate", "--dialect", "sqlite", "--schema", "./schema/d1.ts", "--out", scratch]);
    // Anything but drizzle-kit's "nothing to migrate" (a new migration, an error) fails.
    if (generate.status !== 0 || sqlFiles() > before || !/No schema changes/.test(generate.stdout)) {
      fail("schema/d1.ts differs from the migrations; run `npm run db:generate -- --name <what>` and commit the migration", generate);
      return false;
    }
    return true;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const check = kit(["check"]);
if (check.status !== 0) fail("drizzle-kit check found the migration history inconsistent", check);
else if (schemaHasNoPendingChange()) console.log("db:check: the migration history is consistent and the schema has no change without a migration");
