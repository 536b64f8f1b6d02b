/**
 * Phone numbers as the marketplace keeps them: E.164 ("+4935461234567").
 * People key them in or say them in any spelling; providers hand them over
 * already in E.164, which we still check, since a withheld or SIP caller is not.
 */

/** At most 15 digits after the plus, never a leading 0 (ITU-T E.164). */
const E164 = /^\+[1-9]\d{6,14}$/;

/** True for a number in E.164, e.g. "+4935461234567"; what a provider or the operator hands us is checked with this. */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * A number as a person writes it → E.164, national numbers read in `countryCode`
 * (Germany by default): "0151 2345678", "+49 151 …", "0049151…" → "+49151…".
 * Null when it cannot be a phone number; people's numbers have at least 8 digits.
 */
export function normalizePhone(text: string, countryCode = '49'): string | null {
  const trimmed = text.trim();
  let digits = trimmed.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = countryCode + digits.slice(1);
  else if (!trimmed.startsWith('+')) return null;
  if (!/^[1-9]\d{7,14}$/.test(digits)) return null;
  // A German number has at least seven digits after the 49 ("0151123" is a typo, not a phone).
  if (digits.startsWith('49') && digits.length < 9) return null;
  return `+${digits}`;
}

/** A German mobile number (015x, 016x, 017x): it can receive an SMS. */
export function isGermanMobile(e164: string): boolean {
  return /^\+491[5-7]\d{8,10}$/.test(e164);
}

/**
 * A number we may call back at our cost: a German mobile or landline. Never a
 * number abroad, and never a service or premium-rate number (0700, 0800, 0900,
 * 010…, 011…, 0137, 0180 …) or a network test number (031), since whoever keys
 * a number in decides where the call goes.
 */
export function isCallableBack(e164: string): boolean {
  return isGermanMobile(e164) || /^\+49(?!700|800|900|31)[2-9]\d{5,10}$/.test(e164);
}

/** A German number as it is dialled at home ("+49354601234" → "0354601234"); others stay in E.164. */
export function nationalNumber(e164: string): string {
  return e164.startsWith('+49') ? `0${e164.slice(3)}` : e164;
}
