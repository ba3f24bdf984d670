/**
 * The README's marketer walk-through, through the API alone, with the development clock: edit a
 * variant, preview it, start a test, let debtors arrive and the clock run for 30 simulated days,
 * read the result, promote. The debtors are simulated people with a planted effect: each reads
 * the subject of the first reminder it got, and pays within the window far more often after the
 * warmer variant. The experiment must find that, in the right direction, and promoting must make
 * the variant every debtor's copy. npm test runs 40 debtors with a large effect (10% -> 75%);
 * `npm run experiments:journey` runs the same journey over 300 debtors with a smaller one
 * (30% -> 50%) and prints the measured detection time (vitest.config.ts: KINDLY_JOURNEY).
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { createRng } from "../workers/policy/random";
import { addDays } from "../workers/zoned-time";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

const WARM_SUBJECT = "een klein seintje";
const DAY_MS = 24 * 3600_000;
const JOURNEY = inject("journey");
/** Debtors arrive over the first ten days. */
const PER_DAY = Math.ceil(JOURNEY.debtors / 10);
const advance = (days: number) => call(null, "POST", "/dev/clock/advance", { days, at: "13:00" });

interface Person {
  debtorId: string;
  invoiceId: string;
  /** Day the person pays, once decided; null: does not pay within the window. */
  paysOn: number | null;
  decided: boolean;
}

afterEach(() => vi.restoreAllMocks());

