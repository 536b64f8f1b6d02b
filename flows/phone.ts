/** Phone numbers as people key them in or say them, to E.164 (German numbers by default). */

/** "0151 2345678", "+49 151 …", "0049151…" → "+49151…"; null when it cannot be a phone number. */
export function normalizePhone(text: string, countryCode = '49'): string | null {
  const trimmed = text.trim();
  let digits = trimmed.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = countryCode + digits.slice(1);
  else if (!trimmed.startsWith('+')) return null;
  if (!/^[1-9]\d{7,14}$/.test(digits)) return null;
  return `+${digits}`;
}
