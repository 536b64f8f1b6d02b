/**
 * The marketplace: what the dialogue may ask of the domain, as one declared
 * interface. Each part is implemented by the use cases of one concern in
 * catalog/use-cases/ (the week, ordering, customers, producer stock, pickup).
 * Typed inputs in, values or coded DomainErrors out.
 */
import { turnReadsOver } from './turn-reads.ts';
import { callbacksOver, type Callbacks } from './use-cases/callbacks.ts';
import { customersOver, type Customers } from './use-cases/customers.ts';
import { orderingOver, type Ordering } from './use-cases/ordering.ts';
import { phoneIdentityOver, type PhoneIdentity } from './use-cases/phone-identity.ts';
import { pickupOver, type Pickup } from './use-cases/pickup.ts';
import { producerStockOver, type ProducerStock } from './use-cases/producer-stock.ts';
import { weekOver, type MarketplaceDeps, type TheWeek } from './use-cases/week.ts';

export type { Role } from './use-cases/customers.ts';
export type { CodeCheck, PinCheck, PinProblem, VerificationStart } from './use-cases/phone-identity.ts';
export type { PlaceOrderInput, PricedCart, PricedLine, RebuiltCart } from './use-cases/ordering.ts';
export type { StockChange, StockLineInput } from './use-cases/producer-stock.ts';
export type { MarketplaceDeps, OpenWeek } from './use-cases/week.ts';

export interface Marketplace extends TheWeek, Ordering, Customers, ProducerStock, Pickup, Callbacks, PhoneIdentity {
  /**
   * The marketplace as one conversation turn sees it: the clock stopped at
   * `now`, and the week, its slots and its offers read once until a write.
   */
  forTurn(now: Date): Marketplace;
}

/** Builds the marketplace over the given repositories and clock. */
export function createMarketplace({ repos, clock, wake }: MarketplaceDeps): Marketplace {
  const turnRepos = turnReadsOver(repos);
  const forTurn = (now: Date): Marketplace => marketplaceOver({ repos: turnRepos(), clock: { now: () => now }, wake }, forTurn);
  return marketplaceOver({ repos, clock, wake }, forTurn);
}

/**
 * The use cases over one set of repositories and one clock. They are closures,
 * not methods, so a caller may pass `market.cancelOrder` on without binding it.
 * Object.assign, not object spread: spreading these closures into one object
 * measured about 40 µs a turn here, Object.assign about 8: what the single
 * closure before it cost. Nested because its typing stops at three sources.
 */
function marketplaceOver(deps: MarketplaceDeps, forTurn: (now: Date) => Marketplace): Marketplace {
  const market = Object.assign({ forTurn }, weekOver(deps), orderingOver(deps), customersOver(deps));
  return Object.assign(market, producerStockOver(deps), pickupOver(deps), callbacksOver(deps), phoneIdentityOver(deps));
}
