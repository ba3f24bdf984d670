/**
 * The debtor's self-service page behind the signed link in every reminder (workers/links.ts):
 * `GET /d/:token` shows what is open and five ways to answer; `POST /d/:token/actions` takes a
 * form post (answers a localized HTML page) or JSON (answers SelfServiceResult or problem+json).
 * The token is the only credential, so the page is never cached, never framed, and sends no
 * Referer. The Durable Object stays the judge of every action; the checks here only give the
 * debtor a kind answer before a round trip.
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type AppEnv, createApp } from "../app";
import { loadClock } from "../clock";
import type { SelfServiceAction, SelfServiceResult, SelfServiceView } from "../debtor/self-service-types";
import { instalmentOptions } from "../debtor/self-service-view";
import { debtorStub } from "../debtor/stub";
import { ApiError, ERROR_STATUS, type ErrorCode, problem } from "../errors";
import { isReaderLocale } from "../banner/accept-language";
import { type DebtorLinkClaims, debtorLinkSecret, verifyDebtorLink } from "../links";
import { isIsoDate } from "../zoned-time";
import type { FormField } from "./self-service-copy";
import { confirmationPage, debtorPage, debtorToday, errorPage, layout, linkGonePage } from "./self-service-pages";
import { NpsBodySchema, npsCopy } from "./self-service-nps";
import type { NpsResult } from "../debtor/cycle";
import { html } from "hono/html";
import { sessionOf } from "./debtor-session";

/** What the pages need from the debtor's state; the Durable Object in production, a fake in tests. */
export interface SelfServiceBackend {
  /** `issuedAt`: when the link was issued; a revoked link's view is null (links.ts). */
  view(tenantId: string, debtorId: string, issuedAt?: number): Promise<SelfServiceView | null>;
  act(tenantId: string, debtorId: string, action: SelfServiceAction): Promise<SelfServiceResult>;
  /** The answer to the NPS question after a cycle that ended well. */
  answerNps?(tenantId: string, debtorId: string, score: number, comment: string | null): Promise<NpsResult>;
}

/** The production backend: RPC on the (tenant, debtor) Durable Object named by the token. */
export function durableObjectBackend(env: Env): SelfServiceBackend {
  return {
    view: (tenantId, debtorId, issuedAt) => debtorStub(env, tenantId, debtorId).selfServiceView(tenantId, issuedAt),
    act: (tenantId, debtorId, action) => debtorStub(env, tenantId, debtorId).selfServiceAction(tenantId, action),
    answerNps: (tenantId, debtorId, score, comment) => debtorStub(env, tenantId, debtorId).answerNps(tenantId, score, comment),
  };
}

/** Longest dispute reason, in characters after line endings are normalized. */
export const MAX_REASON_LENGTH = 1000;
// A sanity bound only; the debtor's own limit comes from the view (policy allows at most 24).
const MAX_INSTALMENTS = 60;

const IsoDay = z.string().refine(isIsoDate, { message: "Must be a date in YYYY-MM-DD form." });
// Browsers submit textarea line breaks as CRLF but count them as one character for maxlength.
const Reason = z
  .string()
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "Write a reason.").max(MAX_REASON_LENGTH, `At most ${MAX_REASON_LENGTH} characters.`));

/** The body of `POST /d/:token/actions`, as JSON or as form fields. */
export const SelfServiceActionBodySchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("already_paid") }),
  z.strictObject({ action: z.literal("payment_date"), date: IsoDay }),
  z.strictObject({ action: z.literal("arrangement"), instalments: z.number().int().min(2).max(MAX_INSTALMENTS) }),
  z.strictObject({ action: z.literal("help") }),
  z.strictObject({ action: z.literal("dispute"), reason: Reason }),
]);
/** A validated action body. */
export type ActionBody = z.infer<typeof SelfServiceActionBodySchema>;

/** One problem with the debtor's input: the API field and message, and which kind words to show. */
export interface Issue {
  field: string;
  message: string;
  form: FormField;
}

