/**
 * The marketplace's operations: this week's offer, orders, producer stock and
 * pickup handout. Typed inputs in, values or coded DomainErrors out.
 */
import { DomainError } from './errors.ts';
import { lineItem } from './line-item.ts';
import type { Clock, CustomerPatch, HandoutEntry, PickListRow, Repositories } from './ports.ts';
import { bestAvailable, checkPrice, checkQuantity, checkStockQuantity, roundQuantity } from './quantities.ts';
import { turnReadsOver } from './turn-reads.ts';
import type {
  CartLine, Category, Channel, Customer, Identity, Language, OfferView, Order, OrderCycle, OrderItem, PickupPoint,
  PickupSlot, Producer, Staff, Unit,
} from './types.ts';

export interface MarketplaceDeps {
  repos: Repositories;
  clock: Clock;
}

/** Who is writing: decides which commands are theirs. */
export type Role =
  | { kind: 'producer'; producer: Producer }
  | { kind: 'staff'; staff: Staff }
  | { kind: 'customer'; customer: Customer | null };

export interface OpenWeek {
  cycle: OrderCycle;
  slots: PickupSlot[];
  /** Ordering still possible (before the cutoff). */
  open: boolean;
}

export interface PlaceOrderInput {
  customerId: number;
  pickupPointId: number;
  lines: CartLine[];
  channel: Channel;
  /** Start of the chosen pickup slot; the point's next slot when absent. */
  pickupFrom?: Date;
  requestKey?: string | null;
}

export interface RebuiltCart {
  lines: CartLine[];
  /** Products of the last order not on offer (or sold out) this week. */
  missing: string[];
  /** Products whose quantity had to shrink to what is left. */
  reduced: Array<{ productName: string; wanted: number; available: number; unit: Unit }>;
  /** Products that now cost more per unit. */
  dearer: Array<{ productName: string; beforeCents: number; nowCents: number }>;
  pickupPointId: number | null;
}

/** A cart line priced at this week's offer, with the offer beside it for showing. */
export interface PricedLine extends OrderItem {
  offer: OfferView;
}

export interface PricedCart {
  items: PricedLine[];
  totalCents: number;
}

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

export type Marketplace = ReturnType<typeof marketplaceOver>;

/** Builds the marketplace over the given repositories and clock. */
export function createMarketplace({ repos, clock }: MarketplaceDeps): Marketplace {
  const turnRepos = turnReadsOver(repos);
  const forTurn = (now: Date): Marketplace => marketplaceOver({ repos: turnRepos(), clock: { now: () => now } }, forTurn);
  return marketplaceOver({ repos, clock }, forTurn);
}

