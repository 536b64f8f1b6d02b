/**
 * Kölner Phonetik (Postel 1969): a code for how a German word sounds, so that
 * "Meerrettich" and "Mehrettich", "Zander" and "Sander" meet.
 *
 * Letters are coded by the published table, equal neighbouring codes are merged and
 * every 0 except a leading one is dropped. H has no code and is skipped. Characters that are
 * not letters are skipped too (H stays visible to its neighbours: "ch", "ph"), so "Senf-Gurken" and "Senfgurken" share a code; the
 * initial-position rule for C applies to the first letter of the whole text.
 */

const VOWELS = new Set('aeiojuy');
const C_HARD_INITIAL = new Set('ahkloqrux');
const C_HARD = new Set('ahkoqux');
const BEFORE_CSZ = new Set('csz');
const AFTER_SZ = new Set('sz');
const AFTER_CKQ = new Set('ckq');

function letterCode(letters: string[], i: number): string {
  const letter = letters[i];
  const previous = letters[i - 1] ?? '';
  const next = letters[i + 1] ?? '';
  if (VOWELS.has(letter)) return '0';
  switch (letter) {
    case 'b': return '1';
    case 'p': return next === 'h' ? '3' : '1';
    case 'd': case 't': return BEFORE_CSZ.has(next) ? '8' : '2';
    case 'f': case 'v': case 'w': return '3';
    case 'g': case 'k': case 'q': return '4';
    case 'c':
      if (i === 0) return C_HARD_INITIAL.has(next) ? '4' : '8';
      return C_HARD.has(next) && !AFTER_SZ.has(previous) ? '4' : '8';
    case 'x': return AFTER_CKQ.has(previous) ? '8' : '48';
    case 'l': return '5';
    case 'm': case 'n': return '6';
    case 'r': return '7';
    case 's': case 'z': case 'ß': return '8';
    default: return '';
  }
}

/** The Kölner Phonetik code of a word or phrase: "Müller-Lüdenscheidt" → "65752682". */
export function colognePhonetic(text: string): string {
  // Umlauts lose their dots (they are vowels either way); ß stays a letter of its own.
  const letters = Array.from(text.toLowerCase().normalize('NFD').replace(/[^a-zß]/g, ''));
  let raw = '';
  for (let i = 0; i < letters.length; i += 1) raw += letterCode(letters, i);
  let code = '';
  for (const digit of raw) if (digit !== code[code.length - 1]) code += digit;
  return code.length === 0 ? '' : code[0] + code.slice(1).replace(/0/g, '');
}
