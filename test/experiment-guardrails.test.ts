/**
 * Guardrail auto-stop, end to end: a live tenant's experiment sends through Resend (a local fake
 * of its API); the debtors who got the pushy variant complain, through Resend's signed webhooks
 * (svix); the watcher looks as each complaint reaches D1, stops the variant once its complaint
 * rate is credibly higher than the control's, the shop gets `experiment.stopped`, the other
 * variants go on, and the pushy variant's remaining debtors get the control's words at their next
 * message (still counted for the pushy variant, which they saw first).
 */
import { env, exports } from "cloudflare:workers";
import { Webhook } from "svix";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resendAdapter } from "../workers/channels/resend";
import { assignVariant } from "../workers/experiments/assignment";
import { fakeResend } from "./fake-resend";
import { advanceDays, keptByObject, sameTemplateTwice, saveVariant, startExperiment } from "./experiments";
import { call, goLive, invoiceBody, newDebtorId, newTenant, register, settleDispatch, useAdapters } from "./helpers";

const SECRET = `whsec_${btoa("experiment guardrail test secret!")}`;
const RESEND = "https://resend.guardrail.test";
let restore = () => {};
afterEach(() => {
  restore();
  vi.restoreAllMocks();
});

/** Resend's `email.complained` for one email, signed as Resend signs it. */
async function complain(emailId: string, n: number): Promise<number> {
  const body = JSON.stringify({ type: "email.complained", created_at: new Date().toISOString(), data: { email_id: emailId, to: ["x@example.nl"] } });
  const id = `msg_guardrail_${n}_${emailId.slice(0, 8)}`;
  const at = new Date();
  const headers = { "content-type": "application/json", "svix-id": id, "svix-timestamp": String(Math.floor(at.getTime() / 1000)), "svix-signature": new Webhook(SECRET).sign(id, at, body) };
  return (await exports.default.fetch("http://kindly.test/webhooks/resend", { method: "POST", headers, body })).status;
}

describe("guardrails", () => {
  it("a variant that draws complaints stops by itself, the shop is told, and its debtors get the control", { timeout: 120_000 }, async () => {
    const fake = fakeResend(RESEND);
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = new Request(input, init).url;
      if (url.startsWith(RESEND)) return fake.fetch(input, init);
      // The shop's webhook endpoint.
      if (url.startsWith("https://hooks.shop.example/")) return new Response("ok");
      throw new Error(`unexpected fetch to ${url}`);
    });
    restore = useAdapters(resendAdapter({ apiKey: "re_guardrail", baseUrl: RESEND, platformFrom: env.EMAIL_FROM, webhookSecret: SECRET, rate: 1000 }));
    const t = await newTenant();
    await goLive(t.key);
    await sameTemplateTwice(t.key);
    expect((await call(t.key, "POST", "/v1/webhook-endpoints", { url: "https://hooks.shop.example/kindly", events: ["experiment.stopped"] })).status).toBe(201);
    const v = await saveVariant(t.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: betaal vandaag nog" });
    const kind = await saveVariant(t.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: een vriendelijk woord" });
    const e = await startExperiment(t.key, { variants: [{ key: "control", control: true }, { key: "pushy", versions: { "nl-NL": v } }, { key: "kind", versions: { "nl-NL": kind } }] });

    // Debtors picked by their draw (assignment.ts, as the object will make it): 18 for the pushy
    // variant, 12 each for the others, so the complaints below are enough for the always-valid
    // test whatever ids come up (a random split of 45 sometimes left too few pushy debtors).
    const wanted: Record<string, number> = { control: 12, pushy: 18, kind: 12 };
    const debtors: string[] = [];
    while (debtors.length < 42) {
      const d = newDebtorId();
      const k = assignVariant(e.id, `${t.id}/${d}`, [{ key: "control", weight: 1 }, { key: "pushy", weight: 1 }, { key: "kind", weight: 1 }]);
      if ((wanted[k] ?? 0) > 0) {
        wanted[k] = (wanted[k] ?? 0) - 1;
        debtors.push(d);
      }
    }
    for (const d of debtors) await register(t.key, await invoiceBody(d, -1));
    await advanceDays(3);
    for (const d of debtors) await settleDispatch(t.id, d);
    const variantOf = new Map<string, string>();
    for (const d of debtors) variantOf.set(d, (await keptByObject(t.id, d)).assignments[0]?.variant ?? "none");
    const pushy = debtors.filter((d) => variantOf.get(d) === "pushy");
    expect(pushy.length).toBe(18);
    // All but three of the pushy variant's debtors complain; the control's do not.
    const silent = pushy.slice(-3);
    let complaints = 0;
    let stoppedAfter: number | null = null;
    for (const d of pushy.slice(0, -3)) {
      const route = await env.DB.prepare("SELECT provider_message_id FROM message_routes WHERE tenant_id = ? AND debtor_id = ? AND provider = 'resend'").bind(t.id, d).first<{ provider_message_id: string }>();
      expect(await complain(route?.provider_message_id ?? "", ++complaints)).toBe(200);
      const row = await env.DB.prepare("SELECT variants FROM experiments WHERE id = ?").bind(e.id).first<{ variants: string }>();
      const status = (JSON.parse(row?.variants ?? "[]") as { key: string; status: string }[]).find((x) => x.key === "pushy")?.status;
      if (status === "stopped" && stoppedAfter === null) stoppedAfter = complaints;
    }
    // Stopped at a complaint, before the clock moved (no cron tick ran): the watcher looked when the complaint reached D1.
    expect(stoppedAfter).not.toBeNull();
    const result = (await (await call(t.key, "GET", `/v1/experiments/${e.id}`)).json()) as {
      status: string; recommendation: string; variants: { key: string; status: string; stopped_reason: string | null; guardrails: { complaints: { count: number; breached: boolean } } }[];
    };
    const stopped = result.variants.find((x) => x.key === "pushy");
    expect(stopped).toMatchObject({ status: "stopped", stopped_reason: "guardrail: complaints", guardrails: { complaints: { count: complaints, breached: true } } });
    // The other variants go on.
    expect(result.status).toBe("running");
    expect(result.variants.find((x) => x.key === "kind")?.status).toBe("active");
    expect(result.recommendation).toContain(`Variant "pushy" was stopped`);
    const deliveries = await env.DB.prepare("SELECT payload FROM webhook_deliveries WHERE tenant_id = ? AND event_type = 'experiment.stopped'").bind(t.id).all<{ payload: string }>();
    const payloads = deliveries.results.map((r) => JSON.parse(r.payload) as { data: Record<string, unknown> });
    expect(payloads.map((p) => p.data)).toContainEqual(expect.objectContaining({ experiment_id: e.id, variant: "pushy", reason: "guardrail", guardrail: "complaints" }));
    expect(payloads.every((p) => !("debtor_id" in p.data))).toBe(true);

    // The pushy variant's silent debtors get their second reminder with the published (control) words.
    const before = fake.requests.length;
    await advanceDays(7);
    for (const d of debtors) await settleDispatch(t.id, d);
    const later = fake.requests.slice(before).map((r) => String(r.body.subject));
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((s) => !s.includes("betaal vandaag nog"))).toBe(true);
    for (const d of silent) {
      const rows = (await keptByObject(t.id, d)).rows.filter((r) => r.status === "sent");
      expect(rows.map((r) => r.variant), d).toEqual(["pushy", "control"]);
    }
  });
});
