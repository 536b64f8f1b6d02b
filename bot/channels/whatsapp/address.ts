/** Twilio addresses a WhatsApp user or sender by number with a prefix: "whatsapp:+4935461234567". */
import { isE164 } from '../../../catalog/phone.ts';

const PREFIX = 'whatsapp:';

/** The E.164 number of a Twilio WhatsApp address; null for anything else. */
export function whatsappNumber(address: string): string | null {
  const number = address.startsWith(PREFIX) ? address.slice(PREFIX.length) : '';
  return isE164(number) ? number : null;
}

/** The Twilio WhatsApp address of an E.164 number. */
export function whatsappAddress(e164: string): string {
  return `${PREFIX}${e164}`;
}
