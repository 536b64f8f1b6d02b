/**
 * Producers' weekly stock posts, one product per line, as they type them:
 *   Senfgurken 40 Glas 3,50
 *   Leinöl 250 ml, 20 Flaschen à 6,90 €
 *   Kartoffeln festkochend: 200 kg, 1,20 €/kg
 *   Eier 30 x 10er Packung je 3,80
 *   Quark 500g 25 Stück 2,20
 *   Honig 12 Gläser a 6,50 EUR
 * A weight or volume beside a counted unit is the pack size ("250 ml", "500 g"), as is "10er".
 */
import type { Unit } from '../../catalog/types.ts';
import type { StockLine } from './types.ts';
import { foldUmlauts } from './normalize.ts';
import { readUnit, type UnitReading } from './units.ts';

interface Lexeme {
  kind: 'number' | 'word' | 'symbol';
  text: string;
  start: number;
  end: number;
}

const LEXEME = /(\d+(?:[.,]\d+)?)|([\p{L}]+\.?)|([€@×/x])/gu;
const CURRENCY = new Set(['€', 'eur', 'euro', 'euros']);
const PRICE_MARKERS = new Set(['à', 'a', 'á', 'je', 'zu', 'für', 'fuer', '@', 'pro', 'preis']);
const TIMES = new Set(['x', '×']);
const COUNTED: ReadonlySet<Unit> = new Set(['piece', 'jar', 'bottle', 'bunch', 'bag', 'pack']);
const BULLET = /^\s*(?:[-*•–·>]+|\d+[.)])\s+/;
const SEPARATOR_LINE = /^[\s\-=*_~.#]*$/;
// A bare integer at the end of a line is taken for a price only when it is a plausible one.
const MAX_BARE_PRICE_EUROS = 99;

function lex(line: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  for (const match of line.matchAll(LEXEME)) {
    const kind = match[1] !== undefined ? 'number' : match[2] !== undefined ? 'word' : 'symbol';
    lexemes.push({ kind, text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return lexemes;
}

// "6 Euro 50" is one price, 6,50 €.
function joinEuroAndCents(lexemes: Lexeme[]): Lexeme[] {
  const joined: Lexeme[] = [];
  for (let i = 0; i < lexemes.length; i += 1) {
    const [euros, currency, cents] = [lexemes[i], lexemes[i + 1], lexemes[i + 2]];
    if (euros.kind === 'number' && /^\d+$/.test(euros.text) && CURRENCY.has(lower(currency)) && cents?.kind === 'number' && /^\d{2}$/.test(cents.text)) {
      joined.push({ kind: 'number', text: `${euros.text},${cents.text}`, start: euros.start, end: cents.end });
      joined.push({ kind: 'word', text: '€', start: cents.end, end: cents.end });
      i += 2;
    } else joined.push(euros);
  }
  return joined;
}

function unitOf(lexeme: Lexeme | undefined): UnitReading | null {
  if (lexeme === undefined || lexeme.kind !== 'word') return null;
  return readUnit(foldUmlauts(lexeme.text.toLowerCase().replace(/\.$/, '')));
}

function lower(lexeme: Lexeme | undefined): string {
  return lexeme === undefined ? '' : lexeme.text.toLowerCase();
}

function toNumber(text: string): number {
  return Number(text.replace(',', '.'));
}

function toCents(text: string): number {
  return Math.round(toNumber(text) * 100);
}

// The price: a number with a currency beside it beats one after "à/je/zu", which beats one with two decimals.
function findPrice(lexemes: Lexeme[]): number {
  let best = -1;
  let bestRank = 0;
  lexemes.forEach((lexeme, i) => {
    if (lexeme.kind !== 'number') return;
    const before = lower(lexemes[i - 1]);
    let rank = 0;
    if (CURRENCY.has(lower(lexemes[i + 1])) || CURRENCY.has(before)) rank = 3;
    else if (PRICE_MARKERS.has(before)) rank = 2;
    else if (/[.,]\d{2}$/.test(lexeme.text) && unitOf(lexemes[i + 1]) === null) rank = 1;
    if (rank > 0 && rank >= bestRank) {
      best = i;
      bestRank = rank;
    }
  });
  return best;
}

interface Reading {
  quantity: number;
  unit: Unit;
  /** False when no unit word was written ("nur noch 20"): the unit is then a guess. */
  unitGiven: boolean;
  packSize: string | null;
  /** Index of the last lexeme the quantity took. */
  end: number;
}

function measureText(number: Lexeme, unit: Lexeme): string {
  return `${number.text} ${unit.text.replace(/\.$/, '')}`;
}

type Part =
  | { kind: 'pack'; index: number; text: string }
  | { kind: 'times'; index: number; value: number }
  | { kind: 'measure'; index: number; value: number; unit: UnitReading; counted: boolean; text: string }
  | { kind: 'bare'; index: number; value: number };

// Classifies every number that is not the price: "10er", "30 x", "40 Glas", "500 g", "25".
function partsOf(lexemes: Lexeme[], price: number): Part[] {
  const parts: Part[] = [];
  lexemes.forEach((lexeme, index) => {
    if (index === price || lexeme.kind !== 'number') return;
    const next = lexemes[index + 1];
    const value = toNumber(lexeme.text);
    const unit = unitOf(next);
    if (lower(next) === 'er' && next?.start === lexeme.end) parts.push({ kind: 'pack', index, text: `${lexeme.text}er` });
    else if (TIMES.has(lower(next))) parts.push({ kind: 'times', index, value });
    else if (unit !== null) {
      const counted = unit.scale === 1 && COUNTED.has(unit.unit);
      parts.push({ kind: 'measure', index, value, unit, counted, text: measureText(lexeme, next!) });
    } else parts.push({ kind: 'bare', index, value });
  });
  return parts;
}

// The counted unit named after a count ("30 x 10er Packung" → pack), else piece.
function countedUnitAfter(lexemes: Lexeme[], from: number, price: number): { unit: Unit; index: number; given: boolean } {
  for (let i = from; i < lexemes.length && i !== price; i += 1) {
    const unit = unitOf(lexemes[i]);
    if (unit !== null && unit.scale === 1 && COUNTED.has(unit.unit)) return { unit: unit.unit, index: i, given: true };
  }
  return { unit: 'piece', index: from - 1, given: false };
}

function partEnd(part: Part | undefined): number {
  if (part === undefined) return -1;
  return part.kind === 'bare' ? part.index : part.index + 1;
}

// Reads the quantity, unit and pack size from the numbers that are not the price.
function readAmount(lexemes: Lexeme[], price: number): Reading | null {
  const parts = partsOf(lexemes, price);
  const find = <K extends Part['kind']>(kind: K, test: (part: Extract<Part, { kind: K }>) => boolean = () => true) =>
    parts.find((part): part is Extract<Part, { kind: K }> => part.kind === kind && test(part as Extract<Part, { kind: K }>));
  const pack = find('pack');
  const weighed = (after: number) => find('measure', (part) => !part.counted && part.index > after);
  const result = (quantity: number, unit: Unit, packPart: Part | undefined, ...used: Array<Part | number | undefined>): Reading => ({
    quantity, unit, unitGiven: true,
    packSize: packPart === undefined ? null : packPart.kind === 'pack' || packPart.kind === 'measure' ? packPart.text : null,
    end: Math.max(...used.map((part) => (typeof part === 'number' ? part : partEnd(part))), partEnd(packPart)),
  });

  const times = find('times');
  if (times) {
    const counted = countedUnitAfter(lexemes, times.index + 2, price);
    return result(times.value, counted.unit, pack ?? weighed(times.index), times, counted.index);
  }
  const count = find('measure', (part) => part.counted);
  if (count) return result(count.value, count.unit.unit, pack ?? weighed(-1), count);
  const measure = find('measure');
  const bare = find('bare', (part) => measure === undefined || part.index > measure.index);
  if (bare) {
    const counted = countedUnitAfter(lexemes, bare.index + 1, price);
    return { ...result(bare.value, counted.unit, pack ?? measure, bare, counted.index), unitGiven: counted.given || pack !== undefined };
  }
  if (measure) return result(round(measure.value * measure.unit.scale), measure.unit.unit, pack, measure);
  return null;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// The product's name: the words before the first number, else the words between quantity and price.
function readName(line: string, lexemes: Lexeme[], reading: Reading | null, price: number): string {
  const firstNumber = lexemes.findIndex((lexeme) => lexeme.kind === 'number');
  const head = line.slice(0, firstNumber < 0 ? line.length : lexemes[firstNumber].start);
  const name = cleanName(head);
  if (name !== '' || reading === null) return name;
  const from = lexemes[reading.end]?.end ?? line.length;
  const to = price >= 0 && price > reading.end ? lexemes[price].start : line.length;
  return cleanName(line.slice(from, to).replace(/(?:^|\s)(?:à|á|a|je|zu|für|fuer)\s*$/iu, ''));
}

function cleanName(text: string): string {
  const name = text.replace(/[\s:;,–\-=(]+$/u, '').replace(/^[\s:;,–\-]+/u, '').replace(/\s+/g, ' ');
  return /\p{L}/u.test(name) ? name : '';
}

/** What one piece of a stock post says, as far as it says it: a change names a product and a quantity or a price. */
export interface PieceReading {
  /** The product's name as written; '' when the piece names none. */
  name: string;
  quantity: number | null;
  /** The unit as written; null when no unit word was given ("Eier doch nur 20"). */
  unit: Unit | null;
  priceCents: number | null;
  /** "250 ml", "10er": the size of one unit, not how many. */
  packSize: string | null;
  /** How many numbers the piece holds. */
  numbers: number;
}

// "6,-" and "6.-" are six euros.
const EVEN_EUROS = /(\d+)[,.]-+(?=\s|$|[€/])/g;

/** Reads quantity, unit, price and name from one piece of a post, whatever of them it has. */
export function readPiece(raw: string): PieceReading {
  const line = raw.replace(BULLET, '').replace(EVEN_EUROS, '$1,00 €');
  const lexemes = joinEuroAndCents(lex(line));
  const numbers = lexemes.filter((lexeme) => lexeme.kind === 'number').length;
  if (numbers === 0) return { name: cleanName(line), quantity: null, unit: null, priceCents: null, packSize: null, numbers };
  let price = findPrice(lexemes);
  const reading = readAmount(lexemes, price);
  if (reading !== null && price < 0) price = bareTrailingPrice(lexemes, reading);
  return {
    name: readName(line, lexemes, reading, price),
    quantity: reading?.quantity ?? null,
    unit: reading === null || !reading.unitGiven ? null : reading.unit,
    priceCents: price >= 0 ? toCents(lexemes[price].text) : null,
    packSize: reading?.packSize ?? null,
    numbers,
  };
}

/** Reads one line of a stock post as a complete new offer: name, quantity and price. */
export function parseStockLine(raw: string, lineNumber: number): StockLine {
  const fail = (reason: 'no_quantity' | 'no_price' | 'no_name' | 'unreadable'): StockLine => ({ ok: false, raw, lineNumber, reason });
  const piece = readPiece(raw);
  if (piece.numbers === 0) {
    const words = lex(raw).filter((lexeme) => lexeme.kind === 'word').length;
    // A short line of words is a product without a quantity; a long one is prose.
    return fail(words > 0 && words <= 4 ? 'no_quantity' : 'unreadable');
  }
  if (piece.quantity === null) return fail(piece.priceCents !== null ? 'no_quantity' : 'unreadable');
  if (piece.name === '') return fail('no_name');
  if (piece.priceCents === null) return fail('no_price');
  return {
    ok: true, raw, lineNumber, productName: piece.name, quantity: piece.quantity, unit: piece.unit ?? 'piece',
    priceCents: piece.priceCents, packSize: piece.packSize,
  };
}

// "Eier 30 Packungen 4": one more small number after the quantity is its price in euros.
function bareTrailingPrice(lexemes: Lexeme[], reading: Reading): number {
  const numbers = lexemes.map((lexeme, i) => (lexeme.kind === 'number' && i > reading.end ? i : -1)).filter((i) => i >= 0);
  if (numbers.length !== 1) return -1;
  return toNumber(lexemes[numbers[0]].text) <= MAX_BARE_PRICE_EUROS ? numbers[0] : -1;
}

/** Reads a producer's stock post, one product per line; blank and separator lines are skipped. */
export function parseStockPost(text: string): StockLine[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ raw: raw.trim(), lineNumber: i + 1 }))
    .filter(({ raw }) => !SEPARATOR_LINE.test(raw))
    .map(({ raw, lineNumber }) => parseStockLine(raw, lineNumber));
}
