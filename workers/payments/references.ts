/**
 * Each debtor's payment number: twelve digits (ten plus the mod-97 check) that a bank transfer
 * carries back, shown as a Belgian structured communication or a Dutch "kenmerk". Kept in D1
 * (`payment_references`, unique per tenant), so a reported payment finds its debtor by one
 * indexed lookup instead of a scan over every debtor's object.
 */
import { sha256Hex } from "../crypto";
import { structuredDigits } from "./structured-communication";

/** The debtor's 12-digit payment number, created the first time a message needs it. */
export async function paymentDigitsFor(db: D1Database, tenantId: string, debtorId: string, now: number): Promise<string> {
  // A number derived from (tenant, debtor); on the rare clash with another debtor's, the next
  // candidate. INSERT OR IGNORE plus the read-back, in one round trip, makes two racing first
  // messages agree, and a debtor who already has a number keeps it.
  for (let attempt = 0; attempt < 20; attempt++) {
    const hex = await sha256Hex(`${tenantId}\u0000${debtorId}\u0000${attempt}`);
    const base = (BigInt(`0x${hex.slice(0, 15)}`) % 10_000_000_000n).toString().padStart(10, "0");
    const [, read] = await db.batch<{ reference: string }>([
      db.prepare("INSERT OR IGNORE INTO payment_references (tenant_id, reference, debtor_id, created_at) VALUES (?, ?, ?, ?)").bind(tenantId, structuredDigits(base), debtorId, now),
      db.prepare("SELECT reference FROM payment_references WHERE tenant_id = ? AND debtor_id = ?").bind(tenantId, debtorId),
    ]);
    const row = read?.results[0];
    if (row) return row.reference;
  }
  throw new Error("no free payment reference after 20 attempts");
}

/** The debtor a 12-digit payment number belongs to, within this tenant only. */
export async function debtorForPaymentDigits(db: D1Database, tenantId: string, digits: string): Promise<string | null> {
  const row = await db.prepare("SELECT debtor_id FROM payment_references WHERE tenant_id = ? AND reference = ?").bind(tenantId, digits).first<{ debtor_id: string }>();
  return row?.debtor_id ?? null;
}
