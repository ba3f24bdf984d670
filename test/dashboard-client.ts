/**
 * A minimal browser for the dashboard inside workerd: keeps cookies, reads the CSRF token from
 * pages, posts forms, and signs in the way a person does (the one-time link from the sandbox
 * outbox). The real-browser tests (test/browser/) drive Chromium; these cover the rules.
 */
import { env, exports } from "cloudflare:workers";
import { call } from "./helpers";

/** A cookie jar and a form poster against the Worker. */
export class DashClient {
  readonly cookies = new Map<string, string>();

  async fetch(method: string, path: string, opts: { form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (opts.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await exports.default.fetch(`http://kindly.test${path}`, { method, headers, redirect: "manual", body: opts.form ? new URLSearchParams(opts.form).toString() : undefined });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || value === "") this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.trim());
    }
    return res;
  }
  get(path: string) {
    return this.fetch("GET", path);
  }
  /** The CSRF token in a page's forms. */
  static csrfOf(page: string): string {
    const m = /name="_csrf" value="([A-Za-z0-9]{32})"/.exec(page);
    if (!m?.[1]) throw new Error("no CSRF token on the page");
    return m[1];
  }
  /** Loads `from`, then posts `form` to `path` with that page's CSRF token. */
  async post(path: string, form: Record<string, string>, from = "/app"): Promise<Response> {
    const page = await (await this.get(from)).text();
    return this.fetch("POST", path, { form: { _csrf: DashClient.csrfOf(page), ...form } });
  }
}

/** The newest sign-in link emailed to `email` (kept in the sandbox outbox in development). */
export async function signinLinkFor(tenantId: string, email: string): Promise<string> {
  const row = await env.DB.prepare("SELECT text FROM sandbox_messages WHERE tenant_id = ? AND recipient = ? AND debtor_id LIKE 'dashboard:%' ORDER BY created_at DESC, rowid DESC LIMIT 1")
    .bind(tenantId, email)
    .first<{ text: string }>();
  const link = /https?:\/\/\S+\/app\/signin\/verify\?token=[A-Za-z0-9]{32}/.exec(row?.text ?? "")?.[0];
  if (!link) throw new Error(`no sign-in link for ${email}`);
  return link.replace(/^https?:\/\/[^/]+/, "");
}

/** Asks for a link at the sign-in form. */
export async function requestLink(client: DashClient, email: string): Promise<Response> {
  const page = await (await client.get("/app/signin")).text();
  return client.fetch("POST", "/app/signin", { form: { _csrf: DashClient.csrfOf(page), email } });
}

/** Adds a user through the API (as the shop's backend does) and signs them in with the emailed link. */
export async function signedIn(tenant: { id: string; key: string }, role: "owner" | "credit_manager" | "marketer" | "viewer", locale: "nl" | "en" = "en") {
  const email = `${role}.${crypto.randomUUID().slice(0, 8)}@shop.example`;
  const res = await call(tenant.key, "POST", "/v1/users", { email, name: `${role} person`, role, locale });
  if (res.status !== 201) throw new Error(`user not created: ${res.status} ${await res.text()}`);
  const user = (await res.json()) as { id: string };
  const client = new DashClient();
  await requestLink(client, email);
  const link = await signinLinkFor(tenant.id, email);
  const confirm = await (await client.get(link)).text();
  const token = /name="token" value="([A-Za-z0-9]{32})"/.exec(confirm)?.[1] ?? "";
  const done = await client.fetch("POST", "/app/signin/verify", { form: { _csrf: DashClient.csrfOf(confirm), token } });
  if (done.status !== 303) throw new Error(`sign-in failed: ${done.status}`);
  return { client, email, userId: user.id };
}
