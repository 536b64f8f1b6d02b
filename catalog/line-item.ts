/** A line of a priced cart or of an order, built one way wherever it is built. */
import { lineCents, roundQuantity } from './quantities.ts';
import type { OfferView, OrderItem } from './types.ts';

/**
 * `quantity` of an offer as a priced line: at the offer's price now, or at
 * `unitPriceCents` where an order froze an earlier one.
 */
export function lineItem(offer: OfferView, quantity: number, unitPriceCents = offer.priceCents): OrderItem {
  const rounded = roundQuantity(quantity);
  return {
    offerId: offer.id,
    productId: offer.productId,
    productName: offer.productName,
    producerName: offer.producerName,
    unit: offer.unit,
    quantity: rounded,
    unitPriceCents,
    lineCents: lineCents(rounded, unitPriceCents),
  };
}
