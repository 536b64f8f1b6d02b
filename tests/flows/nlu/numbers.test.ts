import { describe, expect, it } from 'vitest';
import { numberValue, readPrice, readQuantity } from '../../../flows/nlu/numbers.ts';
import { foldUmlauts, normalizeText, tokenize } from '../../../flows/nlu/normalize.ts';

const tokens = (text: string) => tokenize(foldUmlauts(normalizeText(text)));

describe('numberValue', () => {
  it.each([
    ['eins', 1], ['zwei', 2], ['zwo', 2], ['zwölf', 12], ['siebzehn', 17], ['zwanzig', 20], ['dreißig', 30],
    ['zweiundzwanzig', 22], ['einundvierzig', 41], ['hundert', 100], ['zweihundertfünfzig', 250],
    ['einhundertzwanzig', 120], ['anderthalb', 1.5], ['eineinhalb', 1.5], ['zweieinhalb', 2.5], ['halbe', 0.5],
    ['twelve', 12], ['fifty', 50], ['3', 3], ['1,5', 1.5], ['1.5', 1.5], ['dreimal', 3],
  ])('%s is %d', (word, value) => {
    expect(numberValue(foldUmlauts(word))).toBe(value);
  });

  it('knows no value for other words', () => {
    expect(numberValue('quark')).toBeNull();
    expect(numberValue('undzwanzig')).toBeNull();
  });
});

describe('readQuantity', () => {
  it.each([
    ['2 Gläser', 2, 'jar'], ['ein Pfund', 500, 'g'], ['ein halbes Pfund', 250, 'g'], ['ein Kilo', 1, 'kg'],
    ['250 Gramm', 250, 'g'], ['anderthalb kilo', 1.5, 'kg'], ['ein halbes kilo', 0.5, 'kg'], ['1,5 l', 1.5, 'l'],
    ['ein Dutzend', 12, 'piece'], ['zwei Dutzend', 24, 'piece'], ['a dozen', 12, 'piece'],
    ['one and a half kilos', 1.5, 'kg'], ['half a kilo', 0.5, 'kg'], ['twenty two', 22, null],
    ['drei Flaschen', 3, 'bottle'], ['2 x', 2, null], ['ein Bund', 1, 'bunch'], ['zwei Packungen', 2, 'pack'],
  ])('%s is %d %s', (text, value, unit) => {
    expect(readQuantity(tokens(text), 0)).toMatchObject({ value, unit });
  });

  it('marks a lone article, which may be "one" or just "a"', () => {
    expect(readQuantity(tokens('eine Bestellung'), 0)).toMatchObject({ value: 1, articleOnly: true });
    expect(readQuantity(tokens('ein Glas'), 0)).toMatchObject({ value: 1, articleOnly: false });
  });

  it('keeps the said number apart from the scaled quantity', () => {
    expect(readQuantity(tokens('ein Pfund'), 0)).toMatchObject({ value: 500, count: 1 });
  });

  it('reads "ein paar" as no quantity', () => {
    expect(readQuantity(tokens('ein paar Eier'), 0)).toBeNull();
  });
});

describe('readPrice', () => {
  it.each([
    ['6,50', 650], ['6.50', 650], ['6,50 €', 650], ['€ 6,50', 650], ['6 euro 50', 650], ['sechs euro fünfzig', 650],
    ['sechs fünfzig', 650], ['drei zwanzig', 320], ['7 Euro', 700], ['ein euro fünfzig', 150], ['fünfzig cent', 50],
    ['six fifty', 650],
  ])('%s is %d cents', (text, cents) => {
    expect(readPrice(tokens(text), 0)?.cents).toBe(cents);
  });

  it.each(['3', 'drei', 'zwei gläser', '1,5', 'drei fünf'])('%s is not a price', (text) => {
    expect(readPrice(tokens(text), 0)).toBeNull();
  });
});
