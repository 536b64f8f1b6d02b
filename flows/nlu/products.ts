/**
 * Product mentions matched against this week's vocabulary.
 *
 * A mention meets an offer by, in order of strength: the same compact name ("Senf Gurken",
 * "senfgurke" → Senfgurken), all of the name's words in any order ("festkochende Kartoffeln"),
 * part of its words ("Kartoffeln" → both kinds), the compound's head ("Honig" → Blütenhonig and
 * Waldhonig) or modifier ("Dill" → Dillgurken), and last a typo or speech error (Damerau-
 * Levenshtein with a length-scaled limit, one more edit allowed when Kölner Phonetik agrees).
 * The indexes are built once per vocabulary array and kept in a WeakMap.
 */
import type { VocabularyEntry } from './types.ts';
import { baseFold, foldUmlauts, tokenize } from './normalize.ts';
import { colognePhonetic } from './phonetic.ts';

/** One scored candidate for a mention. */
export interface ProductMatch {
  offerId: number;
  productName: string;
  score: number;
}

const SCORE = {
  exact: 1,
  reversed: 0.95,
  partialBase: 0.6,
  partialSpan: 0.3,
  head: 0.7,
  modifier: 0.6,
  fuzzyBase: 0.85,
  fuzzyPerEdit: 0.1,
  soundsAlike: 0.05,
} as const;
/** Below this a candidate is not a mention at all. */
export const MIN_MENTION_SCORE = 0.55;
/** The best match is unambiguous when it beats the second by at least this. */
export const CLEAR_LEAD = 0.1;
const MAX_MATCHES = 4;
const SCORE_TOLERANCE = 1e-9;
/** Words this long or shorter are matched without edits (see `editLimit`). */
const SHORT_WORD = 4;

/** Strips German inflection endings from a base-folded word: "gurken"/"gurke" → "gurk", "eier" → "ei". */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('sse')) return word.slice(0, -2);
  for (const ending of ['ern', 'en', 'er', 'e', 'n']) {
    if (word.endsWith(ending) && word.length - ending.length >= 2) return word.slice(0, -ending.length);
  }
  return word;
}

/** The key under which a word is compared: folded, base vowels, inflection stripped. */
export function wordKey(foldedWord: string): string {
  return stem(baseFold(foldedWord));
}

// Base words of food compounds: a mention of one names every offer whose name ends in it.
const HEAD_WORDS = [
  'gurke', 'honig', 'wurst', 'saft', 'öl', 'quark', 'kartoffel', 'brot', 'brötchen', 'aal', 'käse', 'fisch',
  'fleisch', 'milch', 'butter', 'senf', 'meerrettich', 'apfel', 'birne', 'ei', 'kürbis', 'zwiebel', 'möhre',
  'kohl', 'salat', 'tomate', 'bohne', 'erbse', 'marmelade', 'konfitüre', 'likör', 'bier', 'wein', 'schinken',
  'speck', 'knacker', 'sülze', 'kuchen', 'plinse', 'mehl', 'nudel', 'hering', 'karpfen', 'zander', 'hecht',
  'forelle', 'schmalz', 'gelee', 'sirup', 'tee', 'leber', 'rettich', 'beere', 'kraut', 'rübe', 'lauch',
].map((word) => wordKey(foldUmlauts(word)));

