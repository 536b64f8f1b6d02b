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