function marketplaceOver({ repos, clock }: MarketplaceDeps, forTurn: (now: Date) => Marketplace) {
  async function currentWeek(): Promise<OpenWeek> {
    const now = clock.now();
    const cycle = await repos.cycles.current(now);
    if (!cycle) throw new DomainError('NO_OPEN_CYCLE');
    const slots = await repos.cycles.slots(cycle.id);
    return { cycle, slots, open: cycle.status === 'open' && now < cycle.cutoffAt };
  }

  async function openWeek(): Promise<OpenWeek> {
    const week = await currentWeek();
    if (!week.open) throw new DomainError('CYCLE_CLOSED', { cutoff: week.cycle.cutoffAt.toISOString() });
    return week;
  }

  async function offerOf(cycleId: number, offerId: number): Promise<OfferView> {
    const offer = await repos.offers.get(offerId);
    if (!offer || offer.cycleId !== cycleId) throw new DomainError('UNKNOWN_OFFER', { offerId });
    return offer;
  }

  function slotFor(week: OpenWeek, pickupPointId: number, pickupFrom?: Date): PickupSlot {
    const now = clock.now();
    const slots = week.slots
      .filter((s) => s.pickupPointId === pickupPointId && s.to > now)
      .sort((a, b) => a.from.getTime() - b.from.getTime());
    const slot = pickupFrom ? slots.find((s) => s.from.getTime() === pickupFrom.getTime()) : slots[0];
    if (!slot) throw new DomainError('UNKNOWN_PICKUP_POINT', { pickupPointId });
    return slot;
  }

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
      const offer = await offerOf(cycleId, offerId);
      const before = held.find((i) => i.offerId === offerId);
      checkQuantity(before ? { ...offer, available: roundQuantity(offer.available + before.quantity) } : offer, quantity);
      items.push(lineItem(offer, quantity, before?.unitPriceCents));
    }
    return items;
  }

  async function ownOrder(orderId: number, customerId: number): Promise<Order> {
    const order = await repos.orders.get(orderId);
    if (!order || order.customerId !== customerId) throw new DomainError('UNKNOWN_ORDER', { orderId });
    return order;
  }

  async function changeableOrder(orderId: number, customerId: number): Promise<Order> {
    const order = await ownOrder(orderId, customerId);
    const cycle = await repos.cycles.get(order.cycleId);
    if (!cycle || cycle.status !== 'open' || clock.now() >= cycle.cutoffAt) {
      throw new DomainError('CYCLE_CLOSED', { code: order.code });
    }
    if (order.status !== 'placed') throw new DomainError('ORDER_NOT_CHANGEABLE', { code: order.code, status: order.status });
    return order;
  }

  async function ownProduct(producerId: number, productId: number) {
    const product = await repos.products.get(productId);
    if (!product) throw new DomainError('UNKNOWN_PRODUCT', { productId });
    if (product.producerId !== producerId) throw new DomainError('NOT_ALLOWED', { product: product.name });
    return product;
  }

  return {
    currentWeek,

    /**
     * The marketplace as one conversation turn sees it: the clock stopped at
     * `now`, and the week, its slots and its offers read once until a write.
     */
    forTurn,

    /** Who an identity belongs to: producers and staff first, then customers. */
    async identify(identity: Identity | null): Promise<Role> {
      if (!identity) return { kind: 'customer', customer: null };
      if (identity.kind === 'telegram') {
        const producer = await repos.producers.findByTelegramId(identity.value);
        if (producer?.active) return { kind: 'producer', producer };
        const staff = await repos.staff.findByTelegramId(identity.value);
        if (staff) return { kind: 'staff', staff };
      } else {
        const producer = await repos.producers.findByPhone(identity.value);
        if (producer?.active) return { kind: 'producer', producer };
        const staff = await repos.staff.findByPhone(identity.value);
        if (staff) return { kind: 'staff', staff };
      }
      return { kind: 'customer', customer: await repos.customers.findByIdentity(identity) };
    },

    /** This week's offers with stock, optionally by category or producer. */
    async weekOffer(filter: { category?: Category; producerId?: number } = {}): Promise<OfferView[]> {
      const { cycle } = await currentWeek();
      return repos.offers.list(cycle.id, { ...filter, inStock: true });
    },

    async pickupPoints(): Promise<PickupPoint[]> {
      return repos.pickupPoints.list();
    },

    /** The upcoming pickup slots of this week, per point. */
    async upcomingSlots(pickupPointId?: number): Promise<PickupSlot[]> {
      const week = await currentWeek();
      const now = clock.now();
      return week.slots
        .filter((s) => s.to > now && (pickupPointId === undefined || s.pickupPointId === pickupPointId))
        .sort((a, b) => a.from.getTime() - b.from.getTime());
    },

    /** Checks one cart line now, so the customer hears about stock, step and maximum at once. */
    async checkLine(line: CartLine): Promise<OfferView> {
      const { cycle } = await openWeek();
      const offer = await offerOf(cycle.id, line.offerId);
      checkQuantity(offer, line.quantity);
      return offer;
    },

    /** Places an order from a cart: all items or none. Prices are frozen now. */
    async placeOrder(input: PlaceOrderInput): Promise<Order> {
      const week = await openWeek();
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

    /** Replaces the quantities of an order before the cutoff; stock follows. */
    async changeOrder(orderId: number, customerId: number, lines: CartLine[]): Promise<Order> {
      const order = await changeableOrder(orderId, customerId);
      // A line at nothing takes the product out; nothing left cancels the order.
      const kept = lines.filter((l) => roundQuantity(l.quantity) !== 0);
      if (kept.length === 0) return repos.orders.cancel(order.id);
      const items = await orderItems(order.cycleId, kept, order.items);
      return repos.orders.replaceItems(order.id, items);
    },

    /** Cancels before the cutoff; the stock returns. */
    async cancelOrder(orderId: number, customerId: number): Promise<Order> {
      const order = await changeableOrder(orderId, customerId);
      return repos.orders.cancel(order.id);
    },

    /** Whether the customer has an order that was not cancelled (for "wie letzte Woche" in the menu). */
    async hasOrdered(customerId: number): Promise<boolean> {
      return (await repos.orders.lastOfCustomer(customerId)) !== null;
    },

    async ordersOf(customerId: number): Promise<Order[]> {
      return repos.orders.listByCustomer(customerId);
    },

    async findOwnOrderByCode(customerId: number, code: string): Promise<Order | null> {
      const orders = await repos.orders.listByCustomer(customerId);
      return orders.find((o) => o.code === code) ?? null;
    },

    /** Rebuilds the last order's basket against this week's offer, saying what changed. */
    async rebuildLastOrder(customerId: number): Promise<RebuiltCart | null> {
      const last = await repos.orders.lastOfCustomer(customerId);
      if (!last) return null;
      const { cycle } = await currentWeek();
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

    /** Applies a producer's weekly post: new names create products, known names update the offer. */
    async applyStockPost(producerId: number, lines: StockLineInput[]): Promise<StockChange[]> {
      const week = await currentWeek();
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

    /** A producer's own offers this week (for matching "Gurken nur noch 10"). */
    async producerOffers(producerId: number): Promise<OfferView[]> {
      const { cycle } = await currentWeek();
      return repos.offers.list(cycle.id, { producerId });
    },

    /** Changes one of the producer's own offers: what is left and/or the price. */
    async updateOffer(
      producerId: number,
      offerId: number,
      patch: { available?: number; priceCents?: number },
    ): Promise<OfferView> {
      const { cycle } = await currentWeek();
      const offer = await offerOf(cycle.id, offerId);
      await ownProduct(producerId, offer.productId);
      if (patch.priceCents !== undefined) checkPrice(offer.productName, patch.priceCents);
      if (patch.available !== undefined) checkStockQuantity(offer.productName, patch.available);
      await repos.offers.update(offer.id, {
        ...(patch.available !== undefined ? { available: roundQuantity(patch.available) } : {}),
        ...(patch.priceCents !== undefined ? { priceCents: patch.priceCents } : {}),
      });
      return (await repos.offers.get(offer.id))!;
    },

    /** What has been ordered of a producer's goods, per pickup point. */
    async pickList(producerId: number, cycleId?: number): Promise<PickListRow[]> {
      const id = cycleId ?? (await currentWeek()).cycle.id;
      return repos.orders.pickList(id, producerId);
    },

    /** Orders to hand out at a pickup point; `day` restricts to slots starting that local day. */
    async handoutList(pickupPointId: number, options: { cycleId?: number; from?: Date; to?: Date } = {}): Promise<HandoutEntry[]> {
      const id = options.cycleId ?? (await currentWeek()).cycle.id;
      const entries = await repos.orders.handoutList(id, pickupPointId);
      return entries.filter(
        (e) => (!options.from || e.pickupTo > options.from) && (!options.to || e.pickupFrom < options.to),
      );
    },

    /** Staff marks an order of their own pickup point as picked up or not shown. */
    async markHandout(staff: Staff, code: string, outcome: 'picked_up' | 'no_show'): Promise<Order> {
      const { cycle } = await currentWeek();
      const order = await repos.orders.findByCode(cycle.id, code);
      if (!order) throw new DomainError('UNKNOWN_ORDER', { code });
      if (order.pickupPointId !== staff.pickupPointId) throw new DomainError('NOT_ALLOWED', { code });
      const moved = await repos.orders.transition(order.id, ['placed', 'ready', 'no_show', 'picked_up'], outcome);
      if (!moved) throw new DomainError('ORDER_NOT_CHANGEABLE', { code, status: order.status });
      return moved;
    },

    /** Makes a customer of someone who agreed to the privacy note. */
    async registerCustomer(identity: Identity, input: { name?: string | null; language: Language }): Promise<Customer> {
      const existing = await repos.customers.findByIdentity(identity);
      const customer = existing ?? (await repos.customers.create({ identity, name: input.name ?? null, language: input.language }));
      return repos.customers.update(customer.id, { consentAt: clock.now(), language: input.language });
    },

    async updateCustomer(customerId: number, patch: CustomerPatch): Promise<Customer> {
      if (patch.name !== undefined && patch.name !== null) {
        const name = patch.name.replace(/\s+/g, ' ').trim().slice(0, 80);
        if (!name) throw new DomainError('INVALID_INPUT', { field: 'name' });
        patch = { ...patch, name };
      }
      return repos.customers.update(customerId, patch);
    },

    /** Links a further identity, e.g. the phone number shared on Telegram. */
    async linkIdentity(customerId: number, identity: Identity): Promise<void> {
      const other = await repos.customers.findByIdentity(identity);
      if (other && other.id !== customerId) throw new DomainError('CONFLICT', { identity: identity.kind });
      await repos.customers.addIdentity(customerId, identity);
    },

    /** Erases personal data; placed orders stay, anonymised. */
    async eraseCustomer(customerId: number): Promise<void> {
      await repos.customers.erase(customerId);
    },

    async customer(customerId: number): Promise<Customer | null> {
      return repos.customers.get(customerId);
    },

    /** Totals a cart for display without touching stock. */
    async priceCart(lines: CartLine[]): Promise<PricedCart> {
      const { cycle } = await currentWeek();
      const items: PricedLine[] = [];
      for (const line of lines) {
        const offer = await offerOf(cycle.id, line.offerId);
        items.push({ ...lineItem(offer, line.quantity), offer });
      }
      return { items, totalCents: items.reduce((sum, i) => sum + i.lineCents, 0) };
    },
  };
}
