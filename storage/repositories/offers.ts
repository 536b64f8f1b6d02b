import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../../catalog/errors.ts';
import type { OfferFilter, OfferInput, OfferRepository } from '../../catalog/ports.ts';
import type { Category, Offer, OfferView, Unit } from '../../catalog/types.ts';
import { fromMilli, sortByGerman, toMilli } from '../codec.ts';
import type { OfferRow, Schema } from '../schema.ts';
import { stampedCache } from '../stamped-cache.ts';
import { exists } from './exists.ts';

function toOffer(row: Selectable<OfferRow>): Offer {
  return {
    id: row.id,
    cycleId: row.cycle_id,
    productId: row.product_id,
    priceCents: row.price_cents,
    available: fromMilli(row.available),
    step: fromMilli(row.step),
    maxPerOrder: row.max_per_order === null ? null : fromMilli(row.max_per_order),
  };
}

function checkPrice(priceCents: number): number {
  if (!Number.isInteger(priceCents) || priceCents < 0) throw new DomainError('PRICE_INVALID', { priceCents });
  return priceCents;
}

function checkStep(step: number): number {
  const milli = toMilli(step);
  if (milli === 0) throw new DomainError('QUANTITY_INVALID', { step });
  return milli;
}

function maxMilli(maxPerOrder: number | null): number | null {
  return maxPerOrder === null ? null : toMilli(maxPerOrder);
}

/** The offers of a cycle joined with what a customer sees beside them. */
function offerViews(db: Kysely<Schema>) {
  return db
    .selectFrom('offers')
    .innerJoin('products', 'products.id', 'offers.product_id')
    .innerJoin('producers', 'producers.id', 'products.producer_id')
    .selectAll('offers')
    .select([
      'products.name as product_name',
      'products.category',
      'products.description',
      'products.unit',
      'products.organic',
      'products.allergens',
      'products.ingredients',
      'products.producer_id',
      'producers.name as producer_name',
      'producers.village',
    ]);
}

type OfferViewRow = Selectable<OfferRow> & {
  product_name: string;
  category: string;
  description: string;
  unit: string;
  organic: number;
  allergens: string;
  ingredients: string;
  producer_id: number;
  producer_name: string;
  village: string;
};

function toOfferView(row: OfferViewRow): OfferView {
  return {
    ...toOffer(row),
    productName: row.product_name,
    category: row.category as Category,
    description: row.description,
    unit: row.unit as Unit,
    organic: row.organic === 1,
    allergens: row.allergens,
    ingredients: row.ingredients,
    producerId: row.producer_id,
    producerName: row.producer_name,
    village: row.village,
  };
}

/** Offers as the cache keeps them: shared by every caller, so nobody may change them. */
const frozen = (offers: OfferView[]): OfferView[] => offers.map((offer) => Object.freeze(offer));

/** This week's offers; `available` is what is left after reservations. */
export function createOfferRepository(db: Kysely<Schema>, changeStamp?: () => string): OfferRepository {
  const listOffers = async (cycleId: number, filter: OfferFilter) => {
    let query = offerViews(db).where('offers.cycle_id', '=', cycleId);
    if (filter.category !== undefined) query = query.where('products.category', '=', filter.category);
    if (filter.producerId !== undefined) query = query.where('products.producer_id', '=', filter.producerId);
    if (filter.inStock) query = query.where('offers.available', '>', 0);
    const rows = await query.orderBy('offers.id').execute();
    return sortByGerman(rows.map(toOfferView), (offer) => offer.productName);
  };

  // Every browse turn reads the week's offer, and it changes far less often than it is read.
  const cachedLists = changeStamp ? stampedCache<OfferView[]>(changeStamp) : null;

  return {
    async upsert(cycleId: number, productId: number, input: OfferInput) {
      const values = {
        price_cents: checkPrice(input.priceCents),
        available: toMilli(input.available),
        step: checkStep(input.step),
        max_per_order: maxMilli(input.maxPerOrder),
      };
      if (!(await exists(db, 'products', productId))) throw new DomainError('UNKNOWN_PRODUCT', { productId });
      if (!(await exists(db, 'cycles', cycleId))) throw new DomainError('INVALID_INPUT', { cycleId });
      const row = await db
        .insertInto('offers')
        .values({ cycle_id: cycleId, product_id: productId, ...values })
        .onConflict((conflict) => conflict.columns(['cycle_id', 'product_id']).doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toOffer(row);
    },
    async get(id) {
      const load = async () => {
        const row = await offerViews(db).where('offers.id', '=', id).executeTakeFirst();
        return row ? [toOfferView(row)] : [];
      };
      const [offer] = cachedLists ? await cachedLists.get(`offer|${id}`, async () => frozen(await load())) : await load();
      return offer ?? null;
    },
    async findByProduct(cycleId, productId) {
      const row = await offerViews(db)
        .where('offers.cycle_id', '=', cycleId)
        .where('offers.product_id', '=', productId)
        .executeTakeFirst();
      return row ? toOfferView(row) : null;
    },
    async list(cycleId, filter: OfferFilter = {}) {
      if (!cachedLists) return listOffers(cycleId, filter);
      const key = `${cycleId}|${filter.category ?? ''}|${filter.producerId ?? ''}|${filter.inStock === true}`;
      // A new array each time, of frozen offers: a caller may sort or filter its list but cannot change the next caller's offers.
      return (await cachedLists.get(key, async () => frozen(await listOffers(cycleId, filter)))).slice();
    },
    async update(id, patch) {
      const values = {
        ...(patch.priceCents !== undefined ? { price_cents: checkPrice(patch.priceCents) } : {}),
        ...(patch.available !== undefined ? { available: toMilli(patch.available) } : {}),
        ...(patch.maxPerOrder !== undefined ? { max_per_order: maxMilli(patch.maxPerOrder) } : {}),
      };
      const query = Object.keys(values).length === 0
        ? db.selectFrom('offers').selectAll().where('id', '=', id)
        : db.updateTable('offers').set(values).where('id', '=', id).returningAll();
      const row = await query.executeTakeFirst();
      if (!row) throw new DomainError('UNKNOWN_OFFER', { offerId: id });
      return toOffer(row);
    },
    async remove(id) {
      // One statement, so an order placed at the same moment either holds the offer or finds it gone.
      const result = await db
        .deleteFrom('offers')
        .where('id', '=', id)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('order_items').select('order_items.id').where('order_items.offer_id', '=', id))))
        .executeTakeFirst();
      if (Number(result.numDeletedRows) > 0) return true;
      if (!(await exists(db, 'offers', id))) throw new DomainError('UNKNOWN_OFFER', { offerId: id });
      return false;
    },
  };
}
