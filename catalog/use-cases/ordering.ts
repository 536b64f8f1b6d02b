/**
 * Ordering: checking and pricing a cart, placing, changing and cancelling an
 * order, and rebuilding the last one. An order's prices freeze when it is placed.
 */
import { DomainError } from '../errors.ts';
import { lineItem } from '../line-item.ts';
import { bestAvailable, checkQuantity, roundQuantity } from '../quantities.ts';
import type { CartLine, Channel, OfferView, Order, OrderItem, PickupSlot, Unit } from '../types.ts';
import { currentWeek, offerOf, openWeek, upcomingSlotsOf, type MarketplaceDeps, type OpenWeek } from './week.ts';

export interface PlaceOrderInput {
  customerId: number;
  pickupPointId: number;
  lines: CartLine[];
  channel: Channel;
  /** Start of the chosen pickup slot; the point's next slot when absent. */
  pickupFrom?: Date;
  requestKey?: string | null;
}

/** Where the customer wants a changed order picked up: a point and the start of one of its upcoming slots. */
export interface PickupWish {
  pickupPointId: number;
  pickupFrom: Date;
}

/** A cart line priced at this week's offer, with the offer beside it for showing. */
export interface PricedLine extends OrderItem {
  offer: OfferView;
}

export interface PricedCart {
  items: PricedLine[];
  totalCents: number;
}

export interface RebuiltCart {
  lines: CartLine[];
  /** Products of the last order not on offer (or sold out) this week. */
  missing: string[];
  /** Products whose quantity had to shrink to what can be ordered now. */
  reduced: Array<{ productName: string; wanted: number; available: number; unit: Unit }>;
  /** Products that now cost more per unit. */
  dearer: Array<{ productName: string; beforeCents: number; nowCents: number }>;
  pickupPointId: number | null;
}

export interface Ordering {
  /** Checks one cart line now, so the customer hears about stock, step and maximum at once. */
  checkLine(line: CartLine): Promise<OfferView>;
  /** Totals a cart for display without touching stock. */
  priceCart(lines: CartLine[]): Promise<PricedCart>;
  /** Places an order from a cart: all items or none. Prices are frozen now. */
  placeOrder(input: PlaceOrderInput): Promise<Order>;
  /**
   * Replaces the quantities of an order before the cutoff; stock follows, frozen
   * prices stay. A line at nothing takes the product out; no line left cancels the order.
   * With `pickup`, the order moves to that point and window (one of its upcoming slots) in the same write.
   */
  changeOrder(orderId: number, customerId: number, lines: CartLine[], pickup?: PickupWish): Promise<Order>;
  /** Cancels before the cutoff; the stock returns. */
  cancelOrder(orderId: number, customerId: number): Promise<Order>;
  /**
   * Rebuilds the basket of the customer's last order of an earlier week against this week's offer,
   * saying what changed; null when there is none. This week's own order is never repeated: that is changed.
   */
  rebuildLastOrder(customerId: number): Promise<RebuiltCart | null>;
  /**
   * What "wie letzte Woche" can do for the customer: repeat an earlier week's order, point to the order
   * already placed this week, or nothing.
   */
  repeatable(customerId: number): Promise<{ earlier: boolean; thisWeek: Order | null }>;
  /** The customer's orders, newest first. */
  ordersOf(customerId: number): Promise<Order[]>;
}

