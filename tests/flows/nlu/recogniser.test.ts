import { describe, expect, it } from 'vitest';
import { INTENTS, type UnderstandContext } from '../../../flows/nlu/types.ts';
import { createEmbeddedRecogniser, understandSync } from '../../../flows/nlu/recogniser.ts';
import { DEMO_PLACES, DEMO_VOCABULARY } from './demo-vocabulary.ts';
import { ENGLISH, GERMAN } from './corpus.ts';

const context: UnderstandContext = { language: 'de', vocabulary: DEMO_VOCABULARY, places: DEMO_PLACES };

describe('createEmbeddedRecogniser', () => {
  it('understands through the asynchronous contract like the synchronous call', async () => {
    const recogniser = createEmbeddedRecogniser();
    const text = '2 Gläser Senfgurken und ein Pfund Quark';
    expect(await recogniser.understand(text, context)).toEqual(understandSync(text, context));
  });
});

describe('understandSync', () => {
  it('returns the normalised text with umlauts', () => {
    expect(understandSync('Zwei GLÄSER Senf-Gurken!', context).normalized).toBe('zwei gläser senf gurken');
  });

  it('is deterministic', () => {
    const text = 'nee, doch lieber drei';
    expect(understandSync(text, context)).toEqual(understandSync(text, context));
  });

  it('keeps the entities complete for unknown text', () => {
    const understanding = understandSync('drei', context);
    expect(understanding.intent).toBe('unknown');
    expect(understanding.confidence).toBe(0);
    expect(Object.keys(understanding.entities).sort()).toEqual([
      'category', 'items', 'language', 'missingKind', 'number', 'orderCode', 'phone', 'place', 'postcode', 'priceCents', 'producerName', 'soldOut', 'weekday',
    ]);
  });

  it('copes with empty, huge and hostile input', () => {
    expect(understandSync('', context).intent).toBe('unknown');
    expect(understandSync('\u0000\u0007', context).normalized).toBe('');
    const huge = `${'Senfgurken '.repeat(2000)}`;
    expect(understandSync(huge, context).normalized.length).toBeLessThanOrEqual(500);
  });

  it('reads a stock post and single stock changes only from a producer', () => {
    const post = 'Senfgurken 40 Glas 3,50\nSalzgurken 30 Glas 3,20';
    expect(understandSync(post, { ...context, role: 'producer' }).intent).toBe('stock_post');
    expect(understandSync(post, context).intent).not.toBe('stock_post');
    expect(understandSync('Quark ausverkauft', context).intent).not.toBe('stock_update');
  });

  it('gives the staff words more weight when staff say them', () => {
    expect(understandSync('Liste', { ...context, role: 'staff' }).intent).toBe('handout_list');
    expect(understandSync('Liste', { ...context, role: 'staff' }).confidence)
      .toBeGreaterThan(understandSync('Liste', context).confidence);
  });

  it('has a corpus case for every intent', () => {
    const covered = new Set([...GERMAN, ...ENGLISH].map(([, intent]) => intent));
    expect(INTENTS.filter((intent) => !covered.has(intent))).toEqual([]);
  });

  it('keeps every confidence between 0 and 1', () => {
    for (const [text, , expected] of [...GERMAN, ...ENGLISH]) {
      const { confidence } = understandSync(text, { ...context, role: expected?.role });
      expect(confidence).toBeGreaterThanOrEqual(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });
});
