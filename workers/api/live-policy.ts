/** The tenant's live policy as stored in D1 (the default while it has none). */
import { DEFAULT_POLICY } from "../policy/default-policy";
import { TenantPolicySchema, type TenantPolicy } from "../policy/policy-schema";

/** The tenant's live policy, or the default. */
export async function livePolicy(db: D1Database, tenantId: string): Promise<{ version: number; policy: TenantPolicy; createdAt: number | null }> {
  const row = await db.prepare("SELECT version, body, created_at FROM policies WHERE tenant_id = ? ORDER BY version DESC LIMIT 1").bind(tenantId).first<{ version: number; body: string; created_at: number }>();
  if (!row) return { version: 0, policy: DEFAULT_POLICY, createdAt: null };
  const parsed = TenantPolicySchema.safeParse(JSON.parse(row.body));
  return parsed.success ? { version: row.version, policy: parsed.data, createdAt: row.created_at } : { version: row.version, policy: DEFAULT_POLICY, createdAt: row.created_at };
}
