/**
 * The in-app banner for mobile apps and web shops. Mount with `api.route("/v1", banner)`:
 *
 * - `POST /v1/debtors/{id}/banner-token` (merchant API key): a short-lived token for one debtor
 *   (workers/banner/token.ts). The merchant's backend calls it; the app only ever holds the token.
 * - `GET /v1/banner` (banner token): 204 when nothing is open, else the banner for the debtor's
 *   state in the reader's language (Accept-Language), with a weak ETag (If-None-Match answers 304). The KV index is read first, so a customer with
 *   nothing open never wakes a Durable Object.
 * - `POST /v1/banner/events` (banner token): impression, click or dismiss; 202.
 *
 * The token is accepted only in the Authorization header, never as `?token=`: URLs end up in
 * access logs, browser history, proxies and Referer headers, and a web embed reads JSON with
 * fetch() anyway, which can send a header (CORS allows it). Both banner routes answer CORS for
 * any https origin and for hybrid apps (capacitor://localhost, ionic://localhost): no cookies
 * are involved (no credentials), so the token, not the origin, is what grants access.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { type AppEnv, createApp } from "../app";
import { requireApiKey } from "../auth";
import { bannerIndexSaysOpen } from "../banner/index-kv";
import { type BannerTokenClaims, DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, MIN_TTL_SECONDS, bannerSigningSecret, signBannerToken, verifyBannerToken } from "../banner/token";
import { negotiateLocale } from "../banner/accept-language";
import { BANNER_ACTION_KINDS, type BannerData, type BannerEvent, bannerEtag, bannerFor, etagMatches } from "../banner/view";
import { isDevelopment } from "../clock";
import { debtorStub } from "../debtor/stub";
import { ApiError, ConfigurationError } from "../errors";
import { ProblemSchema } from "./schemas";

/** What the banner needs from the debtor's state; the Durable Object in production, a fake in tests. */
export interface BannerBackend {
  view(tenantId: string, debtorId: string): Promise<BannerData | null>;
  event(tenantId: string, debtorId: string, event: BannerEvent): Promise<void>;
}

/** The production backend: RPC on the (tenant, debtor) Durable Object named by the token. */
export function durableObjectBannerBackend(env: Env): BannerBackend {
  return {
    view: (tenantId, debtorId) => debtorStub(env, tenantId, debtorId).bannerView(tenantId),
    event: (tenantId, debtorId, event) => debtorStub(env, tenantId, debtorId).bannerEvent(tenantId, event),
  };
}

/** Largest events body: `{"type":"impression","at":"..."}` is under 80 bytes. */
export const MAX_EVENT_BODY_BYTES = 1024;
// An event's `at` must be recent: nothing older than a day (the longest token life) or from the future.
const EVENT_MAX_AGE_MS = 24 * 3600_000;
const EVENT_MAX_AHEAD_MS = 5 * 60_000;
const CACHE_CONTROL = "private, max-age=60";

const problem = (description: string) => ({ content: { "application/problem+json": { schema: ProblemSchema } }, description });

/** Runs requireApiKey unless a parent app's middleware (e.g. /v1/debtors/*) already did. */
const requireMerchant = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("tenant")) return next();
  return requireApiKey(c, next);
});

/** Requires `Authorization: Bearer <banner token>` and puts its claims on the context. */
const requireBannerToken = createMiddleware<{ Bindings: Env; Variables: { banner: BannerTokenClaims } }>(async (c, next) => {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!token) {
    const inQuery = c.req.query("token") !== undefined;
    throw new ApiError("unauthorized", inQuery ? "Send the banner token as 'Authorization: Bearer <token>'; tokens in the URL are not accepted." : "Send a banner token as 'Authorization: Bearer <token>'.");
  }
  const secret = bannerSigningSecret(c.env);
  const claims = secret ? await verifyBannerToken(secret, token, Date.now()) : null;
  if (!claims) throw new ApiError("unauthorized", "The banner token is not valid or has expired. Ask your backend for a new one.");
  c.set("banner", claims);
  await next();
});

/**
 * Hybrid apps (Capacitor, Ionic) load their web view from these origins on iOS; Android's
 * Capacitor uses https://localhost, which the https rule already admits. They are not secret:
 * the banner token, not the origin, grants access, and no cookies are involved.
 */
export const HYBRID_APP_ORIGINS = ["capacitor://localhost", "ionic://localhost"] as const;

/** Reflects https origins, hybrid-app origins (and http://localhost in development); anything else gets no CORS headers. */
function allowedOrigin(origin: string, c: Context): string | null {
  if ((HYBRID_APP_ORIGINS as readonly string[]).includes(origin)) return origin;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  if (url.protocol === "https:") return origin;
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
  return url.protocol === "http:" && local && isDevelopment(c.env as Env) ? origin : null;
}

