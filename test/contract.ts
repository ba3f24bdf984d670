/**
 * Every answer the API tests get is checked against /openapi.json with Ajv (JSON Schema 2020-12,
 * the dialect of OpenAPI 3.1): the status must be documented for the operation, and the body must
 * validate against the documented schema of its content type. `call()` in helpers.ts runs it on
 * every response, so every API test is also a contract test.
 */
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";
import { exports } from "cloudflare:workers";

interface Operation {
  responses: Record<string, { content?: Record<string, unknown>; $ref?: string }>;
}

interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { responses?: Record<string, { content?: Record<string, unknown> }> };
}
let loaded: Promise<{ doc: Doc; ajv: Ajv2020; routes: { template: string; pattern: RegExp }[] }> | null = null;
const validators = new Map<string, ValidateFunction>();
/** How many responses were checked against a schema (a test asserts this is not zero). */
export const contractStats = { checked: 0 };

function load() {
  loaded ??= (async () => {
    const doc = (await (await exports.default.fetch("http://kindly.test/openapi.json")).json()) as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: "openapi.json" });
    // Literal paths before templated ones, so /v1/policy/score never matches /v1/policy/{x}.
    const routes = Object.keys(doc.paths)
      .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}/?$`) }))
      .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
    return { doc, ajv, routes };
  })();
  return loaded;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** Throws when `res` (to `method path`) is not what /openapi.json says; responses of undocumented routes pass. */
export async function checkContract(method: string, path: string, res: Response): Promise<void> {
  const pathname = new URL(path, "http://kindly.test").pathname;
  if (pathname === "/openapi.json") return;
  const { doc, ajv, routes } = await load();
  const route = routes.find((r) => r.pattern.test(pathname));
  const op = route ? doc.paths[route.template]?.[method.toLowerCase()] : undefined;
  if (!route || !op) return;
  const status = String(res.status);
  let response = op.responses[status] ?? op.responses[`${status[0]}XX`] ?? op.responses.default;
  if (!response) throw new Error(`contract: ${method} ${route.template} answered ${status}, which /openapi.json does not declare (declared: ${Object.keys(op.responses).join(", ")})`);
  let base = pointer("paths", route.template, method.toLowerCase(), "responses", status);
  if (response.$ref) {
    const name = response.$ref.split("/").pop() ?? "";
    response = doc.components.responses?.[name] ?? {};
    base = pointer("components", "responses", name);
  }
  const body = await res.clone().text();
  if (!response.content) {
    if (body.length > 0 && res.status !== 304) throw new Error(`contract: ${method} ${route.template} ${status} has a body, but none is declared`);
    return;
  }
  const type = (res.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (!(type in response.content)) throw new Error(`contract: ${method} ${route.template} ${status} answered ${type}; declared: ${Object.keys(response.content).join(", ")}`);
  const ref = `openapi.json#/${base}/${pointer("content", type, "schema")}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  // A CSV export or an HTML page is a string; everything else is JSON.
  const value = /json/.test(type) ? (JSON.parse(body) as unknown) : body;
  if (!validate(value)) {
    throw new Error(`contract: ${method} ${route.template} ${status} does not match /openapi.json: ${ajv.errorsText(validate.errors)}\n${body.slice(0, 2000)}`);
  }
  contractStats.checked++;
}
