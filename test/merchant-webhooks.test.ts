import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { webhookDeliveries } from "../workers/api/webhook-deliveries";
import { webhookEndpoints } from "../workers/api/webhook-endpoints";
import { createApp } from "../workers/app";
import { randomToken } from "../workers/crypto";
import { handleWebhookBatch } from "../workers/webhooks-out/deliver";
import { merchantEventFor, type InternalEvent } from "../workers/webhooks-out/events";
import { enqueuePending, fanOutStatements, requeueStuckDeliveries } from "../workers/webhooks-out/queue";
import { afterAttempt, MAX_ATTEMPTS, RETRY_DELAYS_MS } from "../workers/webhooks-out/schedule";
import { checkWebhookUrl } from "../workers/webhooks-out/ssrf";
import { newTenant } from "./helpers";

// Until the migration for schema/webhooks.ts lands, the tables are made here exactly as
// drizzle-kit generates them (IF NOT EXISTS: a no-op once the migration exists).
const DDL = [
  "CREATE TABLE IF NOT EXISTS `webhook_attempts` (`delivery_id` text NOT NULL, `attempt_no` integer NOT NULL, `kind` text NOT NULL, `started_at` integer NOT NULL, `status_code` integer, `duration_ms` integer NOT NULL, `error` text, PRIMARY KEY(`delivery_id`, `attempt_no`))",
  "CREATE TABLE IF NOT EXISTS `webhook_deliveries` (`id` text PRIMARY KEY NOT NULL, `tenant_id` text NOT NULL, `endpoint_id` text NOT NULL, `event_id` text NOT NULL, `message_id` text NOT NULL, `event_type` text NOT NULL, `payload` text NOT NULL, `status` text NOT NULL, `attempt_count` integer DEFAULT 0 NOT NULL, `max_attempts` integer NOT NULL, `next_attempt_at` integer, `last_status_code` integer, `last_error` text, `created_at` integer NOT NULL, `updated_at` integer NOT NULL, `delivered_at` integer)",
  "CREATE UNIQUE INDEX IF NOT EXISTS `webhook_deliveries_endpoint_event` ON `webhook_deliveries` (`endpoint_id`,`event_id`)",
  "CREATE INDEX IF NOT EXISTS `webhook_deliveries_tenant_created` ON `webhook_deliveries` (`tenant_id`,`created_at`)",
  "CREATE INDEX IF NOT EXISTS `webhook_deliveries_pending` ON `webhook_deliveries` (`next_attempt_at`) WHERE status = 'pending'",
  "CREATE TABLE IF NOT EXISTS `webhook_endpoints` (`id` text PRIMARY KEY NOT NULL, `tenant_id` text NOT NULL, `url` text NOT NULL, `description` text, `events` text NOT NULL, `secret` text NOT NULL, `previous_secret` text, `previous_secret_expires_at` integer, `status` text DEFAULT 'active' NOT NULL, `disabled_reason` text, `created_at` integer NOT NULL, `updated_at` integer NOT NULL, `deleted_at` integer)",
  "CREATE INDEX IF NOT EXISTS `webhook_endpoints_tenant` ON `webhook_endpoints` (`tenant_id`)",
];
beforeAll(async () => {
  await env.DB.batch(DDL.map((s) => env.DB.prepare(s)));
});
afterEach(() => vi.restoreAllMocks());

const H = 3600_000;

