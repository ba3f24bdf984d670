/**
 * The typed client in client/ (openapi-typescript + openapi-fetch): its document is the one the
 * Worker serves in production (else `npm run client:generate`), and a platform can drive a whole
 * ladder through it: register, read the plan, see the reminders go out, pay.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { kindlyClient } from "../client";
import committed from "../client/openapi.json";
import { api } from "../workers/api";
import { advanceTo, invoiceBody, newDebtorId, newTenant, settleDispatch, stubOf } from "./helpers";

describe("the typed client", () => {
  it("is generated from the document the Worker serves in production", async () => {
    const served = await (await api.request("/openapi.json", {}, { ...env, KINDLY_ENV: "production" })).json();
    expect(served, "client/openapi.json is out of date: run `npm run client:generate`").toEqual(committed);
  });

  it("drives a ladder: register, plan, reminders out, payment closes the invoice", async () => {
    const t = await newTenant();
    const kindly = kindlyClient({ baseUrl: "http://kindly.test", apiKey: t.key, fetch: (input) => exports.default.fetch(input) });
    const debtor = newDebtorId();
    const body = await invoiceBody(debtor, -1);
    const created = await kindly.POST("/v1/invoices", {
      body: { ...body, currency: "EUR", debtor: { id: debtor, name: "Sanne de Vries", email: "sanne@example.nl", locale: "nl-NL" } },
      params: { header: { "idempotency-key": `client-${debtor}` } },
    });
    expect(created.error).toBeUndefined();
    const invoiceId = created.data?.id ?? "";

    const planned = await kindly.GET("/v1/debtors/{id}", { params: { path: { id: debtor } } });
    expect(planned.data?.next_step?.key).toBe("reminder_1");

    const sent: string[] = [];
    for (const days of [3, 7]) {
      await advanceTo(days);
      await stubOf(t.id, debtor).tick();
      await settleDispatch(t.id, debtor);
      const kept = await kindly.GET("/v1/sandbox/messages", { params: { query: { debtor_id: debtor } } });
      sent.splice(0, sent.length, ...(kept.data?.data.map((m) => m.channel) ?? []));
    }
    expect(sent).toEqual(["email", "email"]);

    const paid = await kindly.POST("/v1/invoices/{id}/payments", { params: { path: { id: invoiceId } }, body: { amount_cents: 4995 } });
    expect(paid.data).toMatchObject({ status: "paid", outstanding_cents: 0 });
    const after = await kindly.GET("/v1/debtors/{id}", { params: { path: { id: debtor } } });
    expect(after.data?.next_step).toBeNull();
    const missing = await kindly.GET("/v1/invoices/{id}", { params: { path: { id: "inv_nope" } } });
    expect(missing.error?.code).toBe("not_found");
  });
});
