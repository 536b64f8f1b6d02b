/**
 * Throughput of the embedded recogniser over a mix of the test corpus (German, English,
 * speech transcripts, producers' and staff's messages) with the ~45-offer demo vocabulary.
 */
import { performance } from 'node:perf_hooks';
import { understandSync } from '../flows/nlu/recogniser.ts';
import type { UnderstandContext } from '../flows/nlu/types.ts';
import { ENGLISH, GERMAN } from '../tests/flows/nlu/corpus.ts';
import { DEMO_PLACES, DEMO_VOCABULARY } from '../tests/flows/nlu/demo-vocabulary.ts';

const GOAL_PER_SECOND = 20_000;
const WARMUP_ROUNDS = 20;
const MEASURED_SECONDS = 1;

/** Measures utterances per second, with a warm vocabulary index and with a new vocabulary array per round. */
export async function benchNlu(): Promise<Array<{ name: string; value: number; unit: string; goal?: string }>> {
  const cases = [...GERMAN.map((row) => [row, 'de'] as const), ...ENGLISH.map((row) => [row, 'en'] as const)];
  const contexts = (vocabulary: UnderstandContext['vocabulary']) => cases.map(([[text, , expected], language]) => ({
    text, context: { language, vocabulary, places: DEMO_PLACES, role: expected?.role } satisfies UnderstandContext,
  }));
  const warm = contexts(DEMO_VOCABULARY);
  for (let round = 0; round < WARMUP_ROUNDS; round += 1) for (const { text, context } of warm) understandSync(text, context);

  let utterances = 0;
  const started = performance.now();
  while (performance.now() - started < MEASURED_SECONDS * 1000) {
    for (const { text, context } of warm) understandSync(text, context);
    utterances += warm.length;
  }
  const warmRate = utterances / ((performance.now() - started) / 1000);

  // A fresh vocabulary array each round: the index is rebuilt, as after every weekly offer change.
  let coldUtterances = 0;
  const coldStarted = performance.now();
  while (performance.now() - coldStarted < MEASURED_SECONDS * 1000) {
    for (const { text, context } of contexts([...DEMO_VOCABULARY])) understandSync(text, context);
    coldUtterances += cases.length;
  }
  const coldRate = coldUtterances / ((performance.now() - coldStarted) / 1000);

  return [
    { name: 'nlu: utterances per second (corpus mix, warm index)', value: Math.round(warmRate), unit: 'utterances/s', goal: `>= ${GOAL_PER_SECOND}` },
    { name: 'nlu: utterances per second (index rebuilt each pass)', value: Math.round(coldRate), unit: 'utterances/s' },
    { name: 'nlu: corpus size', value: cases.length, unit: 'utterances' },
  ];
}
