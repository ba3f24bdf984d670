#!/usr/bin/env node
// Builds the dashboard's client files into public/app/assets (served by Workers Static
// Assets at /app/assets/): the bundle (charts with Observable Plot, live preview) with esbuild,
// and the stylesheet. Runs before `npm test` and `npm start`; the output is not committed.
// `--report` prints the sizes (raw and gzip) for the README and the release note.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const out = new URL("../public/app/assets/", import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL("../app-client/main.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  outfile: new URL("app.js", out).pathname,
  legalComments: "none",
  logLevel: "warning",
});
copyFileSync(new URL("../app-client/app.css", import.meta.url), new URL("app.css", out));
if (process.argv.includes("--report")) {
  for (const file of ["app.js", "app.css"]) {
    const bytes = readFileSync(new URL(file, out));
    console.log(`${file.padEnd(8)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KiB raw  ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1).padStart(6)} KiB gzip`);
  }
}
