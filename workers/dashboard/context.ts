/**
 * What the dashboard's route modules share: the Hono environment (session and page context),
 * the role check, the audit helper, rendering and form reading.
 */
import type { Context } from "hono";
import { ApiError } from "../errors";
import { audit } from "./audit";
import { type Html, type PageCtx, page } from "./layout";
import type { Session } from "./session";
import { can, type Permission } from "./users";

export type DashEnv = { Bindings: Env; Variables: { session: Session; page: PageCtx } };
export type DashContext = Context<DashEnv>;

/** Refuses (403) a role that may not do `permission`. */
export function need(c: DashContext, permission: Permission): PageCtx {
  const ctx = c.get("page");
  if (!can(ctx.user.role, permission)) throw new ApiError("forbidden", "Not for this role.");
  return ctx;
}

/** Writes an audit row for this session's user. */
export function auditAs(c: DashContext, action: string, subject: string | null, detail: Record<string, unknown> = {}): Promise<void> {
  const { user } = c.get("page");
  return audit(c.env.DB, { tenantId: user.tenantId, userId: user.id, action, subject, detail }, Date.now());
}

/** Renders a signed-in page. */
export function render(c: DashContext, title: string, content: Html, status: 200 | 400 | 409 = 200): Response | Promise<Response> {
  return c.html(page(c.get("page"), title, content), status);
}

/** Reads a urlencoded or multipart form (Hono caches the body, so handlers may read it again). */
export async function formOf(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
}

