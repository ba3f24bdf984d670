/**
 * /v1/webhook-endpoints: where a merchant receives Kindly's events (Standard Webhooks); what
 * happened to each message is /v1/webhook-deliveries (webhook-deliveries.ts).
 * Signing secrets are shown once, at creation and rotation; every query is scoped by tenant.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, count, desc, asc, eq, isNull, sql } from "drizzle-orm";
import { webhookDeliveries as deliveries, webhookEndpoints as endpoints } from "../../schema/d1";
import { createApp } from "../app";
import { requireApiKey } from "../auth";
import { newId } from "../crypto";
import { db } from "../db";
import { ApiError } from "../errors";
import { MERCHANT_EVENT_TYPES } from "../webhooks-out/events";
import { newSigningSecret } from "../webhooks-out/sign";
import { endpointContext, sealSecret } from "../secrets-at-rest";
import { checkWebhookUrl, MAX_URL_LENGTH } from "../webhooks-out/ssrf";
import { ProblemSchema } from "./schemas";

export const webhookEndpoints = createApp();
webhookEndpoints.use("*", requireApiKey);

/** Each endpoint multiplies every event's deliveries (and their cost): a small cap. */
const MAX_ENDPOINTS = 10;
/** How long the previous secret keeps signing after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3600_000;

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });
const ok = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = { 401: problem("Missing or invalid API key"), 404: problem("Not in your account") };
const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const EventTypeSchema = z.enum([...MERCHANT_EVENT_TYPES, "*"]);

const WebhookUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .superRefine((url, ctx) => {
    const check = checkWebhookUrl(url);
    if (!check.ok) ctx.addIssue({ code: "custom", message: check.reason });
  })
  .openapi({ description: "https only, port 443 or 8443, a public host; no credentials in the URL.", example: "https://shop.example/webhooks/kindly" });

const EndpointInput = z
  .strictObject({
    url: WebhookUrl,
    events: z.array(EventTypeSchema).min(1).max(MERCHANT_EVENT_TYPES.length + 1).openapi({ description: 'Event types to receive, or ["*"] for all.' }),
    description: z.string().max(500).optional(),
  })
  .openapi("WebhookEndpointInput");

const EndpointSchema = z
  .object({
    id: z.string().openapi({ example: "whe_3kTz8FqS0v1Jx2Lm4Np6" }),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    status: z.enum(["active", "disabled"]).openapi({ description: "disabled: the endpoint answered 410 Gone; nothing more is sent to it." }),
    disabled_reason: z.string().nullable(),
    previous_secret_expires_at: z.string().nullable().openapi({ description: "Until then the previous secret signs too, after a rotation." }),
    created_at: z.string(),
  })
  .openapi("WebhookEndpoint");

const WithSecret = EndpointSchema.extend({
  secret: z.string().openapi({ description: "whsec_...: verify signatures with it. Shown only now.", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
}).openapi("WebhookEndpointWithSecret");

type EndpointRow = Pick<typeof endpoints.$inferSelect, "id" | "url" | "description" | "events" | "status" | "disabledReason" | "previousSecretExpiresAt" | "createdAt">;
/** What an endpoint's answers show: never its secrets. */
const ENDPOINT_COLUMNS = {
  id: endpoints.id,
  url: endpoints.url,
  description: endpoints.description,
  events: endpoints.events,
  status: endpoints.status,
  disabledReason: endpoints.disabledReason,
  previousSecretExpiresAt: endpoints.previousSecretExpiresAt,
  createdAt: endpoints.createdAt,
};

function endpointView(r: EndpointRow, now: number): z.infer<typeof EndpointSchema> {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as string[],
    status: r.status,
    disabled_reason: r.disabledReason,
    previous_secret_expires_at: r.previousSecretExpiresAt !== null && r.previousSecretExpiresAt > now ? iso(r.previousSecretExpiresAt) : null,
    created_at: iso(r.createdAt) ?? "",
  };
}

async function loadEndpoint(d1: D1Database, tenantId: string, id: string): Promise<EndpointRow> {
  const row = await db(d1)
    .select(ENDPOINT_COLUMNS)
    .from(endpoints)
    .where(and(eq(endpoints.id, id), eq(endpoints.tenantId, tenantId), isNull(endpoints.deletedAt)))
    .get();
  if (!row) throw new ApiError("not_found", `No webhook endpoint ${id} in your account.`);
  return row;
}

