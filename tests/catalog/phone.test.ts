import { describe, expect, it } from 'vitest';
import { isE164, normalizePhone } from '../../catalog/phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['0151 2345678', '+491512345678'],
    ['+49 151 2345678', '+491512345678'],
    ['0049 (151) 234-5678', '+491512345678'],
    ['  035461 12345 ', '+493546112345'],
    ['+48 601 234 567', '+48601234567'],
  ])('%j → %s', (text, e164) => {
    expect(normalizePhone(text)).toBe(e164);
  });

  it('reads a national number in the country given', () => {
    expect(normalizePhone('0660 1234567', '43')).toBe('+436601234567');
  });

  it.each(['', 'Gurken', '151 2345678', '+0151234567', '0151', `+49${'1'.repeat(14)}`, '49+1512345678'])('refuses %j', (text) => {
    expect(normalizePhone(text)).toBeNull();
  });
});

describe('isE164', () => {
  it.each(['+4935461234567', '+8656696', '+491234567890123'])('accepts %s', (value) => {
    expect(isE164(value)).toBe(true);
  });

  it.each(['', '4935461234567', '+04935461234567', '+49 35461 234567', '+4912345678901234', 'anonymous', 'whatsapp:+4935461234567'])(
    'refuses %j',
    (value) => {
      expect(isE164(value)).toBe(false);
    },
  );
});
