/** Every chrome text the Telegram channel asks for exists in every language. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../../catalog/types.ts';

const sourceDir = new URL('../../../../bot/channels/telegram/', import.meta.url);
const usedKeys = [...new Set(readdirSync(sourceDir)
  .flatMap((file) => [...readFileSync(new URL(file, sourceDir), 'utf8').matchAll(/'telegram:([\w.]+)'/g)].map((match) => match[1])))];

function lookup(tree: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
}

describe('telegram locales', () => {
  it('finds the keys the channel uses', () => {
    expect(usedKeys).toEqual(expect.arrayContaining(['flood', 'apology', 'staleButton', 'sharePhone', 'handoff.open']));
  });

  it.each(LANGUAGES)('has every used key in %s', (language) => {
    const texts = JSON.parse(readFileSync(new URL(`../../../../locales/${language}/telegram.json`, import.meta.url), 'utf8'));
    for (const key of usedKeys) expect(typeof lookup(texts, key), `${language}: telegram:${key}`).toBe('string');
  });
});
