#!/usr/bin/env node
// Copies the API reference page's script (Scalar's standalone bundle) into public/docs/, which the
// Worker serves as a static asset: /docs works offline, with no CDN. Runs after `npm install`;
// public/docs/ is not committed (it comes from the pinned @scalar/api-reference package).
import { copyFileSync, existsSync, mkdirSync } from "node:fs";

const from = new URL("../node_modules/@scalar/api-reference/dist/browser/standalone.js", import.meta.url);
const dir = new URL("../public/docs/", import.meta.url);
if (!existsSync(from)) {
  console.warn("docs-assets: @scalar/api-reference is not installed; /docs will have no script");
  process.exit(0);
}
mkdirSync(dir, { recursive: true });
copyFileSync(from, new URL("scalar.js", dir));
