/** Quantity and money arithmetic without floating-point drift. */
import { DomainError } from './errors.ts';
import type { OfferView } from './types.ts';

const THOUSANDTHS = 1000;

/** Rounds to the thousandths storage keeps, so 0.1 + 0.2 compares as 0.3. */
export function roundQuantity(quantity: number): number {
  return Math.round(quantity * THOUSANDTHS) / THOUSANDTHS;
}

/** Price of `quantity` units at `unitPriceCents`, rounded to whole cents. */
export function lineCents(quantity: number, unitPriceCents: number): number {
  return Math.round((Math.round(quantity * THOUSANDTHS) * unitPriceCents) / THOUSANDTHS);
}

export function isMultipleOf(quantity: number, step: number): boolean {
  const q = Math.round(quantity * THOUSANDTHS);
  const s = Math.round(step * THOUSANDTHS);
  return s > 0 && q % s === 0;
}

/**
 * Checks a wanted quantity against the offer's step, maximum and what is left.
 * Throws QUANTITY_INVALID, QUANTITY_STEP, OVER_MAXIMUM or OUT_OF_STOCK with what the
 * customer needs to hear ("nur noch 4").
 */
export function checkQuantity(offer: OfferView, quantity: number): void {
  const base = { product: offer.productName, unit: offer.unit };
  if (!Number.isFinite(quantity) || quantity <= 0 || quantity > 100_000) {
    throw new DomainError('QUANTITY_INVALID', { ...base, quantity });
  }
  if (!isMultipleOf(quantity, offer.step)) {
    throw new DomainError('QUANTITY_STEP', { ...base, quantity, step: offer.step });
  }
  if (offer.maxPerOrder !== null && quantity > offer.maxPerOrder) {
    throw new DomainError('OVER_MAXIMUM', { ...base, quantity, maximum: offer.maxPerOrder });
  }
  if (quantity > offer.available) {
    throw new DomainError('OUT_OF_STOCK', {
      ...base,
      shortages: [{ offerId: offer.id, productName: offer.productName, requested: quantity, available: offer.available }],
    });
  }
}

/** The largest orderable quantity not above `wanted`: respects step, maximum and stock. */
export function bestAvailable(offer: OfferView, wanted: number): number {
  const limit = Math.min(wanted, offer.available, offer.maxPerOrder ?? Number.POSITIVE_INFINITY);
  const steps = Math.floor(Math.round(limit * THOUSANDTHS) / Math.round(offer.step * THOUSANDTHS));
  return roundQuantity(steps * offer.step);
}