/** Checks an action against what this debtor is offered: invalid_state if not offered at all. */
function checkAgainstView(body: ActionBody, view: SelfServiceView, today: string): { code: ErrorCode; issues: Issue[] } | null {
  if (body.action === "payment_date") {
    const latest = view.latestPaymentDate;
    // Date choice is off, or its window has already closed: nothing the debtor can fix here.
    if (latest === null || latest <= today) return { code: "invalid_state", issues: [] };
    if (body.date <= today) return { code: "validation_failed", issues: [{ field: "date", message: "Choose a day after today.", form: "date_early" }] };
    if (body.date > latest) return { code: "validation_failed", issues: [{ field: "date", message: `Choose a day up to ${latest}.`, form: "date_late" }] };
  }
  if (body.action === "arrangement") {
    const options = instalmentOptions(view);
    if (options.length === 0) return { code: "invalid_state", issues: [] };
    if (!options.some((o) => o.months === body.instalments)) {
      return { code: "validation_failed", issues: [{ field: "instalments", message: `Choose between 2 and ${options.at(-1)?.months} instalments.`, form: "instalments" }] };
    }
  }
  return null;
}

/** The DO action for a validated body. */
export function toAction(body: ActionBody): SelfServiceAction {
  switch (body.action) {
    case "payment_date":
      return { kind: "payment_date", date: body.date };
    case "arrangement":
      return { kind: "arrangement", instalments: body.instalments };
    case "dispute":
      return { kind: "dispute", reason: body.reason };
    default:
      return { kind: body.action };
  }
}

function issueForm(field: string): FormField {
  return field === "date" || field === "instalments" || field === "reason" ? field : "other";
}

const SECTION: Record<ActionBody["action"], string> = {
  already_paid: "already-paid",
  payment_date: "payment-date",
  arrangement: "arrangement",
  help: "help",
  dispute: "dispute",
};

/** The page section an (invalid) body came from, so "try again" returns the debtor there. */
function sectionOf(input: unknown): string {
  const action = typeof input === "object" && input !== null ? (input as Record<string, unknown>).action : undefined;
  return typeof action === "string" && Object.hasOwn(SECTION, action) ? SECTION[action as ActionBody["action"]] : "";
}

// Frame-ancestors is covered by X-Frame-Options below.
// The shop's logo is the only image: https only, as the account profile requires.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https:; form-action 'self'";
const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy": CSP,
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "X-Robots-Tag": "noindex, nofollow",
};

type Ctx = Context<AppEnv>;

/**
 * The page in the language the reader picked (`?lang=`: the Belgian language switch, or a deep
 * link from a French-speaking app), else the debtor's own. Only the four known locales count.
 */
function readerView(c: Ctx, view: SelfServiceView): { view: SelfServiceView; lang: SelfServiceView["locale"] | null } {
  const lang = c.req.query("lang");
  return isReaderLocale(lang) && lang !== view.locale ? { view: { ...view, locale: lang }, lang } : { view, lang: null };
}

/** The debtor this request is for: from the signed link in the path, or (at /d) from the session cookie. */
async function verifiedClaims(c: Ctx, now: number): Promise<DebtorLinkClaims | null> {
  const token = c.req.param("token");
  if (token === undefined) return sessionOf(c, now);
  const secret = debtorLinkSecret(c.env);
  return secret ? verifyDebtorLink(secret, token, now) : null;
}

async function readBody(c: Ctx, mode: "json" | "form"): Promise<unknown> {
  if (mode === "json") {
    try {
      return await c.req.json<unknown>();
    } catch {
      throw new ApiError("bad_request", "The body is not valid JSON.");
    }
  }
  const form = await c.req.parseBody();
  const fields: Record<string, unknown> = { ...form };
  // Form fields are text; the select's value becomes the integer the schema expects.
  if (typeof fields.instalments === "string" && /^\d{1,3}$/.test(fields.instalments)) fields.instalments = Number(fields.instalments);
  return fields;
}

function bodyMode(contentType: string | undefined): "json" | "form" | null {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") return "form";
  return null;
}

