// `npm run simulate -- ...`: bundles the TypeScript harness with esbuild (as wrangler bundles
// the Worker: the same module resolution for the policy code) and runs it with this Node.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, "node_modules", ".cache", "kindly-sim");
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, "cli.mjs");
await build({
  entryPoints: [join(root, "sim", "cli.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  outfile,
  logLevel: "warning",
  // vega and vega-lite stay ordinary imports; bundled CommonJS needs a require().
  packages: "external",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const { main } = await import(pathToFileURL(outfile).href);
await main(process.argv.slice(2));
