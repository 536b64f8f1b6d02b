import { describe, expect, it } from 'vitest';
import { UNITS } from '../../../catalog/types.ts';
import { foldUmlauts } from '../../../flows/nlu/normalize.ts';
import { readUnit } from '../../../flows/nlu/units.ts';

describe('readUnit', () => {
  it.each([
    ['Glas', 'jar'], ['Gläser', 'jar'], ['jars', 'jar'], ['Stück', 'piece'], ['stk', 'piece'], ['pieces', 'piece'],
    ['Flasche', 'bottle'], ['Flaschen', 'bottle'], ['fl', 'bottle'], ['bottles', 'bottle'], ['kg', 'kg'],
    ['Kilo', 'kg'], ['Kilogramm', 'kg'], ['kilos', 'kg'], ['g', 'g'], ['Gramm', 'g'], ['grams', 'g'], ['l', 'l'],
    ['Liter', 'l'], ['litres', 'l'], ['liters', 'l'], ['Bund', 'bunch'], ['bunches', 'bunch'], ['Beutel', 'bag'],
    ['bags', 'bag'], ['Packung', 'pack'], ['Packungen', 'pack'], ['pck', 'pack'], ['packs', 'pack'],
  ])('%s is %s', (word, unit) => {
    expect(readUnit(foldUmlauts(word.toLowerCase()))?.unit).toBe(unit);
  });

  it('reads Pfund as 500 g and ml as a thousandth of a litre', () => {
    expect(readUnit('pfund')).toEqual({ unit: 'g', scale: 500 });
    expect(readUnit('ml')).toEqual({ unit: 'l', scale: 0.001 });
  });

  it('maps only to the sales units of the catalogue', () => {
    for (const word of ['glas', 'stueck', 'flasche', 'kilo', 'gramm', 'liter', 'bund', 'beutel', 'packung']) {
      expect(UNITS).toContain(readUnit(word)?.unit);
    }
    expect(readUnit('quark')).toBeNull();
  });
});
