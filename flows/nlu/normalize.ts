/**
 * Text normalisation for the recogniser: one canonical form for typed and transcribed text.
 *
 * `normalizeText` keeps umlauts (it is what `Understanding.normalized` shows); `foldUmlauts`
 * maps ä/ö/ü/ß and their ASCII spellings ae/oe/ue/ss to one form, so that "Kaese" and "Käse"
 * meet; `baseFold` goes one step further for product matching, where "Äpfel" must meet "Apfel".
 */

/** Longer input is cut before matching: a message of more than this is not an order line. */
export const MAX_MATCH_LENGTH = 500;

// C0/C1 control characters, zero-width characters and the byte-order mark.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g;

/** Forms kept per function: the same short texts (choice labels, product names, words, "ja") come back all the time. */
const FORMS_KEPT = 4000;
const FORMS_MAX_LENGTH = 120;

/** `form` of a text, remembered for texts of at most FORMS_MAX_LENGTH characters (the map is emptied when full). */
function remembered(form: (text: string) => string): (text: string) => string {
  const forms = new Map<string, string>();
  return (text) => {
    if (text.length > FORMS_MAX_LENGTH) return form(text);
    let known = forms.get(text);
    if (known === undefined) {
      known = form(text);
      if (forms.size >= FORMS_KEPT) forms.clear();
      forms.set(text, known);
    }
    return known;
  };
}

const normalized = remembered(normalize);
const folded = remembered(fold);

/** Lower case, punctuation folded to spaces, numbers kept whole ("6,50", "1.5", "1/2", "+49"), a leading minus said as "minus", umlauts kept. */
export function normalizeText(text: string): string {
  return normalized(text);
}

function normalize(text: string): string {
  return text
    .slice(0, MAX_MATCH_LENGTH)
    .replace(CONTROL, ' ')
    .normalize('NFC')
    .toLowerCase()
    .replace(/€/g, ' euro ')
    .replace(/[^\p{L}\p{N}]/gu, keepNumberPunctuation)
    // "500g", "2x", "10er" are a number and a word.
    .replace(/(\d)(\p{L})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim();
}

const DIGIT = /\d/;

// A decimal separator or a phone's leading plus is part of the number; other punctuation is not.
function keepNumberPunctuation(ch: string, offset: number, text: string): string {
  const before = text[offset - 1] ?? '';
  const after = text[offset + 1] ?? '';
  if ((ch === ',' || ch === '.') && DIGIT.test(before) && DIGIT.test(after)) return ch;
  // "1/2 kg", "3/4": a fraction of short numbers; "0151/1234567" is a phone number, split as before.
  if (ch === '/' && /(?:^|\D)\d{1,2}$/.test(text.slice(Math.max(0, offset - 3), offset)) && /^\d{1,2}(?:\D|$)/.test(text.slice(offset + 1, offset + 4))) return ch;
  // "-5 Honig": a minus sign before a number is said, so that the amount is not read as 5.
  if ((ch === '-' || ch === '\u2212') && DIGIT.test(after) && !/[\p{L}\p{N}]/u.test(before)) return ' minus ';
  if (ch === '+' && DIGIT.test(after) && !/[\p{L}\p{N}]/u.test(before)) return ch;
  return ' ';
}

const UMLAUT_SPELLING: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** ä→ae, ö→oe, ü→ue, ß→ss, other accents dropped: one spelling for rule patterns. */
export function foldUmlauts(normalized: string): string {
  return folded(normalized);
}

function fold(normalized: string): string {
  return normalized
    .replace(/[äöüß]/g, (ch) => UMLAUT_SPELLING[ch])
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

/**
 * A folded word reduced to its base vowels (ae→a, oe→o, ue→u): "Äpfel", "Aepfel" and "Apfel"
 * become one key. Lossy on purpose; only used to compare two words put through the same fold.
 */
export function baseFold(folded: string): string {
  return folded.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

/** Splits normalised or folded text into words. */
export function tokenize(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}
