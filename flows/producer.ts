/** Producers: post the week's stock in one message, change one offer, see what was ordered. */
import type { StockLineInput } from '../catalog/marketplace.ts';
import { yesNo, yesNoChoices } from './answers.ts';
import { args, declareDialog } from './dialog.ts';
import { LOW_STOCK } from './offers.ts';
import { parseStockPost } from './nlu/stock-lines.ts';
import type { Understanding } from './nlu/types.ts';
import { label, type Turn } from './turn.ts';
import type { Reply } from './types.ts';

const my = declareDialog('producer', {
  choices: { stockHelp: {}, myOffers: {}, pickList: {} },
  tags: { stockHelp: 'stock_help', myOffers: 'my_offers', pickList: 'picklist' },
  questions: { preview: args<{ lines: StockLineInput[] }>() },
});

/** "Meine Angebote" typed instead of tapped: a producer's own offers, not the customers' overview. */
const MY_OFFERS = /\b(meine|my) (angebote?|offers?)\b/;
/** A message with at least this many lines that read as stock lines is a stock post. */
const STOCK_POST_LINES = 2;

export function producerMenu(t: Turn): void {
  t.say('producer.menu');
  t.offerMenu([
    my.choice.stockHelp.make({}, label('producer.postStock')),
    my.choice.myOffers.make({}, label('producer.myOffers')),
    my.choice.pickList.make({}, label('producer.picklist')),
  ]);
}

function producerId(t: Turn): number {
  if (t.role.kind !== 'producer') throw new Error('producer flow without a producer');
  return t.role.producer.id;
}

/** Reads the post line by line and shows a preview; nothing changes before "Ja". */
async function previewStockPost(t: Turn, text: string): Promise<boolean> {
  const lines = parseStockPost(text);
  const readable = lines.filter((l) => l.ok);
  if (readable.length === 0) return false;
  const known = new Set((await t.market.producerOffers(producerId(t))).map((o) => o.productName.toLowerCase()));
  const inputs: StockLineInput[] = [];
  const preview: Reply[] = [];
  for (const line of lines) {
    if (!line.ok) {
      preview.push({ key: 'producer.previewBad', params: { line: line.lineNumber, text: { raw: line.raw.slice(0, 80) } } });
      continue;
    }
    const understood = await t.deps.recogniser.understand(line.productName, { language: 'de', vocabulary: [], places: [] });
    inputs.push({
      productName: line.productName,
      quantity: line.quantity,
      unit: line.unit,
      priceCents: line.priceCents,
      category: understood.entities.category ?? undefined,
      description: line.packSize ?? undefined,
    });
    preview.push({
      key: known.has(line.productName.toLowerCase()) ? 'producer.previewLine' : 'producer.previewNew',
      params: { product: { raw: line.productName }, amount: { quantity: line.quantity, unit: line.unit }, price: { money: line.priceCents }, per: { quantity: 1, unit: line.unit } },
    });
  }
  t.say('producer.preview', { lines: { lines: preview } });
  t.say('producer.previewAsk', { count: inputs.length });
  t.offer(yesNoChoices('producer.apply', 'common.no'), 'yes_no');
  t.ask(my.question.preview, { lines: inputs }, 'yes_no');
  return true;
}

async function applyStockPost(t: Turn, lines: StockLineInput[]): Promise<void> {
  t.settle();
  const changes = await t.market.applyStockPost(producerId(t), lines);
  t.say('producer.applied', { count: changes.length, created: changes.filter((c) => c.created).length });
  producerMenu(t);
}

/** "Gurken nur noch 10", "Quark ausverkauft", "Honig jetzt 6,50". */
async function updateOneOffer(t: Turn, understanding: Understanding): Promise<boolean> {
  const { entities } = understanding;
  const mention = entities.items.find((i) => i.matches.length > 0);
  if (!mention) {
    t.say('producer.whichProduct');
    await showMyOffers(t);
    return true;
  }
  if (mention.matches.length > 1 && mention.matches[0].score === mention.matches[1].score) {
    t.say('producer.ambiguous', { products: { list: mention.matches.map((m) => ({ raw: m.productName })) } });
    return true;
  }
  const patch: { available?: number; priceCents?: number } = {};
  if (entities.soldOut) patch.available = 0;
  else if (mention.quantity !== null) patch.available = mention.quantity;
  else if (entities.number !== null && entities.priceCents === null) patch.available = entities.number;
  if (entities.priceCents !== null) patch.priceCents = entities.priceCents;
  if (patch.available === undefined && patch.priceCents === undefined) {
    t.say('producer.whatChange', { product: { raw: mention.matches[0].productName } });
    return true;
  }
  const offer = await t.market.updateOffer(producerId(t), mention.matches[0].offerId, patch);
  t.say('producer.updated', {
    product: { raw: offer.productName },
    left: { quantity: offer.available, unit: offer.unit },
    price: { money: offer.priceCents },
  });
  producerMenu(t);
  return true;
}