// The sub-apps mounted where the Worker mounts them. Once workers/api/index.ts routes them,
// `call` from ./helpers (through the Worker's fetch) can replace this one.
const api = createApp();
api.route("/v1/webhook-endpoints", webhookEndpoints);
api.route("/v1/webhook-deliveries", webhookDeliveries);
async function call(key: string, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return api.request(`http://kindly.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, env);
}

interface Problem {
  status: number;
  errors?: { field: string; message: string }[];
}
interface Endpoint {
  id: string;
  url: string;
  events: string[];
  status: string;
  secret?: string;
}
interface Delivery {
  id: string;
  message_id: string;
  status: string;
  attempt_count: number;
  attempts: { attempt: number; kind: string; status_code: number | null; error: string | null }[];
  payload?: { id: string; type: string; data: Record<string, unknown> };
}

/** A merchant with one endpoint, made through the API. */
async function merchantWithEndpoint(events: string[] = ["*"], url = "https://hooks.shop.example/kindly") {
  const t = await newTenant();
  const res = await call(t.key, "POST", "/v1/webhook-endpoints", { url, events });
  expect(res.status).toBe(201);
  const endpoint = (await res.json()) as Endpoint & { secret: string };
  return { ...t, endpoint };
}

/** An internal outcome event of this tenant. */
function event(tenantId: string, type: string, data: Record<string, unknown> = {}, invoiceId: string | null = null): InternalEvent {
  return { id: `evt_${randomToken(12)}_${type}`, type, tenantId, debtorId: "cust-42", invoiceId, occurredAt: Date.parse("2026-11-20T10:00:00Z"), data };
}

/** What the DebtorDO's flush does: the outcome_events insert, then the fan-out, in one batch. */
async function flush(e: InternalEvent): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO outcome_events (id, tenant_id, debtor_id, invoice_id, type, occurred_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)").bind(
      e.id,
      e.tenantId,
      e.debtorId,
      e.invoiceId,
      e.type,
      e.occurredAt,
      JSON.stringify(e.data),
    ),
    ...fanOutStatements(env.DB, e),
  ]);
}

/** Captures what goes onto the webhook queue instead of sending it. */
function captureQueue() {
  const sent: unknown[] = [];
  vi.spyOn(env.WEBHOOK_QUEUE, "sendBatch").mockImplementation(async (messages) => {
    for (const m of messages) sent.push(m.body);
    return undefined as never;
  });
  return sent;
}

interface FakeMessage extends Message<unknown> {
  ack: ReturnType<typeof vi.fn<() => void>>;
  retry: ReturnType<typeof vi.fn<(options?: QueueRetryOptions) => void>>;
}

/** A MessageBatch as the Queues runtime hands it to the consumer, with spies on ack and retry. */
function fakeBatch(bodies: unknown[]): { batch: MessageBatch<unknown>; messages: FakeMessage[] } {
  const messages: FakeMessage[] = bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), body, attempts: 1, ack: vi.fn<() => void>(), retry: vi.fn<(options?: QueueRetryOptions) => void>() }));
  return { batch: { queue: "kindly-webhooks", messages, metadata: { metrics: { backlogCount: messages.length, backlogBytes: 0 } }, ackAll: () => {}, retryAll: () => {} }, messages };
}

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: string;
  redirect: string | undefined;
}

/** Mocks fetch: answers each call with the next status (the last one repeats) and records it. */
function merchantServer(...statuses: number[]) {
  const seen: Seen[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push({ url: req.url, headers: Object.fromEntries(req.headers), body: await req.text(), redirect: init?.redirect });
    const status = statuses[Math.min(seen.length - 1, statuses.length - 1)] ?? 200;
    return new Response(status === 204 ? null : "ok", { status, headers: status >= 300 && status < 400 ? { location: "https://169.254.169.254/" } : {} });
  });
  return { seen, spy };
}

const deliveriesOf = async (tenantId: string) =>
  (
    await env.DB.prepare("SELECT id, status, attempt_count, next_attempt_at, message_id FROM webhook_deliveries WHERE tenant_id = ? ORDER BY created_at, id")
      .bind(tenantId)
      .all<{ id: string; status: string; attempt_count: number; next_attempt_at: number | null; message_id: string }>()
  ).results;

/** Lets the wait before the next attempt pass (a test cannot wait hours). */
const makeDue = (deliveryId: string) => env.DB.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?").bind(Date.now(), deliveryId).run();

/** Flushes one event and runs the consumer on what was enqueued. */
async function flushAndDeliver(e: InternalEvent) {
  const sent = captureQueue();
  await flush(e);
  await enqueuePending(env, e.tenantId, [e.id]);
  const run = fakeBatch(sent);
  await handleWebhookBatch(run.batch, env);
  return run;
}

describe("webhook endpoints API", () => {
  it("shows the signing secret once, at creation; the list and the endpoint never show it again", async () => {
    const { key, endpoint } = await merchantWithEndpoint(["reminder.sent", "invoice.handover_ready"]);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: "https://hooks.shop.example/kindly", events: ["reminder.sent", "invoice.handover_ready"], status: "active" });
    const list = await call(key, "GET", "/v1/webhook-endpoints");
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(endpoint.secret);
    const { data } = JSON.parse(text) as { data: Endpoint[] };
    expect(data).toHaveLength(1);
    expect(data[0]).not.toHaveProperty("secret");
    expect(await (await call(key, "GET", `/v1/webhook-endpoints/${endpoint.id}`)).text()).not.toContain("whsec_");
  });

  it("refuses unknown event types and unknown fields", async () => {
    const t = await newTenant();
    const bad = await call(t.key, "POST", "/v1/webhook-endpoints", { url: "https://hooks.shop.example/", events: ["debtor.name_changed"] });
    expect(bad.status).toBe(422);
    const extra = await call(t.key, "POST", "/v1/webhook-endpoints", { url: "https://hooks.shop.example/", events: ["*"], secret: "whsec_mine" });
    expect(extra.status).toBe(422);
  });

  it.each([
    "http://hooks.shop.example/kindly",
    "https://127.0.0.1/hook",
    "https://10.0.0.1/hook",
    "https://[::1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://2130706433/hook",
    "https://0x7f.1/hook",
    "https://localhost/hook",
    "https://foo.internal/hook",
    "https://user:pass@hooks.shop.example/hook",
    "https://hooks.shop.example:8080/hook",
    `https://hooks.shop.example/${"a".repeat(2048)}`,
  ])("refuses %s with a 422 naming url (SSRF)", async (url) => {
    const t = await newTenant();
    const res = await call(t.key, "POST", "/v1/webhook-endpoints", { url, events: ["*"] });
    expect(res.status).toBe(422);
    const p = (await res.json()) as Problem;
    expect(p.errors?.map((e) => e.field)).toContain("url");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE tenant_id = ?").bind(t.id).first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it("another tenant's endpoints and deliveries answer 404 and never show up in its lists", async () => {
    const a = await merchantWithEndpoint();
    merchantServer(200);
    await flushAndDeliver(event(a.id, "reminder.sent", { outbox_id: "ob_1", channel: "email", step: "reminder_1" }));
    const [delivery] = await deliveriesOf(a.id);
    const b = await newTenant();
    for (const [method, path] of [
      ["GET", `/v1/webhook-endpoints/${a.endpoint.id}`],
      ["DELETE", `/v1/webhook-endpoints/${a.endpoint.id}`],
      ["POST", `/v1/webhook-endpoints/${a.endpoint.id}/rotate-secret`],
      ["GET", `/v1/webhook-deliveries/${delivery!.id}`],
      ["POST", `/v1/webhook-deliveries/${delivery!.id}/replay`],
    ] as const) {
      expect((await call(b.key, method, path)).status, `${method} ${path}`).toBe(404);
    }
    expect(((await (await call(b.key, "GET", "/v1/webhook-endpoints")).json()) as { data: unknown[] }).data).toEqual([]);
    const listed = (await (await call(b.key, "GET", `/v1/webhook-deliveries?endpoint_id=${a.endpoint.id}`)).json()) as { data: unknown[] };
    expect(listed.data).toEqual([]);
    // A's endpoint still works and still holds its secret.
    expect((await call(a.key, "GET", `/v1/webhook-endpoints/${a.endpoint.id}`)).status).toBe(200);
  });

  it("deleting an endpoint stops its pending deliveries", async () => {
    const m = await merchantWithEndpoint();
    captureQueue();
    const e = event(m.id, "debtor.help_requested", { source: "debtor" });
    await flush(e);
    expect((await call(m.key, "DELETE", `/v1/webhook-endpoints/${m.endpoint.id}`)).status).toBe(204);
    expect((await call(m.key, "GET", `/v1/webhook-endpoints/${m.endpoint.id}`)).status).toBe(404);
    const [d] = await deliveriesOf(m.id);
    expect(d?.status).toBe("cancelled");
    const server = merchantServer(200);
    const run = fakeBatch([{ deliveryId: d!.id }]);
    await handleWebhookBatch(run.batch, env);
    expect(server.seen).toHaveLength(0);
    expect(run.messages[0]?.ack).toHaveBeenCalled();
    const row = await env.DB.prepare("SELECT secret, previous_secret FROM webhook_endpoints WHERE id = ?").bind(m.endpoint.id).first<{ secret: string; previous_secret: string | null }>();
    expect(row).toEqual({ secret: "", previous_secret: null });
  });
});

