/**
 * Producers: post the week's stock as they write it, see a preview of every
 * line, confirm; each new product is asked about on its own. Also: single
 * changes ("Senfgurken nur noch 10"), taking an offer out, the pick list, and
 * what has sold so far.
 *
 * Only a product named exactly can be changed or sold out; a name that is not
 * the producer's yet becomes a product only after "ja" to that name.
 */
import type { OfferChange, ProductOffer } from '../catalog/producer-stock.ts';
import type { Category, Unit } from '../catalog/types.ts';
import { CATEGORIES } from '../catalog/types.ts';
import { yesNo, yesNoChoices } from './answers.ts';
import { args, declareDialog, int } from './dialog.ts';
import { LOW_STOCK } from './offers.ts';
import { categoryOfName } from './nlu/entities.ts';
import { foldUmlauts, normalizeText } from './nlu/normalize.ts';
import { parseStockPost } from './nlu/stock-lines.ts';
import { nearProducts, readStockPost, type StockPostItem } from './nlu/stock-post.ts';
import { label, named, type Turn } from './turn.ts';
import type { Reply, ReplyParam } from './types.ts';

/** What the producer has sent since the last preview was settled: the pieces read and the lines not understood. */
interface Post {
  likeLastWeek: boolean;
  items: StockPostItem[];
  unread: Array<{ lineNumber: number; text: string }>;
}

/** A product the producer has not used yet, proposed by a post and waiting for "ja". */
interface ProposedProduct {
  name: string;
  unit: Unit;
  quantity: number;
  priceCents: number;
  packSize: string | null;
  organic: boolean;
  allergens: string | null;
  ingredients: string | null;
  category: Category;
}

const my = declareDialog('producer', {
  choices: { stockHelp: {}, myOffers: {}, pickList: {}, sales: {}, remove: { offerId: int } },
  tags: { stockHelp: 'stock_help', myOffers: 'my_offers', pickList: 'picklist', remove: 'remove_offer' },
  questions: {
    preview: args<{ post: Post }>(),
    newProduct: args<{ product: ProposedProduct }>(),
    remove: args<{ offerId: number; productName: string }>(),
  },
});

/** "Meine Angebote" typed instead of tapped: a producer's own offers, not the customers' overview. */
const MY_OFFERS = /\b(meine|my) (angebote?|offers?)\b/;
/** A message with at least this many lines that read as stock lines is a stock post. */
const STOCK_POST_LINES = 2;
const REMOVE = /\b(?:l(?:ö|oe)schen|streichen|entfernen|rausnehmen|herausnehmen|wegnehmen|aus dem angebot(?: nehmen)?|nicht mehr anbieten|delete|remove)\b/giu;
/** Words around a product's name in "bitte Gurkensalat aus dem Angebot nehmen". */
const REMOVE_FILLERS = /\b(?:bitte|das|den|die|dem|angebot|nehmen|sie|mal|doch|ganz|wieder|please|the|offer|from|my)\b/giu;
const SALES = /\b(?:verkauft|umsatz|einnahmen|eingenommen|verdient|takings|sold(?!\s+out)|revenue|sales|earned)\b/iu;
const TO_GRAMS: Partial<Record<Unit, Unit>> = { g: 'kg', kg: 'g' };

export function producerMenu(t: Turn): void {
  t.say('producer.menu');
  t.offerMenu([
    my.choice.stockHelp.make({}, label('producer.postStock')),
    my.choice.myOffers.make({}, label('producer.myOffers')),
    my.choice.pickList.make({}, label('producer.picklist')),
    my.choice.sales.make({}, label('producer.sales')),
    t.beginChoice('shopping', 'shopping.shop'),
  ]);
}

function producerOf(t: Turn) {
  if (t.role.kind !== 'producer') throw new Error('producer flow without a producer');
  return t.role.producer;
}

const fold = (text: string): string => foldUmlauts(normalizeText(text));
const amount = (quantity: number, unit: Unit): ReplyParam => ({ quantity, unit });