async function showMyOffers(t: Turn): Promise<void> {
  const offers = await t.market.producerOffers(producerId(t));
  if (offers.length === 0) {
    t.say('producer.noOffers');
  } else {
    t.say('producer.offers', {
      lines: {
        lines: offers.map((o) => ({
          key: o.available === 0 ? 'producer.offerSoldOut' : o.available <= LOW_STOCK ? 'producer.offerLow' : 'producer.offer',
          params: { product: { raw: o.productName }, left: { quantity: o.available, unit: o.unit }, price: { money: o.priceCents } },
        })),
      },
    });
  }
  producerMenu(t);
}

async function showPickList(t: Turn): Promise<void> {
  const rows = await t.market.pickList(producerId(t));
  if (rows.length === 0) {
    t.say('producer.nothingOrdered');
    producerMenu(t);
    return;
  }
  const byPoint = new Map<string, Reply[]>();
  for (const row of rows) {
    const lines = byPoint.get(row.pickupPointName) ?? [];
    lines.push({ key: 'producer.pickLine', params: { amount: { quantity: row.quantity, unit: row.unit }, product: { raw: row.productName } } });
    byPoint.set(row.pickupPointName, lines);
  }
  const blocks: Reply[] = [...byPoint].map(([name, lines]) => ({
    key: 'producer.pickPoint',
    params: { name: { raw: name }, lines: { lines } },
  }));
  t.say('producer.pickList', { lines: { lines: blocks } });
  producerMenu(t);
}

function stockHelp(t: Turn): void {
  t.say('producer.stockHelp');
  producerMenu(t);
}

/** Read with the producers' own parser, so that a post in English ("40 jars 3.50") is refused too. */
function looksLikeStockPost(text: string): boolean {
  // One line cannot hold two stock lines; most messages are one line, and parsing is not free.
  if (!text.includes('\n')) return false;
  return parseStockPost(text).filter((line) => line.ok).length >= STOCK_POST_LINES;
}

const PRODUCERS = ['producer'] as const;

export const producer = my.define({
  phrases: [
    {
      roles: [...PRODUCERS],
      matches: (input) => input.text.includes('\n') || input.understanding.intent === 'stock_post',
      handle: (t, input) => previewStockPost(t, input.text),
    },
    {
      roles: ['customer'],
      matches: (input) => looksLikeStockPost(input.text),
      async handle(t) {
        await t.refuseRole();
        return true;
      },
    },
  ],
  intents: {
    // Tried by the phrase above; what is left of a post that did not read as one is read as anything else.
    stock_post: { roles: [...PRODUCERS], handle: () => false },
    stock_update: { roles: [...PRODUCERS], handle: (t, input) => updateOneOffer(t, input.understanding) },
    picklist: {
      roles: [...PRODUCERS],
      async handle(t) {
        await showPickList(t);
        return true;
      },
    },
    browse: {
      roles: [...PRODUCERS],
      async handle(t, input) {
        if (!MY_OFFERS.test(input.understanding.normalized)) return false;
        await showMyOffers(t);
        return true;
      },
    },
  },
  choices: {
    stockHelp: { roles: [...PRODUCERS], handle: stockHelp },
    myOffers: { roles: [...PRODUCERS], handle: showMyOffers },
    pickList: { roles: [...PRODUCERS], handle: showPickList },
  },
  questions: {
    preview: {
      async answer(t, input, { lines }) {
        const yes = yesNo(input);
        if (yes === null) return false;
        if (yes) await applyStockPost(t, lines);
        else {
          t.settle();
          t.say('producer.discarded');
          await t.mainMenu();
        }
        return true;
      },
      prompt(t, { lines }) {
        t.say('producer.previewAsk', { count: lines.length });
        t.offer(yesNoChoices('producer.apply', 'common.no'), 'yes_no');
        t.ask(my.question.preview, { lines }, 'yes_no');
      },
    },
  },
});
