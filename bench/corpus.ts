/**
 * The basket corpus (tests/flows/corpus/basket/) against the real engine: the share of conversations whose
 * basket comes out exactly as the person said, beside the floor the test holds it to and the goal.
 */
import { loadFloor, runBasketCorpus } from '../tests/helpers/basket-corpus.ts';
import type { BenchResult } from './telegram.ts';

export async function benchCorpus(): Promise<BenchResult[]> {
  const run = await runBasketCorpus();
  const { floor, goal } = loadFloor();
  return [{ name: 'basket corpus pass rate', value: run.rate, unit: `% of ${run.total} cases (floor ${floor} %)`, goal }];
}
