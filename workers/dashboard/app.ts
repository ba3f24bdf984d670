/**
 * The dashboard at /app: server-rendered pages (forms work without JavaScript), sign-in by a
 * one-time link, sessions and CSRF (session.ts), roles (users.ts), and the client files from the
 * Worker's static assets. Pages are HTML, so this app answers errors as HTML pages rather than
 * problem+json; it is a plain Hono app for that reason, with its own error handler.
 *
 * Every page is scoped by the session's tenant: an id of another tenant answers 404, exactly
 * like the API (test/dashboard-security.test.ts walks every route).
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { html } from "hono/html";
import { parseAccountProfile } from "../account-profile";
import { isDevelopment } from "../clock";
import { ApiError } from "../errors";
import { deliveryMode } from "../policy/channel-rules";
import { type DashEnv, formOf } from "./context";
import { words, type DashCopy } from "./copy";
import { csrfField, type PageCtx, page, publicPage } from "./layout";
import { csrfValid, currentSession, endSession, preSessionToken, sameOrigin, type Session, startSession } from "./session";
import { redeemSigninLink, requestSigninLinks, signinLinkUsable } from "./signin";
import { type DashboardLocale, LOCALES, updateUser, userById } from "./users";
import { overviewPages } from "./pages/overview";
import { policyPages } from "./pages/policy";
import { debtorPages } from "./pages/debtors";
import { adminPages } from "./pages/admin";
import { marketingPages } from "./pages/marketing";


/** Scripts only from this origin; inline styles are allowed because Plot styles its SVG inline. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/** The language of someone not signed in: `?lang=`, else the browser's first choice, else Dutch. */
function publicLocale(c: Context): DashboardLocale {
  const q = c.req.query("lang");
  if (q === "en" || q === "nl") return q;
  return /^\s*en\b/i.test(c.req.header("accept-language") ?? "") ? "en" : "nl";
}

/** A refusal as an HTML page in the reader's language. */
function errorPage(c: Context, copy: DashCopy, locale: DashboardLocale, status: 400 | 403 | 404 | 409 | 410 | 500, title: string, text: string, ctx?: PageCtx): Response | Promise<Response> {
  const body = html`<p>${text}</p><p><a href="/app">${copy.common.back}</a></p>`;
  return c.html(ctx ? page(ctx, title, body) : publicPage(locale, title, body), status);
}

export const dashboard = new Hono<DashEnv>();

/** The dashboard is mounted beside the API: its middleware runs on its own paths only ("/app/*" includes "/app"). */
const onApp = (handler: MiddlewareHandler<DashEnv>) => dashboard.use("/app/*", handler);

onApp(async (c, next) => {
  await next();
  // Static assets carry their own caching; pages are personal and never cached.
  if (c.req.path.startsWith("/app/assets/")) return;
  // A page may set a stricter policy of its own (a sandboxed message preview keeps its own).
  if (!c.res.headers.has("Content-Security-Policy")) c.res.headers.set("Content-Security-Policy", CSP);
  c.res.headers.set("X-Content-Type-Options", "nosniff");
  c.res.headers.set("Referrer-Policy", "same-origin");
  c.res.headers.set("Cache-Control", "no-store");
  c.res.headers.set("X-Frame-Options", "DENY");
});

dashboard.onError((err, c) => {
  const session = c.get("session") as Session | undefined;
  const locale = session?.user.locale ?? publicLocale(c);
  const copy = words(locale);
  const ctx = c.get("page") as PageCtx | undefined;
  if (err instanceof ApiError) {
    if (err.code === "not_found") return errorPage(c, copy, locale, 404, copy.common.notFoundTitle, copy.common.notFound, ctx);
    if (err.code === "forbidden") return errorPage(c, copy, locale, 403, copy.common.notAllowedTitle, copy.common.notAllowed, ctx);
    if (err.code === "conflict" || err.code === "invalid_state") return errorPage(c, copy, locale, 409, copy.common.invalidTitle, err.message, ctx);
    if (err.status < 500) return errorPage(c, copy, locale, 400, copy.common.invalidTitle, err.message, ctx);
  }
  console.error("dashboard error", err);
  return errorPage(c, copy, locale, 500, copy.common.errorTitle, copy.common.error, ctx);
});

// The client bundle and stylesheet, from Workers Static Assets (run_worker_first keeps every other path here).
dashboard.get("/app/assets/*", (c) => c.env.ASSETS.fetch(c.req.raw));

// CSRF on every form: the Origin must be this site, and `_csrf` must match the session (or, before sign-in, the pre-session cookie).
onApp(async (c, next) => {
  if (c.req.method !== "POST") return next();
  const session = await currentSession(c, c.env.DB, Date.now());
  if (session) c.set("session", session);
  const locale = session?.user.locale ?? publicLocale(c);
  const copy = words(locale);
  const form = await formOf(c).catch(() => ({}) as Record<string, string>);
  if (!sameOrigin(c) || !csrfValid(c, form._csrf, session)) return errorPage(c, copy, locale, 403, copy.common.invalidTitle, copy.common.csrf);
  return next();
});

