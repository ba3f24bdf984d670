import { describe, expect, it } from "vitest";
import { payActions } from "../workers/pay-action";

const inv = (id: string, cents: number) => ({ id, merchantInvoiceId: `INV-${id}`, outstandingCents: cents, payUrl: `https://shop.example/pay/${id}` });

describe("one pay action for what is owed", () => {
  it("one open invoice: its own page pays its outstanding amount", () => {
    const { primary } = payActions({ invoices: [inv("a", 12950)], debtorId: "cust 1", reference: "R1", pageUrl: "https://k.example/d/x" });
    expect(primary).toEqual({ kind: "single_invoice", url: "https://shop.example/pay/a", amountCents: 12950, pays: true });
  });

  it("several invoices with the shop's template: one URL for the exact total, values URL-encoded", () => {
    const { primary, perInvoice } = payActions({
      invoices: [inv("a", 12950), inv("b", 4995)],
      debtorId: "cust 1",
      reference: "+++090/9337/55493+++",
      template: "https://shop.example/pay?d={{debtor_id}}&amount={{amount_cents}}&ref={{reference}}&inv={{invoice_ids}}",
      pageUrl: null,
    });
    // 129,50 + 49,95 = 179,45
    expect(primary?.amountCents).toBe(17945);
    expect(primary?.url).toBe("https://shop.example/pay?d=cust%201&amount=17945&ref=%2B%2B%2B090%2F9337%2F55493%2B%2B%2B&inv=INV-a%2CINV-b");
    expect(perInvoice.map((p) => p.amountCents)).toEqual([12950, 4995]);
  });

  it("several invoices without a template: the debtor's page, which does not claim to pay the total", () => {
    const { primary } = payActions({ invoices: [inv("a", 12950), inv("b", 4995)], debtorId: "c", reference: "R", pageUrl: "https://k.example/d/x" });
    expect(primary).toEqual({ kind: "debtor_page", url: "https://k.example/d/x", amountCents: 17945, pays: false });
  });
});
