/**
 * Order codes: digits only, read aloud on the phone and keyed in at the shop
 * counter. The cycle's sequence number plus 1000 (so codes start at four
 * digits) and one Luhn check digit, which catches every single mistyped digit
 * and most swapped neighbours.
 */

/** The Luhn check digit for a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // Doubling starts at the rightmost payload digit, since the check digit will follow it.
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** The code of the `sequence`-th order of a cycle (1-based), e.g. 1 → "10017". */
export function orderCode(sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) {
    throw new RangeError(`order sequence must be a positive integer, got ${sequence}`);
  }
  const payload = String(1000 + sequence);
  return payload + String(luhnCheckDigit(payload));
}

/** True when `code` is digits only and its last digit checks out; a typo is caught before any lookup. */
export function orderCodeIsValid(code: string): boolean {
  if (!/^\d{2,}$/.test(code)) return false;
  return luhnCheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}
