/** Browsing this week's offer: by category, by producer, by name. */
import { CATEGORIES, type Category } from '../catalog/types.ts';
import { offerChoice } from './cart.ts';
import { declareDialog, oneOf } from './dialog.ts';
import type { ItemMention } from './nlu/types.ts';
import { offerLine, sayMissing } from './offers.ts';
import { label, type Turn } from './turn.ts';

const my = declareDialog('browse', {
  choices: { category: { category: oneOf(CATEGORIES) } },
  tags: { category: 'cat' },
});

/** What a list of offers shows: a category, a producer's offers, or the offers a message named. */
type Listing = { kind: 'category'; category: Category } | { kind: 'producer'; producerId: number } | { kind: 'ids'; offerIds: number[] };

/** "Was gibt es diese Woche?": the categories that have something, with counts. */
export async function showCategories(t: Turn): Promise<void> {
  const offers = await t.market.weekOffer();
  if (offers.length === 0) {
    t.say('browse.nothing');
    return;
  }
  const counts = new Map<Category, number>();
  for (const offer of offers) counts.set(offer.category, (counts.get(offer.category) ?? 0) + 1);
  const present = CATEGORIES.filter((c) => counts.has(c));
  t.say(t.spoken ? 'browse.categoriesSpoken' : 'browse.categories', {
    count: offers.length,
    list: {
      list: present.map((c) => ({
        lines: [{ key: 'browse.categoryCount', params: { category: { lines: [{ key: `categories.${c}` }] }, count: counts.get(c)! } }],
      })),
    },
  });
  t.speechHints = offers.map((o) => o.productName);
  t.offer(present.map((category) => my.choice.category.make({ category }, label(`categories.${category}`))));
}

/** Lists offers (of a category, a producer, or given ids) as lines and choices. */
async function showOffers(t: Turn, listing: Listing): Promise<void> {
  let offers = await t.market.weekOffer(
    listing.kind === 'category' ? { category: listing.category } : listing.kind === 'producer' ? { producerId: listing.producerId } : {},
  );
  if (listing.kind === 'ids') offers = offers.filter((o) => listing.offerIds.includes(o.id));
  if (offers.length === 0) {
    t.say('browse.noneHere');
    await showCategories(t);
    return;
  }
  const heading = listing.kind === 'category' ? `categories.${listing.category}` : 'browse.selection';
  t.say('browse.heading', { title: { lines: [{ key: heading }] } });
  if (!t.spoken) t.say('browse.list', { lines: { lines: offers.map((o) => offerLine(o, false)) } });
  t.speechHints = offers.map((o) => o.productName);
  t.say(t.spoken ? 'browse.pickSpoken' : 'browse.pick');
  t.offer(offers.map(offerChoice));
}

/** "Habt ihr Spargel?" → "Spargel": what was asked for when the recogniser found no product in it. */
const ASKED_FOR =
  /^(?:(?:habt|haben|hast) (?:ihr|sie|du)|gibt es|gibts|do you (?:have|sell|stock)|have you got|is there|are there)(?: (?:noch|auch|denn|any|some))* (.+?)(?: (?:da|noch|diese woche|im angebot|vorrätig|this week|left))*\s*\??$/i;

function askedFor(text: string): string | null {
  return ASKED_FOR.exec(text.trim())?.[1].slice(0, 40) ?? null;
}

/** "Habt ihr Eier?": what fits, or a friendly no. */
async function askProduct(t: Turn, mentions: ItemMention[], category: Category | null, missingKind: string | null, text: string): Promise<boolean> {
  const ids = mentions.flatMap((m) => m.matches.map((x) => x.offerId));
  if (ids.length > 0) {
    await showOffers(t, { kind: 'ids', offerIds: ids });
    return true;
  }
  if (category) {
    sayMissing(t, missingKind);
    await showOffers(t, { kind: 'category', category });
    return true;
  }
  const named = mentions.map((m) => m.text).filter(Boolean).join(', ') || askedFor(text);
  if (!named) return false;
  t.say('browse.notThisWeek', { product: { raw: named } });
  await showCategories(t);
  return true;
}

/** What `t.begin('browse', …)` may ask for: a category, a producer's offers, or the categories. */
function beginArgs(value: unknown): { category?: Category; producerId?: number } {
  const given = (value ?? {}) as { category?: unknown; producerId?: unknown };
  return {
    ...(CATEGORIES.includes(given.category as Category) ? { category: given.category as Category } : {}),
    ...(typeof given.producerId === 'number' ? { producerId: given.producerId } : {}),
  };
}

export const browse = my.define({
  async begin(t, value) {
    const { category, producerId } = beginArgs(value);
    if (category) await showOffers(t, { kind: 'category', category });
    else if (producerId !== undefined) await showOffers(t, { kind: 'producer', producerId });
    else await showCategories(t);
  },
  intents: {
    browse: {
      async handle(t, input) {
        const e = input.understanding.entities;
        if (e.category) {
          sayMissing(t, e.missingKind);
          await showOffers(t, { kind: 'category', category: e.category });
        } else if (e.producerName) {
          const offer = (await t.market.weekOffer()).find((o) => o.producerName === e.producerName);
          if (offer) await showOffers(t, { kind: 'producer', producerId: offer.producerId });
          else await showCategories(t);
        } else await showCategories(t);
        return true;
      },
    },
    ask_product: {
      async handle(t, input) {
        const e = input.understanding.entities;
        if (!(await askProduct(t, e.items, e.category, e.missingKind, input.text))) await showCategories(t);
        return true;
      },
    },
  },
  choices: {
    category: {
      async handle(t, { category }) {
        t.reset();
        await showOffers(t, { kind: 'category', category });
      },
    },
  },
  questions: {},
});
