/**
 * API key scopes. A key without scopes has full access; a scoped key may do only what its scopes
 * allow, on every route:
 *
 * - `read_only`: every GET (and minting a banner token, which only reads).
 * - `invoices_write`: read, plus registering invoices, payments, cancellations, and everything
 *   about a debtor (flags, stops, choices, channels, links, erasure) and the call-centre tasks.
 * - `policy_admin`: read, plus the policy, the account, the settings and the webhook endpoints.
 *
 * Managing API keys and dashboard users needs a key with full access (a scoped key could otherwise mint itself a
 * wider one). A route not in the table needs read for GET and full access for anything else, so
 * a new route is closed to scoped keys until it is given its scope here (fail closed).
 */
import { z } from "zod";

export const SCOPES = ["read_only", "invoices_write", "policy_admin"] as const;
export type Scope = (typeof SCOPES)[number];
export type Permission = "read" | "invoices_write" | "policy_admin" | "full";

/** [method, OpenAPI path template, permission] for every route an API key reaches. */
export const ROUTE_PERMISSIONS: readonly [string, string, Permission][] = [
  ["GET", "/v1/account", "read"],
  ["PATCH", "/v1/account", "policy_admin"],
  ["GET", "/v1/settings", "read"],
  ["PATCH", "/v1/settings", "policy_admin"],
  ["GET", "/v1/api-keys", "full"],
  ["POST", "/v1/api-keys", "full"],
  ["POST", "/v1/api-keys/{id}/roll", "full"],
  ["DELETE", "/v1/api-keys/{id}", "full"],
  ["POST", "/v1/invoices", "invoices_write"],
  ["POST", "/v1/debtors/{id}/orders", "invoices_write"],
  ["POST", "/v1/orders", "invoices_write"],
  ["GET", "/v1/users", "read"],
  ["POST", "/v1/users", "full"],
  ["PATCH", "/v1/users/{id}", "full"],
  ["GET", "/v1/invoices/{id}", "read"],
  ["POST", "/v1/invoices/{id}/payments", "invoices_write"],
  ["POST", "/v1/invoices/{id}/cancel", "invoices_write"],
  ["POST", "/v1/payments", "invoices_write"],
  ["GET", "/v1/debtors/{id}", "read"],
  ["DELETE", "/v1/debtors/{id}", "invoices_write"],
  ["GET", "/v1/debtors/{id}/export", "read"],
  ["GET", "/v1/debtors/{id}/pay-later", "read"],
  ["PUT", "/v1/debtors/{id}/flags", "invoices_write"],
  ["POST", "/v1/debtors/{id}/stops", "invoices_write"],
  ["POST", "/v1/debtors/{id}/stops/lift", "invoices_write"],
  ["POST", "/v1/debtors/{id}/actions", "invoices_write"],
  ["PUT", "/v1/debtors/{id}/channels/{channel}", "invoices_write"],
  ["POST", "/v1/debtors/{id}/links/revoke", "invoices_write"],
  ["POST", "/v1/debtors/{id}/banner-token", "read"],
  ["GET", "/v1/policy", "read"],
  ["PUT", "/v1/policy", "policy_admin"],
  ["GET", "/v1/policy/score", "read"],
  ["PUT", "/v1/policy/score/self-assessment", "policy_admin"],
  // A simulation writes nothing, but it is the heaviest call there is: for policy authors only.
  ["POST", "/v1/policy/simulate", "policy_admin"],
  ["GET", "/v1/sandbox/messages", "read"],
  ["GET", "/v1/call-tasks", "read"],
  ["POST", "/v1/call-tasks/{id}/close", "invoices_write"],
  ["POST", "/v1/webhook-endpoints", "policy_admin"],
  ["GET", "/v1/webhook-endpoints", "read"],
  ["GET", "/v1/webhook-endpoints/{id}", "read"],
  ["DELETE", "/v1/webhook-endpoints/{id}", "policy_admin"],
  ["POST", "/v1/webhook-endpoints/{id}/rotate-secret", "policy_admin"],
  ["GET", "/v1/webhook-deliveries", "read"],
  ["GET", "/v1/webhook-deliveries/{id}", "read"],
  ["POST", "/v1/webhook-deliveries/{id}/replay", "policy_admin"],
];

const compiled = ROUTE_PERMISSIONS.map(([method, template, permission]) => ({
  method,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}/?$`),
  permission,
}));

/** The permission a request needs (see the module comment for routes not in the table). */
export function permissionFor(method: string, path: string): Permission {
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  const hit = compiled.find((r) => r.method === m && r.pattern.test(path));
  if (hit) return hit.permission;
  return m === "GET" ? "read" : "full";
}

/** Whether a key with `scopes` (null: full access) may do what `needed` asks. */
export function scopesAllow(scopes: readonly Scope[] | null, needed: Permission): boolean {
  if (scopes === null) return true;
  if (needed === "full") return false;
  if (needed === "read") return scopes.length > 0;
  return scopes.includes(needed);
}

const StoredScopes = z.array(z.enum(SCOPES)).min(1);

/** The scopes stored with a key (JSON), or null for full access; unreadable scopes grant nothing but read. */
export function parseScopes(json: string | null): Scope[] | null {
  if (json === null) return null;
  try {
    const parsed = StoredScopes.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : ["read_only"];
  } catch {
    return ["read_only"];
  }
}