export function orderingOver(deps: MarketplaceDeps): Ordering {
  const { repos, clock } = deps;

  /**
   * The items of an order from a cart: lines of one offer merged, each checked
   * and priced (the first problem is reported: all at once would confuse).
   * What `held` (the order being changed) reserves counts as available to it,
   * at the price it froze.
   */
  async function orderItems(cycleId: number, lines: CartLine[], held: OrderItem[] = []): Promise<OrderItem[]> {
    if (lines.length === 0) throw new DomainError('EMPTY_CART');
    const merged = new Map<number, number>();
    for (const line of lines) merged.set(line.offerId, roundQuantity((merged.get(line.offerId) ?? 0) + line.quantity));
    const items: OrderItem[] = [];
    for (const [offerId, quantity] of merged) {
      const offer = await offerOf(deps, cycleId, offerId);
      const before = held.find((i) => i.offerId === offerId);
      checkQuantity(before ? { ...offer, available: roundQuantity(offer.available + before.quantity) } : offer, quantity);
      items.push(lineItem(offer, quantity, before?.unitPriceCents));
    }
    return items;
  }

  function slotFor(week: OpenWeek, pickupPointId: number, pickupFrom?: Date): PickupSlot {
    const slots = upcomingSlotsOf(week, clock.now(), pickupPointId);
    const slot = pickupFrom ? slots.find((s) => s.from.getTime() === pickupFrom.getTime()) : slots[0];
    if (!slot) throw new DomainError('UNKNOWN_PICKUP_POINT', { pickupPointId });
    return slot;
  }

  /** The customer's own order while it can still change: before the cutoff, and only as placed. */
  async function changeableOrder(orderId: number, customerId: number): Promise<Order> {
    const order = await repos.orders.get(orderId);
    if (!order || order.customerId !== customerId) throw new DomainError('UNKNOWN_ORDER', { orderId });
    const cycle = await repos.cycles.get(order.cycleId);
    if (!cycle || cycle.status !== 'open' || clock.now() >= cycle.cutoffAt) {
      throw new DomainError('CYCLE_CLOSED', { code: order.code });
    }
    if (order.status !== 'placed') throw new DomainError('ORDER_NOT_CHANGEABLE', { code: order.code, status: order.status });
    return order;
  }

  return {
    async checkLine(line) {
      const { cycle } = await openWeek(deps);
      const offer = await offerOf(deps, cycle.id, line.offerId);
      checkQuantity(offer, line.quantity);
      return offer;
    },

    async priceCart(lines) {
      const { cycle } = await currentWeek(deps);
      const items: PricedLine[] = [];
      for (const line of lines) {
        const offer = await offerOf(deps, cycle.id, line.offerId);
        // The offer first: a key added after a spread keeps what it points to alive through
        // young-generation collections (see createEngine's turnDeps in flows/engine.ts).
        items.push({ offer, ...lineItem(offer, line.quantity) });
      }
      return { items, totalCents: items.reduce((sum, i) => sum + i.lineCents, 0) };
    },

    async placeOrder(input) {
      const week = await openWeek(deps);
      const slot = slotFor(week, input.pickupPointId, input.pickupFrom);
      const items = await orderItems(week.cycle.id, input.lines);
      return repos.orders.place({
        customerId: input.customerId,
        cycleId: week.cycle.id,
        pickupPointId: input.pickupPointId,
        pickupFrom: slot.from,
        pickupTo: slot.to,
        channel: input.channel,
        createdAt: clock.now(),
        items,
        requestKey: input.requestKey ?? null,
      });
    },

    async changeOrder(orderId, customerId, lines, pickup) {
      const order = await changeableOrder(orderId, customerId);
      const kept = lines.filter((l) => roundQuantity(l.quantity) !== 0);
      if (kept.length === 0) return repos.orders.cancel(order.id);
      const items = await orderItems(order.cycleId, kept, order.items);
      if (!pickup) return repos.orders.replaceItems(order.id, items);
      const slot = slotFor(await openWeek(deps), pickup.pickupPointId, pickup.pickupFrom);
      return repos.orders.replaceItems(order.id, items, { pickupPointId: pickup.pickupPointId, pickupFrom: slot.from, pickupTo: slot.to });
    },

    async cancelOrder(orderId, customerId) {
      const order = await changeableOrder(orderId, customerId);
      return repos.orders.cancel(order.id);
    },

    async rebuildLastOrder(customerId) {
      const { cycle } = await currentWeek(deps);
      const last = (await repos.orders.listByCustomer(customerId)).find((o) => o.status !== 'cancelled' && o.cycleId !== cycle.id);
      if (!last) return null;
      const offers = await repos.offers.list(cycle.id, { inStock: false });
      const result: RebuiltCart = { lines: [], missing: [], reduced: [], dearer: [], pickupPointId: last.pickupPointId };
      for (const item of last.items) {
        const offer =
          offers.find((o) => o.productId === item.productId) ??
          offers.find((o) => o.productName.toLowerCase() === item.productName.toLowerCase() && o.producerName === item.producerName);
        if (!offer || offer.available <= 0) {
          result.missing.push(item.productName);
          continue;
        }
        const quantity = bestAvailable(offer, item.quantity);
        if (quantity < item.quantity) {
          result.reduced.push({ productName: offer.productName, wanted: item.quantity, available: quantity, unit: offer.unit });
          if (quantity <= 0) continue;
        }
        if (offer.priceCents > item.unitPriceCents) {
          result.dearer.push({ productName: offer.productName, beforeCents: item.unitPriceCents, nowCents: offer.priceCents });
        }
        result.lines.push({ offerId: offer.id, quantity });
      }
      return result;
    },

    async repeatable(customerId) {
      const last = await repos.orders.lastOfCustomer(customerId);
      if (!last) return { earlier: false, thisWeek: null };
      const cycle = await repos.cycles.current(deps.clock.now());
      if (!cycle || last.cycleId !== cycle.id) return { earlier: true, thisWeek: null };
      const orders = await repos.orders.listByCustomer(customerId);
      return {
        earlier: orders.some((o) => o.status !== 'cancelled' && o.cycleId !== cycle.id),
        thisWeek: orders.find((o) => o.status === 'placed' && o.cycleId === cycle.id) ?? null,
      };
    },

    async ordersOf(customerId) {
      return repos.orders.listByCustomer(customerId);
    },
  };
}
