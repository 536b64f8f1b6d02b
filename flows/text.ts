/**
 * What people write or say, made safe before anything reads it. Every channel
 * cleans its text here, and the engine again, so a name or a note shown to
 * staff and producers later is exactly what it appears to be.
 */

/**
 * C0 and C1 control characters except tab and newline, and the Unicode bidi
 * embeddings, overrides and isolates, which can make a stored name or note
 * display differently from what it says.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * User text cleaned: NFC, line breaks as "\n", a tab as a space (it separates
 * words), no other control characters or bidi controls, no surrounding
 * whitespace, and at most `maxCodePoints` code points (never half a character).
 */
export function cleanText(text: string, maxCodePoints: number): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replaceAll('\t', ' ')
    .replace(UNSAFE_CHARACTERS, '')
    .trim();
  // A string has at least as many UTF-16 units as code points: most texts need no counting.
  if (cleaned.length <= maxCodePoints) return cleaned;
  const codePoints = [...cleaned];
  return codePoints.length > maxCodePoints ? codePoints.slice(0, maxCodePoints).join('').trimEnd() : cleaned;
}

/** Words of a name that stay lower case unless they begin it: "Karl von der Heide". */
const NAME_PARTICLES = new Set(['von', 'van', 'vom', 'zu', 'zum', 'der', 'den', 'de', 'la', 'le']);

/**
 * A name as speech recognition wrote it, tidied as the person would write it:
 * punctuation gone, a word said twice kept once, where it was said last
 * ("Lehmann, Werner Lehmann" → "Werner Lehmann"), and each word capitalised
 * ("werner lehmann" → "Werner Lehmann", "müller-lüdenscheidt" → "Müller-Lüdenscheidt").
 */
export function tidySpokenName(heard: string): string {
  const words = heard.replace(/[.,;:!?"„“]+/g, ' ').split(/\s+/).filter((word) => word !== '');
  const seen = new Set<string>();
  const kept: string[] = [];
  for (let i = words.length - 1; i >= 0; i -= 1) {
    const key = words[i].toLocaleLowerCase('de');
    if (seen.has(key)) continue;
    seen.add(key);
    kept.unshift(words[i]);
  }
  return kept
    .map((word, i) => {
      const lower = word.toLocaleLowerCase('de');
      if (i > 0 && NAME_PARTICLES.has(lower)) return lower;
      return word.split('-').map((part) => part.charAt(0).toLocaleUpperCase('de') + part.slice(1)).join('-');
    })
    .join(' ');
}