/** `quantity` given in `from` as a quantity of `to`; null when the units do not fit ("10 kg" of a product sold by the jar). */
function inUnit(quantity: number, from: Unit | null, to: Unit): number | null {
  if (from === null || from === to) return quantity;
  if (TO_GRAMS[from] !== to) return null;
  return from === 'g' ? quantity / 1000 : quantity * 1000;
}

// ---------------------------------------------------------------- reading a post against the producer's products

interface Plan {
  changes: Array<{ entry: ProductOffer; change: OfferChange }>;
  proposed: ProposedProduct[];
  notes: Reply[];
}

async function catalogueOf(t: Turn): Promise<ProductOffer[]> {
  return t.deps.stock.catalogue(producerOf(t).id);
}

function read(t: Turn, text: string, catalogue: ProductOffer[]): Post {
  const producer = producerOf(t);
  return readStockPost(text, catalogue.map((entry) => entry.product.name), [producer.name, producer.village]);
}

/** What a post would change: exact names change their product, other names are proposed, the rest is said back. */
async function planOf(t: Turn, post: Post, catalogue: ProductOffer[]): Promise<Plan> {
  const names = catalogue.map((entry) => entry.product.name);
  const changes = new Map<number, { entry: ProductOffer; change: OfferChange }>();
  const proposed = new Map<string, ProposedProduct>();
  const notes: Reply[] = [];
  const lastWeek = post.likeLastWeek || post.items.some((item) => item.known !== null) ? await t.deps.stock.lastWeek(producerOf(t).id) : [];
  if (post.likeLastWeek) {
    if (lastWeek.length === 0) notes.push({ key: 'producer.noLastWeek' });
    for (const last of lastWeek) {
      const entry = catalogue.find((candidate) => candidate.product.id === last.productId);
      if (entry) changes.set(entry.product.id, { entry, change: { productId: entry.product.id, quantity: last.quantity, priceCents: last.priceCents } });
    }
  }
  const note = (key: string, item: StockPostItem, params: Record<string, ReplyParam> = {}) =>
    notes.push({ key, params: { line: item.lineNumber, text: { raw: item.text.slice(0, 80) }, ...params } });
  for (const item of post.items) {
    const entry = item.known === null ? undefined : catalogue.find((candidate) => candidate.product.name === item.known);
    if (entry) {
      const { product, offer } = entry;
      const quantity = item.quantity === null ? null : inUnit(item.quantity, item.unit, product.unit);
      if (item.quantity !== null && quantity === null) {
        note('producer.previewUnit', item, { product: { raw: product.name }, unit: { lines: [{ key: `units.${product.unit}`, params: { count: 1 } }] } });
        continue;
      }
      const change: OfferChange = { ...(changes.get(product.id)?.change ?? { productId: product.id }) };
      if (quantity !== null) change.quantity = quantity;
      if (item.priceCents !== null) change.priceCents = item.priceCents;
      if (item.organic) change.organic = true;
      if (item.allergens !== null) change.allergens = item.allergens;
      if (item.ingredients !== null) change.ingredients = item.ingredients;
      if (!offer && change.priceCents === undefined) {
        const last = lastWeek.find((candidate) => candidate.productId === product.id);
        if (!last) {
          note('producer.previewMissing', item, { what: { lines: [{ key: 'producer.missingPrice' }] } });
          continue;
        }
        change.priceCents = last.priceCents;
      }
      if (!offer && change.quantity === undefined) {
        note('producer.previewMissing', item, { what: { lines: [{ key: 'producer.missingQuantity' }] } });
        continue;
      }
      changes.set(product.id, { entry, change });
      continue;
    }
    const near = nearProducts(item.name, names);
    if (near.length > 0) {
      note('producer.previewUnclear', item, { products: { list: near.map((name) => ({ raw: name })) } });
    } else if (item.quantity === 0) {
      note('producer.previewUnknown', item, { product: { raw: item.name } });
    } else if (item.quantity === null || item.priceCents === null) {
      note('producer.previewMissing', item, { what: { lines: [{ key: item.priceCents === null ? 'producer.missingPrice' : 'producer.missingQuantity' }] } });
    } else {
      proposed.set(fold(item.name), {
        name: item.name, unit: item.unit ?? 'piece', quantity: item.quantity, priceCents: item.priceCents, packSize: item.packSize,
        organic: item.organic, allergens: item.allergens, ingredients: item.ingredients, category: guessCategory(item.name, catalogue),
      });
    }
  }
  for (const unread of post.unread) notes.push({ key: 'producer.previewBad', params: { line: unread.lineNumber, text: { raw: unread.text.slice(0, 80) } } });
  return { changes: [...changes.values()], proposed: [...proposed.values()], notes };
}

