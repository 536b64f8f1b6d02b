/**
 * Entity extraction over folded tokens: phone numbers, prices, postcodes and order codes,
 * places, producers, product mentions with their quantities, and the small word classes
 * (weekday, category, language, sold out).
 *
 * Postcode or order code, the rule for a five-digit number:
 *  1. the text says PLZ/Postleitzahl/wohne/zip/postcode/live → postcode (when plausible);
 *  2. else it talks about an order (Bestellung, Code, abgeholt, storniere, order, cancel …) → order code;
 *  3. else it asks about pickup or location (abholen, wo, where, near …) → postcode (when plausible);
 *  4. else it passes the Luhn check → order code (order codes carry a Luhn check digit);
 *  5. else a plausible German postcode → postcode.
 * Four and six digits are an order code under rule 2 or 4.
 */
import { orderCodeIsValid } from '../../catalog/order-code.ts';
import type { Category, Language, Unit } from '../../catalog/types.ts';
import type { Entities, ItemMention, VocabularyEntry } from './types.ts';
import { baseFold, foldUmlauts, normalizeText, tokenize } from './normalize.ts';
import { isNumeral, numberValue, readPrice, readQuantity, type QuantityReading } from './numbers.ts';
import { colognePhonetic } from './phonetic.ts';
import {
  editDistance, editLimit, matchSpan, matchToken, MIN_MENTION_SCORE, nameWords, settle, vocabularyIndex, wordKey,
  type ProductMatch, type VocabularyIndex,
} from './products.ts';
import { readUnit } from './units.ts';

/** The text as the extractors see it; `used` marks tokens an entity has taken. */
export interface Scan {
  /** Normalised words, umlauts kept (for the mention's text). */
  words: string[];
  /** Folded words (ae/oe/ue/ss). */
  tokens: string[];
  used: boolean[];
  /** Tokens inside a product mention of several words ("senf gurken"): not category words of their own. */
  inCompound: boolean[];
}

/** Creates a scan over normalised text. */
export function scanOf(normalized: string): Scan {
  const words = tokenize(normalized);
  return { words, tokens: words.map(foldUmlauts), used: words.map(() => false), inCompound: words.map(() => false) };
}

function markUsed(scan: Scan, start: number, length: number): void {
  for (let i = start; i < start + length; i += 1) scan.used[i] = true;
}

function hasAny(scan: Scan, words: ReadonlySet<string>): boolean {
  return scan.tokens.some((token) => words.has(token));
}

// ---------------------------------------------------------------- phone

const DIGIT_WORDS: Record<string, string> = {
  null: '0', eins: '1', zwei: '2', zwo: '2', drei: '3', vier: '4', fuenf: '5', sechs: '6', sieben: '7', acht: '8',
  neun: '9', zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7',
  eight: '8', nine: '9',
};

function toE164(digits: string): string | null {
  let international: string;
  if (digits.startsWith('+')) international = digits.slice(1);
  else if (digits.startsWith('00')) international = digits.slice(2);
  else if (digits.startsWith('0')) international = `49${digits.slice(1)}`;
  else return null;
  return /^[1-9]\d{7,14}$/.test(international) ? `+${international}` : null;
}

/** A phone number written in digit groups ("0151 1234567", "+49 151 …") or spoken digit by digit. */
function extractPhone(scan: Scan): string | null {
  const { tokens } = scan;
  for (let start = 0; start < tokens.length; start += 1) {
    const first = tokens[start];
    const spoken = DIGIT_WORDS[first] !== undefined;
    if (!/^(\+\d+|0\d*)$/.test(first) && !(spoken && (first === 'null' || first === 'zero'))) continue;
    let digits = '';
    let end = start;
    for (; end < tokens.length; end += 1) {
      const token = tokens[end];
      const part = spoken ? DIGIT_WORDS[token] : /^\+?\d+$/.test(token) && (end === start || !token.startsWith('+')) ? token : undefined;
      if (part === undefined || digits.replace('+', '').length + part.length > 15) break;
      digits += part;
    }
    if (digits.replace('+', '').length < 9) continue;
    markUsed(scan, start, end - start);
    return toE164(digits) ?? digits;
  }
  return null;
}

