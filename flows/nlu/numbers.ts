/**
 * Numbers, quantities and prices as people write and say them, in German and English:
 * "2", "1,5", "zweiundzwanzig", "anderthalb", "ein Dutzend", "ein Pfund", "twenty two",
 * "one and a half"; prices "6,50", "6 euro 50", "sechs fünfzig".
 * All readers work on folded tokens (normalize.ts `foldUmlauts`).
 */
import type { Unit } from '../../catalog/types.ts';
import { readUnit } from './units.ts';

const GERMAN_UNITS: Record<string, number> = {
  null: 0, ein: 1, eins: 1, eine: 1, einen: 1, einem: 1, einer: 1, zwei: 2, zwo: 2, drei: 3, vier: 4,
  fuenf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10, elf: 11, zwoelf: 12, dreizehn: 13,
  vierzehn: 14, fuenfzehn: 15, sechzehn: 16, siebzehn: 17, achtzehn: 18, neunzehn: 19,
};
const GERMAN_TENS: Record<string, number> = {
  zwanzig: 20, dreissig: 30, vierzig: 40, fuenfzig: 50, sechzig: 60, siebzig: 70, achtzig: 80, neunzig: 90,
};
const ENGLISH: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70,
  eighty: 80, ninety: 90, hundred: 100, thousand: 1000,
};
const FRACTIONS: Record<string, number> = {
  halb: 0.5, halbe: 0.5, halbes: 0.5, halber: 0.5, halben: 0.5, einhalb: 0.5, half: 0.5,
  anderthalb: 1.5, viertel: 0.25, dreiviertel: 0.75, quarter: 0.25,
};
/** Words that are the indefinite article as often as they are "one". */
const ARTICLES = new Set(['ein', 'eine', 'einen', 'einem', 'einer', 'a', 'an']);
const DOZEN = new Set(['dutzend', 'dozen']);
const CURRENCY = new Set(['euro', 'eur', 'euros']);
const CENT = new Set(['cent', 'cents', 'ct']);

const DIGITS = /^\d+(?:[.,]\d+)?$/;
// "1.000" is a thousand in German writing, never one.
const THOUSANDS = /^\d{1,3}(?:\.\d{3})+$/;
const FRACTION = /^(\d{1,3})\/(\d{1,3})$/;

function germanUpTo99(word: string): number | null {
  if (word in GERMAN_UNITS) return GERMAN_UNITS[word];
  if (word in GERMAN_TENS) return GERMAN_TENS[word];
  const and = word.indexOf('und');
  if (and <= 0) return null;
  const ones = GERMAN_UNITS[word.slice(0, and) === 'ein' ? 'eins' : word.slice(0, and)];
  const tens = GERMAN_TENS[word.slice(and + 3)];
  return ones !== undefined && ones >= 1 && ones <= 9 && tens !== undefined ? tens + ones : null;
}

function germanUpTo999(word: string): number | null {
  const hundred = word.indexOf('hundert');
  if (hundred < 0) return germanUpTo99(word);
  const head = word.slice(0, hundred);
  const tail = word.slice(hundred + 'hundert'.length);
  const hundreds = head === '' ? 1 : germanUpTo99(head);
  const rest = tail === '' ? 0 : tail.startsWith('und') ? germanUpTo99(tail.slice(3)) : germanUpTo99(tail);
  return hundreds !== null && hundreds >= 1 && hundreds <= 9 && rest !== null ? hundreds * 100 + rest : null;
}

// "zweieinhalb" is 2.5, "dreieinhalb" 3.5.
function germanWithHalf(word: string): number | null {
  if (!word.endsWith('einhalb') || word === 'einhalb') return null;
  const whole = germanUpTo999(word.slice(0, -'einhalb'.length));
  return whole === null ? null : whole + 0.5;
}

function readWordValue(word: string): number | null {
  if (word in ENGLISH) return ENGLISH[word];
  if (word in FRACTIONS) return FRACTIONS[word];
  if (word === 'tausend') return 1000;
  const half = germanWithHalf(word);
  if (half !== null) return half;
  // "zweimal" / "dreimal" count like the number itself.
  if (word.endsWith('mal') && word.length > 3) return germanUpTo999(word.slice(0, -3));
  return germanUpTo999(word);
}

