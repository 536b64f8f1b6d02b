import { describe, expect, it } from 'vitest';
import { colognePhonetic } from '../../../flows/nlu/phonetic.ts';

describe('colognePhonetic', () => {
  // Examples from Postel (1969) and the literature that cites it.
  it.each([
    ['Müller-Lüdenscheidt', '65752682'], ['Breschnew', '17863'], ['Wikipedia', '3412'], ['Xavier', '4837'],
    ['Christopher', '478237'], ['Wilhelm', '3556'], ['Philip', '351'], ['Patrick', '1274'], ['Albrecht', '051742'],
  ])('%s → %s', (name, code) => {
    expect(colognePhonetic(name)).toBe(code);
  });

  it.each([
    ['Cäsar', '487'], ['Carl', '475'], ['Celle', '85'], ['Sczepan', '816'], ['Dachs', '248'], ['Axel', '0485'], ['Hexe', '048'],
  ])('applies the position and neighbour rules of C and X: %s → %s', (name, code) => {
    expect(colognePhonetic(name)).toBe(code);
  });

  it('lets spellings that sound alike meet', () => {
    expect(colognePhonetic('Meerrettich')).toBe(colognePhonetic('Mehrettich'));
    expect(colognePhonetic('Zander')).toBe(colognePhonetic('Sander'));
    expect(colognePhonetic('Senf-Gurken')).toBe(colognePhonetic('Senfgurken'));
    expect(colognePhonetic('Honig')).not.toBe(colognePhonetic('Quark'));
  });

  it('gives nothing for text without letters', () => {
    expect(colognePhonetic('123 -')).toBe('');
  });
});
