/** The cart: add from mentions or choices, change, remove, show. Checked against stock, step and maximum. */
import { isDomainError } from '../catalog/errors.ts';
import type { PricedLine } from '../catalog/marketplace.ts';
import { bestAvailable, roundQuantity } from '../catalog/quantities.ts';
import { UNITS, type OfferView, type Unit } from '../catalog/types.ts';
import { isAmount, numberOf, yesNo, yesNoChoices } from './answers.ts';
import { amount, args, declareDialog, int, picked, type Answer, type TextInput } from './dialog.ts';
import { LOW_STOCK, sayMissing } from './offers.ts';
import { foldUmlauts, normalizeText } from './nlu/normalize.ts';
import { nameContains } from './nlu/products.ts';
import { readUnit } from './nlu/units.ts';
import type { ItemMention } from './nlu/types.ts';
import { label, type Turn } from './turn.ts';
import type { Choice, Reply } from './types.ts';

const WEIGHT_IN_TEXT = /(\d+(?:[.,]\d+)?)\s*(kg|g)\b/i;

interface PickOfferArgs {
  offerIds: number[];
  quantity: number | null;
  unit: Unit | null;
  /** The words that named the product, for "Welche meinen Sie mit „Honig“?". */
  text: string | null;
}

const my = declareDialog('cart', {
  choices: {
    /** One offer's details, then "Wie viele?". */
    offer: { offerId: int },
    add: { offerId: int, quantity: amount },
    clear: {},
  },
  questions: {
    quantity: args<{ offerId: number }>(),
    pickOffer: args<PickOfferArgs>(),
    reduceTo: args<{ offerId: number; quantity: number }>(),
  },
});

/** The choice that shows an offer's details and asks how many. */
export function offerChoice(offer: OfferView): Choice {
  return my.choice.offer.make({ offerId: offer.id }, label('browse.offerChoice', { product: { raw: offer.productName }, price: { money: offer.priceCents } }));
}

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

