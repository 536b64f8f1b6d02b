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
export type { PickupWish, PlaceOrderInput, PricedCart, PricedLine, RebuiltCart } from './use-cases/ordering.ts';
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
 * The use cases over one set of repositories and one clock, built for every
 * turn. They are closures, not methods, so a caller may pass `market.cancelOrder`
 * on without binding it. Named one by one in a literal on purpose: joined with
 * Object.assign or object spread, V8 keeps an object of this many properties as a
 * dictionary, which cost several microseconds a turn to build and slowed every call.
 */
function marketplaceOver(deps: MarketplaceDeps, forTurn: (now: Date) => Marketplace): Marketplace {
  const week = weekOver(deps);
  const ordering = orderingOver(deps);
  const customers = customersOver(deps);
  const stock = producerStockOver(deps);
  const pickup = pickupOver(deps);
  const callbacks = callbacksOver(deps);
  const phone = phoneIdentityOver(deps);
  return {
    forTurn,
    currentWeek: week.currentWeek,
    weekOffer: week.weekOffer,
    checkLine: ordering.checkLine,
    priceCart: ordering.priceCart,
    placeOrder: ordering.placeOrder,
    changeOrder: ordering.changeOrder,
    cancelOrder: ordering.cancelOrder,
    rebuildLastOrder: ordering.rebuildLastOrder,
    repeatable: ordering.repeatable,
    ordersOf: ordering.ordersOf,
    identify: customers.identify,
    customerOf: customers.customerOf,
    registerCustomer: customers.registerCustomer,
    updateCustomer: customers.updateCustomer,
    linkIdentity: customers.linkIdentity,
    eraseCustomer: customers.eraseCustomer,
    customer: customers.customer,
    applyStockPost: stock.applyStockPost,
    producerOffers: stock.producerOffers,
    updateOffer: stock.updateOffer,
    pickList: stock.pickList,
    pickupPoints: pickup.pickupPoints,
    upcomingSlots: pickup.upcomingSlots,
    handoutList: pickup.handoutList,
    markHandout: pickup.markHandout,
    requestCallback: callbacks.requestCallback,
    startVerification: phone.startVerification,
    checkCode: phone.checkCode,
    hasPin: phone.hasPin,
    checkPin: phone.checkPin,
    setPin: phone.setPin,
  };
}