const WORD_VALUES = new Map<string, number | null>();

/** The value of one folded number word or numeral: "drei" 3, "zweiundzwanzig" 22, "1,5" 1.5, "anderthalb" 1.5. */
export function numberValue(word: string): number | null {
  if (THOUSANDS.test(word)) return Number(word.replace(/\./g, ''));
  if (DIGITS.test(word)) return Number(word.replace(',', '.'));
  const fraction = FRACTION.exec(word);
  if (fraction) return Number(fraction[2]) === 0 ? null : Number(fraction[1]) / Number(fraction[2]);
  let value = WORD_VALUES.get(word);
  if (value === undefined) {
    value = readWordValue(word);
    // The cache is bounded by the words people actually use; unknown words are not kept.
    if (value !== null || WORD_VALUES.size < 10_000) WORD_VALUES.set(word, value);
  }
  return value;
}

/** True for "ein", "eine", "a": a number only when a unit or a product follows. */
export function isArticle(word: string): boolean {
  return ARTICLES.has(word);
}

/** A quantity read from `tokens[start]` on: how much, in which unit, over how many tokens. */
export interface QuantityReading {
  /** In `unit` when given: "ein Pfund" is 500 (g). */
  value: number;
  /** The number as said, before the unit's scale: "ein Pfund" is 1. */
  count: number;
  unit: Unit | null;
  /** Tokens the quantity (and its unit word) took. */
  length: number;
  /** The quantity is only an article ("ein", "a") with no unit after it. */
  articleOnly: boolean;
}

// Reads the bare count at `start`: "2", "zwei", "twenty two", "one and a half", "ein halbes", "half a".
function readCount(tokens: string[], start: number): { value: number; length: number } | null {
  const word = tokens[start];
  if (word === undefined) return null;
  const next = tokens[start + 1];
  if ((word === 'half' || word === 'halb') && next !== undefined && isArticle(next)) return { value: 0.5, length: 2 };
  if (isArticle(word) && next !== undefined && (next in FRACTIONS || next === 'paar')) {
    return next === 'paar' ? null : { value: FRACTIONS[next], length: 2 };
  }
  if ((word === 'minus' || word === 'negative') && next !== undefined) {
    const magnitude = readCount(tokens, start + 1);
    return magnitude === null ? null : { value: -magnitude.value, length: magnitude.length + 1 };
  }
  const value = isArticle(word) ? 1 : numberValue(word);
  if (value === null) return null;
  // "1e9": a number written as a formula is no amount anybody means; it is read as unreadable, never as 1 or 9.
  if (next === 'e' && DIGITS.test(word) && DIGITS.test(tokens[start + 2] ?? '')) return { value: Number.NaN, length: 3 };
  let length = 1;
  let total = value;
  // English tens and ones are two words once the hyphen is gone: "twenty two".
  const ones = next === undefined ? null : ENGLISH[next];
  if (value >= 20 && value < 100 && value % 10 === 0 && word in ENGLISH && ones !== undefined && ones !== null && ones >= 1 && ones <= 9) {
    total += ones;
    length = 2;
  }
  // "one and a half", "zwei und ein halb"
  const conjunction = tokens[start + length];
  if ((conjunction === 'and' || conjunction === 'und') && isArticle(tokens[start + length + 1] ?? '') && (tokens[start + length + 2] === 'half' || tokens[start + length + 2] === 'halb')) {
    total += 0.5;
    length += 3;
  }
  return { value: total, length };
}

/**
 * Reads a quantity at `start`: a count, "Dutzend", then an optional unit word
 * ("2 Gläser", "ein Pfund" → 500 g, "anderthalb kilo", "a dozen"). A unit word alone
 * counts only when it is a quantity itself ("Pfund").
 */