/** One offer's details, then "Wie viele?". */
export async function showOffer(t: Turn, offerId: number): Promise<void> {
  const offer = await offerById(t, offerId);
  if (!offer) {
    t.say('browse.gone');
    await t.begin('browse');
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
  // Only amounts that can be had: what is left, and no more than one order may take.
  const quick = offer.step === 1 ? [1, 2, 3].filter((q) => q <= offer.available && (offer.maxPerOrder === null || q <= offer.maxPerOrder)) : [];
  t.offer(quick.map((q) => my.choice.add.make({ offerId: offer.id, quantity: q }, label('cart.quick', { quantity: { quantity: q, unit: offer.unit } }))), 'number');
  t.ask(my.question.quantity, { offerId: offer.id }, 'number');
}

/** Puts `quantity` of an offer into the cart as its new total; answers stock, step and maximum problems helpfully. */
export async function setLine(t: Turn, offerId: number, quantity: number, mode: 'add' | 'set'): Promise<boolean> {
  const offer = await offerById(t, offerId);
  if (!offer) {
    t.say('browse.gone');
    return false;
  }
  if (!isAmount(quantity)) {
    // Never a different number than the one said: ask again instead.
    t.say('cart.badAmount', { product: { raw: offer.productName } });
    t.queue(my.question.quantity, { offerId });
    return true;
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
      t.offer(yesNoChoices('common.yes', 'common.no'), 'yes_no');
      t.ask(my.question.reduceTo, { offerId, quantity: best }, 'yes_no');
      return true;
    }
    if (error.code === 'OUT_OF_STOCK') {
      t.say('cart.soldOut', { product: { raw: offer.productName } });
      return true;
    }
    t.sayError(error);
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

/** Adds a line and, unless that raised a question, says what the cart now holds. */
async function addAndSum(t: Turn, offerId: number, quantity: number): Promise<void> {
  await setLine(t, offerId, quantity, 'add');
  if (!t.question) await summary(t);
}

/** "Welche meinen Sie?" with the offers that fit. */
async function askWhich(t: Turn, which: PickOfferArgs): Promise<void> {
  const offers = (await t.market.weekOffer()).filter((o) => which.offerIds.includes(o.id));
  t.say('cart.whichOne', { text: { raw: which.text ?? '' } });
  t.offer(offers.map(offerChoice));
  t.ask(my.question.pickOffer, { ...which, offerIds: offers.map((o) => o.id) }, 'choice');
}

/**
 * "2 Gläser Senfgurken und ein Pfund Quark": adds what is clear, then asks about the
 * unclear ones (which product, or how many) one at a time, so that no item is lost.
 */
export async function addMentions(t: Turn, mentions: ItemMention[]): Promise<boolean> {
  let added = false;
  const unknown: string[] = [];
  const open: Array<{ which: PickOfferArgs } | { howMany: number }> = [];
  for (const mention of mentions) {
    if (mention.matches.length === 0) {
      if (mention.text) unknown.push(mention.text);
      continue;
    }
    const said = mention.quantity !== null && isAmount(mention.quantity) ? mention.quantity : null;
    if (mention.matches.length > 1) {
      if (said !== mention.quantity) t.say('cart.badAmountPlain');
      open.push({ which: { offerIds: mention.matches.map((m) => m.offerId), quantity: said, unit: mention.unit, text: mention.text } });
      continue;
    }
    const offer = await offerById(t, mention.matches[0].offerId);
    if (!offer) continue;
    if (said !== mention.quantity) t.say('cart.badAmount', { product: { raw: offer.productName } });
    const quantity = said === null ? null : inOfferUnit(said, mention.unit, offer);
    if (quantity === null) {
      open.push({ howMany: offer.id });
      continue;
    }
    await setLine(t, offer.id, quantity, 'add');
    added = true;
    // "Nur noch 3 da — soll ich 3 nehmen?" is asked now; what comes after waits for the answer.
    if (t.question) break;
  }
  if (unknown.length) t.say('cart.unknownProducts', { products: { list: unknown.map((raw) => ({ raw })) } });
  // Which product comes before how many: it is asked first, the rest wait on the agenda.
  open.sort((a, b) => Number('howMany' in a) - Number('howMany' in b));
  for (const question of open) {
    if ('which' in question) t.queue(my.question.pickOffer, question.which);
    else t.queue(my.question.quantity, { offerId: question.howMany });
  }
  if (t.question || open.length > 0) return true;
  if (!added) return unknown.length > 0;
  await summary(t);
  return true;
}

/** "doch lieber drei": changes the product talked about last (or the one named). */
export async function changeQuantity(t: Turn, quantity: number | null, mentions: ItemMention[]): Promise<boolean> {
  const offers = await t.market.weekOffer();
  const named = mentions.find((m) => namedLine(t, m, offers) !== null);
  // "doch lieber 3 Gurken" with no pickles in the basket: which pickles? — never a change to another product.
  if (!named && mentions.some((m) => m.matches.length > 0)) return addMentions(t, mentions);
  const offerId = (named && namedLine(t, named, offers)) ?? t.state.focusOfferId ?? t.state.cart[t.state.cart.length - 1]?.offerId;
  const wanted = named?.quantity ?? quantity;
  if (offerId === undefined || offerId === null || wanted === null) return false;
  if (wanted === 0) return removeFromCart(t, [offerId]);
  const offer = await offerById(t, offerId);
  if (!offer) return false;
  await setLine(t, offerId, inOfferUnit(wanted, named?.unit ?? null, offer) ?? wanted, 'set');
  if (!t.question) await summary(t);
  return true;
}

/**
 * The offer a mention names for a change: its one match, or — "doch lieber 3 Gurken" with four kinds
 * on offer — the one kind of them in the basket. Null when it names none or several in the basket.
 */
function namedLine(t: Turn, mention: ItemMention, offers: OfferView[]): number | null {
  if (mention.matches.length === 1) return mention.matches[0].offerId;
  if (mention.matches.length === 0) return null;
  const inCart = basketLinesNamed(t, mention, offers);
  return inCart.length === 1 ? inCart[0] : null;
}

/** The offers in the basket whose names contain what the mention said ("honig" → the Waldhonig in it). */
function basketLinesNamed(t: Turn, mention: ItemMention, offers: OfferView[]): number[] {
  return t.state.cart
    .map((line) => offers.find((o) => o.id === line.offerId))
    .filter((offer): offer is OfferView => offer !== undefined && (mention.matches.some((m) => m.offerId === offer.id) || nameContains(offer.productName, mention.text)))
    .map((offer) => offer.id);
}

/** "nimm die Eier raus". */
export async function removeFromCart(t: Turn, offerIds: number[], { summary: sum = true } = {}): Promise<boolean> {
  const before = t.state.cart.length;
  t.state.cart = t.state.cart.filter((l) => !offerIds.includes(l.offerId));
  t.say(before === t.state.cart.length ? 'cart.notInCart' : 'cart.removed');
  if (sum) await summary(t);
  return true;
}

/** Lines of the cart with prices, for show and read-back. */
export async function cartLines(t: Turn): Promise<{ lines: Reply[]; totalCents: number; items: PricedLine[] }> {
  const priced = await t.market.priceCart(t.state.cart);
  return {
    items: priced.items,
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
    t.offer([t.beginChoice('browse', 'menu.browse')]);
    return;
  }
  const { totalCents } = await cartLines(t);
  t.say('cart.summary', { count: t.state.cart.length, total: { money: totalCents } });
  t.offer([t.beginChoice('checkout', 'cart.order'), t.beginChoice('browse', 'cart.more'), t.beginChoice('cart', 'cart.show')]);
}

export async function showCart(t: Turn): Promise<void> {
  if (t.state.cart.length === 0) {
    t.say('cart.empty');
    t.offer([t.beginChoice('browse', 'menu.browse')]);
    return;
  }
  const { lines, totalCents } = await cartLines(t);
  t.say('cart.contents', { lines: { lines }, total: { money: totalCents } });
  t.offer([t.beginChoice('checkout', 'cart.order'), t.beginChoice('browse', 'cart.more'), my.choice.clear.make({}, label('cart.clear'))]);
}

/** An offer picked from "Welche meinen Sie?", with the amount said before if it converts. */
async function addPicked(t: Turn, offerId: number, said: number | null, unit: Unit | null): Promise<boolean> {
  t.settle();
  const offer = said === null ? undefined : (await offerById(t, offerId)) ?? undefined;
  const quantity = offer && said !== null ? inOfferUnit(said, unit, offer) : null;
  if (quantity === null) {
    await showOffer(t, offerId);
    return true;
  }
  await addAndSum(t, offerId, quantity);
  return true;
}

function pickedOffer(input: Answer, offerIds: number[]): number | null {
  const pressed = picked(input, my.choice.offer);
  if (pressed) return offerIds.includes(pressed.offerId) ? pressed.offerId : null;
  if (input.kind !== 'text') return null;
  return input.understanding.entities.items.flatMap((i) => i.matches).find((m) => offerIds.includes(m.offerId))?.offerId ?? null;
}

function mentionsOf(input: TextInput): ItemMention[] {
  return input.understanding.entities.items;
}

/**
 * One product said with its amount further off ("zwei Kilo von den festen Kartoffeln") and words that
 * tell its kinds apart: the amount belongs to it, and "festen" chooses the festkochend ones.
 */
function mentionAsSaid(input: TextInput): ItemMention[] {
  const { items, number } = input.understanding.entities;
  if (items.length !== 1) return items;
  const words = foldUmlauts(normalizeText(input.text)).split(' ');
  let mention = items[0];
  if (mention.quantity === null && number !== null && isAmount(number)) {
    const unit = words.map(readUnit).find((reading) => reading !== null) ?? null;
    mention = { ...mention, quantity: unit ? roundQuantity(number * unit.scale) : number, unit: unit?.unit ?? mention.unit };
  }
  if (mention.matches.length > 1) {
    const itemWords = new Set(foldUmlauts(normalizeText(mention.text)).split(' '));
    let left = mention.matches;
    for (const word of words) {
      if (word.length < 5 || itemWords.has(word)) continue;
      const stem = word.replace(/(en|es|er|em|e|n|s)$/, '');
      const hit = left.filter((m) => foldUmlauts(normalizeText(m.productName)).split(' ').some((w) => w.startsWith(stem)));
      // A word that fits some kinds but not all tells them apart.
      if (hit.length > 0 && hit.length < left.length) left = hit;
    }
    if (left.length < mention.matches.length) mention = { ...mention, matches: left };
  }
  return [mention];
}

export const cart = my.define({
  begin: (t) => showCart(t),
  intents: {
    add_to_cart: {
      async handle(t, input) {
        const e = input.understanding.entities;
        if (e.items.length > 0 && (await addMentions(t, mentionAsSaid(input)))) return true;
        if (e.category) {
          sayMissing(t, e.missingKind);
          await t.begin('browse', { category: e.category });
          return true;
        }
        return false;
      },
    },
    remove_from_cart: {
      async handle(t, input) {
        // "ohne den Honig": every kind of honey in the basket goes, never a kind that is not in it.
        const offers = await t.market.weekOffer();
        const mentions = mentionsOf(input);
        // "2 Gläser Senfgurken, aber keine Eier": what comes with an amount is wanted, the rest goes.
        const wanted = mentions.some((m) => m.quantity === null) ? mentions.filter((m) => m.quantity !== null) : [];
        const ids = mentions.filter((m) => !wanted.includes(m)).flatMap((i) => {
          const inCart = basketLinesNamed(t, i, offers);
          return inCart.length > 0 ? inCart : i.matches.slice(0, 1).map((m) => m.offerId);
        });
        if (ids.length === 0 && t.state.focusOfferId !== null) ids.push(t.state.focusOfferId);
        if (wanted.length === 0) return removeFromCart(t, ids);
        // What was not in the basket needs no word: the summary after adding shows it is not there.
        if (t.state.cart.some((line) => ids.includes(line.offerId))) await removeFromCart(t, ids, { summary: false });
        return addMentions(t, wanted);
      },
    },
    change_quantity: { handle: (t, input) => changeQuantity(t, input.understanding.entities.number, mentionsOf(input)) },
    show_cart: {
      async handle(t) {
        await showCart(t);
        return true;
      },
    },
    unknown: {
      handle: (t, input) => (mentionsOf(input).some((i) => i.matches.length > 0) ? addMentions(t, mentionsOf(input)) : false),
    },
  },
  choices: {
    offer: {
      async handle(t, { offerId }) {
        t.settle();
        await showOffer(t, offerId);
      },
    },
    add: {
      async handle(t, { offerId, quantity }) {
        t.settle();
        await addAndSum(t, offerId, quantity);
      },
    },
    clear: {
      async handle(t) {
        t.reset();
        t.state.cart = [];
        // While changing a placed order, an empty basket is a new start for the change, not a second order.
        t.say(t.state.editOrderId ? 'cart.clearedWhileChanging' : 'cart.cleared');
        await t.mainMenu();
      },
    },
  },
  questions: {
    quantity: {
      async answer(t, input, { offerId }) {
        const quantity = numberOf(input);
        if (quantity === null) return false;
        t.settle();
        await addAndSum(t, offerId, quantity);
        return true;
      },
      prompt: (t, { offerId }) => showOffer(t, offerId),
    },
    pickOffer: {
      answer(t, input, which) {
        const offerId = pickedOffer(input, which.offerIds);
        if (offerId === null) return false;
        return addPicked(t, offerId, which.quantity, which.unit && UNITS.includes(which.unit) ? which.unit : null);
      },
      prompt: askWhich,
    },
    reduceTo: {
      async answer(t, input, { offerId, quantity }) {
        const yes = yesNo(input);
        if (yes === null) return false;
        t.settle();
        if (yes) {
          await setLine(t, offerId, quantity, 'set');
          if (!t.question) await summary(t);
        } else {
          t.say('cart.leftAsIs');
          await summary(t);
        }
        return true;
      },
      async prompt(t, { offerId, quantity }) {
        const offer = await offerById(t, offerId);
        if (!offer) return;
        t.say('cart.onlyLeft', { product: { raw: offer.productName }, left: { quantity, unit: offer.unit } });
        t.offer(yesNoChoices('common.yes', 'common.no'), 'yes_no');
        t.ask(my.question.reduceTo, { offerId, quantity }, 'yes_no');
      },
    },
  },
});
