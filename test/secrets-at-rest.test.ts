/**
 * Secrets at rest: a merchant's webhook signing secret is stored encrypted (AES-256-GCM under
 * DATA_ENCRYPTION_KEYS), appears nowhere in D1 in plain, and a key rotation keeps every delivery
 * verifiable with the secret the merchant holds.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../workers/api";
import { reencryptSecrets } from "../workers/secrets-at-rest";
import { attemptDelivery } from "../workers/webhooks-out";
import { newTenant } from "./helpers";

const key = (id: string, fill: number) => `${id}:${btoa(String.fromCharCode(...new Uint8Array(32).fill(fill)))}`;
const K1 = key("k1", 1);
const K2 = key("k2", 2);
const withKeys = (keys: string) => ({ ...env, DATA_ENCRYPTION_KEYS: keys });

afterEach(() => vi.restoreAllMocks());

async function createEndpoint(apiKey: string, keys: string): Promise<{ id: string; secret: string }> {
  const res = await api.request(
    "/v1/webhook-endpoints",
    { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ url: "https://merchant.example/hooks", events: ["*"] }) },
    withKeys(keys),
  );
  expect(res.status).toBe(201);
  return res.json();
}

/** One signed delivery to the endpoint with the given keys configured; true when the merchant's secret verifies it. */
async function deliveryVerifies(tenantId: string, endpointId: string, merchantSecret: string, keys: string): Promise<boolean> {
  const id = `whd_${crypto.randomUUID()}`;
  const payload = JSON.stringify({ id: `msg_${id}`, type: "reminder.sent", created_at: new Date().toISOString(), data: { debtor_id: "cust-1" } });
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, message_id, event_type, payload, status, attempt_count, max_attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'reminder.sent', ?, 'pending', 0, 10, ?, ?, ?)`,
  ).bind(id, tenantId, endpointId, `evt_${id}`, `msg_${id}`, payload, now, now, now).run();
  let seen: { headers: Record<string, string>; body: string } | null = null;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen = { headers: Object.fromEntries(req.headers), body: await req.text() };
    return new Response("ok");
  });
  const result = await attemptDelivery(withKeys(keys), id, { now, random: 0.5, kind: "scheduled" });
  vi.restoreAllMocks();
  if (result.kind !== "delivered" || !seen) return false;
  const got = seen as { headers: Record<string, string>; body: string };
  try {
    new Webhook(merchantSecret).verify(got.body, got.headers);
    return true;
  } catch {
    return false;
  }
}

async function d1Text(): Promise<string> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").all<{ name: string }>();
  const parts = [];
  for (const { name } of results) parts.push(JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results));
  return parts.join("\n");
}

describe("webhook signing secrets at rest", () => {
  it("the plain secret appears nowhere in D1, also not after a rotation of the endpoint's secret", async () => {
    const t = await newTenant();
    const ep = await createEndpoint(t.key, K1);
    const rotated = (await (
      await api.request(`/v1/webhook-endpoints/${ep.id}/rotate-secret`, { method: "POST", headers: { authorization: `Bearer ${t.key}` } }, withKeys(K1))
    ).json()) as { secret: string };
    const dump = await d1Text();
    for (const secret of [ep.secret, rotated.secret]) {
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(secret.slice("whsec_".length));
    }
    const row = await env.DB.prepare("SELECT secret, previous_secret FROM webhook_endpoints WHERE id = ?").bind(ep.id).first<{ secret: string; previous_secret: string }>();
    expect(row?.secret).toMatch(/^enc:v1:k1:/);
    expect(row?.previous_secret).toMatch(/^enc:v1:k1:/);
    // Both secrets sign during the overlap, as before encryption.
    expect(await deliveryVerifies(t.id, ep.id, rotated.secret, K1)).toBe(true);
    expect(await deliveryVerifies(t.id, ep.id, ep.secret, K1)).toBe(true);
  });

  it("rotating the encryption key keeps deliveries verifiable: new key first, re-encrypt, drop the old key", async () => {
    const t = await newTenant();
    const ep = await createEndpoint(t.key, K1);
    expect(await deliveryVerifies(t.id, ep.id, ep.secret, K1)).toBe(true);
    // Step 1: the new key first, the old one still listed; rows under k1 still open.
    expect(await deliveryVerifies(t.id, ep.id, ep.secret, `${K2},${K1}`)).toBe(true);
    // Step 2: the cron re-encrypts every row under k2.
    expect(await reencryptSecrets(withKeys(`${K2},${K1}`) as Env)).toBeGreaterThanOrEqual(1);
    const row = await env.DB.prepare("SELECT secret FROM webhook_endpoints WHERE id = ?").bind(ep.id).first<{ secret: string }>();
    expect(row?.secret).toMatch(/^enc:v1:k2:/);
    // Step 3: the old key is dropped; deliveries still verify with the merchant's unchanged secret.
    expect(await deliveryVerifies(t.id, ep.id, ep.secret, K2)).toBe(true);
    expect((await d1Text()).includes(ep.secret)).toBe(false);
  });

  it("without an encryption key a deployment refuses to store a secret, with a clear configuration error", async () => {
    const t = await newTenant();
    const res = await api.request(
      "/v1/webhook-endpoints",
      { method: "POST", headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json" }, body: JSON.stringify({ url: "https://merchant.example/hooks", events: ["*"] }) },
      { ...env, KINDLY_ENV: "production", DATA_ENCRYPTION_KEYS: undefined },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "not_configured", detail: expect.stringContaining("DATA_ENCRYPTION_KEYS") });
  });
});