describe("a marketer's experiment, end to end with the clock", () => {
  it(`create, run 30 simulated days over ${JOURNEY.debtors} debtors with a planted effect (${JOURNEY.control} -> ${JOURNEY.variant}), read the result, promote`, { timeout: 180_000 + JOURNEY.debtors * 4_000 }, async () => {
    const t = await newTenant();
    // The shop listens for the experiment's end (its endpoint answers here).
    const shopHook = vi.fn(async (_req: Request) => new Response("ok"));
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const req = new Request(input, init);
      return req.url.startsWith("https://hooks.shop.example/") ? shopHook(req) : realFetch(input, init);
    });
    expect((await call(t.key, "POST", "/v1/webhook-endpoints", { url: "https://hooks.shop.example/kindly", events: ["experiment.completed"] })).status).toBe(201);
    // 1. Edit a variant: a warmer first reminder, saved as a draft and linted.
    const saved = await call(t.key, "POST", "/v1/templates/reminder-friendly/nl-NL/versions", {
      copy: { subject: `{{shop_name}}: ${WARM_SUBJECT}`, intro: "De betaaldatum van {{invoice_phrase}} was {{due_date}}. Dat kan iedereen gebeuren. Wij helpen u graag." },
      note: "warmer opening",
    });
    expect(saved.status).toBe(201);
    const version = (await saved.json()) as { version: number; status: string; lint: { ok: boolean } };
    expect(version).toMatchObject({ version: 1, status: "draft", lint: { ok: true } });

    // 2. Preview it as the debtor gets it.
    const preview = await call(t.key, "GET", "/v1/templates/reminder-friendly/nl-NL/preview?version=1&channel=email");
    expect(preview.status).toBe(200);
    expect(((await preview.json()) as { subject: string }).subject).toBe(`Shop ${t.accountId}: ${WARM_SUBJECT}`);

    // 3. Start the test.
    const created = await call(t.key, "POST", "/v1/experiments", {
      name: "Warmer first reminder", template: "reminder-friendly", channel: "email", locales: ["nl-NL"],
      variants: [{ key: "control", control: true }, { key: "warm", versions: { "nl-NL": 1 } }],
      primary_metric: { kind: "paid_or_arrangement", window_days: 5 }, duration_days: 14, minimum_detectable_effect: JOURNEY.mde,
    });
    expect(created.status).toBe(201);
    const experiment = (await created.json()) as { id: string; status: string; estimate: { per_variant: number } };
    expect(experiment.status).toBe("running");

    // 4. Debtors arrive over the first ten days; the clock runs 30 days. Each person decides once,
    // on the day of their first reminder, whether they will pay within the window.
    const rng = createRng("journey");
    const people = new Map<string, Person>();
    const seen = new Set<string>();
    for (let day = 0; day < 30; day++) {
      if (day < 10) {
        const arriving = Math.min(PER_DAY, JOURNEY.debtors - people.size);
        const bodies = await Promise.all(Array.from({ length: arriving }, async () => { const d = newDebtorId(); return { d, body: await invoiceBody(d, -1) }; }));
        // In order, so the arrival order (and so each debtor's draw) is the same every run.
        for (const { d, body } of bodies) {
          const inv = await register(t.key, body);
          people.set(d, { debtorId: d, invoiceId: inv.id, paysOn: null, decided: false });
        }
      }
      expect((await advance(1)).status).toBe(200);
      const { results } = await env.DB.prepare("SELECT id, debtor_id, subject FROM sandbox_messages WHERE tenant_id = ? ORDER BY created_at").bind(t.id).all<{ id: string; debtor_id: string; subject: string }>();
      for (const m of results) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        const p = people.get(m.debtor_id);
        if (!p || p.decided) continue;
        p.decided = true;
        // The planted effect: after the warm subject JOURNEY.variant pay within the window, after the control JOURNEY.control.
        const warm = m.subject.includes(WARM_SUBJECT);
        if (rng() < (warm ? JOURNEY.variant : JOURNEY.control)) p.paysOn = day + Math.floor(rng() * 4);
      }
      for (const p of people.values()) {
        if (p.paysOn !== day) continue;
        const paid = await call(t.key, "POST", `/v1/invoices/${p.invoiceId}/payments`, { amount_cents: 4995 });
        expect(paid.status).toBe(200);
      }
    }

    // 5. Read the result.
    const res = await call(t.key, "GET", `/v1/experiments/${experiment.id}`);
    expect(res.status).toBe(200);
    const result = (await res.json()) as {
      status: string; recommendation: string; started_at: string; totals: { exposures: number; measured: number };
      variants: { key: string; exposures: number; measured: number; rate: number | null; vs_control: { verdict: string; decided_at: string | null } | null }[];
    };
    expect(result.totals.exposures).toBe(JOURNEY.debtors);
    expect(result.totals.measured).toBe(JOURNEY.debtors);
    const warm = result.variants.find((v) => v.key === "warm");
    const control = result.variants.find((v) => v.key === "control");
    expect((warm?.rate ?? 0) - (control?.rate ?? 1)).toBeGreaterThan((JOURNEY.variant - JOURNEY.control) / 2);
    expect(warm?.vs_control?.verdict).toBe("better");
    expect(result.recommendation).toContain(`Variant "warm" does better than the control`);
    // Enrolment ended after 14 days and the last window closed: complete, with a daily history.
    expect(result.status).toBe("completed");
    // One row per variant and day from the start to completion (14 days of enrolment, 5 of window), no day missing.
    const history = (await (await call(t.key, "GET", `/v1/experiments/${experiment.id}/history`)).json()) as { days: { day: string; variant: string; exposures: number; measured: number }[] };
    const days = [...new Set(history.days.map((d) => d.day))];
    expect(days.length).toBeGreaterThanOrEqual(19);
    expect(history.days.length).toBe(2 * days.length);
    for (let i = 1; i < days.length; i++) expect(days[i]).toBe(addDays(days[i - 1] ?? "", 1));
    // The detection time: from the start to the look that declared the variant better. Nobody
    // counts before their 5-day window closed, so it cannot come before day 5.
    const decidedAt = Date.parse(warm?.vs_control?.decided_at ?? "");
    const detectionDays = (decidedAt - Date.parse(result.started_at)) / DAY_MS;
    expect(detectionDays).toBeGreaterThanOrEqual(5);
    expect(detectionDays).toBeLessThanOrEqual(30);
    const onDecision = history.days.filter((d) => d.day === new Date(decidedAt).toISOString().slice(0, 10));
    const measuredThen = onDecision.reduce((s, d) => s + d.measured, 0);
    const exposedThen = onDecision.reduce((s, d) => s + d.exposures, 0);
    console.log(
      `experiment journey: ${JOURNEY.debtors} debtors, planted ${JOURNEY.control * 100}% -> ${JOURNEY.variant * 100}%, measured ${control?.rate} -> ${warm?.rate}; ` +
        `"better" declared ${detectionDays.toFixed(1)} days after the start (${exposedThen} exposed, ${measuredThen} measured that day); status ${result.status}`,
    );
    // The shop was told once, with the recommendation and no debtor in it.
    const told = await env.DB.prepare("SELECT payload FROM webhook_deliveries WHERE tenant_id = ? AND event_type = 'experiment.completed'").bind(t.id).all<{ payload: string }>();
    expect(told.results).toHaveLength(1);
    const completed = (JSON.parse(told.results[0]?.payload ?? "{}") as { data: Record<string, unknown> }).data;
    expect(completed).toMatchObject({ experiment_id: experiment.id, reason: "finished" });
    expect(String(completed.recommendation)).toContain(`Variant "warm" does better than the control`);
    expect(JSON.stringify(completed)).not.toMatch(/cust-/);
    const csv = await (await call(t.key, "GET", `/v1/experiments/${experiment.id}/results.csv`)).text();
    expect(csv.split("\r\n")[0]).toMatch(/^experiment_id,variant,control,status,exposures,measured,successes,rate/);

    // 6. Promote: the variant is the published copy, and the next debtor's reminder says it.
    const promoted = await call(t.key, "POST", `/v1/experiments/${experiment.id}/promote`, { variant: "warm" });
    expect(promoted.status).toBe(200);
    const live = (await (await call(t.key, "GET", "/v1/templates/reminder-friendly/nl-NL")).json()) as { live: { version: number; status: string } };
    expect(live.live).toMatchObject({ version: 1, status: "published" });
    const late = newDebtorId();
    await register(t.key, await invoiceBody(late, -1));
    await advance(3);
    const last = await env.DB.prepare("SELECT subject FROM sandbox_messages WHERE tenant_id = ? AND debtor_id = ?").bind(t.id, late).first<{ subject: string }>();
    expect(last?.subject).toContain(WARM_SUBJECT);
  });
});
