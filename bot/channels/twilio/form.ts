/**
 * Reading Twilio's form parameters defensively: a signed request is Twilio's,
 * but a field may still be absent, repeated or odd, and none of that may reach
 * the 500 handler.
 */

/** The form as single string values; null when the body is not a form or a field is repeated. */
export function readTwilioForm(body: unknown): Map<string, string> | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const form = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') return null;
    form.set(name, value);
  }
  return form;
}

// C0/C1 control characters except tab and newline; a customer's text is shown to staff and producers.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** User text made safe to process: NFC, no control characters, at most `maxLength` characters. */
export function cleanText(text: string, maxLength: number): string {
  const cleaned = text.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL_CHARACTERS, '').trim();
  return Array.from(cleaned).slice(0, maxLength).join('');
}
