import { describe, expect, it } from "vitest";
import { call, newTenant } from "./helpers";

type Problem = { code: string; errors: { field: string; message: string }[] };
const fieldsOf = async (res: Response) => ((await res.json()) as Problem).errors.map((e) => e.field);

describe("the shop's own voice: PATCH /v1/account", () => {
  it("stores the sender identity, bank details and branding and gives them back", async () => {
    const t = await newTenant();
    const res = await call(t.key, "PATCH", "/v1/account", {
      legal_name: "De Spaak B.V.",
      kvk_number: "12345678",
      email: { from_name: "Fietsenwinkel De Spaak", from_address: "klantenservice@despaak.nl", reply_to: "service@despaak.nl" },
      sms: { sender_id: "DeSpaak" },
      service: { phone: "+31201234567", hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }], chat_url: "https://despaak.nl/chat" },
      branding: { brand_colour: "#1e40af" },
      // Spaces and lower case as people type it; stored in electronic format.
      bank: { iban: "nl91 abna 0417 1643 00", account_holder: "De Spaak B.V." },
      handover_partner: { name: "Incasso Noord B.V." },
    });
    expect(res.status).toBe(200);
    const got = (await (await call(t.key, "GET", "/v1/account")).json()) as Record<string, unknown>;
    expect(got.bank).toEqual({ iban: "NL91ABNA0417164300", account_holder: "De Spaak B.V." });
    expect(got.email).toEqual({ from_name: "Fietsenwinkel De Spaak", from_address: "klantenservice@despaak.nl", reply_to: "service@despaak.nl" });
    expect(got.handover_partner).toEqual({ name: "Incasso Noord B.V." });
    // A part left out stays; null clears it.
    await call(t.key, "PATCH", "/v1/account", { handover_partner: null, display_name: "De Spaak" });
    const after = (await (await call(t.key, "GET", "/v1/account")).json()) as Record<string, unknown>;
    expect(after.handover_partner).toBeUndefined();
    expect(after.bank).toEqual(got.bank);
    expect(after.display_name).toBe("De Spaak");
  });

  it("refuses an IBAN whose check digits are wrong, a pale brand colour and a sender ID without letters, naming each field", async () => {
    const t = await newTenant();
    const res = await call(t.key, "PATCH", "/v1/account", {
      // NL91ABNA0417164300 with its check digits changed to 92.
      bank: { iban: "NL92ABNA0417164300", account_holder: "X" },
      branding: { brand_colour: "#ffdd00" },
      sms: { sender_id: "12345" },
    });
    expect(res.status).toBe(422);
    expect(await fieldsOf(res)).toEqual(expect.arrayContaining(["bank.iban", "branding.brand_colour", "sms.sender_id"]));
    // Nothing of a refused patch is stored.
    const got = (await (await call(t.key, "GET", "/v1/account")).json()) as Record<string, unknown>;
    expect(got.bank).toBeUndefined();
  });
});
