/** Producer stock: the weekly post of what is on offer, changes to one offer, and what was ordered of it. */
import { DomainError } from '../errors.ts';
import type { PickListRow } from '../ports.ts';
import { checkPrice, checkStockQuantity, roundQuantity } from '../quantities.ts';
import type { Category, OfferView, Product, Unit } from '../types.ts';
import { currentWeek, offerOf, type MarketplaceDeps } from './week.ts';

export interface StockLineInput {
  productName: string;
  quantity: number;
  unit: Unit;
  priceCents: number;
  category?: Category;
  description?: string;
}

export interface StockChange {
  productName: string;
  created: boolean;
  quantity: number;
  unit: Unit;
  priceCents: number;
}

export interface ProducerStock {
  /** Applies a producer's weekly post: new names create products, known names update the offer. */
  applyStockPost(producerId: number, lines: StockLineInput[]): Promise<StockChange[]>;
  /** A producer's own offers this week, sold out ones too (for matching "Gurken nur noch 10"). */
  producerOffers(producerId: number): Promise<OfferView[]>;
  /** Changes one of the producer's own offers: what is left and/or the price. */
  updateOffer(producerId: number, offerId: number, patch: { available?: number; priceCents?: number }): Promise<OfferView>;
  /** What has been ordered of a producer's goods this week (or in `cycleId`), per pickup point. */
  pickList(producerId: number, cycleId?: number): Promise<PickListRow[]>;
}

export function producerStockOver(deps: MarketplaceDeps): ProducerStock {
  const { repos } = deps;

  async function ownProduct(producerId: number, productId: number): Promise<Product> {
    const product = await repos.products.get(productId);
    if (!product) throw new DomainError('UNKNOWN_PRODUCT', { productId });
    if (product.producerId !== producerId) throw new DomainError('NOT_ALLOWED', { product: product.name });
    return product;
  }

  return {
    async applyStockPost(producerId, lines) {
      const week = await currentWeek(deps);
      const changes: StockChange[] = [];
      for (const line of lines) {
        checkPrice(line.productName, line.priceCents);
        checkStockQuantity(line.productName, line.quantity);
        let product = await repos.products.findByName(producerId, line.productName);
        const created = !product;
        product ??= await repos.products.add({
          producerId,
          name: line.productName,
          category: line.category ?? 'vegetables',
          description: line.description ?? '',
          unit: line.unit,
        });
        const existing = await repos.offers.findByProduct(week.cycle.id, product.id);
        await repos.offers.upsert(week.cycle.id, product.id, {
          priceCents: line.priceCents,
          available: roundQuantity(line.quantity),
          step: existing?.step ?? (product.unit === 'kg' ? 0.5 : 1),
          maxPerOrder: existing?.maxPerOrder ?? null,
        });
        changes.push({ productName: product.name, created, quantity: line.quantity, unit: product.unit, priceCents: line.priceCents });
      }
      return changes;
    },

    async producerOffers(producerId) {
      const { cycle } = await currentWeek(deps);
      return repos.offers.list(cycle.id, { producerId });
    },

    async updateOffer(producerId, offerId, patch) {
      const { cycle } = await currentWeek(deps);
      const offer = await offerOf(deps, cycle.id, offerId);
      await ownProduct(producerId, offer.productId);
      if (patch.priceCents !== undefined) checkPrice(offer.productName, patch.priceCents);
      if (patch.available !== undefined) checkStockQuantity(offer.productName, patch.available);
      await repos.offers.update(offer.id, {
        ...(patch.available !== undefined ? { available: roundQuantity(patch.available) } : {}),
        ...(patch.priceCents !== undefined ? { priceCents: patch.priceCents } : {}),
      });
      return (await repos.offers.get(offer.id))!;
    },

    async pickList(producerId, cycleId) {
      const id = cycleId ?? (await currentWeek(deps)).cycle.id;
      return repos.orders.pickList(id, producerId);
    },
  };
}