// English product words people use, put into the German words the vocabulary is written in.
const ENGLISH_WORDS: Record<string, string> = {
  pickle: 'gurken', pickles: 'gurken', gherkin: 'gurken', gherkins: 'gurken', cucumber: 'gurken', cucumbers: 'gurken',
  mustard: 'senf', salt: 'salz', salted: 'salz', garlic: 'knoblauch', spiced: 'gewuerz', spicy: 'gewuerz',
  linseed: 'lein', flaxseed: 'lein', flax: 'lein', oil: 'oel', honey: 'honig', flower: 'blueten', blossom: 'blueten',
  forest: 'wald', potato: 'kartoffeln', potatoes: 'kartoffeln', waxy: 'festkochend', floury: 'mehligkochend',
  egg: 'eier', eggs: 'eier', curd: 'quark', horseradish: 'meerrettich', cream: 'sahne', creamed: 'sahne',
  smoked: 'raeucher', eel: 'aal', carp: 'karpfen', pike: 'hecht', pikeperch: 'zander', sausage: 'wurst',
  sausages: 'wurst', liver: 'leber', bread: 'brot', farmhouse: 'bauern', farmer: 'bauern', apple: 'aepfel',
  apples: 'aepfel', pear: 'birnen', pears: 'birnen', carrot: 'moehren', carrots: 'moehren', onion: 'zwiebeln',
  onions: 'zwiebeln', pumpkin: 'kuerbis', pumpkins: 'kuerbis', squash: 'kuerbis', juice: 'saft', buckthorn: 'sanddorn',
  cheese: 'kaese', milk: 'milch', pancakes: 'plinsen', pancake: 'plinsen', fish: 'fisch',
};

// Regional and everyday German names, put into the words producers write on their offers.
const GERMAN_SYNONYMS: Record<string, string> = {
  erdaepfel: 'kartoffeln', erdaeppel: 'kartoffeln', erdapfel: 'kartoffeln', grumbeern: 'kartoffeln', knollen: 'kartoffeln',
  karotte: 'moehren', karotten: 'moehren', mohrruebe: 'moehren', mohrrueben: 'moehren', moehrchen: 'moehren',
  topfen: 'quark', weisskaese: 'quark', rahm: 'sahne',
};

/** The folded token a product matcher compares: English food words and regional names become the offer's German word. */
export function matchToken(foldedWord: string): string {
  return ENGLISH_WORDS[foldedWord] ?? GERMAN_SYNONYMS[foldedWord] ?? foldedWord;
}

interface IndexedOffer {
  entry: VocabularyEntry;
  /** Word keys of the name. */
  keys: string[];
}

interface FuzzyTarget {
  text: string;
  sound: string;
  offer: IndexedOffer;
  /** Share of the offer's name this target covers. */
  coverage: number;
}

/** Indexes over one vocabulary. */
export interface VocabularyIndex {
  byCompact: Map<string, IndexedOffer[]>;
  byKey: Map<string, IndexedOffer[]>;
  byHead: Map<string, IndexedOffer[]>;
  byModifier: Map<string, IndexedOffer[]>;
  fuzzy: FuzzyTarget[];
  /** Distinctive producer-name words → producer name. */
  producers: Map<string, string>;
  producerOfOffer: Map<number, string>;
  /** The numbers in an offer's name ("Eier 10 Stück" → 10, "Speisequark 20 %" → 20): a size or variant, not an amount. */
  namedNumbers: Map<number, number[]>;
  /** Memo of span lookups: people name the same products again and again. */
  memo: Map<string, ProductMatch[]>;
}

const MEMO_LIMIT = 5_000;
const indexes = new WeakMap<VocabularyEntry[], VocabularyIndex>();

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** The folded words of a name from the vocabulary ("Spreewälder Leberwurst" → ["spreewaelder", "leberwurst"]). */
export function nameWords(name: string): string[] {
  return tokenize(foldUmlauts(name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()));
}

/** The compact key of a run of words: all but the last as written, the last stemmed ("senf gurken" → "senfgurk"). */
export function compactKey(foldedWords: string[]): string {
  const based = foldedWords.map(baseFold);
  return based.slice(0, -1).join('') + stem(based[based.length - 1] ?? '');
}

// Words in producer names that do not tell one producer from another.
const GENERIC_PRODUCER_WORDS = new Set([
  'hof', 'hofladen', 'spreewald', 'spreewalder', 'familie', 'gmbh', 'gbr', 'ek', 'und', 'der', 'die', 'das',
  'am', 'an', 'im', 'in', 'zum', 'zur', 'von', 'vom', 'bio', 'biohof', 'landwirtschaft', 'agrar', 'bauernhof',
].map(wordKey));

