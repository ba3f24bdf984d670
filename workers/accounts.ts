/**
 * Accounts and their two environments, as Stripe keeps live and test mode apart. An account `acme`
 * is two rows of `tenants`: the live environment `acme` and the test environment `acme.test`
 * (mode "test", account_id "acme"). An API key belongs to one environment, and every row of data
 * (invoices, debtors' objects, events, policies, webhook endpoints, sandbox messages) is keyed by
 * the environment's id, so what a test key registers lives in its own namespace and never meets
 * live data. A test environment is always sandboxed (`forcedSandbox`).
 */

/** Account ids: lowercase letters, digits, '-' and '_' (never '.', so no account id ends in `.test`). */
export const ACCOUNT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{1,39}$/;
const TEST_SUFFIX = ".test";

/** Months a test environment keeps a debtor's data after their last invoice closed, by default. */
export const TEST_RETENTION_MONTHS = 3;
/** Months a live environment keeps it, by default (AVG: no longer than needed; a shop may shorten it). */
export const LIVE_RETENTION_MONTHS = 24;

/** The id of the test environment of an account. */
export function testEnvironmentId(accountId: string): string {
  return `${accountId}${TEST_SUFFIX}`;
}

/** The ids of both environments of an account: [live, test]. */
export function environmentsOf(accountId: string): [string, string] {
  return [accountId, testEnvironmentId(accountId)];
}

/** Whether an environment is a test environment: its messages never reach a live provider. */
export function isTestEnvironment(environmentId: string): boolean {
  return environmentId.endsWith(TEST_SUFFIX);
}

/** What a new account starts with. */
export interface NewAccount {
  id: string;
  name: string;
  displayName: string;
  contactEmail: string | null;
  country: "NL" | "BE";
  addressLines?: string[];
}

/** Creates both environments of an account; true if they are new, false if the account existed. */
export async function ensureAccount(db: D1Database, a: NewAccount, now: number): Promise<boolean> {
  const insert = (id: string, mode: "live" | "test", retention: number) =>
    db
      .prepare(
        `INSERT OR IGNORE INTO tenants (id, name, display_name, contact_email, country, address_lines, created_at, mode, account_id, retention_months)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(id, a.name, a.displayName, a.contactEmail, a.country, JSON.stringify(a.addressLines ?? []), now, mode, mode === "live" ? null : a.id, retention);
  const [live] = await db.batch([insert(a.id, "live", LIVE_RETENTION_MONTHS), insert(testEnvironmentId(a.id), "test", TEST_RETENTION_MONTHS)]);
  return (live?.meta.changes ?? 0) > 0;
}

/**
 * Offboards an account: its keys stop at once, its webhook endpoints are deleted (secrets wiped,
 * pending deliveries cancelled), and the retention cron erases every debtor of both environments.
 * False when there is no such open account.
 */
export async function closeAccount(db: D1Database, accountId: string, now: number): Promise<boolean> {
  const [live, test] = environmentsOf(accountId);
  const res = await db.batch([
    db.prepare("UPDATE tenants SET closed_at = ? WHERE id IN (?, ?) AND closed_at IS NULL AND mode = CASE WHEN id = ? THEN 'live' ELSE 'test' END").bind(now, live, test, live),
    db.prepare("UPDATE api_keys SET revoked_at = ? WHERE tenant_id IN (?, ?) AND revoked_at IS NULL").bind(now, live, test),
    db
      .prepare("UPDATE webhook_endpoints SET deleted_at = ?1, secret = '', previous_secret = NULL, previous_secret_expires_at = NULL, updated_at = ?1 WHERE tenant_id IN (?2, ?3) AND deleted_at IS NULL")
      .bind(now, live, test),
    db
      .prepare("UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, last_error = 'account closed', updated_at = ?1 WHERE tenant_id IN (?2, ?3) AND status = 'pending'")
      .bind(now, live, test),
  ]);
  return (res[0]?.meta.changes ?? 0) > 0;
}