export function readQuantity(tokens: string[], start: number): QuantityReading | null {
  const count = readCount(tokens, start);
  if (count === null) {
    const unit = readUnit(tokens[start] ?? '');
    return unit !== null && unit.scale !== 1 ? { value: unit.scale, count: 1, unit: unit.unit, length: 1, articleOnly: false } : null;
  }
  let said = count.value;
  let length = count.length;
  let unit: Unit | null = null;
  if (DOZEN.has(tokens[start + length] ?? '')) {
    said = (length === 1 && isArticle(tokens[start]) ? 1 : said) * 12;
    length += 1;
    unit = 'piece';
  }
  // "2 x Senfgurken", "2 mal"
  if (tokens[start + length] === 'x' || tokens[start + length] === 'mal') length += 1;
  let value = said;
  const reading = unit === null ? readUnit(tokens[start + length] ?? '') : null;
  if (reading !== null) {
    value = roundQuantity(said * reading.scale);
    unit = reading.unit;
    length += 1;
  }
  const articleOnly = count.length === 1 && isArticle(tokens[start]) && unit === null && length === 1;
  return { value, count: said, unit, length, articleOnly };
}

function roundQuantity(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** An amount of money read from `tokens[start]` on, in cents, and the tokens it took. */
export interface PriceReading {
  cents: number;
  length: number;
}

const TWO_DECIMALS = /^(\d+)[.,](\d{2})$/;
const ONE_DECIMAL = /^(\d+)[.,](\d)$/;

function eurosToCents(euros: number, cents: number): number {
  return Math.round(euros * 100) + cents;
}

// A cents part after "euro": "6 euro 50", "sechs euro fünfzig", "sechs euro fünfzig cent".
function readCentsAfterEuro(tokens: string[], start: number): { cents: number; length: number } {
  const value = numberValue(tokens[start] ?? '');
  if (value === null || !Number.isInteger(value) || value < 1 || value > 99 || readUnit(tokens[start + 1] ?? '') !== null) {
    return { cents: 0, length: 0 };
  }
  return { cents: value, length: CENT.has(tokens[start + 1] ?? '') ? 2 : 1 };
}

/**
 * Reads a price at `start`: "6,50" (two decimals), "6,50 euro", "euro 6,50", "6 euro 50",
 * "sechs euro fünfzig", "sechs fünfzig" (two number words, the second 10–99), "50 cent".
 * A bare integer is not a price; the caller decides that from context.
 */
export function readPrice(tokens: string[], start: number): PriceReading | null {
  const word = tokens[start];
  if (word === undefined) return null;
  if (CURRENCY.has(word)) {
    const amount = readAmount(tokens[start + 1] ?? '');
    return amount === null ? null : { cents: amount, length: 2 };
  }
  const decimals = TWO_DECIMALS.exec(word);
  const next = tokens[start + 1] ?? '';
  if (decimals) {
    return { cents: Number(decimals[1]) * 100 + Number(decimals[2]), length: CURRENCY.has(next) ? 2 : 1 };
  }
  const value = numberValue(word);
  if (value === null || word in FRACTIONS) return null;
  if (CURRENCY.has(next)) {
    const tail = readCentsAfterEuro(tokens, start + 2);
    return { cents: eurosToCents(value, tail.cents), length: 2 + tail.length };
  }
  if (CENT.has(next) && Number.isInteger(value)) return { cents: value, length: 2 };
  if (isArticle(word) || DIGITS.test(word) || !Number.isInteger(value) || value > 99) return null;
  const cents = numberValue(next);
  const spokenPrice = cents !== null && !DIGITS.test(next) && Number.isInteger(cents) && cents >= 10 && cents <= 99
    && readUnit(tokens[start + 2] ?? '') === null;
  return spokenPrice ? { cents: eurosToCents(value, cents), length: 2 } : null;
}

// "6,50", "6,5", "6" after a currency word.
function readAmount(word: string): number | null {
  const two = TWO_DECIMALS.exec(word);
  if (two) return Number(two[1]) * 100 + Number(two[2]);
  const one = ONE_DECIMAL.exec(word);
  if (one) return Number(one[1]) * 100 + Number(one[2]) * 10;
  const value = numberValue(word);
  return value === null || isArticle(word) ? null : Math.round(value * 100);
}

/** True when the token is written in digits ("15913", "1,5"). */
export function isNumeral(word: string): boolean {
  return DIGITS.test(word);
}
