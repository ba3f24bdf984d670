#!/usr/bin/env node
// `npm start`: applies the D1 migrations locally, starts Kindly on workerd (wrangler dev) in
// development mode (movable clock, sandbox outbox page), seeds a development tenant and prints
// its API key. The key is kept in .kindly-dev.json so it stays the same between runs.
import { spawn, spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const port = Number(process.env.PORT ?? 8787);
const base = `http://localhost:${port}`;
const stateFile = new URL("../.kindly-dev.json", import.meta.url);

function devKey() {
  if (existsSync(stateFile)) return JSON.parse(readFileSync(stateFile, "utf8")).api_key;
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const key = "kind_test_" + Array.from({ length: 32 }, () => alphabet[randomInt(62)]).join("");
  writeFileSync(stateFile, JSON.stringify({ api_key: key }, null, 2) + "\n");
  return key;
}

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "kindly", "--local"], { stdio: "inherit", env: { ...process.env, CI: "true" } });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const args = ["wrangler", "dev", "--port", String(port), "--var", "KINDLY_ENV:development", "--var", `PUBLIC_BASE_URL:${base}`, "--test-scheduled", ...process.argv.slice(2)];
const dev = spawn("npx", args, { stdio: "inherit", env: { WRANGLER_SEND_METRICS: "false", ...process.env } });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));

async function seed() {
  const apiKey = devKey();
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${base}/dev/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_key: apiKey }) });
      if (res.ok) return apiKey;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("Kindly did not start within a minute");
}

seed().then(
  (apiKey) => {
    console.log(`
  Kindly is running at ${base}  (development mode: sandbox email, movable clock)

  API key of the development tenant "dev":
    ${apiKey}

  API reference:   ${base}/docs
  Sandbox outbox:  ${base}/sandbox
  Move the clock:  curl -X POST ${base}/dev/clock/advance -H 'content-type: application/json' -d '{"days":3,"at":"13:00"}'
`);
  },
  (err) => {
    console.error(err.message);
    dev.kill("SIGTERM");
  },
);