dashboard.get("/app/signin", (c) => {
  const locale = publicLocale(c);
  const w = words(locale).signin;
  const note = c.req.query("out") === "1" ? html`<p class="note" role="status">${w.signedOut}</p>` : "";
  return c.html(
    publicPage(
      locale,
      w.title,
      html`${note}<p>${w.intro}</p><form method="post" action="/app/signin?lang=${locale}">${csrfField(preSessionToken(c))}
<label for="email">${w.email}</label><input id="email" name="email" type="email" autocomplete="email" required maxlength="254">
<button type="submit">${w.send}</button></form><p><a href="/app/signin?lang=${locale === "nl" ? "en" : "nl"}" lang="${locale === "nl" ? "en" : "nl"}">${words(locale === "nl" ? "en" : "nl").nav.language === "English" ? "Nederlands" : "English"}</a></p>`,
    ),
  );
});

dashboard.post("/app/signin", async (c) => {
  const locale = publicLocale(c);
  const w = words(locale).signin;
  const email = (await formOf(c)).email?.trim().toLowerCase() ?? "";
  // The same answer whether or not the address is known: the form tells nobody who has an account.
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254) await requestSigninLinks(c.env, email, new URL(c.req.url).origin, Date.now());
  return c.html(publicPage(locale, w.sentTitle, html`<p role="status">${w.sent(email)}</p>`));
});

dashboard.get("/app/signin/verify", async (c) => {
  const locale = publicLocale(c);
  const w = words(locale).signin;
  const token = c.req.query("token") ?? "";
  // Opening the link never uses it (mail scanners open links); the button does.
  if (!(await signinLinkUsable(c.env.DB, token, Date.now()))) {
    return c.html(publicPage(locale, w.goneTitle, html`<p>${w.gone}</p><p><a href="/app/signin?lang=${locale}">${w.again}</a></p>`), 410);
  }
  return c.html(
    publicPage(locale, w.confirmTitle, html`<p>${w.confirm}</p><form method="post" action="/app/signin/verify?lang=${locale}">${csrfField(preSessionToken(c))}
<input type="hidden" name="token" value="${token}"><button type="submit">${w.button}</button></form>`),
  );
});

dashboard.post("/app/signin/verify", async (c) => {
  const locale = publicLocale(c);
  const w = words(locale).signin;
  const now = Date.now();
  const redeemed = await redeemSigninLink(c.env.DB, (await formOf(c)).token ?? "", now);
  const user = redeemed ? await userById(c.env.DB, redeemed.tenantId, redeemed.userId) : null;
  if (!user || user.disabledAt !== null) return c.html(publicPage(locale, w.goneTitle, html`<p>${w.gone}</p><p><a href="/app/signin?lang=${locale}">${w.again}</a></p>`), 410);
  await startSession(c, c.env.DB, user, now);
  return c.redirect("/app", 303);
});

// Everything below needs a session; without one, pages send the reader to sign in.
onApp(async (c, next) => {
  const session = (c.get("session") as Session | undefined) ?? (await currentSession(c, c.env.DB, Date.now()));
  if (!session) return c.req.method === "GET" ? c.redirect("/app/signin", 303) : errorPage(c, words(publicLocale(c)), publicLocale(c), 403, words(publicLocale(c)).common.notAllowedTitle, words(publicLocale(c)).signin.gone);
  c.set("session", session);
  const profile = parseAccountProfile(session.shop.profile);
  c.set("page", {
    copy: words(session.user.locale),
    locale: session.user.locale,
    user: session.user,
    csrf: session.csrf,
    path: c.req.path,
    shopName: session.shop.name,
    sandbox: deliveryMode(profile.delivery_mode, isDevelopment(c.env), c.env.DELIVERY_MODE) === "sandbox",
  });
  return next();
});

dashboard.post("/app/signout", async (c) => {
  await endSession(c, c.env.DB, c.get("session"), Date.now());
  return c.redirect(`/app/signin?out=1&lang=${c.get("page").locale}`, 303);
});

dashboard.post("/app/language", async (c) => {
  const form = await formOf(c);
  const locale = (LOCALES as readonly string[]).includes(form.locale ?? "") ? (form.locale as DashboardLocale) : "nl";
  const { user } = c.get("page");
  await updateUser(c.env.DB, user.tenantId, user.id, { locale }, Date.now());
  // Only a path inside the dashboard: never an open redirect.
  const back = form.back && /^\/app(\/[A-Za-z0-9_\-/.%]*)?$/.test(form.back) ? form.back : "/app";
  return c.redirect(back, 303);
});

dashboard.route("/", overviewPages);
dashboard.route("/", policyPages);
dashboard.route("/", debtorPages);
dashboard.route("/", adminPages);
dashboard.route("/", marketingPages);

dashboard.all("/app/*", (c) => {
  const ctx = c.get("page");
  return errorPage(c, ctx.copy, ctx.locale, 404, ctx.copy.common.notFoundTitle, ctx.copy.common.notFound, ctx);
});