webhookEndpoints.openapi(
  createRoute({
    method: "post",
    path: "/",
    summary: "Add a webhook endpoint",
    description:
      "Kindly POSTs each subscribed event, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). Delivery is at least once: deduplicate on webhook-id. Failed attempts are retried for about 3 days; answer 410 to stop deliveries for good.",
    request: { body: { content: { "application/json": { schema: EndpointInput } }, required: true } },
    responses: { 201: ok(WithSecret, "Created; the secret is shown only now"), 401: errors[401], 409: problem("Too many endpoints"), 422: problem("Invalid request") },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const input = c.req.valid("json");
    const d = db(c.env.DB);
    const live = await d
      .select({ n: count() })
      .from(endpoints)
      .where(and(eq(endpoints.tenantId, tenantId), isNull(endpoints.deletedAt)))
      .get();
    if ((live?.n ?? 0) >= MAX_ENDPOINTS) throw new ApiError("invalid_state", `An account can have at most ${MAX_ENDPOINTS} webhook endpoints.`);
    const events = input.events.includes("*") ? ["*"] : [...new Set(input.events)];
    const now = Date.now();
    const row: EndpointRow = { id: newId("whe"), url: input.url, description: input.description ?? null, events: JSON.stringify(events), status: "active", disabledReason: null, previousSecretExpiresAt: null, createdAt: now };
    const secret = newSigningSecret();
    // Stored encrypted (workers/secrets-at-rest.ts); the plain secret exists only in this answer.
    const sealed = await sealSecret(c.env, secret, endpointContext(row.id));
    await d
      .insert(endpoints)
      .values({ id: row.id, tenantId, url: row.url, description: row.description, events: row.events, secret: sealed, status: "active", createdAt: now, updatedAt: now })
      .run();
    return c.json({ ...endpointView(row, now), secret }, 201);
  },
);

webhookEndpoints.openapi(
  createRoute({ method: "get", path: "/", summary: "List webhook endpoints", responses: { 200: ok(z.object({ data: z.array(EndpointSchema) }), "Endpoints, newest first; secrets are never shown again"), 401: errors[401] } }),
  async (c) => {
    const results = await db(c.env.DB)
      .select(ENDPOINT_COLUMNS)
      .from(endpoints)
      .where(and(eq(endpoints.tenantId, c.get("tenant").id), isNull(endpoints.deletedAt)))
      .orderBy(desc(endpoints.createdAt), asc(endpoints.id))
      .all();
    const now = Date.now();
    return c.json({ data: results.map((r) => endpointView(r, now)) }, 200);
  },
);

webhookEndpoints.openapi(
  createRoute({ method: "get", path: "/{id}", summary: "Get a webhook endpoint", request: { params: IdParam }, responses: { 200: ok(EndpointSchema, "The endpoint"), ...errors } }),
  async (c) => c.json(endpointView(await loadEndpoint(c.env.DB, c.get("tenant").id, c.req.valid("param").id), Date.now()), 200),
);

webhookEndpoints.openapi(
  createRoute({
    method: "delete",
    path: "/{id}",
    summary: "Delete a webhook endpoint",
    description: "Stops all deliveries to it at once. Its delivery history stays readable.",
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...errors },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const { id } = c.req.valid("param");
    await loadEndpoint(c.env.DB, tenantId, id);
    const now = Date.now();
    // Soft delete keeps the history; the secrets are wiped, they must not outlive the endpoint.
    const d = db(c.env.DB);
    await d.batch([
      d
        .update(endpoints)
        .set({ deletedAt: now, secret: "", previousSecret: null, previousSecretExpiresAt: null, updatedAt: now })
        .where(and(eq(endpoints.id, id), eq(endpoints.tenantId, tenantId))),
      // `+tenant_id` keeps the planner on the (endpoint, event) index instead of a tenant-wide scan.
      d
        .update(deliveries)
        .set({ status: "cancelled", nextAttemptAt: null, lastError: "endpoint deleted", updatedAt: now })
        .where(and(eq(deliveries.endpointId, id), sql`+${deliveries.tenantId} = ${tenantId}`, eq(deliveries.status, "pending"))),
    ]);
    return c.body(null, 204);
  },
);

webhookEndpoints.openapi(
  createRoute({
    method: "post",
    path: "/{id}/rotate-secret",
    summary: "Rotate the signing secret",
    description:
      "Returns a new secret, shown only now. For 24 hours every message carries two signatures in webhook-signature (new and previous secret, space-separated), so you can switch without missing a message. Rotating again within those 24 hours drops the oldest secret.",
    request: { params: IdParam },
    responses: { 200: ok(WithSecret, "The new secret"), ...errors },
  }),
  async (c) => {
    const tenantId = c.get("tenant").id;
    const { id } = c.req.valid("param");
    const secret = newSigningSecret();
    const now = Date.now();
    const row = await db(c.env.DB)
      .update(endpoints)
      .set({ previousSecret: sql`${endpoints.secret}`, previousSecretExpiresAt: now + ROTATION_OVERLAP_MS, secret: await sealSecret(c.env, secret, endpointContext(id)), updatedAt: now })
      .where(and(eq(endpoints.id, id), eq(endpoints.tenantId, tenantId), isNull(endpoints.deletedAt)))
      .returning(ENDPOINT_COLUMNS)
      .get();
    if (!row) throw new ApiError("not_found", `No webhook endpoint ${id} in your account.`);
    return c.json({ ...endpointView(row, now), secret }, 200);
  },
);