describe("the URL guard", () => {
  it.each([
    "https://[::]/",
    "https://0.0.0.0/",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/",
    "https://172.16.5.4/",
    "https://192.168.1.1/",
    "https://224.0.0.1/",
    "https://255.255.255.255/",
    "https://0177.0.0.1/",
    "https://[fe80::1]/",
    "https://[fc00::1]/",
    "https://[ff02::1]/",
    "https://[64:ff9b::a00:1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[2001:db8::1]/",
    "https://app.localhost/",
    "https://printer.local/",
    "https://LOCALHOST./",
    "https://intranet/",
    "ftp://hooks.shop.example/",
    "not a url",
  ])("refuses %s", (url) => {
    expect(checkWebhookUrl(url).ok).toBe(false);
  });

  it.each(["https://hooks.shop.example/kindly?token=abc", "https://hooks.shop.example:8443/x", "https://hooks.shop.example:443/x", "https://8.8.8.8/x", "https://[2606:4700::1111]/x"])("accepts %s", (url) => {
    expect(checkWebhookUrl(url).ok).toBe(true);
  });
});

describe("merchant events", () => {
  it("a handover carries only the minimal data set: ids, dates and amounts, no name, email or address", () => {
    const internal = event(
      "t1",
      "invoice.handover_ready",
      {
        merchant_invoice_id: "INV-1001",
        issue_date: "2026-10-01",
        due_date: "2026-10-15",
        principal_cents: 4995,
        outstanding_cents: 4995,
        costs_cents: 749,
        name: "Sanne de Vries",
        email: "sanne@example.nl",
        phone: "+31612345678",
        address: { line1: "Dorpsstraat 1", city: "Utrecht" },
      },
      "inv_8FqS0v1Jx2Lm4Np6Qr8T",
    );
    const mapped = merchantEventFor(internal);
    expect(mapped?.type).toBe("invoice.handover_ready");
    expect(mapped?.payload).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: "invoice.handover_ready",
      created_at: "2026-11-20T10:00:00.000Z",
      data: {
        debtor_id: "cust-42",
        invoice_id: "inv_8FqS0v1Jx2Lm4Np6Qr8T",
        merchant_invoice_id: "INV-1001",
        issue_date: "2026-10-01",
        due_date: "2026-10-15",
        principal_cents: 4995,
        outstanding_cents: 4995,
        costs_cents: 749,
        currency: "EUR",
      },
    });
    const json = JSON.stringify(mapped);
    for (const personal of ["Sanne", "@", "+316", "Dorpsstraat", "Utrecht"]) expect(json).not.toContain(personal);
  });

  it("maps internal types to merchant types and keeps provider ids, errors and free text out", () => {
    const t = "t1";
    const type = (e: InternalEvent) => merchantEventFor(e)?.type ?? null;
    expect(type(event(t, "channel.delivered", { channel: "email", outbox_id: "ob_1", provider: "resend", provider_message_id: "re_123" }))).toBe("reminder.delivered");
    expect(type(event(t, "reminder.scheduled"))).toBeNull();
    expect(type(event(t, "payment.received"))).toBeNull();
    for (const [internal, reason] of [
      ["debtor.already_paid", "already_paid"],
      ["debtor.payment_date_chosen", "payment_date_chosen"],
      ["debtor.disputed", "disputed"],
      ["debtor.debt_counselling", "debt_counselling"],
      ["debtor.breathing_space", "breathing_space"],
    ] as const) {
      expect(merchantEventFor(event(t, internal, { source: "debtor" }))?.payload).toMatchObject({ type: "debtor.paused", data: { reason, source: "debtor" } });
    }
    const delivered = JSON.stringify(merchantEventFor(event(t, "channel.delivered", { channel: "email", outbox_id: "ob_1", provider_message_id: "re_123", provider_event_id: "evt_svix" })));
    expect(delivered).not.toContain("re_123");
    expect(delivered).not.toContain("evt_svix");
    const failed = JSON.stringify(merchantEventFor(event(t, "reminder.failed", { channel: "email", outbox_id: "ob_1", error: "550 sanne@example.nl: no such user" })));
    expect(failed).not.toContain("sanne");
    const disputed = JSON.stringify(merchantEventFor(event(t, "debtor.disputed", { source: "debtor", reason: "Ik heb het pakket nooit ontvangen, Sanne" })));
    expect(disputed).not.toContain("Sanne");
  });

  it("the message id is stable per internal event", () => {
    const e = event("t1", "reminder.sent", { channel: "sms" });
    expect(merchantEventFor(e)?.payload.id).toBe(merchantEventFor({ ...e })?.payload.id);
    expect(merchantEventFor(event("t1", "reminder.sent"))?.payload.id).not.toBe(merchantEventFor(e)?.payload.id);
  });
});

