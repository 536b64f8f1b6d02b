/**
 * The rules for quantities and prices, each checked here once, and the
 * arithmetic behind them without floating-point drift: a quantity counts in the
 * thousandths storage keeps, so 6.0004 is 6 and 0.1 + 0.2 is 0.3 everywhere.
 */
import { DomainError } from './errors.ts';
import type { OfferView } from './types.ts';

const THOUSANDTHS = 1000;

/** The most of one offer a single order may ask for, in any unit: beyond it a number was misheard. */
export const MAX_ORDER_QUANTITY = 100_000;
/** The most a producer may post as left of one product (a billion thousandths still fits a 32-bit column). */
export const MAX_STOCK_QUANTITY = 1_000_000;
/** The highest unit price, in cents (10 000 €): beyond it a price was misread. */
export const MAX_PRICE_CENTS = 1_000_000;

/** A quantity in the thousandths storage keeps: 0.5 kg → 500. */
export function toThousandths(quantity: number): number {
  return Math.round(quantity * THOUSANDTHS);
}

/** Rounds to the thousandths storage keeps, so 0.1 + 0.2 compares as 0.3. */
export function roundQuantity(quantity: number): number {
  return toThousandths(quantity) / THOUSANDTHS;
}

/** Price of `quantity` units at `unitPriceCents`, rounded to whole cents. */
export function lineCents(quantity: number, unitPriceCents: number): number {
  return Math.round((toThousandths(quantity) * unitPriceCents) / THOUSANDTHS);
}

/**
 * The rule for a quantity a customer wants of an offer: more than nothing, at
 * most MAX_ORDER_QUANTITY, a multiple of the offer's step, within its maximum
 * per order and what is left. Throws QUANTITY_INVALID, QUANTITY_STEP,
 * OVER_MAXIMUM or OUT_OF_STOCK with what the customer needs to hear ("nur noch 4").
 */
export function checkQuantity(offer: OfferView, quantity: number): void {
  const base = { product: offer.productName, unit: offer.unit };
  const wanted = toThousandths(quantity);
  if (!Number.isFinite(quantity) || wanted <= 0 || wanted > toThousandths(MAX_ORDER_QUANTITY)) {
    throw new DomainError('QUANTITY_INVALID', { ...base, quantity });
  }
  if (wanted % toThousandths(offer.step) !== 0) {
    throw new DomainError('QUANTITY_STEP', { ...base, quantity, step: offer.step });
  }
  if (offer.maxPerOrder !== null && wanted > toThousandths(offer.maxPerOrder)) {
    throw new DomainError('OVER_MAXIMUM', { ...base, quantity, maximum: offer.maxPerOrder });
  }
  if (wanted > toThousandths(offer.available)) {
    throw new DomainError('OUT_OF_STOCK', {
      ...base,
      shortages: [{ offerId: offer.id, productName: offer.productName, requested: quantity, available: offer.available }],
    });
  }
}

/** The largest quantity not above `wanted` that checkQuantity accepts; 0 (or less) when there is none. */
export function bestAvailable(offer: OfferView, wanted: number): number {
  const limit = Math.min(wanted, MAX_ORDER_QUANTITY, offer.available, offer.maxPerOrder ?? Number.POSITIVE_INFINITY);
  const steps = Math.floor(toThousandths(limit) / toThousandths(offer.step));
  return roundQuantity(steps * offer.step);
}

/** The rule for what a producer says is left of a product: nothing (sold out) up to MAX_STOCK_QUANTITY. */
export function checkStockQuantity(product: string, quantity: number): void {
  const left = toThousandths(quantity);
  if (!Number.isFinite(quantity) || left < 0 || left > toThousandths(MAX_STOCK_QUANTITY)) {
    throw new DomainError('QUANTITY_INVALID', { product, quantity });
  }
}

/** The rule for a unit price: whole cents, more than nothing, at most MAX_PRICE_CENTS. */
export function checkPrice(product: string, priceCents: number): void {
  if (!Number.isInteger(priceCents) || priceCents <= 0 || priceCents > MAX_PRICE_CENTS) {
    throw new DomainError('PRICE_INVALID', { product });
  }
}
