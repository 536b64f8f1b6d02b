import { describe, expect, it } from 'vitest';
import { baseFold, foldUmlauts, MAX_MATCH_LENGTH, normalizeText, tokenize } from '../../../flows/nlu/normalize.ts';

describe('normalizeText', () => {
  it('lower-cases, folds punctuation to spaces and keeps umlauts', () => {
    expect(normalizeText('2 Gläser Senf-Gurken, und ein Pfund Quark!')).toBe('2 gläser senf gurken und ein pfund quark');
  });

  it('keeps decimal numbers and a leading plus whole', () => {
    expect(normalizeText('1,5 kg für 6.90€')).toBe('1,5 kg für 6.90 euro');
    expect(normalizeText('Tel.: +49 (151) 1234567')).toBe('tel +49 151 1234567');
  });

  it('splits numbers from the words glued to them', () => {
    expect(normalizeText('500g Quark, 2x Honig, 10er Pack')).toBe('500 g quark 2 x honig 10 er pack');
  });

  it('strips control and zero-width characters and collapses spaces', () => {
    expect(normalizeText('  Hal\u0007lo\u200b   Welt \n')).toBe('hal lo welt');
  });

  it('caps the text it matches on', () => {
    expect(normalizeText('a '.repeat(MAX_MATCH_LENGTH)).length).toBeLessThanOrEqual(MAX_MATCH_LENGTH);
  });
});

describe('folding', () => {
  it('gives umlauts and their ASCII spellings one form', () => {
    expect(foldUmlauts('käse größe süß')).toBe(foldUmlauts('kaese groesse suess'));
    expect(foldUmlauts('café')).toBe('cafe');
  });

  it('reduces folded words to base vowels for product keys', () => {
    expect(baseFold(foldUmlauts('äpfel'))).toBe('apfel');
    expect(baseFold('aepfel')).toBe(baseFold('apfel'));
  });

  it('tokenizes on single spaces and gives nothing for empty text', () => {
    expect(tokenize('a b c')).toEqual(['a', 'b', 'c']);
    expect(tokenize('')).toEqual([]);
  });
});
