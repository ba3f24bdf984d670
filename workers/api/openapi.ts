/**
 * The OpenAPI 3.1 document platforms code against, built from the routes' zod schemas and then
 * completed where the generator cannot know: the answers every route may give (400, 401, 403,
 * 413, 415, 422, 429, 500, 503, declared once and referenced), the outgoing webhook events, nullable
 * references written so validators accept null, defaults kept out of request types (a generated
 * client would make a defaulted field required), and no `/dev` routes outside development.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app";
import { isDevelopment } from "../clock";
import { webhookEventSchemas } from "../webhooks-out/event-schemas";

type Json = Record<string, unknown>;
const PROBLEM = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
const RETRY_AFTER = { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "string" } } };

const STANDARD_RESPONSES: Record<string, Json> = {
  BadRequest: { description: "The body is not valid JSON (bad_request).", content: PROBLEM },
  Unauthorized: { description: "Missing, malformed, revoked or expired credential (unauthorized).", content: PROBLEM },
  Forbidden: { description: "The API key's scopes do not allow this route (forbidden).", content: PROBLEM },
  NotFound: { description: "Not in your account (not_found).", content: PROBLEM },
  PayloadTooLarge: { description: "The body is over 64 KB (payload_too_large).", content: PROBLEM },
  UnsupportedMediaType: { description: "The body is not application/json (unsupported_media_type).", content: PROBLEM },
  ValidationFailed: { description: "Validation failed; errors[] names every field (validation_failed).", content: PROBLEM },
  RateLimited: { description: "Over the key's rate limit (rate_limited).", headers: RETRY_AFTER, content: PROBLEM },
  InternalError: { description: "Something failed on Kindly's side (internal); nothing more is said. Retry with the same Idempotency-Key.", content: PROBLEM },
  Unavailable: {
    description: "Briefly unavailable (unavailable: storage or a debtor's object busy; retry with the same Idempotency-Key), or a setting this deployment lacks (not_configured).",
    headers: RETRY_AFTER,
    content: PROBLEM,
  },
};

const built = new Map<string, Json>();

/** The document for this deployment (built once per isolate and mode: the routes do not change). */
export function openApiDocument(app: OpenAPIHono<AppEnv>, env: Pick<Env, "KINDLY_ENV">): Json {
  const mode = isDevelopment(env) ? "development" : "production";
  const cached = built.get(mode);
  if (cached) return cached;
  const doc = buildDocument(app, env);
  built.set(mode, doc);
  return doc;
}

function buildDocument(app: OpenAPIHono<AppEnv>, env: Pick<Env, "KINDLY_ENV">): Json {
  const doc = app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Kindly API",
      version: "1.0.0",
      description:
        "Kind, lawful payment reminders for Dutch and Belgian e-commerce. Errors are RFC 9457 problem+json with a stable `code`. Test keys (kind_test_) work in a test environment that is always sandboxed; live keys (kind_live_) in the live one.",
    },
    security: [{ apiKey: [] }],
  }) as unknown as Json & { paths: Record<string, Record<string, Json>>; components: Json & { schemas?: Record<string, Json>; responses?: Json } };

  if (!isDevelopment(env)) for (const path of Object.keys(doc.paths)) if (path.startsWith("/dev/")) delete doc.paths[path];
  doc.components.responses = { ...(doc.components.responses as Json | undefined), ...STANDARD_RESPONSES };
  for (const schema of Object.values(doc.components.schemas ?? {})) fixSchema(schema);

  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const op of Object.values(ops)) {
      const security = (op.security as Json[] | undefined) ?? [{ apiKey: [] }];
      if (path.startsWith("/dev/")) op.security = [];
      completeResponses(op, path.startsWith("/dev/") ? [] : security);
      for (const p of (op.parameters as Json[] | undefined) ?? []) if (p.schema) fixSchema(p.schema as Json);
      const body = (op.requestBody as { content?: Record<string, { schema?: Json }> } | undefined)?.content;
      for (const media of Object.values(body ?? {})) if (media.schema) fixSchema(media.schema);
      for (const res of Object.values((op.responses as Record<string, { content?: Record<string, { schema?: Json }> }>) ?? {})) {
        for (const media of Object.values(res.content ?? {})) if (media.schema) fixSchema(media.schema);
      }
    }
  }

  doc.webhooks = Object.fromEntries(
    webhookEventSchemas().map(({ type, summary, schema }) => [
      type,
      {
        post: {
          summary,
          description: "Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256>). Delivered at least once: deduplicate on webhook-id. Answer 2xx; 410 disables the endpoint.",
          requestBody: { required: true, content: { "application/json": { schema } } },
          responses: { "200": { description: "Received (any 2xx)." }, "410": { description: "Gone: Kindly disables the endpoint." } },
        },
      },
    ]),
  );
  return doc;
}

/** Adds the answers any route can give, by what it takes and how it authenticates. */
function completeResponses(op: Json, security: Json[]): void {
  const responses = (op.responses ??= {}) as Record<string, unknown>;
  const add = (status: string, name: string) => {
    responses[status] ??= { $ref: `#/components/responses/${name}` };
  };
  const hasBody = op.requestBody !== undefined;
  const byKey = security.some((s) => "apiKey" in s);
  const authenticated = security.length > 0;
  if (hasBody) {
    add("400", "BadRequest");
    add("413", "PayloadTooLarge");
    add("415", "UnsupportedMediaType");
    add("422", "ValidationFailed");
  }
  if (((op.parameters as Json[] | undefined) ?? []).some((p) => p.in === "query")) add("422", "ValidationFailed");
  if (authenticated) add("401", "Unauthorized");
  if (byKey) add("403", "Forbidden");
  if (byKey || security.some((s) => "adminKey" in s)) add("429", "RateLimited");
  add("500", "InternalError");
  add("503", "Unavailable");
}

/**
 * Makes a generated schema say what the API does: `allOf: [$ref, {type: [object, null]}]` (which
 * no value can satisfy when null) becomes `anyOf: [$ref, {type: null}]`; a `default` moves into
 * the description, so a generated client keeps a defaulted request field optional.
 */
function fixSchema(s: Json): void {
  if (typeof s !== "object" || s === null) return;
  const allOf = s.allOf as Json[] | undefined;
  if (Array.isArray(allOf) && allOf.length === 2) {
    const ref = allOf.find((x) => typeof x.$ref === "string");
    const nul = allOf.find((x) => Array.isArray(x.type) && (x.type as string[]).includes("null") && Object.keys(x).length === 1);
    if (ref && nul) {
      delete s.allOf;
      s.anyOf = [ref, { type: "null" }];
    }
  }
  if (s.default !== undefined) {
    const text = `Defaults to ${JSON.stringify(s.default)}.`;
    s.description = typeof s.description === "string" ? `${s.description} ${text}` : text;
    delete s.default;
  }
  for (const [name, child] of Object.entries((s.properties as Record<string, Json> | undefined) ?? {})) {
    // A URL template ({{debtor_id}} ...) is not a URI until it is filled in.
    if (name.endsWith("_template") && child.format === "uri") delete child.format;
    fixSchema(child);
  }
  for (const key of ["items", "additionalProperties", "not"]) if (typeof s[key] === "object") fixSchema(s[key] as Json);
  for (const key of ["allOf", "anyOf", "oneOf", "prefixItems"]) for (const child of (s[key] as Json[] | undefined) ?? []) fixSchema(child);
}
