/** Browsing this week's offer: by category, by producer, by name; details of one offer. */
import { CATEGORIES, type Category, type OfferView } from '../catalog/types.ts';
import type { ItemMention } from './nlu/types.ts';
import { choice, maxChoices, type Turn } from './turn.ts';
import type { Choice, Reply } from './types.ts';

/** At or below this, the offer says "nur noch 3". */
export const LOW_STOCK = 5;

export function offerLine(offer: OfferView, spoken: boolean): Reply {
  const low = offer.available <= LOW_STOCK;
  return {
    key: low ? 'browse.offerLineLow' : 'browse.offerLine',
    params: {
      product: { raw: offer.productName },
      price: { money: offer.priceCents },
      unit: { raw: '' },
      per: { quantity: 1, unit: offer.unit },
      producer: { raw: offer.producerName },
      village: { raw: offer.village },
      left: { quantity: offer.available, unit: offer.unit },
      organic: { lines: offer.organic && !spoken ? [{ key: 'browse.organic' }] : [] },
    },
  };
}

export function offerChoice(offer: OfferView): Choice {
  return choice(`offer:${offer.id}`, 'browse.offerChoice', { product: { raw: offer.productName }, price: { money: offer.priceCents } });
}

/** Shows a page of choices with "weitere" when more remain; keeps the position for the next page. */
function paged(t: Turn, list: string, all: Choice[], offset: number): void {
  const room = maxChoices(t.channel);
  const fits = all.length - offset <= room;
  const page = all.slice(offset, offset + (fits ? room : room - 1));
  if (!fits) page.push(choice('more', 'browse.more'));
  t.state.page = fits ? null : { list, offset: offset + room - 1 };
  t.offer(page);
}

/** "Was gibt es diese Woche?": the categories that have something, with counts. */
export async function showCategories(t: Turn, offset = 0): Promise<void> {
  const offers = await t.market.weekOffer();
  if (offers.length === 0) {
    t.say('browse.nothing');
    return;
  }
  const counts = new Map<Category, number>();
  for (const offer of offers) counts.set(offer.category, (counts.get(offer.category) ?? 0) + 1);
  const present = CATEGORIES.filter((c) => counts.has(c));
  if (offset === 0) {
    t.say(t.spoken ? 'browse.categoriesSpoken' : 'browse.categories', {
      count: offers.length,
      list: {
        list: present.map((c) => ({
          lines: [{ key: 'browse.categoryCount', params: { category: { lines: [{ key: `categories.${c}` }] }, count: counts.get(c)! } }],
        })),
      },
    });
  }
  t.speechHints = offers.map((o) => o.productName);
  paged(t, 'categories', present.map((c) => choice(`cat:${c}`, `categories.${c}`)), offset);
}

/** Lists offers (of a category, a producer, or given ids) as lines and choices. */
export async function showOffers(
  t: Turn,
  filter: { category?: Category; producerId?: number; offerIds?: number[] },
  offset = 0,
): Promise<void> {
  let offers = await t.market.weekOffer(filter.offerIds ? {} : filter);
  if (filter.offerIds) offers = offers.filter((o) => filter.offerIds!.includes(o.id));
  if (offers.length === 0) {
    t.say('browse.noneHere');
    await showCategories(t);
    return;
  }
  const list = filter.category ? `cat:${filter.category}` : filter.producerId ? `producer:${filter.producerId}` : `ids:${offers.map((o) => o.id).join(',')}`;
  if (offset === 0) {
    const heading = filter.category ? `categories.${filter.category}` : 'browse.selection';
    t.say('browse.heading', { title: { lines: [{ key: heading }] } });
    if (!t.spoken) t.say('browse.list', { lines: { lines: offers.map((o) => offerLine(o, false)) } });
  }
  t.speechHints = offers.map((o) => o.productName);
  t.say(t.spoken ? 'browse.pickSpoken' : 'browse.pick');
  paged(t, list, offers.map(offerChoice), offset);
}

/** The next page of whatever list was shown last. */
export async function showMore(t: Turn): Promise<void> {
  const page = t.state.page;
  if (!page) return showCategories(t);
  if (page.list === 'categories') return showCategories(t, page.offset);
  const [kind, value] = page.list.split(':');
  if (kind === 'cat') return showOffers(t, { category: value as Category }, page.offset);
  if (kind === 'producer') return showOffers(t, { producerId: Number(value) }, page.offset);
  return showOffers(t, { offerIds: value.split(',').map(Number) }, page.offset);
}

/** One offer's details, then "Wie viele?". */
export async function showOffer(t: Turn, offerId: number): Promise<void> {
  const offer = (await t.market.weekOffer()).find((o) => o.id === offerId);
  if (!offer) {
    t.say('browse.gone');
    await showCategories(t);
    return;
  }
  t.state.focusOfferId = offer.id;
  t.say('browse.detail', {
    product: { raw: offer.productName },
    description: { raw: offer.description },
    producer: { raw: offer.producerName },
    village: { raw: offer.village },
    price: { money: offer.priceCents },
    per: { quantity: 1, unit: offer.unit },
    left: { quantity: offer.available, unit: offer.unit },
  });
  if (offer.available <= LOW_STOCK) t.say('browse.low', { left: { quantity: offer.available, unit: offer.unit } });
  t.say(t.spoken ? 'cart.howManySpoken' : 'cart.howMany', { unit: { quantity: 2, unit: offer.unit } });
  const quick = offer.step === 1 ? [1, 2, 3].filter((q) => q <= offer.available) : [];
  t.offer(quick.map((q) => choice(`add:${offer.id}:${q}`, 'cart.quick', { quantity: { quantity: q, unit: offer.unit } })), 'number');
  t.ask({ kind: 'quantity', offerId: offer.id }, 'number');
}

/** "Habt ihr Spargel?" → "Spargel": what was asked for when the recogniser found no product in it. */
const ASKED_FOR =
  /^(?:(?:habt|haben|hast) (?:ihr|sie|du)|gibt es|gibts|do you (?:have|sell|stock)|have you got|is there|are there)(?: (?:noch|auch|denn|any|some))* (.+?)(?: (?:da|noch|diese woche|im angebot|vorrätig|this week|left))*\s*\??$/i;

function askedFor(text: string): string | null {
  return ASKED_FOR.exec(text.trim())?.[1].slice(0, 40) ?? null;
}

/** "Habt ihr Eier?": what fits, or a friendly no. */
export async function askProduct(t: Turn, mentions: ItemMention[], category: Category | null, text: string): Promise<boolean> {
  const ids = mentions.flatMap((m) => m.matches.map((x) => x.offerId));
  if (ids.length > 0) {
    await showOffers(t, { offerIds: ids });
    return true;
  }
  if (category) {
    await showOffers(t, { category });
    return true;
  }
  const named = mentions.map((m) => m.text).filter(Boolean).join(', ') || askedFor(text);
  if (!named) return false;
  t.say('browse.notThisWeek', { product: { raw: named } });
  await showCategories(t);
  return true;
}
