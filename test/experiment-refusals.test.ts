/**
 * What cannot start, and what an experiment holds while it runs: each refusal is problem+json
 * naming every problem by field, and nothing is written. Every answer is also checked against
 * /openapi.json (test/contract.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { saveVariant, startExperiment } from "./experiments";
import { call, newTenant } from "./helpers";

interface Problem {
  status: number;
  errors?: { field: string; message: string }[];
}

const body = (over: Record<string, unknown>) => ({
  name: "refused", template: "reminder-friendly", channel: "email", locales: ["nl-NL"], primary_metric: { kind: "paid_or_arrangement", window_days: 7 }, duration_days: 30, ...over,
});

async function refused(key: string, over: Record<string, unknown>, status = 422): Promise<Problem> {
  const res = await call(key, "POST", "/v1/experiments", body(over));
  expect(res.status, JSON.stringify(over)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return (await res.json()) as Problem;
}

const fields = (p: Problem) => (p.errors ?? []).map((e) => e.field);

describe("POST /v1/experiments refuses what cannot be tested honestly", () => {
  it("names every problem: variants, control, metric, template, channel, segments, versions, the lint, help-first", async () => {
    const t = await newTenant();
    const good = await saveVariant(t.key, "reminder-gentle", "nl-NL", { intro: "Misschien is het u ontschoten. Wij helpen u graag als het even niet lukt." });
    // A draft with a threat in it: kept, but never a variant.
    const saved = await call(t.key, "POST", "/v1/templates/reminder-friendly/nl-NL/versions", { copy: { subject: "{{shop_name}}: anders komt de deurwaarder" } });
    const bad = ((await saved.json()) as { version: number }).version;
    const control = { key: "control", control: true };

    expect(fields(await refused(t.key, { variants: [control] }))).toContain("variants");
    expect(fields(await refused(t.key, { variants: Array.from({ length: 6 }, (_, i) => ({ key: `v${i}`, control: i === 0 })) }))).toContain("variants");
    expect(fields(await refused(t.key, { variants: [{ key: "a" }, { key: "b" }] }))).toContain("variants");
    expect(fields(await refused(t.key, { variants: [control, { key: "control", versions: { "nl-NL": bad } }] }))).toContain("variants");
    // Opens can never be the primary metric.
    expect(fields(await refused(t.key, { primary_metric: { kind: "opens", window_days: 7 }, variants: [control, { key: "b", versions: { "nl-NL": bad } }] }))).toContain("primary_metric.kind");
    // Neither a duration nor a sample size.
    expect(fields(await refused(t.key, { duration_days: undefined, variants: [control, { key: "b", versions: { "nl-NL": bad } }] }))).toContain("duration_days");

    const unknownTemplate = await refused(t.key, { template: "no-such-template", variants: [control, { key: "b" }] });
    expect(fields(unknownTemplate)).toEqual(["template"]);
    // Every problem at once: the channel, a segment, a missing version, one that does not exist, the lint.
    const many = await refused(t.key, {
      channel: "letter", segments: ["nobody"], locales: ["nl-NL", "en"],
      variants: [control, { key: "b", versions: { "nl-NL": bad } }, { key: "c", versions: { "nl-NL": 99 } }],
    });
    expect(fields(many)).toEqual(expect.arrayContaining(["segments.0", "variants.1.versions.en", "variants.1.versions.nl-NL.subject", "variants.2.versions.nl-NL"]));
    expect(many.errors?.find((e) => e.field === "variants.1.versions.nl-NL.subject")?.message).toMatch(/^threatening_words/);
    // Help-first: the variant must not add pressure (an exclamation mark and "vandaag nog").
    const pushy = await saveVariant(t.key, "reminder-gentle", "nl-NL", { intro: "Betaal vandaag nog! Wij helpen u graag als het even niet lukt." });
    const helpFirst = await refused(t.key, { template: "reminder-gentle", help_first: true, variants: [control, { key: "kind", versions: { "nl-NL": good } }, { key: "pushy", versions: { "nl-NL": pushy } }] });
    expect(fields(helpFirst)).toEqual(["variants.2.versions.nl-NL", "variants.2.versions.nl-NL"]);

    // Nothing was written.
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM experiments WHERE tenant_id = ?").bind(t.id).first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it("one experiment per template, channel and locale; while it runs, its control cannot be republished; a running experiment stops, or is promoted early", async () => {
    const t = await newTenant();
    const v = await saveVariant(t.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: een klein seintje" });
    const e = await startExperiment(t.key, { variants: [{ key: "control", control: true }, { key: "b", versions: { "nl-NL": v } }] });
    await refused(t.key, { variants: [{ key: "control", control: true }, { key: "b", versions: { "nl-NL": v } }] }, 409);
    const publish = await call(t.key, "POST", `/v1/templates/reminder-friendly/nl-NL/versions/${v}/publish`);
    expect(publish.status).toBe(409);
    // Stopped while running (the read just before it looks at the experiment too), the template is free again.
    const stop = await call(t.key, "POST", `/v1/experiments/${e.id}/stop`, {});
    expect(stop.status, await stop.clone().text()).toBe(200);
    expect((await call(t.key, "POST", `/v1/experiments/${e.id}/stop`, {})).status).toBe(409);
    expect((await call(t.key, "POST", `/v1/templates/reminder-friendly/nl-NL/versions/${v}/publish`)).status).toBe(200);
    // A running experiment can be promoted early: its variant becomes the published copy.
    const v2 = await saveVariant(t.key, "reminder-friendly", "nl-NL", { subject: "{{shop_name}}: nog even dit" });
    const e2 = await startExperiment(t.key, { variants: [{ key: "control", control: true }, { key: "b", versions: { "nl-NL": v2 } }] });
    const promoted = await call(t.key, "POST", `/v1/experiments/${e2.id}/promote`, { variant: "b" });
    expect(promoted.status, await promoted.clone().text()).toBe(200);
    expect(((await promoted.json()) as { status: string; promoted_variant: string })).toMatchObject({ status: "completed", promoted_variant: "b" });
    const live = (await (await call(t.key, "GET", "/v1/templates/reminder-friendly/nl-NL")).json()) as { live: { version: number } };
    expect(live.live.version).toBe(v2);
  });
});
