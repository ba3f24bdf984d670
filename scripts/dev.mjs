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
const DASHBOARD_OWNER = "owner@demo-webshop.example";

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const random32 = () => Array.from({ length: 32 }, () => alphabet[randomInt(62)]).join("");

/** The development tenant's API key and the local platform admin key, the same between runs. */
function devKeys() {
  const saved = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : {};
  const keys = { api_key: saved.api_key ?? `kind_test_${random32()}`, admin_key: saved.admin_key ?? `kind_admin_${random32()}` };
  if (keys.api_key !== saved.api_key || keys.admin_key !== saved.admin_key) writeFileSync(stateFile, JSON.stringify(keys, null, 2) + "\n");
  return keys;
}
const { api_key: devApiKey, admin_key: adminKey } = devKeys();

const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "kindly", "--local"], { stdio: "inherit", env: { ...process.env, CI: "true" } });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

// The admin key is a plain var locally; in a deployment it is a secret (wrangler secret put ADMIN_API_KEY).
const args = ["wrangler", "dev", "--port", String(port), "--var", "KINDLY_ENV:development", "--var", `PUBLIC_BASE_URL:${base}`, "--var", `ADMIN_API_KEY:${adminKey}`, "--test-scheduled", ...process.argv.slice(2)];
const dev = spawn("npx", args, { stdio: "inherit", env: { WRANGLER_SEND_METRICS: "false", ...process.env } });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));

async function seed() {
  const apiKey = devApiKey;
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${base}/dev/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ api_key: apiKey }) });
      if (res.ok) {
        // The dashboard's first owner (409 when it exists from an earlier run).
        await fetch(`${base}/v1/users`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ email: DASHBOARD_OWNER, name: "Demo Owner", role: "owner", locale: "en" }),
        });
        return apiKey;
      }
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

  API key of the development tenant "dev" (its test environment, always sandboxed):
    ${apiKey}

  Platform admin key (onboarding more accounts: README, "Onboarding a shop"):
    ${adminKey}

  API reference:   ${base}/docs
  Sandbox outbox:  ${base}/sandbox
  Dashboard:       ${base}/app  (sign in as ${DASHBOARD_OWNER}; the link arrives in the sandbox outbox)
  Move the clock:  curl -X POST ${base}/dev/clock/advance -H 'content-type: application/json' -d '{"days":3,"at":"13:00"}'
`);
  },
  (err) => {
    console.error(err.message);
    dev.kill("SIGTERM");
  },
);