describe("fan-out", () => {
  it("creates one delivery per subscribed active endpoint, and a re-flush creates none", async () => {
    const m = await merchantWithEndpoint(["reminder.sent"]);
    const other = (await (await call(m.key, "POST", "/v1/webhook-endpoints", { url: "https://other.shop.example/", events: ["invoice.handover_ready"] })).json()) as Endpoint;
    const all = (await (await call(m.key, "POST", "/v1/webhook-endpoints", { url: "https://all.shop.example/", events: ["*"] })).json()) as Endpoint;
    const e = event(m.id, "reminder.sent", { channel: "email", outbox_id: "ob_1" });
    await flush(e);
    await flush(e);
    const rows = await env.DB.prepare("SELECT endpoint_id FROM webhook_deliveries WHERE event_id = ? ORDER BY endpoint_id").bind(e.id).all<{ endpoint_id: string }>();
    expect(rows.results.map((r) => r.endpoint_id).sort()).toEqual([m.endpoint.id, all.id].sort());
    expect(rows.results.map((r) => r.endpoint_id)).not.toContain(other.id);
  });

  it("runs only when the event row is new (changes() = 1): an endpoint added before a re-flush gets nothing", async () => {
    const m = await merchantWithEndpoint();
    const e = event(m.id, "arrangement.created", { source: "debtor", instalments: 3, total_cents: 9000 });
    await flush(e);
    const late = (await (await call(m.key, "POST", "/v1/webhook-endpoints", { url: "https://late.shop.example/", events: ["*"] })).json()) as Endpoint;
    await flush(e);
    const rows = (await env.DB.prepare("SELECT endpoint_id FROM webhook_deliveries WHERE event_id = ?").bind(e.id).all<{ endpoint_id: string }>()).results;
    expect(rows.map((r) => r.endpoint_id)).toEqual([m.endpoint.id]);
    expect(rows.map((r) => r.endpoint_id)).not.toContain(late.id);
  });

  it("also works behind the channel_stats upsert the flush puts after a reminder.sent insert", async () => {
    const m = await merchantWithEndpoint();
    const e = event(m.id, "reminder.sent", { segment: "first_time", channel: "email" });
    const batch = () =>
      env.DB.batch([
        env.DB.prepare("INSERT OR IGNORE INTO outcome_events (id, tenant_id, debtor_id, invoice_id, type, occurred_at, data) VALUES (?, ?, ?, NULL, ?, ?, '{}')").bind(e.id, m.id, e.debtorId, e.type, e.occurredAt),
        env.DB.prepare(
          `INSERT INTO channel_stats (tenant_id, segment, channel, successes, trials) SELECT ?1, ?2, ?3, 0, 1 WHERE changes() = 1
           ON CONFLICT (tenant_id, segment, channel) DO UPDATE SET trials = trials + excluded.trials`,
        ).bind(m.id, "first_time", "email"),
        ...fanOutStatements(env.DB, e),
      ]);
    await batch();
    await call(m.key, "POST", "/v1/webhook-endpoints", { url: "https://late.shop.example/", events: ["*"] });
    await batch();
    expect(await deliveriesOf(m.id)).toHaveLength(1);
  });

  it("events merchants do not get create no statements", () => {
    expect(fanOutStatements(env.DB, event("t1", "reminder.scheduled"))).toEqual([]);
  });
});

