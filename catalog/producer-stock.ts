/**
 * A producer's own week: the offers a confirmed stock post changes, a new
 * product added only once the producer has said it is one, an offer taken out,
 * last week's post, and what has sold so far.
 *
 * Changes name products by id: nothing here turns a text into a product. The
 * one way to a new product is `addProduct`, which the dialogue calls after the
 * producer answered "ja" to that product by name.
 */
import { postedOffers } from './cycles.ts';
import { DomainError } from './errors.ts';
import type { Clock, Repositories } from './ports.ts';
import { roundQuantity } from './quantities.ts';
import type { Category, OfferView, OrderCycle, OrderStatus, Product, Unit } from './types.ts';

/** One of the producer's products and its offer this week, if it has one. */
export interface ProductOffer {
  product: Product;
  offer: OfferView | null;
}

/** A change to one product's offer this week; what is absent stays as it is. */
export interface OfferChange {
  productId: number;
  /** In the product's unit. */
  quantity?: number;
  priceCents?: number;
  organic?: boolean;
  allergens?: string;
  ingredients?: string;
}

/** A product the producer confirmed by name, with its first offer. */
export interface ConfirmedProduct {
  name: string;
  category: Category;
  unit: Unit;
  quantity: number;
  priceCents: number;
  description?: string;
  organic?: boolean;
  allergens?: string;
  ingredients?: string;
}

/** What last week's post held of one product. */
export interface LastWeekOffer {
  productId: number;
  quantity: number;
  priceCents: number;
}

export interface ProductSales {
  productName: string;
  unit: Unit;
  quantity: number;
  cents: number;
}

export interface WeekSales {
  cycleLabel: string;
  products: ProductSales[];
  totalCents: number;
}

export interface OfferRemoval {
  offer: OfferView;
  /** False when orders hold it: then it is sold out instead, and those orders stay. */
  removed: boolean;
}

/** The use cases of a producer's stock, as the dialogue calls them. */
export interface ProducerStock {
  catalogue(producerId: number): Promise<ProductOffer[]>;
  lastWeek(producerId: number): Promise<LastWeekOffer[]>;
  applyChanges(producerId: number, changes: OfferChange[]): Promise<OfferView[]>;
  addProduct(producerId: number, input: ConfirmedProduct): Promise<OfferView>;
  removeOffer(producerId: number, offerId: number): Promise<OfferRemoval>;
  sales(producerId: number): Promise<WeekSales>;
}

const MAX_QUANTITY = 1_000_000;
const MAX_PRICE_CENTS = 1_000_000;
/** Orders that count as sold: not cancelled, and not left uncollected. */
const SOLD: ReadonlySet<OrderStatus> = new Set(['placed', 'ready', 'picked_up']);

function checkPrice(priceCents: number, product: string): void {
  if (!Number.isInteger(priceCents) || priceCents <= 0 || priceCents > MAX_PRICE_CENTS) throw new DomainError('PRICE_INVALID', { product });
}

function checkQuantity(quantity: number, product: string): void {
  if (!(quantity >= 0) || quantity > MAX_QUANTITY) throw new DomainError('QUANTITY_INVALID', { product, quantity });
}

/** The first order step of a new offer: half kilos of what is weighed, whole units of the rest. */
function firstStep(unit: Unit): number {
  return unit === 'kg' ? 0.5 : 1;
}

