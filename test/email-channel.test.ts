/** Email through Resend: the contract with a local fake of the documented API, and the shop's own voice on the wire. */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SendInput, TenantIdentity } from "../workers/channels/adapter";
import { emailSender, resendAdapter } from "../workers/channels/resend";
import { fakeResend } from "./fake-resend";

const BASE = "https://resend.fake";
const adapter = resendAdapter({ apiKey: "re_test_123", baseUrl: BASE, platformFrom: "Kindly <reminders@mail.kindly.example>" });
const shop: TenantIdentity = { displayName: "Fietsen De Spaak", contactEmail: "service@despaak.nl", country: "NL", addressLines: [] };
const input = (over: Partial<SendInput> = {}): SendInput => ({
  idempotencyKey: "a".repeat(64),
  tenantId: "t1",
  debtorId: "cust/1",
  outboxId: "ob_c1_s0",
  message: { recipient: "sanne@example.nl", subject: "Herinnering", html: "<p>Hallo</p>", text: "Hallo" },
  sender: { from: '"Fietsen De Spaak" <betalen@despaak.nl>', replyTo: "service@despaak.nl", replies: true },
  recipient: { name: "Sanne de Vries", email: "sanne@example.nl" },
  expiresAt: Date.now() + 3600_000,
  now: Date.now(),
  ...over,
});

afterEach(() => vi.restoreAllMocks());

describe("email through Resend (contract with a local fake of the documented API)", () => {
  it("posts to /emails with the bearer key, the shop's From and Reply-To, the idempotency key and tags that lead back to the outbox", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const res = await adapter.send(input());
    expect(res).toMatchObject({ ok: true });
    const [req] = fake.requests;
    expect(req?.url).toBe(`${BASE}/emails`);
    expect(req?.headers.get("idempotency-key")).toBe("a".repeat(64));
    expect(req?.body).toMatchObject({ from: '"Fietsen De Spaak" <betalen@despaak.nl>', reply_to: "service@despaak.nl", to: ["sanne@example.nl"], subject: "Herinnering", html: "<p>Hallo</p>", text: "Hallo" });
    expect(req?.body.tags).toEqual([
      { name: "tenant", value: "t1" },
      { name: "debtor", value: "cust_1" },
      { name: "outbox", value: "ob_c1_s0" },
    ]);
  });

  it("a retried send with the same key is accepted once by the provider", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const a = await adapter.send(input());
    const b = await adapter.send(input());
    expect(a).toEqual(b);
    expect(fake.accepted.size).toBe(1);
  });

  it("treats 429, 5xx and network failures as retryable and validation errors as permanent", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    fake.failNext.push(429, 503, "network");
    for (let i = 0; i < 3; i++) expect(await adapter.send(input())).toMatchObject({ ok: false, retryable: true });
    const bad = await adapter.send(input({ recipient: { name: "x" }, message: { recipient: "not an address", subject: "s", html: "h", text: "t" } }));
    expect(bad).toMatchObject({ ok: false, retryable: false });
    expect(bad).not.toHaveProperty("unavailable");
  });

  it("a From on a domain Resend has not verified makes the channel unavailable for the shop, not the message failed", async () => {
    const fake = fakeResend(BASE, { verifiedDomains: ["despaak.nl"] });
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const res = await adapter.send(input({ sender: { from: '"Fietsen De Spaak" <betalen@elders.example>', replies: true } }));
    expect(res).toMatchObject({ ok: false, retryable: false, unavailable: expect.stringContaining("betalen@elders.example") });
    expect(fake.accepted.size).toBe(0);
  });
});

describe("the shop's email identity", () => {
  it("is the shop's own From and Reply-To when it set them", () => {
    const s = emailSender({ ...shop, email: { from_name: "De Spaak", from_address: "betalen@despaak.nl", reply_to: "klantenservice@despaak.nl" } }, "Kindly <reminders@mail.kindly.example>");
    expect(s).toEqual({ ok: true, sender: { from: '"De Spaak" <betalen@despaak.nl>', replyTo: "klantenservice@despaak.nl", replies: true } });
  });

  it("without one: the platform address with the shop's name (never 'Kindly'), replies to the shop's contact email", () => {
    const s = emailSender(shop, "Kindly <reminders@mail.kindly.example>");
    expect(s.ok && s.sender.from).toBe('"Fietsen De Spaak" <reminders@mail.kindly.example>');
    expect(s.ok && s.sender.replyTo).toBe("service@despaak.nl");
    expect(JSON.stringify(s)).not.toContain("Kindly <");
  });

  it("without a shop identity and without a platform address there is no sender", () => {
    expect(emailSender(shop, undefined)).toMatchObject({ ok: false });
    expect(emailSender(shop, "not an address")).toMatchObject({ ok: false });
  });
});

describe("email batches through Resend (POST /emails/batch, contract with the local fake)", () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => input({ outboxId: `ob_c1_s0_${i}`, recipient: { name: `P${i}`, email: `p${i}@example.nl` } }));

  it("posts the emails as one array, strict validation, with the batch's key; ids come back in the order sent", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const res = await adapter.sendBatch?.(members(3), "batch-key-1");
    expect(res).toMatchObject({ ok: true });
    const [req] = fake.requests;
    expect(req?.url).toBe(`${BASE}/emails/batch`);
    expect(req?.headers.get("idempotency-key")).toBe("batch-key-1");
    expect(req?.headers.get("x-batch-validation")).toBe("strict");
    const emails = req?.body.emails as { to: string[]; tags: { name: string; value: string }[] }[];
    expect(emails.map((e) => e.to[0])).toEqual(["p0@example.nl", "p1@example.nl", "p2@example.nl"]);
    expect(emails[2]?.tags).toContainEqual({ name: "outbox", value: "ob_c1_s0_2" });
    expect(res?.ok && res.providerIds).toEqual([...fake.accepted.values()]);
  });

  it("the same key and bytes again answer the same ids and send nothing new; the same key with other bytes is refused", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const a = await adapter.sendBatch?.(members(2), "batch-key-2");
    const b = await adapter.sendBatch?.(members(2), "batch-key-2");
    expect(b).toEqual(a);
    expect(fake.emails).toHaveLength(2);
    const c = await adapter.sendBatch?.(members(1), "batch-key-2");
    expect(c).toMatchObject({ ok: false, error: expect.stringContaining("409") });
    expect(fake.emails).toHaveLength(2);
  });

  it("one invalid member refuses the whole batch (nothing sent): Kindly sends each on its own then", async () => {
    const fake = fakeResend(BASE);
    fake.refusedRecipients.add("p1@example.nl");
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const res = await adapter.sendBatch?.(members(3), "batch-key-3");
    expect(res).toMatchObject({ ok: false, retryable: false, refused: true });
    expect(fake.emails).toHaveLength(0);
  });

  it("takes at most 100 emails a request; 5xx, 429 and network failures are retried with the same key", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    expect(adapter.maxBatch).toBe(100);
    expect(await adapter.sendBatch?.(members(101), "too-many")).toMatchObject({ ok: false, refused: true });
    fake.failNext.push(500, 429, "network");
    expect(await adapter.sendBatch?.(members(2), "k")).toMatchObject({ ok: false, retryable: true });
    expect(await adapter.sendBatch?.(members(2), "k")).toMatchObject({ ok: false, retryable: true, retryAfterMs: 1000 });
    expect(await adapter.sendBatch?.(members(2), "k")).toMatchObject({ ok: false, retryable: true });
    expect(await adapter.sendBatch?.(members(2), "k")).toMatchObject({ ok: true });
    expect(fake.emails).toHaveLength(2);
  });
});
