/**
 * Payment references a bank transfer carries back to us. Pure.
 *
 * Belgium: the structured communication ("gestructureerde mededeling" / "communication
 * structurée", OGM-VCS), `+++123/4567/89002+++`: ten digits and two check digits, which are the
 * ten digits modulo 97, or 97 when that is 0 (Febelfin; the same rule the SEPA "BBA" creditor
 * reference uses). Every Belgian banking app checks it, so a typo is caught before the
 * payment leaves the debtor's bank.
 *
 * The Netherlands has no such national standard for consumers: a Dutch transfer carries the
 * invoice number, or for several invoices the same twelve digits as a plain "kenmerk".
 */

/** The two check digits of a ten-digit base: base mod 97, and 97 instead of 0. */
export function mod97CheckDigits(base: string): string {
  if (!/^\d{10}$/.test(base)) throw new RangeError(`a structured communication base has 10 digits, got "${base}"`);
  // 10 digits stay below 2^53, so plain numbers are exact here.
  const rest = Number(base) % 97;
  return String(rest === 0 ? 97 : rest).padStart(2, "0");
}

/** The 12 digits (base + check) of the structured communication for a ten-digit base. */
export function structuredDigits(base: string): string {
  return `${base}${mod97CheckDigits(base)}`;
}

/** Prints 12 digits the way Belgian banks and invoices show them: +++123/4567/89002+++. */
export function formatStructured(digits: string): string {
  if (!isValidStructured(digits)) throw new RangeError(`not a valid structured communication: "${digits}"`);
  return `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
}

/**
 * The 12 digits of a structured communication as a person or bank may send it back
 * (`+++123/4567/89002+++`, `***...***`, `123456789002`, with spaces), or null when it is not one
 * or its check digits are wrong.
 */
export function parseStructured(input: string): string | null {
  const digits = input.trim().replace(/^(\+{3}|\*{3})|(\+{3}|\*{3})$/g, "").replace(/[\s/.]/g, "");
  return isValidStructured(digits) ? digits : null;
}

/** True for 12 digits whose last two are the check digits of the first ten. */
export function isValidStructured(digits: string): boolean {
  return /^\d{12}$/.test(digits) && mod97CheckDigits(digits.slice(0, 10)) === digits.slice(10);
}

/** The 12 digits grouped in fours for a Dutch reader: "1234 5678 9002". */
export function formatKenmerk(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, "$1 ");
}
