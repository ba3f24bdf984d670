/**
 * Paying on paper and by bank: the Belgian structured communication's check digits against
 * worked examples, and the EPC QR code decoded by an independent decoder (jsQR) from the SVG
 * that letters and emails carry.
 */
import jsQR from "jsqr";
import { svgToBitmap } from "./qr-decode";
import { describe, expect, it } from "vitest";
import { epcPayload, epcQrSvg } from "../workers/payments/epc-qr";
import { formatStructured, isValidStructured, mod97CheckDigits, parseStructured, structuredDigits } from "../workers/payments/structured-communication";

describe("Belgian structured communication", () => {
  it("computes the check digits as the ten digits mod 97 (worked by hand)", () => {
    // 1234567890 = 97 x 12727504 + 2 (97 x 12727504 = 1234567888): check digits 02.
    expect(mod97CheckDigits("1234567890")).toBe("02");
    // 0000000097 = 97 x 1, remainder 0: the rule writes 97, never 00.
    expect(mod97CheckDigits("0000000097")).toBe("97");
    // 0000000001: remainder 1, written with two digits: 01.
    expect(mod97CheckDigits("0000000001")).toBe("01");
    // 9999999999 = 97 x 103092783 + 48 (97 x 103092783 = 9999999951): 48.
    expect(mod97CheckDigits("9999999999")).toBe("48");
  });

  it("prints +++123/4567/89002+++ and reads it back in the forms people type", () => {
    expect(structuredDigits("1234567890")).toBe("123456789002");
    expect(formatStructured("123456789002")).toBe("+++123/4567/89002+++");
    for (const typed of ["+++123/4567/89002+++", "***123/4567/89002***", "123456789002", " 123 4567 89002 "]) {
      expect(parseStructured(typed)).toBe("123456789002");
    }
  });

  it("refuses a communication with a wrong check digit or length", () => {
    expect(isValidStructured("123456789003")).toBe(false);
    expect(parseStructured("+++123/4567/89003+++")).toBeNull();
    expect(parseStructured("12345678900")).toBeNull();
    expect(() => formatStructured("123456789003")).toThrow(RangeError);
  });
});

describe("EPC QR code (GiroCode)", () => {
  it("decodes, with an independent decoder, to the IBAN, exact amount and BE structured reference", () => {
    const svg = epcQrSvg(
      { name: "Fietsen Van Damme BV", iban: "BE68 5390 0754 7034", amountCents: 13945, reference: { structured: "123456789002" } },
      "QR code to pay",
    );
    const { data, size } = svgToBitmap(svg);
    const decoded = jsQR(data, size, size);
    expect(decoded).not.toBeNull();
    const lines = (decoded?.data ?? "").split("\n");
    expect(lines.slice(0, 4)).toEqual(["BCD", "002", "1", "SCT"]);
    expect(lines[5]).toBe("Fietsen Van Damme BV");
    expect(lines[6]).toBe("BE68539007547034");
    expect(lines[7]).toBe("EUR139.45");
    expect(lines[9]).toBe("123456789002");
    expect(lines[10]).toBe("");
  });

  it("carries a Dutch reference as text, and a name with accents as UTF-8", () => {
    const svg = epcQrSvg({ name: "Crème & Brûlée B.V.", iban: "NL91ABNA0417164300", bic: "ABNANL2A", amountCents: 4995, reference: { text: "F-2026-0142" } }, "QR");
    const { data, size } = svgToBitmap(svg);
    const lines = (jsQR(data, size, size)?.data ?? "").split("\n");
    expect(lines[4]).toBe("ABNANL2A");
    expect(lines[5]).toBe("Crème & Brûlée B.V.");
    expect(lines[6]).toBe("NL91ABNA0417164300");
    expect(lines[7]).toBe("EUR49.95");
    expect(lines[9]).toBe("");
    expect(lines[10]).toBe("F-2026-0142");
  });

  it("refuses what a banking app would refuse: a bad IBAN, no amount", () => {
    const base = { name: "Shop", iban: "NL91ABNA0417164300", amountCents: 100, reference: { text: "x" } };
    expect(() => epcPayload({ ...base, iban: "NL91ABNA0417164301" })).toThrow(RangeError);
    expect(() => epcPayload({ ...base, amountCents: 0 })).toThrow(RangeError);
    expect(epcPayload(base).split("\n")[7]).toBe("EUR1.00");
  });
});
