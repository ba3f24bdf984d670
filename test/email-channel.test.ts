import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sendEmail, type OutgoingEmail } from "../workers/channels/email";
import { fakeResend } from "./fake-resend";

const BASE = "https://resend.fake";
const live = { ...env, RESEND_API_KEY: "re_test_123", RESEND_BASE_URL: BASE };
const msg: OutgoingEmail = {
  idempotencyKey: "a".repeat(64),
  tenantId: "t1",
  debtorId: "cust/1",
  outboxId: "ob_c1_s0",
  to: "sanne@example.nl",
  subject: "Herinnering",
  html: "<p>Hallo</p>",
  text: "Hallo",
};

afterEach(() => vi.restoreAllMocks());

describe("email through Resend (contract with a local fake of the documented API)", () => {
  it("posts to /emails with the bearer key, the idempotency key and tags that lead back to the outbox", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const res = await sendEmail(live, msg, Date.now());
    expect(res).toMatchObject({ ok: true, sandbox: false });
    const [req] = fake.requests;
    expect(req?.url).toBe(`${BASE}/emails`);
    expect(req?.headers.get("idempotency-key")).toBe(msg.idempotencyKey);
    expect(req?.body).toMatchObject({ from: env.EMAIL_FROM, to: ["sanne@example.nl"], subject: "Herinnering", html: "<p>Hallo</p>", text: "Hallo" });
    expect(req?.body.tags).toEqual([
      { name: "tenant", value: "t1" },
      { name: "debtor", value: "cust_1" },
      { name: "outbox", value: "ob_c1_s0" },
    ]);
  });

  it("a retried send with the same key is accepted once by the provider", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    const a = await sendEmail(live, msg, Date.now());
    const b = await sendEmail(live, msg, Date.now());
    expect(a).toEqual(b);
    expect(fake.accepted.size).toBe(1);
  });

  it("treats 429, 5xx and network failures as retryable and validation errors as permanent", async () => {
    const fake = fakeResend(BASE);
    vi.spyOn(globalThis, "fetch").mockImplementation(fake.fetch);
    fake.failNext.push(429, 503, "network");
    for (let i = 0; i < 3; i++) expect(await sendEmail(live, msg, Date.now())).toMatchObject({ ok: false, retryable: true });
    const bad = await sendEmail(live, { ...msg, to: undefined as unknown as string }, Date.now());
    expect(bad).toMatchObject({ ok: false, retryable: false });
  });
});

describe("email in sandbox mode", () => {
  it("keeps the rendered message in the local outbox, once per idempotency key", async () => {
    const key = crypto.randomUUID();
    const sandbox = { ...env, RESEND_API_KEY: undefined };
    await sendEmail(sandbox, { ...msg, idempotencyKey: key }, Date.now());
    await sendEmail(sandbox, { ...msg, idempotencyKey: key }, Date.now());
    const rows = await env.DB.prepare("SELECT subject, html FROM sandbox_messages WHERE id = ?").bind(key).all();
    expect(rows.results).toEqual([{ subject: "Herinnering", html: "<p>Hallo</p>" }]);
  });
});
