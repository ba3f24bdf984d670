// What the Worker gets for `import { z } from "zod"` (wrangler.toml [alias]): zod's own entry
// without its 48 error-message locales (370 KiB). `z` is a namespace object, so a bundler has to
// keep every member of it, `z.locales` included, although Kindly only uses English messages (zod
// registers English by itself). zod-external.js and zod-core.js mirror zod's entry files minus
// `locales`; test/zod-bundle.test.ts checks they export everything else zod does, so an update
// of zod that adds an export fails the tests rather than the Worker. Relative paths, because an
// alias also rewrites "zod/..." subpaths.
import * as z from "./zod-external.js";
export * from "./zod-external.js";
export { z, z as default };
