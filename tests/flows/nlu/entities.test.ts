import { describe, expect, it } from 'vitest';
import { orderCodeIsValid as isLuhnValid } from '../../../catalog/order-code.ts';
import { isPlausiblePostcode, saysSoldOut } from '../../../flows/nlu/entities.ts';
import { understandSync } from '../../../flows/nlu/recogniser.ts';
import type { UnderstandContext } from '../../../flows/nlu/types.ts';
import { DEMO_PLACES, DEMO_VOCABULARY } from './demo-vocabulary.ts';

const context: UnderstandContext = { language: 'de', vocabulary: DEMO_VOCABULARY, places: DEMO_PLACES };
const entities = (text: string, role?: UnderstandContext['role']) => understandSync(text, { ...context, role }).entities;

describe('postcode or order code', () => {
  it('checks Luhn and postcode plausibility', () => {
    expect(isLuhnValid('10017')).toBe(true);
    expect(isLuhnValid('10018')).toBe(false);
    expect(isLuhnValid('15913')).toBe(false);
    expect(isPlausiblePostcode('15913')).toBe(true);
    expect(isPlausiblePostcode('05123')).toBe(false);
    expect(isPlausiblePostcode('1591')).toBe(false);
  });

  it('reads five digits as a postcode when the text says PLZ or wohne, even with a valid check digit', () => {
    expect(entities('PLZ 10017')).toMatchObject({ postcode: '10017', orderCode: null });
    expect(entities('ich wohne in 10017')).toMatchObject({ postcode: '10017', orderCode: null });
  });

  it('reads five digits as an order code when the text is about an order', () => {
    expect(entities('Bestellung 15913 stornieren')).toMatchObject({ orderCode: '15913', postcode: null });
  });

  it('reads five digits as a postcode when the text asks where to pick up', () => {
    expect(entities('wo abholen 03046')).toMatchObject({ postcode: '03046', orderCode: null });
  });

  it('falls back to the Luhn check, then to plausibility', () => {
    expect(entities('10017')).toMatchObject({ orderCode: '10017', postcode: null });
    expect(entities('15913')).toMatchObject({ postcode: '15913', orderCode: null });
    expect(entities('00012')).toMatchObject({ postcode: null, orderCode: null });
  });

  it('takes four and six digits for an order code only with a check digit or order words', () => {
    expect(entities('2026')).toMatchObject({ orderCode: null });
    expect(entities('code 2026')).toMatchObject({ orderCode: '2026' });
    expect(entities('100008')).toMatchObject({ orderCode: '100008' });
  });
});

describe('phone', () => {
  it.each([
    ['0151 12345678', '+4915112345678'], ['+49 151 12345678', '+4915112345678'], ['0049 151 12345678', '+4915112345678'],
    ['035456 123456', '+4935456123456'], ['Tel. 0151/1234567', '+491511234567'],
    ['null eins fünf eins eins zwei drei vier fünf sechs', '+49151123456'],
  ])('%s → %s', (text, phone) => {
    expect(entities(text).phone).toBe(phone);
  });

  it('does not take a postcode or an order code for a phone number', () => {
    expect(entities('03046').phone).toBeNull();
    expect(entities('10017').phone).toBeNull();
  });
});

describe('places, producers and word classes', () => {
  it('finds places from the context, also misspelt and of two words', () => {
    expect(entities('in lübenau').place).toBe('Lübbenau');
    expect(entities('neu zauche').place).toBe('Neu Zauche');
    expect(entities('Luebben').place).toBe('Lübben');
    expect(entities('ich wohne in Berlin').place).toBeNull();
  });

  it('finds a producer by a word only that producer has', () => {
    expect(entities('was hat Petrick').producerName).toBe('Fischerei Petrick, Lübben');
    expect(entities('was hat der Hof').producerName).toBeNull();
  });

  it('reads weekdays, categories and languages', () => {
    expect(entities('am Donnerstag').weekday).toBe(4);
    expect(entities('samstags').weekday).toBe(6);
    expect(entities('sunday').weekday).toBe(7);
    expect(entities('habt ihr Käse').category).toBe('dairy');
    expect(entities('vegetables').category).toBe('vegetables');
    expect(entities('auf Englisch').language).toBe('en');
  });

  it('does not read a word inside a product name as a category', () => {
    expect(entities('senf gurken').category).toBeNull();
  });

  it('hears sold out', () => {
    expect(saysSoldOut('quark ausverkauft')).toBe(true);
    expect(saysSoldOut('zander ist alle')).toBe(true);
    expect(saysSoldOut('eggs sold out')).toBe(true);
    expect(saysSoldOut('quark 10 stueck')).toBe(false);
  });
});

describe('items', () => {
  it('gives each product the quantity said before it, or right after it', () => {
    expect(entities('2 Gläser Senfgurken und ein Pfund Quark').items.map((item) => [item.matches[0].productName, item.quantity, item.unit]))
      .toEqual([['Senfgurken', 2, 'jar'], ['Quark', 500, 'g']]);
    expect(entities('Quark 2 Stück und Honig').items.map((item) => item.quantity)).toEqual([2, null]);
  });

  it('does not give a quantity to the product before it when it belongs to the next', () => {
    expect(entities('Quark 2 Gläser Honig').items.map((item) => item.quantity)).toEqual([null, 2]);
  });

  it('keeps the words as written in the mention', () => {
    expect(entities('zwei Gläser Senf-Gurken').items[0].text).toBe('senf gurken');
  });

  it('lets a named producer decide between equal offers', () => {
    const vocabulary = [
      { offerId: 1, productName: 'Eier', category: 'eggs' as const, unit: 'pack' as const, producerName: 'Hof Lehmann' },
      { offerId: 2, productName: 'Eier', category: 'eggs' as const, unit: 'pack' as const, producerName: 'Hof Noack' },
    ];
    const text = (words: string) => understandSync(words, { ...context, vocabulary }).entities.items[0].matches.map((m) => m.offerId);
    expect(text('Eier').sort()).toEqual([1, 2]);
    expect(text('Eier von Noack')).toEqual([2]);
  });

  it('takes no number from an article', () => {
    expect(entities('ich möchte eine Bestellung ändern').number).toBeNull();
    expect(entities('nur eine').number).toBe(1);
  });

  it('finds items with no vocabulary as none', () => {
    expect(understandSync('2 Gläser Senfgurken', { ...context, vocabulary: [] }).entities.items).toEqual([]);
  });
});