function indexProducers(vocabulary: VocabularyEntry[]): Map<string, string> {
  const owners = new Map<string, Set<string>>();
  for (const { producerName } of vocabulary) {
    const words = nameWords(producerName);
    for (const key of [...words.map(wordKey), words.map(baseFold).join('')]) {
      if (key.length < 4 || GENERIC_PRODUCER_WORDS.has(key)) continue;
      const set = owners.get(key) ?? new Set<string>();
      set.add(producerName);
      owners.set(key, set);
    }
  }
  const producers = new Map<string, string>();
  for (const [key, names] of owners) if (names.size === 1) producers.set(key, [...names][0]);
  return producers;
}

function numbersInName(name: string): number[] {
  return nameWords(name).filter((word) => /^\d+(?:[.,]\d+)?$/.test(word)).map((word) => Number(word.replace(',', '.')));
}

/** The indexes for a vocabulary, built on first use and cached by the array's identity. */
export function vocabularyIndex(vocabulary: VocabularyEntry[]): VocabularyIndex {
  const cached = indexes.get(vocabulary);
  if (cached) return cached;
  const index: VocabularyIndex = {
    byCompact: new Map(), byKey: new Map(), byHead: new Map(), byModifier: new Map(), fuzzy: [],
    producers: indexProducers(vocabulary), memo: new Map(),
    producerOfOffer: new Map(vocabulary.map((entry) => [entry.offerId, entry.producerName])),
    namedNumbers: new Map(vocabulary.map((entry) => [entry.offerId, numbersInName(entry.productName)])),
  };
  const heads = new Set(HEAD_WORDS);
  for (const entry of vocabulary) {
    const words = nameWords(entry.productName);
    if (words.length === 1) heads.add(wordKey(words[0]));
  }
  for (const entry of vocabulary) {
    const words = nameWords(entry.productName);
    const offer: IndexedOffer = { entry, keys: words.map(wordKey) };
    const compact = compactKey(words);
    push(index.byCompact, compact, offer);
    index.fuzzy.push({ text: compact, sound: colognePhonetic(compact), offer, coverage: 1 });
    for (const key of offer.keys) {
      push(index.byKey, key, offer);
      if (offer.keys.length > 1) index.fuzzy.push({ text: key, sound: colognePhonetic(key), offer, coverage: 1 / offer.keys.length });
      for (const head of heads) {
        if (key.length - head.length < 3 || !key.endsWith(head)) continue;
        push(index.byHead, head, offer);
        const modifier = key.slice(0, -head.length);
        if (modifier.length >= 4) {
          push(index.byModifier, modifier, offer);
          push(index.byModifier, stem(modifier), offer);
        }
      }
    }
  }
  indexes.set(vocabulary, index);
  return index;
}

// Three rows reused across calls: the recogniser runs thousands of comparisons a second.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Damerau-Levenshtein distance (optimal string alignment), giving up once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (b.length + 1 > rows[0].length) rows = rows.map(() => new Int32Array(b.length + 1));
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, before[j - 2] + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

/** How many edits a word of this length may carry and still be recognised. */
export function editLimit(length: number): number {
  // Four letters and fewer: one edit turns too many words into others ("bitte" → "butter").
  if (length <= SHORT_WORD) return 0;
  if (length <= 7) return 1;
  if (length <= 12) return 2;
  return 3;
}

function addScore(scores: Map<IndexedOffer, number>, offers: IndexedOffer[] | undefined, score: number): void {
  for (const offer of offers ?? []) if ((scores.get(offer) ?? 0) < score) scores.set(offer, score);
}

function scoreByWords(scores: Map<IndexedOffer, number>, index: VocabularyIndex, keys: string[]): void {
  const candidates = index.byKey.get(keys[0]);
  for (const offer of candidates ?? []) {
    if (!keys.every((key) => offer.keys.includes(key))) continue;
    const covered = new Set(keys).size / offer.keys.length;
    addScore(scores, [offer], covered >= 1 ? SCORE.exact : SCORE.partialBase + SCORE.partialSpan * covered);
  }
}

