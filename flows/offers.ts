/** How an offer reads in a list: name, price, producer, and "nur noch 3" when little is left. */
import type { OfferView } from '../catalog/types.ts';
import type { Reply } from './types.ts';
import type { Turn } from './turn.ts';

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

/** "Schrippen" when there are none this week: said plainly before the kind's offers are listed. */
export function sayMissing(t: Turn, missingKind: string | null): void {
  if (missingKind !== null) t.say('browse.notThisWeek', { product: { raw: missingKind.charAt(0).toUpperCase() + missingKind.slice(1) } });
}