describe("delivery", () => {
  it("delivers a signed POST that the official Standard Webhooks library verifies", async () => {
    const m = await merchantWithEndpoint();
    const server = merchantServer(204);
    const e = event(m.id, "call_task.created", { outbox_id: "ob_c1_s5_call", step: "call", channel: "call", invoice_ids: ["inv_1"], total_cents: 4995 });
    const run = await flushAndDeliver(e);
    expect(run.messages).toHaveLength(1);
    expect(run.messages[0]?.ack).toHaveBeenCalled();
    expect(run.messages[0]?.retry).not.toHaveBeenCalled();
    const [req] = server.seen;
    expect(req?.url).toBe("https://hooks.shop.example/kindly");
    expect(req?.redirect).toBe("manual");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["user-agent"]).toBe("Kindly-Webhooks/1");
    expect(new Webhook(m.endpoint.secret).verify(req!.body, req!.headers)).toMatchObject({ type: "call_task.created", id: req!.headers["webhook-id"] });
    expect(() => new Webhook(`whsec_${btoa("another secret, 32 bytes long!!!")}`).verify(req!.body, req!.headers)).toThrow();
    const [d] = await deliveriesOf(m.id);
    expect(d).toMatchObject({ status: "delivered", attempt_count: 1, next_attempt_at: null });
    const view = (await (await call(m.key, "GET", `/v1/webhook-deliveries/${d!.id}`)).json()) as Delivery;
    expect(view.attempts).toMatchObject([{ attempt: 1, kind: "scheduled", status_code: 204, error: null }]);
    expect(view.payload?.data).toMatchObject({ debtor_id: "cust-42", call_task_id: "ob_c1_s5_call" });
  });

  it("signs with both secrets for 24 hours after a rotation, then with the new one only", async () => {
    const m = await merchantWithEndpoint();
    const rotated = (await (await call(m.key, "POST", `/v1/webhook-endpoints/${m.endpoint.id}/rotate-secret`)).json()) as Endpoint & { secret: string; previous_secret_expires_at: string };
    expect(rotated.secret).not.toBe(m.endpoint.secret);
    expect(Date.parse(rotated.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23 * H);
    const server = merchantServer(200);
    await flushAndDeliver(event(m.id, "reminder.sent", { channel: "email" }));
    const [during] = server.seen;
    expect(during?.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(during?.headers["webhook-signature"]).toMatch(/^v1,\S+ v1,\S+$/);
    expect(new Webhook(m.endpoint.secret).verify(during!.body, during!.headers)).toBeTruthy();
    expect(new Webhook(rotated.secret).verify(during!.body, during!.headers)).toBeTruthy();

    await env.DB.prepare("UPDATE webhook_endpoints SET previous_secret_expires_at = ? WHERE id = ?").bind(Date.now() - 1, m.endpoint.id).run();
    await flushAndDeliver(event(m.id, "reminder.sent", { channel: "sms" }));
    const after = server.seen[1];
    expect(after?.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
    expect(new Webhook(rotated.secret).verify(after!.body, after!.headers)).toBeTruthy();
    expect(() => new Webhook(m.endpoint.secret).verify(after!.body, after!.headers)).toThrow();
  });

  it("a failing endpoint is retried on the schedule with growing delays and the same webhook-id, then the delivery fails", async () => {
    const m = await merchantWithEndpoint();
    const server = merchantServer(500);
    const run = await flushAndDeliver(event(m.id, "reminder.failed", { channel: "letter", outbox_id: "ob_2" }));
    const [d] = await deliveriesOf(m.id);
    const waits: number[] = [];
    let message = run.messages[0]!;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        await makeDue(d!.id);
        const next = fakeBatch([{ deliveryId: d!.id }]);
        await handleWebhookBatch(next.batch, env);
        message = next.messages[0]!;
      }
      expect(server.seen).toHaveLength(attempt);
      const row = (await deliveriesOf(m.id))[0]!;
      if (attempt === MAX_ATTEMPTS) {
        expect(row).toMatchObject({ status: "failed", next_attempt_at: null });
        expect(message.ack).toHaveBeenCalled();
        break;
      }
      expect(row.status).toBe("pending");
      const wait = row.next_attempt_at! - Date.now();
      const base = RETRY_DELAYS_MS[attempt - 1]!;
      expect(wait).toBeGreaterThan(base * 0.9 - 5_000);
      expect(wait).toBeLessThanOrEqual(base * 1.1);
      waits.push(wait);
      if (base <= 12 * H) {
        // Within a queue's 12 h maximum delay the message itself comes back.
        expect(message.retry).toHaveBeenCalledWith({ delaySeconds: expect.any(Number) });
        const delaySeconds = message.retry.mock.calls[0]![0]!.delaySeconds!;
        expect(delaySeconds * 1000).toBeGreaterThanOrEqual(wait);
        expect(delaySeconds).toBeLessThanOrEqual(43_200);
      } else {
        // Longer waits (14, 20, 24 h) go back to the cron: the message is done.
        expect(message.ack).toHaveBeenCalled();
        expect(message.retry).not.toHaveBeenCalled();
        const requeued = captureQueue();
        await requeueStuckDeliveries(env, Date.now());
        expect(requeued).not.toContainEqual({ deliveryId: d!.id });
        await requeueStuckDeliveries(env, row.next_attempt_at! + 2 * 60_000);
        expect(requeued).toContainEqual({ deliveryId: d!.id });
      }
    }
    for (let i = 1; i < waits.length; i++) expect(waits[i]!).toBeGreaterThan(waits[i - 1]!);
    expect(new Set(server.seen.map((s) => s.headers["webhook-id"])).size).toBe(1);
    expect(new Set(server.seen.map((s) => JSON.parse(s.body).id)).size).toBe(1);
    const view = (await (await call(m.key, "GET", `/v1/webhook-deliveries/${d!.id}`)).json()) as Delivery;
    expect(view.attempts.map((a) => a.status_code)).toEqual(new Array(MAX_ATTEMPTS).fill(500));
    expect(view.status).toBe("failed");
  });

  it("a 410 disables the endpoint and stops every delivery to it", async () => {
    const m = await merchantWithEndpoint();
    captureQueue();
    const waiting = event(m.id, "debtor.breathing_space", { until: "2027-01-01T00:00:00.000Z" });
    await flush(waiting);
    const server = merchantServer(410);
    await flushAndDeliver(event(m.id, "reminder.sent", { channel: "email" }));
    expect(server.seen).toHaveLength(1);
    const ep = (await (await call(m.key, "GET", `/v1/webhook-endpoints/${m.endpoint.id}`)).json()) as Endpoint & { disabled_reason: string };
    expect(ep).toMatchObject({ status: "disabled", disabled_reason: "gone" });
    const rows = await deliveriesOf(m.id);
    expect(rows.map((r) => r.status).sort()).toEqual(["cancelled", "failed"]);
    // Nothing more: the other delivery's message, a new event, a replay.
    await handleWebhookBatch(fakeBatch(rows.map((r) => ({ deliveryId: r.id }))).batch, env);
    await flushAndDeliver(event(m.id, "reminder.sent", { channel: "sms" }));
    expect((await deliveriesOf(m.id)).length).toBe(2);
    expect((await call(m.key, "POST", `/v1/webhook-deliveries/${rows[0]!.id}/replay`)).status).toBe(409);
    expect(server.seen).toHaveLength(1);
  });

  it("a replay makes one new attempt with the same webhook-id", async () => {
    const m = await merchantWithEndpoint();
    const server = merchantServer(200);
    await flushAndDeliver(event(m.id, "debtor.help_requested", { source: "debtor" }));
    const [d] = await deliveriesOf(m.id);
    const sent = captureQueue();
    const res = await call(m.key, "POST", `/v1/webhook-deliveries/${d!.id}/replay`);
    expect(res.status).toBe(202);
    expect(((await res.json()) as Delivery).status).toBe("pending");
    expect(sent).toEqual([{ deliveryId: d!.id, replay: true }]);
    await handleWebhookBatch(fakeBatch(sent).batch, env);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]?.headers["webhook-id"]).toBe(server.seen[0]?.headers["webhook-id"]);
    expect(server.seen[1]?.body).toBe(server.seen[0]?.body);
    const view = (await (await call(m.key, "GET", `/v1/webhook-deliveries/${d!.id}`)).json()) as Delivery;
    expect(view).toMatchObject({ status: "delivered", attempt_count: 2 });
    expect(view.attempts.map((a) => a.kind)).toEqual(["scheduled", "replay"]);
  });

  it("a replayed delivery that fails again gets no new retry schedule", async () => {
    const m = await merchantWithEndpoint();
    merchantServer(200);
    await flushAndDeliver(event(m.id, "reminder.sent", { channel: "email" }));
    const [d] = await deliveriesOf(m.id);
    const sent = captureQueue();
    await call(m.key, "POST", `/v1/webhook-deliveries/${d!.id}/replay`);
    merchantServer(503);
    const run = fakeBatch(sent);
    await handleWebhookBatch(run.batch, env);
    expect(run.messages[0]?.retry).not.toHaveBeenCalled();
    expect((await deliveriesOf(m.id))[0]).toMatchObject({ status: "failed", attempt_count: 2 });
  });

  it("a duplicate message or an early one makes no second attempt", async () => {
    const m = await merchantWithEndpoint();
    const server = merchantServer(500);
    const run = await flushAndDeliver(event(m.id, "reminder.sent", { channel: "email" }));
    expect(server.seen).toHaveLength(1);
    const dup = fakeBatch([run.messages[0]!.body]);
    await handleWebhookBatch(dup.batch, env);
    expect(server.seen).toHaveLength(1);
    expect(dup.messages[0]?.ack).toHaveBeenCalled();
  });

  it("redirects are not followed, and a URL that became private is refused before any request", async () => {
    const m = await merchantWithEndpoint();
    const server = merchantServer(302);
    await flushAndDeliver(event(m.id, "reminder.sent", { channel: "email" }));
    expect(server.seen).toHaveLength(1);
    const [d] = await deliveriesOf(m.id);
    expect(d?.status).toBe("pending");
    await env.DB.prepare("UPDATE webhook_endpoints SET url = 'https://169.254.169.254/latest' WHERE id = ?").bind(m.endpoint.id).run();
    await makeDue(d!.id);
    await handleWebhookBatch(fakeBatch([{ deliveryId: d!.id }]).batch, env);
    expect(server.seen).toHaveLength(1);
    const view = (await (await call(m.key, "GET", `/v1/webhook-deliveries/${d!.id}`)).json()) as Delivery;
    expect(view.status).toBe("failed");
    expect(view.attempts.map((a) => a.error)).toEqual(["redirect not followed", expect.stringContaining("url refused")]);
  });

  it("a malformed queue message is dropped", async () => {
    const run = fakeBatch([{ nope: true }]);
    await handleWebhookBatch(run.batch, env);
    expect(run.messages[0]?.ack).toHaveBeenCalled();
  });
});

