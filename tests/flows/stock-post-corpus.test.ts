/**
 * The corpus of producers' stock posts (tests/flows/corpus/stock-posts/*.json),
 * as farmers write them: one-line lists, messy text, posts in several
 * messages, corrections, "wie letzte Woche". Each case is played as the
 * producer would: the messages, then the answers; it checks the preview line
 * by line and, afterwards, the offers and products in the database.
 *
 *   CORPUS_DUMP=1 npx vitest run tests/flows/stock-post-corpus.test.ts   prints what each case did
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCycle } from '../../catalog/cycles.ts';
import type { Category, Channel, Unit } from '../../catalog/types.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';

interface CorpusCase {
  name: string;
  /** "telegram:<id>" or "whatsapp:<E.164>"; the demo producer Gurkenhof Krüger when absent. */
  producer?: string;
  setup?: {
    /** Play the case in the following week, whose cycle opens with this week's offers carried over. */
    nextWeek?: boolean;
    /** Products the producer has besides the demo week's, each with an offer this week. */
    products?: Array<{ name: string; category: Category; unit: Unit; offer: { priceCents: number; available: number } }>;
    /** Offers of the (current) week changed before the post. */
    offers?: Record<string, { available?: number; priceCents?: number }>;
  };
  messages: string[];
  /** The lines of the last preview, after "Vorschau:". */
  preview?: string[];
  answers: string[];
  /** This week's offers by product name afterwards; null: no offer of that name. */
  offers?: Record<string, { available: number; priceCents: number } | null>;
  /** The producer's products by name afterwards; null: no product of that name. */
  products?: Record<string, { category?: Category; organic?: boolean; allergens?: string; ingredients?: string } | null>;
}

const DIR = fileURLToPath(new URL('./corpus/stock-posts/', import.meta.url));
const FILES = readdirSync(DIR).filter((file) => file.endsWith('.json')).sort();
const NEXT_MONDAY = new Date('2026-12-07T06:00:00Z');
const DUMP = process.env.CORPUS_DUMP === '1';

const results: Array<{ file: string; name: string; passed: boolean }> = [];

afterAll(() => {
  const passed = results.filter((result) => result.passed).length;
  const rate = results.length === 0 ? 0 : Math.round((passed / results.length) * 1000) / 10;
  console.log(`stock post corpus: ${passed} of ${results.length} cases pass (${rate} %)`);
  for (const failed of results.filter((result) => !result.passed)) console.log(`  failed: ${failed.file} – ${failed.name}`);
});

for (const file of FILES) {
  const cases = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as CorpusCase[];
  describe(`stock post corpus: ${file}`, () => {
    let h: Harness;
    beforeEach(async () => { h = await startHarness(); });
    afterEach(async () => { await h.dispose(); });

    for (const corpusCase of cases) {
      it(corpusCase.name, async () => {
        let passed = false;
        try {
          await play(h, corpusCase);
          passed = true;
        } finally {
          results.push({ file, name: corpusCase.name, passed });
        }
      });
    }
  });
}

async function play(h: Harness, corpusCase: CorpusCase): Promise<void> {
  const repos = h.app.database.repositories;
  const [channel, id] = (corpusCase.producer ?? 'telegram:100001').split(/:(.*)/s) as [Channel, string];
  const producer = channel === 'telegram' ? await repos.producers.findByTelegramId(id) : await repos.producers.findByPhone(id);
  if (!producer) throw new Error(`no producer ${corpusCase.producer}`);
  if (corpusCase.setup?.nextWeek) {
    h.clock.set(NEXT_MONDAY);
    await openCycle(repos, h.app.rhythm, NEXT_MONDAY);
  }
  const cycle = (await repos.cycles.current(h.clock.now()))!;
  for (const product of corpusCase.setup?.products ?? []) {
    const added = await repos.products.add({ producerId: producer.id, name: product.name, category: product.category, unit: product.unit });
    await repos.offers.upsert(cycle.id, added.id, { ...product.offer, step: 1, maxPerOrder: null });
  }
  const offersNow = async () => repos.offers.list(cycle.id, { producerId: producer.id });
  for (const [name, patch] of Object.entries(corpusCase.setup?.offers ?? {})) {
    const offer = (await offersNow()).find((candidate) => candidate.productName === name);
    if (!offer) throw new Error(`setup: no offer ${name}`);
    await repos.offers.update(offer.id, patch);
  }

  const person = h.person(channel, id);
  let preview: string[] | null = null;
  for (const message of corpusCase.messages) {
    await person.says(message);
    const shown = person.last?.messages.find((text) => /^(Vorschau|Preview):\n/.test(text));
    if (shown) preview = shown.split('\n').slice(1);
  }
  const afterPost = person.transcript.length;
  for (const answer of corpusCase.answers) {
    await person.says(answer);
    expect(person.text, `no reply to "${answer}"`).not.toBe('');
  }

  const offers = await offersNow();
  const products = await repos.products.listByProducer(producer.id);
  if (DUMP) {
    const state = (offer: (typeof offers)[number]) => ({ available: offer.available, priceCents: offer.priceCents });
    console.log(`@@${JSON.stringify({
      name: corpusCase.name, preview,
      offers: Object.fromEntries(offers.map((offer) => [offer.productName, state(offer)])),
      products: Object.fromEntries(products.map((product) => [product.name, { category: product.category, organic: product.organic, allergens: product.allergens, ingredients: product.ingredients }])),
    })}`);
    console.log([
      `### ${corpusCase.name}`,
      ...(preview ?? ['(no preview)']).map((line) => `  ${JSON.stringify(line)},`),
      ...person.transcript.slice(afterPost).map((line) => `    ${line}`),
      `  offers: ${offers.map((offer) => `${offer.productName}=${offer.available}@${offer.priceCents}`).join(', ')}`,
      `  products: ${products.map((product) => `${product.name}(${product.category}${product.organic ? ',bio' : ''}${product.allergens ? `,A:${product.allergens}` : ''}${product.ingredients ? `,Z:${product.ingredients}` : ''})`).join(', ')}`,
    ].join('\n'));
  }

  const transcript = `conversation:\n${person.transcript.join('\n')}`;
  expect(preview, transcript).toEqual(corpusCase.preview ?? null);
  for (const [name, expected] of Object.entries(corpusCase.offers ?? {})) {
    const offer = offers.find((candidate) => candidate.productName === name);
    if (expected === null) expect(offer, `${name} must not be on offer\n${transcript}`).toBeUndefined();
    else expect(offer && { available: offer.available, priceCents: offer.priceCents }, `offer ${name}\n${transcript}`).toEqual(expected);
  }
  for (const [name, expected] of Object.entries(corpusCase.products ?? {})) {
    const product = products.find((candidate) => candidate.name === name);
    if (expected === null) expect(product, `${name} must not be a product\n${transcript}`).toBeUndefined();
    else expect(product, `product ${name}\n${transcript}`).toMatchObject(expected);
  }
}