/** The self-service sub-app on a given backend; mount it at `/d`. */
export function createSelfService(backend: (env: Env) => SelfServiceBackend) {
  const app = createApp();

  app.use("*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });

  const showPage = async (c: Ctx) => {
    const now = (await loadClock(c.env)).now();
    const claims = await verifiedClaims(c, now);
    const found = claims && (await backend(c.env).view(claims.tenantId, claims.debtorId, claims.iat));
    if (!found) return linkGonePage(c);
    const { view, lang } = readerView(c, found);
    const offer = { instalments: instalmentOptions(view), maxReasonLength: MAX_REASON_LENGTH };
    return c.html(debtorPage(view, new URL(c.req.url).pathname.replace(/\/+$/, ""), debtorToday(view, now), offer, lang));
  };
  // `/d` is the page of the session cookie (debtor-session.ts); `/d/:token` the signed link itself.
  app.get("/", showPage);
  app.get("/:token", showPage);

  /** A form post or JSON from the page: its mode, the debtor it is about and the page to go back to; or the answer for a bad link. */
  async function posted(c: Ctx, action: string) {
    const mode = bodyMode(c.req.header("content-type"));
    if (!mode) throw new ApiError("unsupported_media_type", "Send application/json or application/x-www-form-urlencoded.");
    const now = (await loadClock(c.env)).now();
    const claims = await verifiedClaims(c, now);
    const debtor = backend(c.env);
    const found = claims && (await debtor.view(claims.tenantId, claims.debtorId, claims.iat));
    if (!claims || !found) return { gone: mode === "json" ? problem(c, "not_found", "This link is not valid or has expired.") : await linkGonePage(c) };
    const { view, lang } = readerView(c, found);
    const pagePath = new URL(c.req.url).pathname.replace(new RegExp(`/${action}/?$`), "") + (lang ? `?lang=${lang}` : "");
    return { mode, now, claims, debtor, view, pagePath };
  }

  const takeAction = async (c: Ctx) => {
    const p = await posted(c, "actions");
    if ("gone" in p) return p.gone;
    const { mode, now, claims, debtor, view, pagePath } = p;
    const fail = (code: ErrorCode, detail: string, issues: Issue[], section: string) => {
      if (mode === "json") throw new ApiError(code, detail, issues.map(({ field, message }) => ({ field, message })));
      return c.html(errorPage(view, code, issues, section, pagePath), ERROR_STATUS[code]);
    };

    const input = await readBody(c, mode);
    const parsed = SelfServiceActionBodySchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => {
        const field = i.path.map(String).join(".") || "(body)";
        return { field, message: i.message, form: issueForm(field) };
      });
      return fail("validation_failed", "The request is not valid; see errors for each field.", issues, sectionOf(input));
    }
    const body = parsed.data;
    const limit = checkAgainstView(body, view, debtorToday(view, now));
    if (limit) return fail(limit.code, limit.code === "invalid_state" ? "This option is not offered to this debtor." : "The request is not valid; see errors for each field.", limit.issues, SECTION[body.action]);

    const result = await debtor.act(claims.tenantId, claims.debtorId, toAction(body));
    if (!result.ok) {
      const issues = result.field ? [{ field: result.field, message: result.message, form: issueForm(result.field) }] : [];
      if (result.code === "not_found" && mode === "form") return linkGonePage(c);
      return fail(result.code, result.message, issues, SECTION[body.action]);
    }
    return mode === "json" ? c.json(result, 200) : c.html(confirmationPage(view, body, result, pagePath));
  };
  app.post("/actions", takeAction);
  app.post("/:token/actions", takeAction);

  // The NPS question after a cycle that ended well (self-service-nps.ts).
  const answerNps = async (c: Ctx) => {
    const p = await posted(c, "nps");
    if ("gone" in p) return p.gone;
    const { mode, claims, debtor, view, pagePath } = p;
    if (!debtor.answerNps) return mode === "json" ? problem(c, "not_found", "This link is not valid or has expired.") : linkGonePage(c);
    const parsed = NpsBodySchema.safeParse(await readBody(c, mode));
    if (!parsed.success) {
      if (mode === "json") throw new ApiError("validation_failed", "The request is not valid; see errors for each field.", parsed.error.issues.map((i) => ({ field: i.path.map(String).join(".") || "(body)", message: i.message })));
      return c.redirect(`${pagePath}#nps`, 303);
    }
    const result = await debtor.answerNps(claims.tenantId, claims.debtorId, parsed.data.score, parsed.data.comment || null);
    if (mode === "json") return result.ok ? c.json({ ok: true, cycle: result.cycle }, 200) : problem(c, result.code, result.message);
    const copy = npsCopy(view.locale);
    const body = result.ok ? html`<h1>${copy.thanks}</h1><p>${copy.thanksText}</p>` : html`<h1>${copy.heading}</h1><p>${copy.closed}</p>`;
    return c.html(layout(view.locale, result.ok ? copy.thanks : copy.heading, html`${body}<p><a href="${pagePath}">${copy.back}</a></p>`, view.shop.brandColour), result.ok ? 200 : 409);
  };
  app.post("/nps", answerNps);
  app.post("/:token/nps", answerNps);

  return app;
}

/** The sub-app the API mounts at `/d`, backed by the debtor's Durable Object. */
export const selfService = createSelfService(durableObjectBackend);