// ---------------------------------------------------------------- price

function extractPrice(scan: Scan): number | null {
  let priceCents: number | null = null;
  for (let i = 0; i < scan.tokens.length; i += 1) {
    if (scan.used[i]) continue;
    const price = readPrice(scan.tokens, i);
    // "1,50 kg" is a quantity with a unit, not a price.
    if (price === null || (price.length === 1 && readUnit(scan.tokens[i + 1] ?? '') !== null)) continue;
    markUsed(scan, i, price.length);
    priceCents ??= price.cents;
    i += price.length - 1;
  }
  return priceCents;
}

// ---------------------------------------------------------------- postcode and order code

const POSTCODE_WORDS = new Set(['plz', 'postleitzahl', 'wohne', 'wohnen', 'wohnt', 'zip', 'postcode', 'live', 'lives']);
const ORDER_WORDS = new Set([
  'bestellung', 'bestellnummer', 'auftrag', 'code', 'nummer', 'abgeholt', 'abholcode', 'storniere', 'stornieren',
  'storno', 'ausgegeben', 'erschienen', 'gekommen', 'order', 'cancel', 'picked', 'collected', 'number', 'bestellcode',
]);
const LOCATION_WORDS = new Set(['abholen', 'abholstelle', 'abholstellen', 'wo', 'where', 'naehe', 'near', 'nearest', 'naechste', 'in', 'bei']);
// Leading digits not given out as German postcode regions.
const UNUSED_POSTCODE_REGIONS = new Set(['00', '05', '43', '62']);

/** Five digits in a region German post uses. */
export function isPlausiblePostcode(digits: string): boolean {
  return /^\d{5}$/.test(digits) && !UNUSED_POSTCODE_REGIONS.has(digits.slice(0, 2));
}

function extractCodes(scan: Scan): { postcode: string | null; orderCode: string | null } {
  let postcode: string | null = null;
  let orderCode: string | null = null;
  const saysPostcode = hasAny(scan, POSTCODE_WORDS);
  const saysOrder = hasAny(scan, ORDER_WORDS);
  const saysLocation = hasAny(scan, LOCATION_WORDS);
  scan.tokens.forEach((token, i) => {
    if (scan.used[i] || !/^\d{4,6}$/.test(token) || readUnit(scan.tokens[i + 1] ?? '') !== null) return;
    const plausible = isPlausiblePostcode(token);
    let kind: 'postcode' | 'order' | null;
    if (plausible && saysPostcode) kind = 'postcode';
    else if (saysOrder) kind = 'order';
    else if (plausible && saysLocation) kind = 'postcode';
    else if (orderCodeIsValid(token)) kind = 'order';
    else kind = plausible ? 'postcode' : null;
    if (kind === 'postcode' && postcode === null) postcode = token;
    else if (kind === 'order' && orderCode === null) orderCode = token;
    else return;
    scan.used[i] = true;
  });
  return { postcode, orderCode };
}

// ---------------------------------------------------------------- places

interface PlaceIndex {
  exact: Map<string, string>;
  fuzzy: Array<{ key: string; sound: string; place: string }>;
  /** Words in the longest place name. */
  maxWords: number;
  /** Answers already found, for names and non-names alike. */
  memo: Map<string, string | null>;
}

const PLACE_MEMO_LIMIT = 5_000;

const placeIndexes = new WeakMap<string[], PlaceIndex>();

function placeKey(foldedWords: string[]): string {
  return baseFold(foldedWords.join(''));
}

