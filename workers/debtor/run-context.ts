/**
 * Everything a DebtorDO needs from outside to plan: the clock, the tenant's live policy, the
 * tenant-wide channel priors and the tenant's sender details, read in one D1 round trip.
 */
import { type Clock, isDevelopment, offsetClock } from "../clock";
import type { ChannelStats } from "../policy/channel-mix";
import { DEFAULT_POLICY } from "../policy/default-policy";
import { TenantPolicySchema, type Channel, type TenantPolicy } from "../policy/policy-schema";
import { parseAccountProfile, type AccountProfile } from "../account-profile";
import type { TenantIdentity } from "../channels/adapter";
import { channelRegistry, type ChannelRegistry } from "../channels/registry";
import { deliveryMode, type DeliveryMode } from "../policy/channel-rules";
import { isTestEnvironment } from "../accounts";

export interface TenantInfo {
  displayName: string;
  contactEmail: string | null;
  country: "NL" | "BE";
  enterpriseNumber: string | null;
  addressLines: string[];
  /** Sender identity, branding, bank details and delivery mode (PATCH /v1/account). */
  profile: AccountProfile;
  /** "test": a test environment (workers/accounts.ts): its profile's delivery_mode is always "sandbox". */
  mode: "live" | "test";
}

export interface RunContext {
  clock: Clock;
  policy: TenantPolicy;
  policyVersion: number;
  priors: Record<string, Partial<Record<Channel, ChannelStats>>>;
  tenant: TenantInfo;
  /** Live or sandbox, and the adapters that send (resolved per load, never snapshotted). */
  delivery: { mode: DeliveryMode; channels: ChannelRegistry };
}

/** The delivery mode and channel registry for a tenant in this deployment. */
export function deliveryFor(env: Env, tenant: TenantInfo): RunContext["delivery"] {
  const letters = tenant.profile.letters?.provider;
  return { mode: deliveryMode(tenant.profile.delivery_mode, isDevelopment(env), env.DELIVERY_MODE), channels: channelRegistry(env).forTenant(letters ? { letter: letters } : {}) };
}

/** The shop as the channel adapters see it (names, service address, letterhead, sender identity). */
export function identityOf(tenant: TenantInfo): TenantIdentity {
  const p = tenant.profile;
  return {
    displayName: tenant.displayName,
    ...(p.legal_name ? { legalName: p.legal_name } : {}),
    contactEmail: tenant.contactEmail,
    country: tenant.country,
    addressLines: tenant.addressLines,
    ...(p.email ? { email: p.email } : {}),
    ...(p.sms ? { sms: p.sms } : {}),
  };
}

type PolicyRow = { version: number; body: string };
type StatRow = { segment: string; channel: Channel; successes: number; trials: number };
type TenantRow = { display_name: string; contact_email: string | null; country: "NL" | "BE"; enterprise_number: string | null; address_lines: string; profile: string; mode: "live" | "test" };

/** Loads the run context for `tenantId` (one D1 batch). */
export async function loadRunContext(env: Env, tenantId: string): Promise<RunContext> {
  const db = env.DB;
  const dev = isDevelopment(env);
  const statements = [
    db.prepare("SELECT version, body FROM policies WHERE tenant_id = ? ORDER BY version DESC LIMIT 1").bind(tenantId),
    db.prepare("SELECT segment, channel, successes, trials FROM channel_stats WHERE tenant_id = ?").bind(tenantId),
    db.prepare("SELECT display_name, contact_email, country, enterprise_number, address_lines, profile, mode FROM tenants WHERE id = ?").bind(tenantId),
    ...(dev ? [db.prepare("SELECT offset_ms FROM dev_clock WHERE id = 1")] : []),
  ];
  const [policyRes, statsRes, tenantRes, clockRes] = await db.batch<Record<string, unknown>>(statements);
  const policyRow = policyRes?.results[0] as PolicyRow | undefined;
  let policy = DEFAULT_POLICY;
  if (policyRow) {
    // Stored policies were validated on the way in; a row that no longer parses (schema change)
    // falls back to the lawful default rather than stopping the ladder.
    const parsed = TenantPolicySchema.safeParse(JSON.parse(policyRow.body));
    if (parsed.success) policy = parsed.data;
    else console.error("stored policy does not parse; using the default", tenantId, policyRow.version);
  }
  const priors: RunContext["priors"] = {};
  for (const r of (statsRes?.results ?? []) as StatRow[]) {
    (priors[r.segment] ??= {})[r.channel] = { successes: r.successes, trials: r.trials };
  }
  const t = tenantRes?.results[0] as TenantRow | undefined;
  const offsetMs = dev ? Number((clockRes?.results[0] as { offset_ms?: number } | undefined)?.offset_ms ?? 0) : 0;
  const clock: Clock = offsetClock(offsetMs);
  const tenant: TenantInfo = {
    displayName: t?.display_name ?? "",
    contactEmail: t?.contact_email ?? null,
    country: t?.country ?? "NL",
    enterpriseNumber: t?.enterprise_number ?? null,
    addressLines: t ? (JSON.parse(t.address_lines) as string[]) : [],
    ...withMode(parseAccountProfile(t?.profile), t?.mode === "test" || isTestEnvironment(tenantId) ? "test" : "live"),
  };
  return { clock, policy, policyVersion: policyRow?.version ?? 0, priors, tenant, delivery: deliveryFor(env, tenant) };
}

/** A test environment's messages never reach a live provider, whatever its profile says. */
function withMode(profile: AccountProfile, mode: "live" | "test"): { profile: AccountProfile; mode: "live" | "test" } {
  return { mode, profile: mode === "test" ? { ...profile, delivery_mode: "sandbox" } : profile };
}

/** The parts of a run context worth keeping for when D1 is unreachable. */
export function snapshotOf(rc: RunContext): string {
  return JSON.stringify({ policy: rc.policy, policyVersion: rc.policyVersion, priors: rc.priors, tenant: rc.tenant, offsetMs: rc.clock.offsetMs });
}

/** A run context from the last snapshot: reminders keep going while D1 is briefly down. */
export function fromSnapshot(json: string, env: Env): RunContext | null {
  try {
    const s = JSON.parse(json) as Omit<RunContext, "clock" | "delivery"> & { offsetMs: number };
    const parsed = TenantPolicySchema.safeParse(s.policy);
    if (!parsed.success) return null;
    const offsetMs = isDevelopment(env) ? s.offsetMs : 0;
    // Snapshots written before the profile or the mode existed lack them.
    const tenant = { ...s.tenant, ...withMode(s.tenant.profile ?? {}, s.tenant.mode === "test" ? "test" : "live") };
    return { policy: parsed.data, policyVersion: s.policyVersion, priors: s.priors, tenant, clock: offsetClock(offsetMs), delivery: deliveryFor(env, tenant) };
  } catch {
    return null;
  }
}
