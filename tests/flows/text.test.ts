import { describe, expect, it } from 'vitest';
import { cleanText } from '../../flows/text.ts';

describe('cleanText', () => {
  it('keeps newlines, normalises CRLF and CR, and drops control characters and bidi controls', () => {
    expect(cleanText('Gur\u0000ken\r\n2 Gläser\u0007\u202E\rLeinöl\u0085\u2066', 100)).toBe('Gurken\n2 Gläser\nLeinöl');
  });

  it('reads a tab as a space, so the words it separated stay apart', () => {
    expect(cleanText('2\tGläser', 100)).toBe('2 Gläser');
  });

  it('composes characters (NFC) and trims surrounding whitespace', () => {
    expect(cleanText('  Gewu\u0308rzgurken \n', 100)).toBe('Gewürzgurken');
  });

  it('caps by code points without splitting a character', () => {
    expect([...cleanText('🥒'.repeat(20), 10)]).toEqual(Array(10).fill('🥒'));
    expect(cleanText('ö'.repeat(10_000), 500)).toHaveLength(500);
    expect(cleanText('kurz', 10)).toBe('kurz');
  });

  it('leaves nothing of text that was only whitespace and controls', () => {
    expect(cleanText(' \u0000\r\n\u202E ', 100)).toBe('');
  });
});
