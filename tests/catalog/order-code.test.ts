import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, orderCode, orderCodeIsValid } from '../../catalog/order-code.ts';

describe('order codes', () => {
  it('computes the Luhn check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('1001')).toBe(7);
  });

  it('starts at five digits and grows only after 8999 orders in a cycle', () => {
    expect(orderCode(1)).toBe('10017');
    expect(orderCode(8999)).toMatch(/^9999\d$/);
    expect(orderCode(9000)).toMatch(/^10000\d$/);
    expect(() => orderCode(0)).toThrow(RangeError);
  });

  it('accepts every code it makes and catches every single mistyped digit', () => {
    for (const sequence of [1, 2, 57, 420, 8999, 9000]) {
      const code = orderCode(sequence);
      expect(orderCodeIsValid(code)).toBe(true);
      for (let position = 0; position < code.length; position += 1) {
        for (let digit = 0; digit <= 9; digit += 1) {
          if (String(digit) === code[position]) continue;
          const typo = code.slice(0, position) + String(digit) + code.slice(position + 1);
          expect(orderCodeIsValid(typo), typo).toBe(false);
        }
      }
    }
  });

  it('rejects what is not a code', () => {
    expect(orderCodeIsValid('')).toBe(false);
    expect(orderCodeIsValid('7')).toBe(false);
    expect(orderCodeIsValid('1001 7')).toBe(false);
    expect(orderCodeIsValid('A0017')).toBe(false);
  });
});
