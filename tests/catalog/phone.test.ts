import { describe, expect, it } from 'vitest';
import { isCallableBack, isE164, isGermanMobile, nationalNumber, normalizePhone } from '../../catalog/phone.ts';

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

describe('which numbers a withheld caller can be verified at', () => {
  it.each(['+4915112345678', '+491621234567', '+4917612345678'])('%s is a German mobile: a code by SMS, or a call', (number) => {
    expect(isGermanMobile(number)).toBe(true);
    expect(isCallableBack(number)).toBe(true);
  });

  it.each(['+49354601234', '+493546112345', '+4930123456', '+49711234567'])('%s is a German landline: a call back', (number) => {
    expect(isGermanMobile(number)).toBe(false);
    expect(isCallableBack(number)).toBe(true);
  });

  it.each([
    ['+499001234567', 'premium rate'],
    ['+498001234567', 'freephone'],
    ['+497001234567', 'personal number'],
    ['+491371234567', 'mass calling'],
    ['+491801234567', 'shared cost'],
    ['+49310123456', 'network test'],
    ['+48601234567', 'abroad'],
    ['+4312345678', 'abroad'],
  ])('%s (%s) is never called', (number) => {
    expect(isCallableBack(number)).toBe(false);
    expect(isGermanMobile(number)).toBe(false);
  });
});

describe('nationalNumber', () => {
  it('reads a German number as it is dialled at home, and leaves others as they are', () => {
    expect(nationalNumber('+49354601234')).toBe('0354601234');
    expect(nationalNumber('+48601234567')).toBe('+48601234567');
  });
});

describe('a German number too short to be one', () => {
  it('is refused rather than stored ("0151123" is a typo)', () => {
    expect(normalizePhone('0151123')).toBeNull();
    expect(normalizePhone('+49151123')).toBeNull();
    expect(normalizePhone('03546 1234')).toBe('+4935461234');
  });
});
