import { describe, expect, it } from 'vitest';
import { understandSync } from '../../../flows/nlu/recogniser.ts';
import type { Language } from '../../../catalog/types.ts';
import { ENGLISH, GERMAN, type CorpusCase } from './corpus.ts';
import { DEMO_PLACES, DEMO_VOCABULARY } from './demo-vocabulary.ts';

function check([text, intent, expected = {}]: CorpusCase, language: Language): void {
  const { role, products, ambiguous, quantity, unit, ...entities } = expected;
  const understanding = understandSync(text, { language, vocabulary: DEMO_VOCABULARY, places: DEMO_PLACES, role });
  expect(understanding.intent).toBe(intent);
  const items = understanding.entities.items;
  if (products !== undefined) {
    expect(items.map((item) => item.matches.map((match) => match.productName))).toEqual(products.map((name) => [name]));
  }
  if (ambiguous !== undefined) {
    expect(items[0].matches.map((match) => match.productName).sort()).toEqual([...ambiguous].sort());
  }
  if (quantity !== undefined) expect(items[0].quantity).toBe(quantity);
  if (unit !== undefined) expect(items[0].unit).toBe(unit);
  for (const [key, value] of Object.entries(entities)) {
    expect(understanding.entities[key as keyof typeof entities], key).toEqual(value);
  }
}

describe('corpus', () => {
  it('has enough German and English utterances', () => {
    expect(GERMAN.length).toBeGreaterThanOrEqual(220);
    expect(ENGLISH.length).toBeGreaterThanOrEqual(70);
  });

  it.each(GERMAN)('de: %j → %s', (...row) => check(row as CorpusCase, 'de'));
  it.each(ENGLISH)('en: %j → %s', (...row) => check(row as CorpusCase, 'en'));
});
