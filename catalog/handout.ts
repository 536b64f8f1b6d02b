/**
 * Handing out at a pickup point: the point's list, marking an order picked up
 * or not collected, and taking a mark back. The answers that are not "done"
 * are values the staff are told in words ("gehört zum Dorfladen Lieberose",
 * "erst am Freitag"), not errors. Finding a customer by name is the dialogue's
 * reading of the list (flows/staff.ts).
 */
import { DomainError } from './errors.ts';
import type { Clock, HandoutEntry, Repositories } from './ports.ts';
import { localDateKey } from './time.ts';
import type { Order, OrderCycle, OrderStatus, PickupPoint, Staff } from './types.ts';

export type HandoutOutcome = 'picked_up' | 'no_show';

/** What became of a mark or an undo. */
export type HandoutResult =
  | { kind: 'done'; order: Order; customerName: string | null; previous: OrderStatus }
  | { kind: 'unknown'; code: string }
  | { kind: 'other_point'; code: string; pointName: string }
  /** A no-show before the pickup day: the customer may still come. */
  | { kind: 'too_early'; code: string; pickupFrom: Date }
  /** Already marked so, or nothing to take back. */
  | { kind: 'unchanged'; code: string; status: OrderStatus };

export interface HandoutList {
  point: PickupPoint;
  entries: HandoutEntry[];
}

/** The use cases of a pickup point's staff, as the dialogue calls them. */
export interface Handout {
  /** The point's orders of the current cycle, optionally only those whose pickup overlaps [from, to). */
  list(staff: Staff, window?: { from?: Date; to?: Date }): Promise<HandoutList>;
  mark(staff: Staff, code: string, outcome: HandoutOutcome): Promise<HandoutResult>;
  /** Takes a picked-up or no-show mark back: the order is to be handed out again. */
  undo(staff: Staff, code: string): Promise<HandoutResult>;
}

/** Orders still to be handed out. */
const OPEN: OrderStatus[] = ['placed', 'ready'];
/** Where each outcome may be set from: someone marked as not collected may still come on Saturday. */
const MARKABLE: Record<HandoutOutcome, OrderStatus[]> = {
  picked_up: [...OPEN, 'no_show'],
  no_show: OPEN,
};

export function createHandout({ repos, clock }: { repos: Repositories; clock: Clock }): Handout {
  async function week(): Promise<OrderCycle> {
    const cycle = await repos.cycles.current(clock.now());
    if (!cycle) throw new DomainError('NO_OPEN_CYCLE');
    return cycle;
  }

  async function pointOf(staff: Staff): Promise<PickupPoint> {
    const point = await repos.pickupPoints.get(staff.pickupPointId);
    if (!point) throw new DomainError('UNKNOWN_PICKUP_POINT', { pickupPointId: staff.pickupPointId });
    return point;
  }

  /** The order of this week with `code`, when it is this staff member's point's. */
  async function ownOrder(staff: Staff, code: string): Promise<{ order: Order } | HandoutResult> {
    const order = await repos.orders.findByCode((await week()).id, code);
    if (!order) return { kind: 'unknown', code };
    if (order.pickupPointId !== staff.pickupPointId) {
      const point = await repos.pickupPoints.get(order.pickupPointId);
      return { kind: 'other_point', code, pointName: point?.name ?? '' };
    }
    return { order };
  }

  async function move(order: Order, from: OrderStatus[], to: OrderStatus): Promise<HandoutResult> {
    if (!from.includes(order.status)) return { kind: 'unchanged', code: order.code, status: order.status };
    const moved = await repos.orders.transition(order.id, from, to);
    // Someone else marked it meanwhile: say what it is now.
    if (!moved) return { kind: 'unchanged', code: order.code, status: (await repos.orders.get(order.id))?.status ?? order.status };
    const customer = await repos.customers.get(order.customerId);
    return { kind: 'done', order: moved, customerName: customer?.name ?? null, previous: order.status };
  }

  return {
    async list(staff, window = {}) {
      const entries = await repos.orders.handoutList((await week()).id, staff.pickupPointId);
      return {
        point: await pointOf(staff),
        entries: entries.filter((e) => (!window.from || e.pickupTo > window.from) && (!window.to || e.pickupFrom < window.to)),
      };
    },

    async mark(staff, code, outcome) {
      const found = await ownOrder(staff, code);
      if (!('order' in found)) return found;
      const { order } = found;
      if (outcome === 'no_show' && OPEN.includes(order.status) && localDateKey(clock.now()) < localDateKey(order.pickupFrom)) {
        return { kind: 'too_early', code, pickupFrom: order.pickupFrom };
      }
      return move(order, MARKABLE[outcome], outcome);
    },

    async undo(staff, code) {
      const found = await ownOrder(staff, code);
      if (!('order' in found)) return found;
      return move(found.order, ['picked_up', 'no_show'], 'placed');
    },
  };
}