/** The category the name says ("Leinöl" → oil, "Waldhonig" → honey), else the producer's usual one. */
function guessCategory(name: string, catalogue: ProductOffer[]): Category {
  const said = categoryOfName(name);
  if (said) return said;
  const counts = new Map<Category, number>();
  for (const { product } of catalogue) counts.set(product.category, (counts.get(product.category) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'vegetables';
}

type Extras = { organic?: boolean; allergens?: string | null; ingredients?: string | null };

/** Bio, allergens and ingredients as lines of their own under a product. */
function extrasOf(source: Extras): Reply[] {
  const extras: Reply[] = [];
  if (source.organic) extras.push({ key: 'producer.extraOrganic' });
  if (source.allergens) extras.push({ key: 'producer.extraAllergens', params: { list: { raw: source.allergens } } });
  if (source.ingredients) extras.push({ key: 'producer.extraIngredients', params: { list: { raw: source.ingredients } } });
  return extras;
}

/** The same lines inside one message, after its first line ('' when there are none). */
function extrasParam(source: Extras): ReplyParam {
  const extras = extrasOf(source);
  return { lines: extras.length === 0 ? [] : [{ key: 'producer.extras', params: { lines: { lines: extras } } }] };
}

/** One preview line per change: what it will be, and what it was where that differs. */
function changeLines({ entry, change }: Plan['changes'][number]): Reply[] {
  const { product, offer } = entry;
  const unit = product.unit;
  const quantity = change.quantity ?? offer?.available ?? 0;
  const priceCents = change.priceCents ?? offer?.priceCents ?? 0;
  const base = { product: { raw: product.name }, per: amount(1, unit) };
  const was = offer ? [{ key: 'producer.previewWas', params: { amount: amount(offer.available, unit), price: { money: offer.priceCents } } }] : [];
  const changed = !offer || offer.available !== quantity || offer.priceCents !== priceCents;
  let line: Reply;
  if (!changed && change.quantity !== undefined && change.quantity > 0) {
    line = { key: 'producer.previewSame', params: { ...base, amount: amount(quantity, unit), price: { money: priceCents } } };
  } else if (change.quantity === 0) {
    line = { key: 'producer.previewSoldOut', params: { ...base, before: { lines: offer && offer.available > 0 ? was : [] } } };
  } else if (change.quantity !== undefined && change.priceCents === undefined && offer) {
    line = { key: 'producer.previewAmount', params: { ...base, amount: amount(quantity, unit), was: amount(offer.available, unit), price: { money: priceCents } } };
  } else if (change.priceCents !== undefined && change.quantity === undefined && offer) {
    line = { key: 'producer.previewPrice', params: { ...base, price: { money: priceCents }, was: { money: offer.priceCents }, amount: amount(quantity, unit) } };
  } else if (change.quantity === undefined && change.priceCents === undefined) {
    line = { key: 'producer.previewDetails', params: base };
  } else {
    line = { key: 'producer.previewLine', params: { ...base, amount: amount(quantity, unit), price: { money: priceCents }, before: { lines: changed ? was : [] } } };
  }
  return [line, ...extrasOf(change)];
}

function proposedLines(product: ProposedProduct): Reply[] {
  return [
    {
      key: 'producer.previewNew',
      params: { product: { raw: product.name }, amount: amount(product.quantity, product.unit), price: { money: product.priceCents }, per: amount(1, product.unit) },
    },
    ...extrasOf(product),
  ];
}

/** Shows what the post would do and asks once; nothing changes before "ja". */
async function showPreview(t: Turn, post: Post): Promise<void> {
  const plan = await planOf(t, post, await catalogueOf(t));
  const lines = [...plan.changes.flatMap(changeLines), ...plan.proposed.flatMap(proposedLines), ...plan.notes];
  t.say('producer.preview', { lines: { lines } });
  const count = plan.changes.length + plan.proposed.length;
  if (count === 0) {
    t.settle();
    t.say('producer.nothingToApply');
    producerMenu(t);
    return;
  }
  askPreview(t, post, plan);
}

function askPreview(t: Turn, post: Post, plan: Plan): void {
  const onlyNew = plan.changes.length === 0;
  if (onlyNew) t.say('producer.previewAskOnlyNew', { count: plan.proposed.length });
  else t.say('producer.previewAsk', { count: plan.changes.length });
  if (!onlyNew && plan.proposed.length > 0) t.say('producer.previewAskNew', { count: plan.proposed.length });
  t.offer(yesNoChoices(onlyNew ? 'producer.continue' : 'producer.apply', 'common.no'), 'yes_no');
  t.ask(my.question.preview, { post }, 'yes_no');
}

/** Applies the changes to known products, then asks about each proposed product in turn. */
async function applyPost(t: Turn, post: Post): Promise<void> {
  t.settle();
  const plan = await planOf(t, post, await catalogueOf(t));
  if (plan.changes.length > 0) {
    const applied = await t.deps.stock.applyChanges(producerOf(t).id, plan.changes.map(({ change }) => change));
    t.say('producer.applied', { count: applied.length });
  }
  for (const product of plan.proposed) t.queue(my.question.newProduct, { product });
  if (plan.proposed.length > 0) t.say('producer.newAhead', { count: plan.proposed.length });
  else producerMenu(t);
}

function mergePosts(before: Post, after: Post): Post {
  return { likeLastWeek: before.likeLastWeek || after.likeLastWeek, items: [...before.items, ...after.items], unread: after.unread };
}

/** A message that reads as stock: one exact change is made at once, anything more is previewed. */
async function stockMessage(t: Turn, text: string): Promise<boolean> {
  const catalogue = await catalogueOf(t);
  const post = read(t, text, catalogue);
  if (post.items.length === 0 && !post.likeLastWeek) return false;
  const single = !post.likeLastWeek && post.items.length === 1 && post.unread.length === 0 && !text.includes('\n');
  if (single) {
    const plan = await planOf(t, post, catalogue);
    const [only] = plan.changes;
    if (plan.changes.length === 1 && plan.proposed.length === 0 && plan.notes.length === 0 && only.entry.offer) {
      const [offer] = await t.deps.stock.applyChanges(producerOf(t).id, [only.change]);
      t.say('producer.updated', {
        product: { raw: offer.productName }, left: amount(offer.available, offer.unit), price: { money: offer.priceCents }, extras: extrasParam(only.change),
      });
      producerMenu(t);
      return true;
    }
    const near = post.items[0].known === null ? nearProducts(post.items[0].name, catalogue.map((entry) => entry.product.name)) : [];
    if (plan.changes.length === 0 && plan.proposed.length === 0 && near.length > 0) {
      t.say('producer.ambiguous', { products: { list: near.map((name) => ({ raw: name })) } });
      return true;
    }
  }
  await showPreview(t, post);
  return true;
}

// ---------------------------------------------------------------- new products, one question each

function moreProposed(t: Turn): boolean {
  return t.state.agenda.some((open) => open.dialog === my.id && open.question === 'newProduct');
}

function categoryLabel(category: Category): ReplyParam {
  return { lines: [{ key: `categories.${category}` }] };
}

function askNewProduct(t: Turn, product: ProposedProduct): void {
  t.say('producer.newProductAsk', {
    product: { raw: product.name }, category: categoryLabel(product.category),
    amount: amount(product.quantity, product.unit), price: { money: product.priceCents }, per: amount(1, product.unit),
    extras: extrasParam(product),
  });
  t.offer(yesNoChoices('producer.newProductYes', 'producer.newProductNo', { category: categoryLabel(product.category) }), 'yes_no');
  t.ask(my.question.newProduct, { product }, 'yes_no');
}

/** "Obst", "Gemüse", "als Honig": a category instead of yes or no. */
async function categoryNamed(t: Turn, text: string): Promise<Category | null> {
  const understood = await t.deps.recogniser.understand(text, { language: t.language, vocabulary: [], places: [] });
  const category = understood.entities.category;
  return category !== null && (CATEGORIES as readonly string[]).includes(category) ? category : null;
}

async function settleNewProduct(t: Turn, product: ProposedProduct, create: boolean): Promise<void> {
  t.settle();
  if (create) {
    const offer = await t.deps.stock.addProduct(producerOf(t).id, {
      name: product.name, category: product.category, unit: product.unit, quantity: product.quantity, priceCents: product.priceCents,
      description: product.packSize ?? undefined, organic: product.organic, allergens: product.allergens ?? undefined,
      ingredients: product.ingredients ?? undefined,
    });
    t.say('producer.newProductAdded', {
      product: { raw: offer.productName }, category: categoryLabel(offer.category), amount: amount(offer.available, offer.unit),
      price: { money: offer.priceCents },
    });
  } else {
    t.say('producer.newProductSkipped', { product: { raw: product.name } });
  }
  if (!moreProposed(t)) producerMenu(t);
}

// ---------------------------------------------------------------- taking an offer out

async function removeRequest(t: Turn, text: string): Promise<boolean> {
  const offered = (await catalogueOf(t)).filter((entry) => entry.offer !== null);
  const rest = text.replace(REMOVE, ' ').replace(REMOVE_FILLERS, ' ').replace(/[^\p{L}\p{N}%]+/gu, ' ').trim();
  const exact = offered.find((entry) => fold(entry.product.name) === fold(rest));
  if (exact) {
    askRemove(t, exact.offer!.id, exact.product.name);
    return true;
  }
  const near = rest === '' ? offered : offered.filter((entry) => nearProducts(rest, [entry.product.name]).length > 0);
  if (offered.length === 0) {
    t.say('producer.noOffers');
    producerMenu(t);
    return true;
  }
  t.say(rest === '' || near.length > 0 ? 'producer.removeWhich' : 'producer.removeUnknown', { product: { raw: rest } });
  const choices = (near.length > 0 ? near : offered).map((entry) => my.choice.remove.make({ offerId: entry.offer!.id }, named(entry.product.name)));
  t.offer(choices);
  return true;
}

function askRemove(t: Turn, offerId: number, productName: string): void {
  t.say('producer.removeAsk', { product: { raw: productName } });
  t.offer(yesNoChoices('producer.removeYes', 'common.no'), 'yes_no');
  t.ask(my.question.remove, { offerId, productName }, 'yes_no');
}

// ---------------------------------------------------------------- lists

async function showMyOffers(t: Turn): Promise<void> {
  const offers = (await catalogueOf(t)).flatMap((entry) => (entry.offer ? [entry.offer] : []));
  if (offers.length === 0) {
    t.say('producer.noOffers');
  } else {
    t.say('producer.offers', {
      lines: {
        lines: offers.map((o) => ({
          key: o.available === 0 ? 'producer.offerSoldOut' : o.available <= LOW_STOCK ? 'producer.offerLow' : 'producer.offer',
          params: { product: { raw: o.productName }, left: amount(o.available, o.unit), price: { money: o.priceCents } },
        })),
      },
    });
  }
  producerMenu(t);
}

async function showPickList(t: Turn): Promise<void> {
  const rows = await t.market.pickList(producerOf(t).id);
  if (rows.length === 0) {
    t.say('producer.nothingOrdered');
    producerMenu(t);
    return;
  }
  const byPoint = new Map<string, Reply[]>();
  for (const row of rows) {
    const lines = byPoint.get(row.pickupPointName) ?? [];
    lines.push({ key: 'producer.pickLine', params: { amount: amount(row.quantity, row.unit), product: { raw: row.productName } } });
    byPoint.set(row.pickupPointName, lines);
  }
  const blocks: Reply[] = [...byPoint].map(([name, lines]) => ({
    key: 'producer.pickPoint',
    params: { name: { raw: name }, lines: { lines } },
  }));
  t.say('producer.pickList', { lines: { lines: blocks } });
  producerMenu(t);
}

/** What sold this week and the takings so far (orders not cancelled and not left uncollected). */
async function showSales(t: Turn): Promise<void> {
  const sales = await t.deps.stock.sales(producerOf(t).id);
  if (sales.products.length === 0) {
    t.say('producer.nothingSold');
  } else {
    t.say('producer.salesList', {
      lines: {
        lines: sales.products.map((sold) => ({
          key: 'producer.salesLine',
          params: { amount: amount(sold.quantity, sold.unit), product: { raw: sold.productName }, money: { money: sold.cents } },
        })),
      },
      total: { money: sales.totalCents },
    });
  }
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

/** A producer's message before the recogniser's intents: taking out, sales, then stock. */
async function producerMessage(t: Turn, text: string): Promise<boolean> {
  REMOVE.lastIndex = 0;
  if (REMOVE.test(text)) return removeRequest(t, text);
  if (SALES.test(text) && !/\d/.test(text)) {
    await showSales(t);
    return true;
  }
  return stockMessage(t, text);
}

const PRODUCERS = ['producer'] as const;

export const producer = my.define({
  phrases: [
    {
      roles: [...PRODUCERS],
      matches: () => true,
      handle: (t, input) => producerMessage(t, input.text),
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
    // Read by the phrase above; what did not read as stock is answered as anything else.
    stock_post: { roles: [...PRODUCERS], handle: () => false },
    stock_update: {
      roles: [...PRODUCERS],
      async handle(t) {
        t.say('producer.whichProduct');
        await showMyOffers(t);
        return true;
      },
    },
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
    sales: { roles: [...PRODUCERS], handle: showSales },
    remove: {
      roles: [...PRODUCERS],
      async handle(t, { offerId }) {
        const entry = (await catalogueOf(t)).find((candidate) => candidate.offer?.id === offerId);
        if (!entry) {
          t.say('common.staleButton');
          producerMenu(t);
          return;
        }
        askRemove(t, offerId, entry.product.name);
      },
    },
  },
  questions: {
    preview: {
      async answer(t, input, { post }) {
        const yes = yesNo(input);
        if (yes === true) {
          await applyPost(t, post);
          return true;
        }
        if (yes === false) {
          t.settle();
          t.say('producer.discarded');
          await t.mainMenu();
          return true;
        }
        if (input.kind !== 'text') return false;
        // Another message while the preview is open adds to it: "Eier doch nur 20".
        const more = read(t, input.text, await catalogueOf(t));
        if (more.items.length === 0 && !more.likeLastWeek) return false;
        await showPreview(t, mergePosts(post, more));
        return true;
      },
      async prompt(t, { post }) {
        askPreview(t, post, await planOf(t, post, await catalogueOf(t)));
      },
    },
    newProduct: {
      async answer(t, input, { product }) {
        const yes = yesNo(input);
        if (yes !== null) {
          await settleNewProduct(t, product, yes);
          return true;
        }
        if (input.kind !== 'text') return false;
        const category = await categoryNamed(t, input.text);
        if (category === null) return false;
        await settleNewProduct(t, { ...product, category }, true);
        return true;
      },
      prompt: (t, { product }) => askNewProduct(t, product),
    },
    remove: {
      async answer(t, input, { offerId, productName }) {
        const yes = yesNo(input);
        if (yes === null) return false;
        t.settle();
        if (yes) {
          const { offer, removed } = await t.deps.stock.removeOffer(producerOf(t).id, offerId);
          t.say(removed ? 'producer.removed' : 'producer.removedSoldOut', { product: { raw: offer.productName } });
        } else {
          t.say('producer.notRemoved', { product: { raw: productName } });
        }
        producerMenu(t);
        return true;
      },
      prompt: (t, { offerId, productName }) => askRemove(t, offerId, productName),
    },
  },
});