function placeIndexOf(places: string[]): PlaceIndex {
  const cached = placeIndexes.get(places);
  if (cached) return cached;
  const index: PlaceIndex = { exact: new Map(), fuzzy: [], maxWords: 1, memo: new Map() };
  for (const place of places) {
    const words = nameWords(place);
    const key = placeKey(words);
    index.maxWords = Math.max(index.maxWords, words.length);
    index.exact.set(key, place);
    index.fuzzy.push({ key, sound: colognePhonetic(key), place });
  }
  placeIndexes.set(places, index);
  return index;
}

function findPlace(index: PlaceIndex, key: string, words: number): string | null {
  const exact = index.exact.get(key);
  if (exact !== undefined) return exact;
  // Short names ("Burg") are ordinary words too often to guess at; so are words run together
  // ("da bin" is no Duben, "ich wollte in" no Wollin): a misheard place is one word.
  if (key.length < 5 || words > 1) return null;
  const remembered = index.memo.get(key);
  if (remembered !== undefined) return remembered;
  const limit = editLimit(key.length);
  const sound = colognePhonetic(key);
  const found = index.fuzzy.find((candidate) => {
    const allowed = candidate.sound === sound ? limit + 1 : limit;
    return editDistance(key, candidate.key, allowed) <= allowed;
  });
  if (index.memo.size >= PLACE_MEMO_LIMIT) index.memo.clear();
  index.memo.set(key, found?.place ?? null);
  return found?.place ?? null;
}

// "Äpfel Elstar" is no town near Elster: a word of a product on offer is a place only after "in", "bei", "abholen".
function isProductWord(scan: Scan, start: number, span: string[], products: VocabularyIndex): boolean {
  return !LOCATION_WORDS.has(scan.tokens[start - 1] ?? '') && span.every((token) => products.byKey.has(wordKey(matchToken(token))));
}

