import { describe, expect, it } from "vitest";
import { call, invoiceBody, newDebtorId, newTenant, register } from "./helpers";

interface DebtorJson {
  next_step: { channels: string[]; why: { limits: string[] } } | null;
  blocked_channels: { channel: string; reason: string }[];
}
const debtorOf = async (key: string, id: string) => (await (await call(key, "GET", `/v1/debtors/${id}`)).json()) as DebtorJson;
const address = { line1: "Dorpsstraat 1", postal_code: "1234 AB", city: "Utrecht", country: "NL" };

describe("channels a debtor can be reached on", () => {
  it("a bounced email is not used until a new address arrives; the step falls back to another channel", async () => {
    const t = await newTenant();
    const id = newDebtorId();
    const body = await invoiceBody(id, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, address } });
    expect((await debtorOf(t.key, id)).next_step?.channels).toEqual(["email"]);

    const res = await call(t.key, "PUT", `/v1/debtors/${id}/channels/email`, { blocked: true, reason: "bounced" });
    expect(res.status).toBe(200);
    const blocked = await debtorOf(t.key, id);
    expect(blocked.blocked_channels).toEqual([{ channel: "email", reason: "bounced" }]);
    expect(blocked.next_step?.channels).toEqual(["letter"]);

    // The merchant sends a new email address with the next invoice: email is open again.
    await register(t.key, await invoiceBody(id, 5, { debtor: { ...body.debtor, email: "sanne.nieuw@example.nl", address } }));
    const reopened = await debtorOf(t.key, id);
    expect(reopened.blocked_channels).toEqual([]);
    expect(reopened.next_step?.channels).toEqual(["email"]);
  });

  it("an opt-out stays in force when contact data changes", async () => {
    const t = await newTenant();
    const id = newDebtorId();
    const body = await invoiceBody(id, -1);
    await register(t.key, { ...body, debtor: { ...body.debtor, address } });
    await call(t.key, "PUT", `/v1/debtors/${id}/channels/email`, { blocked: true, reason: "opted_out" });
    await register(t.key, await invoiceBody(id, 5, { debtor: { ...body.debtor, email: "other@example.nl", address } }));
    const view = await debtorOf(t.key, id);
    expect(view.blocked_channels).toEqual([{ channel: "email", reason: "opted_out" }]);
    expect(view.next_step?.channels).not.toContain("email");
  });

  it("another tenant cannot block a channel of this tenant's debtor", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const id = newDebtorId();
    await register(a.key, await invoiceBody(id, -1));
    expect((await call(b.key, "PUT", `/v1/debtors/${id}/channels/email`, { blocked: true, reason: "bounced" })).status).toBe(404);
    expect((await debtorOf(a.key, id)).blocked_channels).toEqual([]);
  });
});