describe("the cron", () => {
  it("re-enqueues a delivery whose enqueue was lost, once it is over a minute overdue", async () => {
    const m = await merchantWithEndpoint();
    captureQueue();
    await flush(event(m.id, "reminder.sent", { channel: "email" })); // enqueuePending never ran
    const [d] = await deliveriesOf(m.id);
    const sent = captureQueue();
    await requeueStuckDeliveries(env, Date.now());
    expect(sent).not.toContainEqual({ deliveryId: d!.id });
    const later = Date.now() + 2 * 60_000;
    expect(await requeueStuckDeliveries(env, later)).toBeGreaterThanOrEqual(1);
    expect(sent).toContainEqual({ deliveryId: d!.id });
    // Marked due at `later`: the next run does not send it again unless it is stuck again.
    const again = captureQueue();
    await requeueStuckDeliveries(env, later + 30_000);
    expect(again).not.toContainEqual({ deliveryId: d!.id });
  });
});

describe("deliveries API", () => {
  it("lists deliveries with their attempts, filtered by endpoint and status", async () => {
    const m = await merchantWithEndpoint();
    const second = (await (await call(m.key, "POST", "/v1/webhook-endpoints", { url: "https://second.shop.example/", events: ["*"] })).json()) as Endpoint;
    const server = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => new Response(null, { status: new Request(input).url.includes("second") ? 500 : 200 }));
    await flushAndDeliver(event(m.id, "reminder.sent", { channel: "email" }));
    expect(server).toHaveBeenCalledTimes(2);
    const all = (await (await call(m.key, "GET", "/v1/webhook-deliveries?limit=10")).json()) as { data: Delivery[] };
    expect(all.data).toHaveLength(2);
    const failing = (await (await call(m.key, "GET", `/v1/webhook-deliveries?endpoint_id=${second.id}&status=pending`)).json()) as { data: Delivery[] };
    expect(failing.data).toHaveLength(1);
    expect(failing.data[0]?.attempts).toMatchObject([{ attempt: 1, status_code: 500, error: "HTTP 500" }]);
    expect(((await (await call(m.key, "GET", "/v1/webhook-deliveries?status=delivered")).json()) as { data: Delivery[] }).data).toHaveLength(1);
    expect((await call(m.key, "GET", "/v1/webhook-deliveries?status=lost")).status).toBe(422);
  });
});

describe("retry schedule", () => {
  it("follows Standard Webhooks' schedule with at most ±10 % jitter, 410 stops, 2xx delivers", () => {
    expect(afterAttempt(200, 1, MAX_ATTEMPTS, 0.5)).toEqual({ status: "delivered" });
    expect(afterAttempt(410, 1, MAX_ATTEMPTS, 0.5)).toEqual({ status: "gone" });
    expect(afterAttempt(null, 1, MAX_ATTEMPTS, 0.5)).toEqual({ status: "retry", delayMs: 5_000 });
    expect(afterAttempt(500, 1, MAX_ATTEMPTS, 0)).toEqual({ status: "retry", delayMs: 4_500 });
    expect(afterAttempt(500, 9, MAX_ATTEMPTS, 0.9999)).toEqual({ status: "retry", delayMs: Math.round(24 * H * 1.09998) });
    expect(afterAttempt(500, MAX_ATTEMPTS, MAX_ATTEMPTS, 0.5)).toEqual({ status: "failed" });
    expect(MAX_ATTEMPTS).toBe(10);
  });
});