function extractPlace(scan: Scan, places: string[], products: VocabularyIndex): string | null {
  if (places.length === 0) return null;
  const index = placeIndexOf(places);
  for (let start = 0; start < scan.tokens.length; start += 1) {
    for (let length = index.maxWords; length >= 1; length -= 1) {
      const span = scan.tokens.slice(start, start + length);
      const unusable = span.some((token, k) => scan.used[start + k] || isNumeral(token));
      // A single common word ("in", "neu") is never a place; inside a name ("Neu Zauche") it may be.
      if (span.length < length || unusable || (length === 1 && STOPWORDS.has(span[0])) || isProductWord(scan, start, span, products)) continue;
      const place = findPlace(index, placeKey(span), span.length);
      if (place !== null) {
        markUsed(scan, start, length);
        return place;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------- producers

function extractProducer(scan: Scan, index: VocabularyIndex): string | null {
  for (let i = 0; i < scan.tokens.length; i += 1) {
    if (scan.used[i]) continue;
    const producer = index.producers.get(wordKey(scan.tokens[i]));
    if (producer !== undefined) {
      scan.used[i] = true;
      return producer;
    }
  }
  return null;
}

// ---------------------------------------------------------------- word classes

const WEEKDAYS: Record<string, number> = {
  montag: 1, dienstag: 2, mittwoch: 3, donnerstag: 4, freitag: 5, samstag: 6, sonnabend: 6, sonntag: 7,
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};

function weekdayOf(token: string): number | null {
  const plain = token.endsWith('s') && !(token in WEEKDAYS) ? token.slice(0, -1) : token;
  return WEEKDAYS[plain] ?? null;
}

/** Every weekday named in a normalised text, in the order said ("Freitag nicht, geht Samstag?" → 5, 6). */
export function weekdaysIn(normalized: string): number[] {
  return normalized.split(' ').map(weekdayOf).filter((day): day is number => day !== null);
}

const CATEGORY_WORDS: Array<[Category, string[]]> = [
  ['pickles', ['gurken', 'gurke', 'sauregurken', 'pickles', 'gherkins', 'cucumbers']],
  ['oil', ['öl', 'öle', 'speiseöl', 'oil', 'oils']],
  ['dairy', ['milch', 'quark', 'käse', 'milchprodukte', 'molkerei', 'butter', 'dairy', 'cheese', 'milk']],
  ['condiments', ['meerrettich', 'senf', 'gewürze', 'condiments', 'mustard', 'horseradish']],
  ['potatoes', ['kartoffeln', 'kartoffel', 'erdäpfel', 'potatoes', 'potato']],
  ['eggs', ['eier', 'ei', 'eggs', 'egg']],
  ['honey', ['honig', 'honey']],
  ['fish', ['fisch', 'fische', 'fish']],
  ['meat', ['wurst', 'würste', 'fleisch', 'wurstwaren', 'meat', 'sausage', 'sausages']],
  ['bread', ['brot', 'brote', 'backwaren', 'bread']],
  ['fruit', ['obst', 'früchte', 'fruit', 'fruits']],
  ['vegetables', ['gemüse', 'vegetables', 'veg', 'veggies']],
  ['drinks', ['saft', 'säfte', 'getränke', 'getränk', 'drinks', 'juice', 'juices', 'beverages']],
];
const CATEGORY_BY_WORD = new Map<string, Category>();
for (const [category, words] of CATEGORY_WORDS) for (const word of words) CATEGORY_BY_WORD.set(foldUmlauts(word), category);
/** Words that name a product's kind without naming a category a customer browses by ("Grünkohl" is a vegetable). */
const PRODUCT_KIND_WORDS: Array<[Category, string[]]> = [
  ['vegetables', ['kohl', 'salat', 'möhre', 'möhren', 'zwiebel', 'zwiebeln', 'bete', 'kürbis', 'porree', 'lauch', 'spinat', 'bohnen', 'erbsen', 'radieschen', 'rüben', 'tomate', 'tomaten', 'sellerie', 'spargel', 'pilze', 'zucchini', 'beetroot', 'cabbage', 'kale', 'carrots', 'onions']],
  ['fruit', ['apfel', 'äpfel', 'birne', 'birnen', 'kirschen', 'pflaumen', 'beeren', 'erdbeeren', 'quitten']],
  ['meat', ['schinken', 'speck', 'knacker', 'huhn', 'hähnchen', 'braten']],
  ['fish', ['aal', 'zander', 'karpfen', 'forelle', 'hecht', 'wels']],
  ['bread', ['kuchen', 'brötchen', 'schrippen', 'schrippe', 'semmeln', 'semmel', 'rolls', 'mehl', 'plinsen']],
  ['dairy', ['joghurt', 'sahne', 'schmand', 'käse']],
  ['drinks', ['most', 'sirup', 'limonade']],
];
const KIND_BY_WORD = new Map<string, Category>(CATEGORY_BY_WORD);
for (const [category, words] of PRODUCT_KIND_WORDS) for (const word of words) KIND_BY_WORD.set(foldUmlauts(word), category);
/** Words that end compounds ("Lein|öl", "Wald|honig", "Grün|kohl"), longest first; short words like "ei" end too many. */
const COMPOUND_HEADS = [...KIND_BY_WORD.keys()].filter((word) => word.length >= 4 || word === 'oel' || word === 'aal').sort((a, b) => b.length - a.length);

/** The category a product's name says: a category word in it, or at the end of one of its compounds ("Leinöl" → oil). */
export function categoryOfName(name: string): Category | null {
  const tokens = tokenize(foldUmlauts(normalizeText(name)));
  for (const token of tokens) {
    const exact = KIND_BY_WORD.get(token);
    if (exact) return exact;
  }
  for (const token of [...tokens].reverse()) {
    const head = COMPOUND_HEADS.find((word) => token.endsWith(word));
    if (head) return KIND_BY_WORD.get(head)!;
  }
  return null;
}

const ASKING = new Set(['bitte', 'please', 'pls', 'plz']);
const LANGUAGE_WORDS: Record<string, Language> = {
  deutsch: 'de', german: 'de', deutsche: 'de', englisch: 'en', english: 'en', englische: 'en',
};

const SOLD_OUT_PHRASES = [
  /\bausverkauft\b/, /\b(nichts|keine?|keiner) (\w+ )?mehr( da| vorraetig)?\b/, /\b(sind|ist) (alle|weg|leer)\b/,
  /\bsold out\b/, /\bnone left\b/, /\bout of stock\b/, /\bvergriffen\b/, /\balle weg\b/, /\bnothing left\b/,
];

/** True when the text says something is sold out. */
export function saysSoldOut(folded: string): boolean {
  return SOLD_OUT_PHRASES.some((phrase) => phrase.test(folded));
}

// ---------------------------------------------------------------- product mentions

/** Words that are never part of a product's name: function words, verbs and cues of the intents. */
export const STOPWORDS = new Set([
  // German
  'ich', 'du', 'er', 'sie', 'es', 'wir', 'ihr', 'mir', 'mich', 'uns', 'euch', 'man', 'mein', 'meine', 'meinen',
  'meiner', 'dein', 'der', 'die', 'das', 'den', 'dem', 'des', 'und', 'oder', 'aber', 'auch', 'noch', 'nur', 'mal',
  'bitte', 'danke', 'gern', 'gerne', 'ja', 'nein', 'nee', 'ne', 'noe', 'doch', 'lieber', 'statt', 'stattdessen',
  'moechte', 'moechten', 'will', 'wollen', 'haette', 'haetten', 'haben', 'habe', 'hab', 'hat', 'habt', 'hast',
  'nehme', 'nehmen', 'nimm', 'gib', 'geben', 'brauche', 'brauchen', 'bestelle', 'bestellen', 'kaufen', 'kaufe',
  'mit', 'ohne', 'von', 'vom', 'aus', 'zu', 'zum', 'zur', 'fuer', 'auf', 'an', 'am', 'im', 'in', 'bei', 'nach',
  'ist', 'sind', 'war', 'wird', 'werden', 'gibt', 'gibts', 'es', 'was', 'wo', 'wann', 'wie', 'welche', 'welcher',
  'welches', 'viel', 'viele', 'mehr', 'weniger', 'alle', 'alles', 'nichts', 'kein', 'keine', 'keinen', 'keiner',
  'raus', 'heraus', 'weg', 'dazu', 'davon', 'jetzt', 'heute', 'morgen', 'woche', 'diese', 'dieser', 'diesen',
  'letzte', 'letzten', 'letztes', 'gleiche', 'dasselbe', 'immer', 'wieder', 'nochmal', 'so', 'da', 'hier', 'dann',
  'also', 'ok', 'okay', 'genau', 'hallo', 'moin', 'tag', 'guten', 'abholen', 'abgeholt', 'abholung', 'warenkorb',
  'korb', 'bestellung', 'bestellungen', 'fertig', 'wars', 'sowie', 'plus', 'frische', 'frischen', 'frischer',
  'frisches', 'schoene', 'gute', 'guter', 'gutes', 'leckere', 'leckeren', 'grosse', 'grosses', 'grossen', 'kleine',
  'kleines', 'kleinen', 'stueck', 'ausverkauft', 'preis', 'kostet', 'kosten', 'euro', 'cent', 'sagen', 'hilfe',
  'zurueck', 'abbrechen', 'stopp', 'erinnerung', 'erinnerungen', 'daten', 'loeschen', 'liste', 'vielleicht',
  'ein', 'eine', 'einen', 'einem', 'einer', 'paar', 'etwas', 'aendern', 'entfernen', 'streichen', 'nicht', 'neu',
  'neue', 'neuer', 'je', 'pro', 'insgesamt', 'wohne', 'mache', 'mach', 'machen', 'sein', 'soll', 'sollen',
  'kann', 'koennen', 'koennte', 'wuerde', 'denn', 'eigentlich', 'ihr', 'euer', 'eure', 'sonst', 'bisher',
  'lange', 'zeit', 'wollte', 'wollten', 'schon', 'gleich', 'bald', 'spaeter',
  // English
  'i', 'me', 'my', 'you', 'your', 'we', 'us', 'the', 'a', 'an', 'and', 'or', 'of', 'some', 'please', 'thanks',
  'would', 'like', 'want', 'take', 'add', 'get', 'give', 'need', 'have', 'has', 'do', 'does', 'any', 'is', 'are',
  'there', 'what', 'where', 'when', 'how', 'much', 'many', 'more', 'less', 'to', 'for', 'with', 'without', 'from',
  'it', 'make', 'instead', 'only', 'just', 'remove', 'also', 'too', 'yes', 'no', 'ok', 'order', 'cart', 'basket',
  'this', 'that', 'week', 'on', 'in', 'at', 'be', 'can', 'could', 'left', 'now', 'd', 'll', 's', 'm', 't', 'sea',
]);

// Words that may sit between a quantity and the product it belongs to.
const QUANTITY_FILLERS = new Set([
  'von', 'vom', 'of', 'der', 'die', 'das', 'dem', 'den', 'the', 'frische', 'frischen', 'frischer', 'frisches',
  'fresh', 'schoene', 'gute', 'guter', 'gutes', 'leckere', 'leckeren', 'grosse', 'grosses', 'grossen', 'kleine',
  'kleines', 'kleinen', 'nur', 'noch', 'jetzt', 'mal', 'davon', 'bitte', 'please', 'ist', 'sind', 'x', 'sea',
]);
// "Gurken mit Senf", "Honig aus dem Wald", "juice from apples": the second word names the kind.
const PARAPHRASE_LINKS = new Set(['mit', 'aus', 'vom', 'von', 'with', 'from']);
const LINK_ARTICLES = new Set(['dem', 'der', 'den', 'the']);

interface QuantitySpan {
  start: number;
  reading: QuantityReading;
  taken: boolean;
}

interface MentionSpan {
  start: number;
  end: number;
  matches: ProductMatch[];
}

function isContent(scan: Scan, i: number, quantityAt: Array<QuantitySpan | null>): boolean {
  const token = scan.tokens[i];
  return token !== undefined && !scan.used[i] && quantityAt[i] === null && !STOPWORDS.has(token)
    && numberValue(token) === null && readUnit(token) === null;
}

function bestSpan(scan: Scan, index: VocabularyIndex, start: number, quantityAt: Array<QuantitySpan | null>): MentionSpan | null {
  let best: MentionSpan | null = null;
  const consider = (end: number, matches: ProductMatch[]): void => {
    if (matches.length > 0 && (best === null || matches[0].score >= best.matches[0].score)) best = { start, end, matches };
  };
  const words: string[] = [];
  for (let end = start; end < start + 3 && isContent(scan, end, quantityAt); end += 1) {
    words.push(matchToken(scan.tokens[end]));
    consider(end + 1, matchSpan(index, words));
  }
  if (PARAPHRASE_LINKS.has(scan.tokens[start + 1] ?? '')) {
    const kind = LINK_ARTICLES.has(scan.tokens[start + 2] ?? '') ? start + 3 : start + 2;
    if (isContent(scan, kind, quantityAt)) {
      const reversed = matchSpan(index, [matchToken(scan.tokens[kind]), matchToken(scan.tokens[start])], true);
      if (reversed.length > 0 && (best === null || reversed[0].score > (best as MentionSpan).matches[0].score)) {
        best = { start, end: kind + 1, matches: reversed };
      }
    }
  }
  return best;
}

function readQuantities(scan: Scan): Array<QuantitySpan | null> {
  const quantityAt: Array<QuantitySpan | null> = scan.tokens.map(() => null);
  for (let i = 0; i < scan.tokens.length; i += 1) {
    if (scan.used[i]) continue;
    const reading = readQuantity(scan.tokens, i);
    if (reading === null) continue;
    const span: QuantitySpan = { start: i, reading, taken: false };
    for (let k = i; k < i + reading.length; k += 1) quantityAt[k] = span;
    i += reading.length - 1;
  }
  return quantityAt;
}

function skipFillers(scan: Scan, from: number, step: 1 | -1): number {
  let i = from;
  for (let skipped = 0; skipped < 3 && QUANTITY_FILLERS.has(scan.tokens[i] ?? ''); skipped += 1) i += step;
  return i;
}

// The quantity before a mention ("2 Gläser Senfgurken") or, failing that, right after it ("Quark 2 Stück").
function quantityFor(scan: Scan, mention: MentionSpan, quantityAt: Array<QuantitySpan | null>, mentionAt: boolean[]): QuantitySpan | null {
  const before = quantityAt[skipFillers(scan, mention.start - 1, -1)];
  if (before && !before.taken && before.start + before.reading.length <= mention.start) return before;
  const after = quantityAt[skipFillers(scan, mention.end, 1)];
  if (!after || after.taken || after.reading.articleOnly) return null;
  const next = skipFillers(scan, after.start + after.reading.length, 1);
  return mentionAt[next] ? null : after;
}

function extractItems(scan: Scan, index: VocabularyIndex, quantityAt: Array<QuantitySpan | null>, producer: string | null): ItemMention[] {
  const mentions: MentionSpan[] = [];
  for (let i = 0; i < scan.tokens.length; i += 1) {
    if (!isContent(scan, i, quantityAt)) continue;
    const mention = bestSpan(scan, index, i, quantityAt);
    if (mention === null || mention.matches[0].score < MIN_MENTION_SCORE) continue;
    mentions.push(mention);
    i = mention.end - 1;
  }
  const mentionAt = scan.tokens.map(() => false);
  for (const mention of mentions) mentionAt[mention.start] = true;
  return mentions.map((mention) => {
    const variant = variantFor(scan, mention, quantityAt, mentionAt, index);
    if (variant) variant.span.taken = true;
    const quantity = quantityFor(scan, mention, quantityAt, mentionAt);
    if (quantity) quantity.taken = true;
    markUsed(scan, mention.start, mention.end - mention.start);
    if (mention.end - mention.start > 1) scan.inCompound.fill(true, mention.start, mention.end);
    const matches = variant ? [variant.match] : mention.matches;
    return {
      text: scan.words.slice(mention.start, mention.end).join(' '),
      matches: settle(preferProducer(matches, index, producer)),
      // "10 Eier" names the pack of ten: one of it, unless an amount is said too ("2 Eier 10 Stück").
      quantity: quantity ? quantity.reading.value : variant ? 1 : null,
      unit: quantity ? quantity.reading.unit : null,
    };
  });
}

const VARIANT_UNITS = new Set<Unit | null>([null, 'piece', 'g', 'l']);

/**
 * "10 Eier", "Eier 10 Stück", "Quark 20 %", "ein halbes Dutzend Eier": a number next to a product
 * that is the number in exactly one of its offers' names chooses that offer; it is not an amount.
 */
function variantFor(
  scan: Scan, mention: MentionSpan, quantityAt: Array<QuantitySpan | null>, mentionAt: boolean[], index: VocabularyIndex,
): { match: ProductMatch; span: QuantitySpan } | null {
  const sides = [quantityAt[skipFillers(scan, mention.start - 1, -1)], quantityAt[skipFillers(scan, mention.end, 1)]];
  for (const span of sides) {
    if (!span || span.taken || span.reading.articleOnly || !VARIANT_UNITS.has(span.reading.unit)) continue;
    const said = span.reading.unit === 'g' || span.reading.unit === 'l' ? span.reading.count : span.reading.value;
    const fitting = mention.matches.filter((match) => index.namedNumbers.get(match.offerId)?.includes(said));
    // A number after the product belongs to it only when no other product follows ("Eier 10 Stück", not "Eier 3 Gurken").
    const after = span.start >= mention.end;
    if (fitting.length === 1 && (!after || !mentionAt[skipFillers(scan, span.start + span.reading.length, 1)])) {
      return { match: { ...fitting[0], score: Math.max(fitting[0].score, mention.matches[0].score) }, span };
    }
  }
  return null;
}

// A named producer ("Eier vom Hof Krüger") decides between equal offers of different producers.
const OTHER_PRODUCER_PENALTY = 0.1;

function preferProducer(matches: ProductMatch[], index: VocabularyIndex, producer: string | null): ProductMatch[] {
  if (producer === null) return matches;
  return matches
    .map((match) => (index.producerOfOffer.get(match.offerId) === producer ? match : { ...match, score: Math.max(0, match.score - OTHER_PRODUCER_PENALTY) }))
    .sort((a, b) => b.score - a.score);
}

// "die zweite", "the first one": a choice from a list read out, said as an ordinal.
const ORDINALS: Record<string, number> = {
  erste: 1, erstes: 1, ersten: 1, zweite: 2, zweites: 2, zweiten: 2, dritte: 3, drittes: 3, dritten: 3,
  vierte: 4, viertes: 4, vierten: 4, fuenfte: 5, fuenftes: 5, fuenften: 5,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5,
};

// The first number said that is not a price, code or phone: "drei", "1,5"; a lone article counts at the end ("nur eine").
function firstNumber(scan: Scan, quantityAt: Array<QuantitySpan | null>): number | null {
  for (let i = 0; i < scan.tokens.length; i += 1) {
    const span = quantityAt[i];
    // "the second one": after an ordinal, "one" is a pronoun.
    if (span === null || span.start !== i || (scan.tokens[i - 1] ?? '') in ORDINALS) continue;
    const atEnd = span.start + span.reading.length >= scan.tokens.length;
    if (!span.reading.articleOnly || atEnd) return span.reading.count;
  }
  const ordinal = scan.tokens.find((token) => token in ORDINALS);
  return ordinal === undefined ? null : ORDINALS[ordinal];
}

/** Everything the recogniser extracts from one text. */
export function extractEntities(scan: Scan, folded: string, vocabulary: VocabularyEntry[], places: string[]): Entities {
  const index = vocabularyIndex(vocabulary);
  const phone = extractPhone(scan);
  const priceCents = extractPrice(scan);
  const { postcode, orderCode } = extractCodes(scan);
  const place = extractPlace(scan, places, index);
  const producerName = extractProducer(scan, index);
  const quantityAt = readQuantities(scan);
  const number = firstNumber(scan, quantityAt);
  const items = extractItems(scan, index, quantityAt, producerName);
  let weekday: number | null = null;
  let category: Category | null = null;
  let language: Language | null = null;
  let missingKind: string | null = null;
  let askedFor = false;
  scan.tokens.forEach((token, i) => {
    weekday ??= weekdayOf(token);
    if (!scan.inCompound[i]) category ??= CATEGORY_BY_WORD.get(token) ?? null;
    // "Schrippen" when no rolls are on offer: a kind of product named, and nothing of this week matched it.
    if (!scan.used[i] && !scan.inCompound[i] && missingKind === null && !CATEGORY_BY_WORD.has(token) && KIND_BY_WORD.has(token)) {
      missingKind = scan.words[i];
    }
    // "I don't speak German. English please?": the language asked for is the one said with "please", else the last one named.
    const named = LANGUAGE_WORDS[token];
    if (named && (!askedFor || ASKING.has(scan.tokens[i + 1] ?? ''))) {
      language = named;
      askedFor = ASKING.has(scan.tokens[i + 1] ?? '');
    }
  });
  if (missingKind !== null) category ??= KIND_BY_WORD.get(foldUmlauts(missingKind)) ?? null;
  return {
    items, number, priceCents, postcode, place, orderCode, weekday, category, producerName, language,
    soldOut: saysSoldOut(folded), phone, missingKind,
  };
}

