/**
 * The embedded recogniser: offline, deterministic, German first and English second.
 * `understandSync` is the whole pipeline; `createEmbeddedRecogniser` wraps it in the
 * asynchronous `Recogniser` contract so that a remote service can stand in its place.
 */
import type { Recogniser, Understanding, UnderstandContext } from './types.ts';
import { extractEntities, scanOf } from './entities.ts';
import { classify } from './intents.ts';
import { foldUmlauts, normalizeText } from './normalize.ts';
import { parseStockPost } from './stock-lines.ts';

// Only a producer's message of several lines, or one full line, is read as a stock post.
function stockLineCount(text: string, context: UnderstandContext): number {
  if (context.role !== 'producer' || !/\d/.test(text)) return 0;
  const lines = parseStockPost(text);
  const readable = lines.filter((line) => line.ok).length;
  return lines.length > 1 || /\d+[.,]\d{2}|€|\beur/i.test(text) ? readable : 0;
}

/** Understands one text (typed or transcribed) in the context of this week's vocabulary. */
export function understandSync(text: string, context: UnderstandContext): Understanding {
  const normalized = normalizeText(text);
  const folded = foldUmlauts(normalized);
  const scan = scanOf(normalized);
  const entities = extractEntities(scan, folded, context.vocabulary, context.places);
  const { intent, confidence } = classify({
    folded, entities, role: context.role, question: text.includes('?'), stockLines: stockLineCount(text, context),
  });
  return { intent, confidence, entities, normalized };
}

/** The embedded recogniser behind the `Recogniser` contract. */
export function createEmbeddedRecogniser(): Recogniser {
  return {
    understand: async (text, context) => understandSync(text, context),
  };
}
