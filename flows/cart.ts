/** The cart: add from mentions or choices, change, remove, show. Checked against stock, step and maximum. */
import { isDomainError } from '../catalog/errors.ts';
import { bestAvailable, roundQuantity } from '../catalog/quantities.ts';
import type { OfferView, Unit } from '../catalog/types.ts';
import { offerChoice, showOffer } from './browse.ts';
import { sayError } from './menu.ts';
import type { ItemMention } from './nlu/types.ts';
import { choice, type Turn } from './turn.ts';
import type { Reply } from './types.ts';

const WEIGHT_IN_TEXT = /(\d+(?:[.,]\d+)?)\s*(kg|g)\b/i;

/**
 * The quantity in the offer's own unit: "ein Pfund" (500 g) is 0.5 for a kg offer,
 * and one pack for Quark sold in 500 g packs; null when it cannot be converted
 * (then the customer is asked how many).
 */
export function inOfferUnit(quantity: number, said: Unit | null, offer: Pick<OfferView, 'unit' | 'productName' | 'description'>): number | null {
  const weight = said === 'g' ? quantity : said === 'kg' ? quantity * 1000 : null;
  if (weight === null) return quantity;
  if (offer.unit === 'kg') return roundQuantity(weight / 1000);
  if (offer.unit === 'g') return roundQuantity(weight);
  const pack = WEIGHT_IN_TEXT.exec(`${offer.productName} ${offer.description}`);
  if (!pack) return null;
  const grams = Number(pack[1].replace(',', '.')) * (pack[2].toLowerCase() === 'kg' ? 1000 : 1);
  return Math.max(1, Math.round(weight / grams));
}

async function offerById(t: Turn, offerId: number): Promise<OfferView | null> {
  return (await t.market.weekOffer()).find((o) => o.id === offerId) ?? null;
}

function cartQuantity(t: Turn, offerId: number): number {
  return t.state.cart.find((l) => l.offerId === offerId)?.quantity ?? 0;
}

/** Puts `quantity` of an offer into the cart as its new total; answers stock, step and maximum problems helpfully. */
export async function setLine(t: Turn, offerId: number, quantity: number, mode: 'add' | 'set'): Promise<boolean> {
  const offer = await offerById(t, offerId);
  if (!offer) {
    t.say('browse.gone');
    return false;
  }
  const total = roundQuantity(mode === 'add' ? cartQuantity(t, offerId) + quantity : quantity);
  try {
    await t.market.checkLine({ offerId, quantity: total });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const best = bestAvailable(offer, total);
    if ((error.code === 'OUT_OF_STOCK' || error.code === 'OVER_MAXIMUM') && best > 0) {
      t.say(error.code === 'OUT_OF_STOCK' ? 'cart.onlyLeft' : 'cart.onlyMax', {
        product: { raw: offer.productName },
        left: { quantity: best, unit: offer.unit },
      });
      t.offer([choice('yes', 'common.yes'), choice('no', 'common.no')], 'yes_no');
      t.ask({ kind: 'reduce_to', offerId, quantity: best }, 'yes_no');
      return true;
    }
    if (error.code === 'OUT_OF_STOCK') {
      t.say('cart.soldOut', { product: { raw: offer.productName } });
      return true;
    }
    sayError(t, error);
    return true;
  }
  const week = await t.market.currentWeek();
  if (t.state.cartCycleId !== week.cycle.id) {
    t.state.cart = [];
    t.state.cartCycleId = week.cycle.id;
  }
  const existing = t.state.cart.find((l) => l.offerId === offerId);
  if (existing) existing.quantity = total;
  else t.state.cart.push({ offerId, quantity: total });
  t.state.focusOfferId = offerId;
  t.say(mode === 'add' ? 'cart.added' : 'cart.changed', {
    item: { quantity: total, unit: offer.unit },
    added: { quantity, unit: offer.unit },
    product: { raw: offer.productName },
  });
  return true;
}

/**
 * "2 Gläser Senfgurken und ein Pfund Quark": adds what is clear, then asks about the first
 * unclear one (which product, or how many), so that one question never loses the other items.
 */
