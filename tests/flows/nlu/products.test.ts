import { describe, expect, it } from 'vitest';
import { foldUmlauts, normalizeText, tokenize } from '../../../flows/nlu/normalize.ts';
import {
  compactKey, editDistance, editLimit, matchSpan, matchToken, settle, stem, vocabularyIndex,
} from '../../../flows/nlu/products.ts';
import type { VocabularyEntry } from '../../../flows/nlu/types.ts';
import { DEMO_VOCABULARY } from './demo-vocabulary.ts';

const index = vocabularyIndex(DEMO_VOCABULARY);
const names = (text: string) =>
  settle(matchSpan(index, tokenize(foldUmlauts(normalizeText(text))).map(matchToken))).map((match) => match.productName);

describe('stem', () => {
  it.each([
    ['gurken', 'gurk'], ['gurke', 'gurk'], ['eier', 'ei'], ['ei', 'ei'], ['kartoffeln', 'kartoffel'],
    ['zwiebeln', 'zwiebel'], ['kurbisse', 'kurbis'], ['brote', 'brot'], ['honig', 'honig'],
  ])('%s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('joins the words of a compound with the last one stemmed', () => {
    expect(compactKey(['senf', 'gurken'])).toBe(compactKey(['senfgurke']));
  });
});

describe('matchSpan', () => {
  it.each([
    ['Senfgurken', 'Senfgurken'], ['senfgurke', 'Senfgurken'], ['Senf Gurken', 'Senfgurken'], ['SENFGURKEN', 'Senfgurken'],
    ['Ei', 'Eier'], ['Eier', 'Eier'], ['Aepfel', 'Äpfel'], ['Apfel', 'Äpfel'], ['Möhre', 'Möhren'], ['Kürbisse', 'Kürbis'],
    ['festkochende Kartoffeln', 'Kartoffeln festkochend'], ['Leberwurst', 'Spreewälder Leberwurst'],
    ['Weisskohl', 'Weißkohl'], ['Dill', 'Dillgurken'], ['Räucher Aal', 'Räucheraal'],
  ])('"%s" names %s', (text, product) => {
    expect(names(text)).toEqual([product]);
  });

  it.each([
    ['Senfgurkn', 'Senfgurken'], ['Meerettich', 'Meerrettich'], ['Mehrrettich', 'Meerrettich'], ['Sander', 'Zander'],
    ['Qaurk', 'Quark'], ['Sanddornsaf', 'Sanddornsaft'], ['Blütenhonich', 'Blütenhonig'],
  ])('forgives the typo or speech error "%s" for %s', (text, product) => {
    expect(names(text)).toEqual([product]);
  });

  it('is ambiguous when a compound head names several offers', () => {
    expect(names('Honig').sort()).toEqual(['Blütenhonig', 'Waldhonig']);
    expect(names('Kartoffeln').sort()).toEqual(['Kartoffeln festkochend', 'Kartoffeln mehligkochend']);
  });

  it('returns at most four candidates, best first', () => {
    const matches = matchSpan(index, ['gurken']);
    expect(matches.length).toBe(4);
    expect(matches.map((match) => match.score)).toEqual([...matches.map((match) => match.score)].sort((a, b) => b - a));
  });

  it('prefers the exact name over a compound that contains it', () => {
    expect(names('Quark')).toEqual(['Quark']);
    expect(names('Leinöl')).toEqual(['Leinöl']);
  });

  it('finds nothing for words that are no product', () => {
    expect(names('Fahrrad')).toEqual([]);
    expect(names('Bitte')).toEqual([]);
  });

  it('reads English food words in German', () => {
    expect(names('smoked eel')).toEqual(['Räucheraal']);
    expect(names('apple juice')).toEqual(['Apfelsaft']);
  });
});

describe('settle', () => {
  it('keeps the clear winner alone and all close candidates otherwise', () => {
    const a = { offerId: 1, productName: 'A', score: 1 };
    const b = { offerId: 2, productName: 'B', score: 0.7 };
    const c = { offerId: 3, productName: 'C', score: 0.68 };
    expect(settle([a, b])).toEqual([a]);
    expect(settle([b, c])).toEqual([b, c]);
  });
});

describe('vocabularyIndex', () => {
  it('is built once per vocabulary array and again for a new array', () => {
    expect(vocabularyIndex(DEMO_VOCABULARY)).toBe(index);
    const copy: VocabularyEntry[] = [...DEMO_VOCABULARY];
    expect(vocabularyIndex(copy)).not.toBe(index);
  });

  it('follows a new week: products not on offer are not found', () => {
    const week: VocabularyEntry[] = [{ offerId: 7, productName: 'Spargel', category: 'vegetables', unit: 'kg', producerName: 'Hof A' }];
    expect(matchSpan(vocabularyIndex(week), ['spargel'])).toEqual([{ offerId: 7, productName: 'Spargel', score: 1 }]);
    expect(matchSpan(vocabularyIndex(week), ['senfgurken'])).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('quark', 'quark', 2)).toBe(0);
    expect(editDistance('quak', 'quark', 2)).toBe(1);
    expect(editDistance('qaurk', 'quark', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 5)).toBe(3);
  });

  it('stops early beyond the limit', () => {
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 1)).toBe(2);
  });

  it('allows more edits for longer words', () => {
    expect([editLimit(4), editLimit(5), editLimit(10), editLimit(16)]).toEqual([0, 1, 2, 3]);
  });
});