export function createProducerStock({ repos, clock }: { repos: Repositories; clock: Clock }): ProducerStock {
  async function week(): Promise<OrderCycle> {
    const cycle = await repos.cycles.current(clock.now());
    if (!cycle) throw new DomainError('NO_OPEN_CYCLE');
    return cycle;
  }

  async function ownProduct(producerId: number, productId: number): Promise<Product> {
    const product = await repos.products.get(productId);
    if (!product) throw new DomainError('UNKNOWN_PRODUCT', { productId });
    if (product.producerId !== producerId) throw new DomainError('NOT_ALLOWED', { product: product.name });
    return product;
  }

  return {
    async catalogue(producerId) {
      const cycle = await week();
      const offers = new Map((await repos.offers.list(cycle.id, { producerId })).map((offer) => [offer.productId, offer]));
      return (await repos.products.listByProducer(producerId)).map((product) => ({ product, offer: offers.get(product.id) ?? null }));
    },

    async lastWeek(producerId) {
      const cycle = await week();
      const earlier = (await repos.cycles.list()).filter((other) => other.opensAt < cycle.opensAt);
      const previous = earlier.sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime())[0];
      if (!previous) return [];
      return (await postedOffers(repos, previous.id))
        .filter(({ offer }) => offer.producerId === producerId)
        .map(({ offer, posted }) => ({ productId: offer.productId, quantity: posted, priceCents: offer.priceCents }));
    },

    /** Checks every change before writing any, so a bad line leaves the week as it was. */
    async applyChanges(producerId, changes) {
      const cycle = await week();
      const checked = [];
      for (const change of changes) {
        const product = await ownProduct(producerId, change.productId);
        const offer = await repos.offers.findByProduct(cycle.id, product.id);
        if (change.priceCents !== undefined) checkPrice(change.priceCents, product.name);
        if (change.quantity !== undefined) checkQuantity(change.quantity, product.name);
        if (!offer && change.priceCents === undefined) throw new DomainError('PRICE_INVALID', { product: product.name });
        checked.push({ change, product, offer });
      }
      const applied: OfferView[] = [];
      for (const { change, product, offer } of checked) {
        if (change.organic !== undefined || change.allergens !== undefined || change.ingredients !== undefined) {
          await repos.products.update(product.id, { organic: change.organic, allergens: change.allergens, ingredients: change.ingredients });
        }
        if (offer) {
          await repos.offers.update(offer.id, {
            ...(change.quantity !== undefined ? { available: roundQuantity(change.quantity) } : {}),
            ...(change.priceCents !== undefined ? { priceCents: change.priceCents } : {}),
          });
        } else {
          await repos.offers.upsert(cycle.id, product.id, {
            priceCents: change.priceCents!, available: roundQuantity(change.quantity ?? 0), step: firstStep(product.unit), maxPerOrder: null,
          });
        }
        applied.push((await repos.offers.findByProduct(cycle.id, product.id))!);
      }
      return applied;
    },

    async addProduct(producerId, input) {
      const cycle = await week();
      const name = input.name.replace(/\s+/g, ' ').trim().slice(0, 80);
      if (name === '') throw new DomainError('INVALID_INPUT', { field: 'name' });
      checkPrice(input.priceCents, name);
      checkQuantity(input.quantity, name);
      // Confirmed twice (two messages, one answer each) is still one product.
      const product = (await repos.products.findByName(producerId, name)) ?? (await repos.products.add({
        producerId, name, category: input.category, unit: input.unit, description: input.description ?? '',
        organic: input.organic ?? false, allergens: input.allergens ?? '', ingredients: input.ingredients ?? '',
      }));
      const existing = await repos.offers.findByProduct(cycle.id, product.id);
      await repos.offers.upsert(cycle.id, product.id, {
        priceCents: input.priceCents, available: roundQuantity(input.quantity),
        step: existing?.step ?? firstStep(product.unit), maxPerOrder: existing?.maxPerOrder ?? null,
      });
      return (await repos.offers.findByProduct(cycle.id, product.id))!;
    },

    async removeOffer(producerId, offerId) {
      const cycle = await week();
      const offer = await repos.offers.get(offerId);
      if (!offer || offer.cycleId !== cycle.id) throw new DomainError('UNKNOWN_OFFER', { offerId });
      await ownProduct(producerId, offer.productId);
      if (await repos.offers.remove(offer.id)) return { offer, removed: true };
      await repos.offers.update(offer.id, { available: 0 });
      return { offer: (await repos.offers.get(offer.id))!, removed: false };
    },

    async sales(producerId) {
      const cycle = await week();
      const own = new Map((await repos.products.listByProducer(producerId)).map((product) => [product.id, product]));
      const byProduct = new Map<number, ProductSales>();
      for (const order of await repos.orders.listByCycle(cycle.id)) {
        if (!SOLD.has(order.status)) continue;
        for (const item of order.items) {
          const product = own.get(item.productId);
          if (!product) continue;
          const sold = byProduct.get(product.id) ?? { productName: product.name, unit: product.unit, quantity: 0, cents: 0 };
          sold.quantity = roundQuantity(sold.quantity + item.quantity);
          sold.cents += item.lineCents;
          byProduct.set(product.id, sold);
        }
      }
      const products = [...byProduct.values()].sort((a, b) => b.cents - a.cents || a.productName.localeCompare(b.productName, 'de'));
      return { cycleLabel: cycle.label, products, totalCents: products.reduce((sum, sold) => sum + sold.cents, 0) };
    },
  };
}
