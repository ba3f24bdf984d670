// `npm run simulate -- ...`: bundles the TypeScript harness with esbuild (as wrangler bundles
// the Worker: the same module resolution for the policy code) and runs it with this Node.
import { build } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, "node_modules", ".cache", "kindly-sim");
mkdirSync(outdir, { recursive: true });
// One file per run (two runs at once must not overwrite each other), inside node_modules so the
// bundle's imports of vega and vega-lite resolve.
const outfile = join(outdir, `cli-${process.pid}.mjs`);
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
try {
  const { main } = await import(pathToFileURL(outfile).href);
  await main(process.argv.slice(2));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  rmSync(outfile, { force: true });
}