const bannerCors = cors({
  origin: allowedOrigin,
  allowMethods: ["GET", "POST", "OPTIONS"],
  allowHeaders: ["authorization", "content-type", "if-none-match", "accept-language"],
  exposeHeaders: ["ETag", "Content-Language"],
  maxAge: 600,
  credentials: false,
});

const DebtorParams = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: "id", in: "path" }, example: "cust-42" }) });

const TokenRequest = z
  .strictObject({
    ttl_seconds: z
      .number()
      .int()
      .min(MIN_TTL_SECONDS)
      .max(MAX_TTL_SECONDS)
      .optional()
      .openapi({ description: `Lifetime in seconds; default ${DEFAULT_TTL_SECONDS} (15 minutes), at most ${MAX_TTL_SECONDS} (24 hours).` }),
  })
  .openapi("BannerTokenRequest");

const TokenResponse = z
  .object({
    token: z.string().openapi({ description: "Give this to the app; it reads GET /v1/banner with 'Authorization: Bearer <token>'." }),
    expires_at: z.string().openapi({ example: "2026-11-20T10:15:00.000Z" }),
  })
  .openapi("BannerToken");

const Money = { cents: z.number().int(), formatted: z.string() };
const BannerSchema = z
  .object({
    state: z.enum(["open", "payment_date", "already_paid", "arrangement", "help", "dispute", "debt_help"]).openapi({
      description:
        "Where the customer stands. open: something to pay; payment_date: they chose a day to pay; already_paid: they said they paid, we are checking; " +
        "arrangement: paying in parts (see next_instalment); help: they asked for help; dispute: we are looking at their message, nothing to pay now; " +
        "debt_help: a debt counsellor or a breathing space, nothing to pay now. Nothing open answers 204.",
    }),
    locale: z.enum(["nl-NL", "nl-BE", "fr-BE", "en"]).openapi({ description: "The language of the texts: from Accept-Language when it names one of the four, else the customer's own." }),
    title: z.string(),
    text: z.string(),
    total_cents: Money.cents,
    total_formatted: Money.formatted,
    invoice_count: z.number().int(),
    invoices: z.array(
      z.object({
        reference: z.string(),
        due_date: z.string(),
        due_date_formatted: z.string(),
        outstanding_cents: Money.cents,
        outstanding_formatted: Money.formatted,
        pay_url: z.string().nullable().openapi({ description: "Pays exactly this invoice's outstanding amount; null while nothing is to be paid (dispute, debt help)." }),
      }),
    ),
    payment_date: z.string().nullable(),
    next_instalment: z.object({ number: z.number().int(), of: z.number().int(), due_date: z.string(), amount_cents: Money.cents, amount_formatted: Money.formatted }).nullable(),
    pay_url: z.string().nullable().openapi({ description: "The main pay action (the first action) when the state asks a payment; it pays exactly what pay_label names." }),
    pay_label: z.string().nullable(),
    actions: z.array(
      z.object({
        kind: z.enum(BANNER_ACTION_KINDS),
        label: z.string(),
        url: z.string().openapi({ description: "An https link: the shop's pay page (pay) or the customer's own page at a section." }),
        amount_cents: z.number().int().optional().openapi({ description: "Only on pay: what following url pays." }),
      }),
    ),
    shop: z.object({
      name: z.string(),
      logo_url: z.string().nullable(),
      brand_colour: z.string().nullable(),
      phone: z.object({ display: z.string(), tel: z.string() }).nullable(),
      hours: z.array(z.string()),
      chat_url: z.string().nullable(),
      email: z.string().nullable(),
    }),
    help: z.array(z.object({ key: z.string(), name: z.string(), detail: z.string(), url: z.string().optional(), phone: z.object({ display: z.string(), tel: z.string() }).optional() })),
    dismissible: z.literal(true),
    dismiss_until: z.string().nullable().openapi({ description: "After a dismissal, show the banner again from this instant, or earlier when state changes; null: only when state changes." }),
  })
  .openapi("Banner");

const EventRequest = z
  .strictObject({
    type: z.enum(["impression", "click", "dismiss"]),
    at: z.iso.datetime({ offset: true }).optional().openapi({ description: "When it happened; default now. At most 24 hours ago." }),
  })
  .openapi("BannerEvent");

const bannerSecurity = [{ bannerToken: [] }];

