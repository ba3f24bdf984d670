/**
 * Accounts and their two environments, as Stripe keeps live and test mode apart. An account `acme`
 * is two rows of `tenants`: the live environment `acme` and the test environment `acme.test`
 * (mode "test", account_id "acme"). An API key belongs to one environment, and every row of data
 * (invoices, debtors' objects, events, policies, webhook endpoints, sandbox messages) is keyed by
 * the environment's id, so what a test key registers lives in its own namespace and never meets
 * live data. A test environment is always sandboxed (`forcedSandbox`).
 */
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { apiKeys, tenants, webhookDeliveries, webhookEndpoints } from "../schema/d1";
import { db } from "./db";

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
export async function ensureAccount(d1: D1Database, a: NewAccount, now: number): Promise<boolean> {
  const d = db(d1);
  const insert = (id: string, mode: "live" | "test", retention: number) =>
    d
      .insert(tenants)
      .values({
        id,
        name: a.name,
        displayName: a.displayName,
        contactEmail: a.contactEmail,
        country: a.country,
        addressLines: JSON.stringify(a.addressLines ?? []),
        createdAt: now,
        mode,
        accountId: mode === "live" ? null : a.id,
        retentionMonths: retention,
      })
      .onConflictDoNothing();
  const [live] = await d.batch([insert(a.id, "live", LIVE_RETENTION_MONTHS), insert(testEnvironmentId(a.id), "test", TEST_RETENTION_MONTHS)]);
  return live.meta.changes > 0;
}

/**
 * Offboards an account: its keys stop at once, its webhook endpoints are deleted (secrets wiped,
 * pending deliveries cancelled), and the retention cron erases every debtor of both environments.
 * False when there is no such open account.
 */
export async function closeAccount(d1: D1Database, accountId: string, now: number): Promise<boolean> {
  const d = db(d1);
  const [live, test] = environmentsOf(accountId);
  const both = [live, test];
  const [closed] = await d.batch([
    d
      .update(tenants)
      .set({ closedAt: now })
      .where(and(isNull(tenants.closedAt), or(and(eq(tenants.id, live), eq(tenants.mode, "live")), and(eq(tenants.id, test), eq(tenants.mode, "test"))))),
    d.update(apiKeys).set({ revokedAt: now }).where(and(inArray(apiKeys.tenantId, both), isNull(apiKeys.revokedAt))),
    d
      .update(webhookEndpoints)
      .set({ deletedAt: now, secret: "", previousSecret: null, previousSecretExpiresAt: null, updatedAt: now })
      .where(and(inArray(webhookEndpoints.tenantId, both), isNull(webhookEndpoints.deletedAt))),
    d
      .update(webhookDeliveries)
      .set({ status: "cancelled", nextAttemptAt: null, lastError: "account closed", updatedAt: now })
      .where(and(inArray(webhookDeliveries.tenantId, both), eq(webhookDeliveries.status, "pending"))),
  ]);
  return closed.meta.changes > 0;
}