function scoreFuzzy(scores: Map<IndexedOffer, number>, index: VocabularyIndex, compact: string): void {
  if (compact.length < 4) return;
  const limit = editLimit(compact.length);
  const sound = colognePhonetic(compact);
  for (const target of index.fuzzy) {
    const soundsAlike = target.sound === sound && (compact.length > SHORT_WORD || vowelsOf(compact) === vowelsOf(target.text));
    const allowed = soundsAlike ? limit + 1 : limit;
    const distance = editDistance(compact, target.text, allowed);
    if (distance > allowed) continue;
    const score = (SCORE.fuzzyBase - SCORE.fuzzyPerEdit * distance + (soundsAlike ? SCORE.soundsAlike : 0))
      * (target.coverage >= 1 ? 1 : (SCORE.partialBase + SCORE.partialSpan * target.coverage) / SCORE.exact);
    addScore(scores, [target.offer], score);
  }
}

// Kölner Phonetik ignores vowels; in a short word a vowel is too much of the word to ignore ("bitte" is not "Butter").
function vowelsOf(word: string): string {
  return word.replace(/[^aeiouy]/g, '');
}

function ranked(scores: Map<IndexedOffer, number>): ProductMatch[] {
  const matches = [...scores]
    .filter(([, score]) => score >= MIN_MENTION_SCORE)
    .map(([offer, score]) => ({ offerId: offer.entry.offerId, productName: offer.entry.productName, score: round(score) }))
    .sort((a, b) => b.score - a.score || a.productName.localeCompare(b.productName, 'de') || a.offerId - b.offerId);
  return matches.slice(0, MAX_MATCHES);
}

function round(score: number): number {
  return Math.round(Math.min(score, 1) * 1000) / 1000;
}

/**
 * Scores a run of folded words (already through `matchToken`) against the vocabulary.
 * `reversed` marks a paraphrase read backwards ("Gurken mit Senf" → "senf gurken").
 */
export function matchSpan(index: VocabularyIndex, foldedWords: string[], reversed = false): ProductMatch[] {
  const memoKey = (reversed ? '<' : '') + foldedWords.join(' ');
  const remembered = index.memo.get(memoKey);
  if (remembered) return remembered;
  const scores = new Map<IndexedOffer, number>();
  const compact = compactKey(foldedWords);
  const keys = foldedWords.map(wordKey);
  addScore(scores, index.byCompact.get(compact), reversed ? SCORE.reversed : SCORE.exact);
  if (!reversed) scoreByWords(scores, index, keys);
  if (foldedWords.length === 1) {
    addScore(scores, index.byHead.get(keys[0]), SCORE.head);
    addScore(scores, index.byModifier.get(keys[0]), SCORE.modifier);
  }
  if (scores.size === 0) scoreFuzzy(scores, index, compact);
  const matches = ranked(scores);
  if (index.memo.size >= MEMO_LIMIT) index.memo.clear();
  index.memo.set(memoKey, matches);
  return matches;
}

/**
 * True when a product's name contains every word of a mention, as a word or inside a compound
 * ("gurken" fits Senfgurken, "honig" Waldhonig): how a correction finds its line among a few in the basket.
 */
export function nameContains(productName: string, mentionText: string): boolean {
  const name = compactKey(nameWords(productName));
  const words = nameWords(mentionText).map((word) => wordKey(matchToken(word)));
  return words.length > 0 && words.every((key) => key.length >= 3 && name.includes(key));
}

/** Keeps the best match alone when it clearly leads; otherwise every close candidate, up to 4. */
export function settle(matches: ProductMatch[]): ProductMatch[] {
  if (matches.length <= 1) return matches;
  const [best, second] = matches;
  // Scores are sums of tenths: compare with a tolerance for binary fractions.
  if (best.score - second.score >= CLEAR_LEAD - SCORE_TOLERANCE) return [best];
  return matches.filter((match) => best.score - match.score < CLEAR_LEAD - SCORE_TOLERANCE);
}