/** The banner sub-app on a given backend; mount it at `/v1`. */
export function createBanner(backend: (env: Env) => BannerBackend) {
  const app = createApp();
  app.openAPIRegistry.registerComponent("securitySchemes", "bannerToken", {
    type: "http",
    scheme: "bearer",
    description: "A short-lived banner token from POST /v1/debtors/{id}/banner-token, for one debtor.",
  });

  // Before the routes, so preflights are answered and even a 401 can be read by the web shop.
  app.use("/banner", bannerCors);
  app.use("/banner/events", bannerCors);
  app.use(
    "/banner/events",
    bodyLimit({
      maxSize: MAX_EVENT_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Banner event bodies are limited to ${MAX_EVENT_BODY_BYTES} bytes.`);
      },
    }),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/debtors/{id}/banner-token",
      summary: "Create a banner token for the app",
      description:
        "A short-lived token that lets your app (or web shop) read this one customer's open-invoice banner, and nothing else. " +
        "Call it from your backend when the customer signs in; never put your API key in an app.",
      middleware: [requireMerchant] as const,
      request: { params: DebtorParams, body: { content: { "application/json": { schema: TokenRequest } }, required: false } },
      responses: {
        200: { content: { "application/json": { schema: TokenResponse } }, description: "The token" },
        401: problem("Missing or invalid API key"),
        404: problem("No such debtor in your account"),
        422: problem("Invalid request"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const tenant = c.get("tenant");
      // Only debtors this tenant registered an invoice for; the same check as the debtors API.
      const known = await c.env.DB.prepare("SELECT 1 AS one FROM invoice_index WHERE tenant_id = ? AND debtor_id = ? LIMIT 1").bind(tenant.id, id).first();
      if (!known) throw new ApiError("not_found", `No debtor ${id} in your account.`);
      const secret = bannerSigningSecret(c.env);
      if (!secret) throw new ConfigurationError("BANNER_SIGNING_SECRET", "banner tokens cannot be signed without it.");
      const iat = Date.now();
      const exp = iat + (c.req.valid("json").ttl_seconds ?? DEFAULT_TTL_SECONDS) * 1000;
      const token = await signBannerToken(secret, { tenantId: tenant.id, debtorId: id, iat, exp });
      return c.json({ token, expires_at: new Date(exp).toISOString() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/banner",
      summary: "The app's banner for the signed-in customer",
      description:
        "204 when nothing is open. Otherwise the banner for the customer's state, in the language Accept-Language asks for (nl-NL, nl-BE, fr-BE or en; else the customer's own). " +
        "Send the ETag back as If-None-Match to get 304 when nothing changed. Cache-Control: private, max-age=60.",
      security: bannerSecurity,
      middleware: [requireBannerToken] as const,
      responses: {
        200: { content: { "application/json": { schema: BannerSchema } }, description: "Something is open" },
        204: { description: "Nothing is open: show no banner" },
        304: { description: "Not modified since the ETag sent in If-None-Match" },
        401: problem("Missing, invalid or expired banner token"),
      },
    }),
    async (c) => {
      const { tenantId, debtorId } = c.get("banner");
      c.header("Cache-Control", CACHE_CONTROL);
      c.header("Vary", "Authorization, Accept-Language", { append: true });
      // The fast negative path: no key, no Durable Object.
      if (!(await bannerIndexSaysOpen(c.env, tenantId, debtorId))) return c.body(null, 204);
      const data = await backend(c.env).view(tenantId, debtorId);
      if (!data) return c.body(null, 204);
      const locale = negotiateLocale(c.req.header("accept-language"), data.locale, data.country);
      const etag = await bannerEtag(tenantId, debtorId, data, locale);
      c.header("ETag", etag);
      c.header("Content-Language", locale);
      if (etagMatches(c.req.header("if-none-match"), etag)) return c.body(null, 304);
      return c.json(bannerFor(data, locale), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/banner/events",
      summary: "Report that the banner was shown, clicked or dismissed",
      description: `Bodies are limited to ${MAX_EVENT_BODY_BYTES} bytes. Events for a customer with nothing open are accepted and dropped.`,
      security: bannerSecurity,
      middleware: [requireBannerToken] as const,
      request: { body: { content: { "application/json": { schema: EventRequest } }, required: true } },
      responses: {
        202: { description: "Accepted" },
        401: problem("Missing, invalid or expired banner token"),
        413: problem("Body too large"),
        422: problem("Invalid event"),
      },
    }),
    async (c) => {
      const { tenantId, debtorId } = c.get("banner");
      const body = c.req.valid("json");
      const event: BannerEvent = { type: body.type };
      if (body.at !== undefined) {
        const at = Date.parse(body.at);
        const now = Date.now();
        if (at > now + EVENT_MAX_AHEAD_MS || at < now - EVENT_MAX_AGE_MS) {
          throw new ApiError("validation_failed", "The request is not valid; see errors for each field.", [{ field: "at", message: "Must be within the last 24 hours." }]);
        }
        event.at = new Date(at).toISOString();
      }
      // No banner can be showing when nothing is open; keep that Durable Object asleep.
      if (await bannerIndexSaysOpen(c.env, tenantId, debtorId)) await backend(c.env).event(tenantId, debtorId, event);
      return c.body(null, 202);
    },
  );

  return app;
}

/** The sub-app the API mounts at `/v1`, backed by the debtor's Durable Object. */
export const banner = createBanner(durableObjectBannerBackend);
