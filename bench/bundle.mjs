#!/usr/bin/env node
// The Worker's size and start-up: builds it as `wrangler deploy` would (without uploading),
// lists the biggest packages in the bundle, and profiles start-up CPU with `wrangler check
// startup` (local workerd, no account needed) three times. Goals (issue 12): gzip < 600 KiB,
// start-up < 100 ms.
// Usage: npm run bench:bundle [-- --runs 3]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };
const out = mkdtempSync(join(tmpdir(), "kindly-bundle-"));
try {
  const build = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out, "--metafile", join(out, "meta.json")], { env, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${build.stderr}`);
  const code = readFileSync(join(out, "index.js"));
  const meta = JSON.parse(readFileSync(join(out, "meta.json"), "utf8"));
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith(".js"))[1];
  const byPackage = new Map();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? file.split("/").slice(0, 2).join("/");
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
  }
  const kib = (bytes) => (bytes / 1024).toFixed(0);
  const gzip = gzipSync(code).length;
  console.log(`bundle: ${kib(code.length)} KiB raw, ${kib(gzip)} KiB gzip (goal < 600 KiB gzip)\n\nbiggest packages (raw bytes in the bundle):`);
  for (const [pkg, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    console.log(`  ${kib(bytes).padStart(5)} KiB  ${((100 * bytes) / code.length).toFixed(1).padStart(4)}%  ${pkg}`);
  }

  const active = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const check = spawnSync("npx", ["wrangler", "check", "startup", "--outfile", join(out, `startup-${i}.cpuprofile`)], { env, encoding: "utf8" });
    const ms = check.stdout.match(/Active: ([\d.]+) ms/)?.[1];
    if (check.status !== 0 || !ms) throw new Error(`wrangler check startup failed:\n${check.stdout}\n${check.stderr}`);
    active.push(Number(ms));
  }
  active.sort((a, b) => a - b);
  console.log(`\nstart-up CPU (wrangler check startup, ${active.length} runs): min ${active[0]} ms, median ${active[Math.floor(active.length / 2)]} ms, max ${active[active.length - 1]} ms (goal < 100 ms)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
