/** The tenant's live policy as stored in D1 (the default while it has none). */
import { desc, eq } from "drizzle-orm";
import { policies } from "../../schema/d1";
import { db } from "../db";
import { DEFAULT_POLICY } from "../policy/default-policy";
import { TenantPolicySchema, type TenantPolicy } from "../policy/policy-schema";

/** The tenant's live policy, or the default. */
export async function livePolicy(d1: D1Database, tenantId: string): Promise<{ version: number; policy: TenantPolicy; createdAt: number | null }> {
  const row = await db(d1)
    .select({ version: policies.version, body: policies.body, createdAt: policies.createdAt })
    .from(policies)
    .where(eq(policies.tenantId, tenantId))
    .orderBy(desc(policies.version))
    .limit(1)
    .get();
  if (!row) return { version: 0, policy: DEFAULT_POLICY, createdAt: null };
  const parsed = TenantPolicySchema.safeParse(JSON.parse(row.body));
  return parsed.success ? { version: row.version, policy: parsed.data, createdAt: row.createdAt } : { version: row.version, policy: DEFAULT_POLICY, createdAt: row.createdAt };
}
