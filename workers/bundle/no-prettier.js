// What the Worker gets for "prettier/standalone" and "prettier/plugins/html" (wrangler.toml
// [alias]). @react-email/render loads prettier (340 KiB) only for render(element, { pretty: true }),
// which Kindly never asks for: indented HTML is for reading a template's source, and every byte
// of it is sent and stored. Asking for it anyway fails loudly instead of sending something else.
/** Always throws: prettier is not in the Worker bundle. */
export function format() {
  throw new Error("prettier is not bundled in the Worker: render emails without { pretty: true }");
}
