/** Text as people send it, made safe to read, store and show again. */

/**
 * C0/C1 control characters except the newline, and the Unicode bidi overrides,
 * which can make a stored name or note display differently from what it says.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Normalises line ends, strips unsafe characters (keeping newlines) and cuts to `maxCodePoints`. */
export function cleanText(text: string, maxCodePoints: number): string {
  const clean = text.replace(/\r\n?/g, '\n').replace(UNSAFE_CHARACTERS, '');
  if (clean.length <= maxCodePoints) return clean;
  const codePoints = [...clean];
  return codePoints.length > maxCodePoints ? codePoints.slice(0, maxCodePoints).join('') : clean;
}
