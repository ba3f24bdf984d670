/**
 * Each debtor's payment number: twelve digits (ten plus the mod-97 check) that a bank transfer
 * carries back, shown as a Belgian structured communication or a Dutch "kenmerk". Kept in D1
 * (`payment_references`, unique per tenant), so a reported payment finds its debtor by one
 * indexed lookup instead of a scan over every debtor's object.
 */
import { and, eq } from "drizzle-orm";
import { paymentReferences } from "../../schema/d1";
import { sha256Hex } from "../crypto";
import { db } from "../db";
import { structuredDigits } from "./structured-communication";

/** The debtor's 12-digit payment number, created the first time a message needs it. */
export async function paymentDigitsFor(d1: D1Database, tenantId: string, debtorId: string, now: number): Promise<string> {
  // A number derived from (tenant, debtor); on the rare clash with another debtor's, the next
  // candidate. INSERT OR IGNORE plus the read-back, in one round trip, makes two racing first
  // messages agree, and a debtor who already has a number keeps it.
  const d = db(d1);
  const p = paymentReferences;
  for (let attempt = 0; attempt < 20; attempt++) {
    const hex = await sha256Hex(`${tenantId}\u0000${debtorId}\u0000${attempt}`);
    const base = (BigInt(`0x${hex.slice(0, 15)}`) % 10_000_000_000n).toString().padStart(10, "0");
    const [, read] = await d.batch([
      d.insert(p).values({ tenantId, reference: structuredDigits(base), debtorId, createdAt: now }).onConflictDoNothing(),
      d.select({ reference: p.reference }).from(p).where(and(eq(p.tenantId, tenantId), eq(p.debtorId, debtorId))),
    ]);
    const row = read[0];
    if (row) return row.reference;
  }
  throw new Error("no free payment reference after 20 attempts");
}

/** The debtor a 12-digit payment number belongs to, within this tenant only. */
export async function debtorForPaymentDigits(d1: D1Database, tenantId: string, digits: string): Promise<string | null> {
  const p = paymentReferences;
  const row = await db(d1)
    .select({ debtorId: p.debtorId })
    .from(p)
    .where(and(eq(p.tenantId, tenantId), eq(p.reference, digits)))
    .get();
  return row?.debtorId ?? null;
}