export async function addMentions(t: Turn, mentions: ItemMention[]): Promise<boolean> {
  let added = false;
  const unknown: string[] = [];
  let ambiguous: ItemMention | null = null;
  let vague: OfferView | null = null;
  for (const mention of mentions) {
    if (mention.matches.length === 0) {
      if (mention.text) unknown.push(mention.text);
      continue;
    }
    if (mention.matches.length > 1) {
      ambiguous ??= mention;
      continue;
    }
    const offer = await offerById(t, mention.matches[0].offerId);
    if (!offer) continue;
    const quantity = mention.quantity === null ? null : inOfferUnit(mention.quantity, mention.unit, offer);
    if (quantity === null) {
      vague ??= offer;
      continue;
    }
    await setLine(t, offer.id, quantity, 'add');
    added = true;
    if (t.state.pending) return true;
  }
  if (unknown.length) t.say('cart.unknownProducts', { products: { list: unknown.map((raw) => ({ raw })) } });
  if (ambiguous) {
    const offers = (await t.market.weekOffer()).filter((o) => ambiguous.matches.some((m) => m.offerId === o.id)).slice(0, 4);
    t.say('cart.whichOne', { text: { raw: ambiguous.text } });
    t.offer(offers.map(offerChoice));
    t.ask({ kind: 'pick_offer', offerIds: offers.map((o) => o.id), quantity: ambiguous.quantity, unit: ambiguous.unit }, 'choice');
    return true;
  }
  if (vague) {
    await showOffer(t, vague.id);
    return true;
  }
  if (!added) return unknown.length > 0;
  await summary(t);
  return true;
}

/** "doch lieber drei": changes the product talked about last (or the one named). */
export async function changeQuantity(t: Turn, quantity: number | null, mentions: ItemMention[]): Promise<boolean> {
  const named = mentions.find((m) => m.matches.length === 1);
  const offerId = named?.matches[0].offerId ?? t.state.focusOfferId ?? t.state.cart[t.state.cart.length - 1]?.offerId;
  const wanted = named?.quantity ?? quantity;
  if (offerId === undefined || offerId === null || wanted === null) return false;
  if (wanted === 0) return removeFromCart(t, [offerId]);
  const offer = await offerById(t, offerId);
  if (!offer) return false;
  await setLine(t, offerId, inOfferUnit(wanted, named?.unit ?? null, offer) ?? wanted, 'set');
  if (!t.state.pending) await summary(t);
  return true;
}

/** "nimm die Eier raus". */
export async function removeFromCart(t: Turn, offerIds: number[]): Promise<boolean> {
  const before = t.state.cart.length;
  t.state.cart = t.state.cart.filter((l) => !offerIds.includes(l.offerId));
  t.say(before === t.state.cart.length ? 'cart.notInCart' : 'cart.removed');
  await summary(t);
  return true;
}

/** Lines of the cart with prices, for show and read-back. */
export async function cartLines(t: Turn): Promise<{ lines: Reply[]; totalCents: number }> {
  const priced = await t.market.priceCart(t.state.cart);
  return {
    lines: priced.items.map((item) => ({
      key: 'cart.line',
      params: {
        item: { quantity: item.quantity, unit: item.offer.unit },
        product: { raw: item.offer.productName },
        price: { money: item.lineCents },
      },
    })),
    totalCents: priced.totalCents,
  };
}

/** Short summary after a change, with the next steps. */
export async function summary(t: Turn): Promise<void> {
  if (t.state.cart.length === 0) {
    t.say('cart.empty');
    t.offer([choice('browse', 'menu.browse')]);
    return;
  }
  const { totalCents } = await cartLines(t);
  t.say('cart.summary', { count: t.state.cart.length, total: { money: totalCents } });
  t.offer([choice('checkout', 'cart.order'), choice('browse', 'cart.more'), choice('cart', 'cart.show')]);
}

export async function showCart(t: Turn): Promise<void> {
  if (t.state.cart.length === 0) {
    t.say('cart.empty');
    t.offer([choice('browse', 'menu.browse')]);
    return;
  }
  const { lines, totalCents } = await cartLines(t);
  t.say('cart.contents', { lines: { lines }, total: { money: totalCents } });
  t.offer([choice('checkout', 'cart.order'), choice('browse', 'cart.more'), choice('clear', 'cart.clear')]);
}
