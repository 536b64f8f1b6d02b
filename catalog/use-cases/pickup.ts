/** Pickup: where and when goods are collected, and the handout at a pickup point. */
import { DomainError } from '../errors.ts';
import type { HandoutEntry } from '../ports.ts';
import type { Order, PickupPoint, PickupSlot, Staff } from '../types.ts';
import { currentWeek, upcomingSlotsOf, type MarketplaceDeps } from './week.ts';

export interface Pickup {
  pickupPoints(): Promise<PickupPoint[]>;
  /** This week's pickup slots still to come, soonest first; only one point's when given. */
  upcomingSlots(pickupPointId?: number): Promise<PickupSlot[]>;
  /**
   * Orders to hand out at a pickup point this week (or in `cycleId`); `from`
   * and `to` keep those whose pickup time overlaps them.
   */
  handoutList(pickupPointId: number, options?: { cycleId?: number; from?: Date; to?: Date }): Promise<HandoutEntry[]>;
  /** Staff marks an order of their own pickup point as picked up or not shown. */
  markHandout(staff: Staff, code: string, outcome: 'picked_up' | 'no_show'): Promise<Order>;
}

export function pickupOver(deps: MarketplaceDeps): Pickup {
  const { repos, clock } = deps;
  return {
    async pickupPoints() {
      return repos.pickupPoints.list();
    },

    async upcomingSlots(pickupPointId) {
      return upcomingSlotsOf(await currentWeek(deps), clock.now(), pickupPointId);
    },

    async handoutList(pickupPointId, options = {}) {
      const id = options.cycleId ?? (await currentWeek(deps)).cycle.id;
      const entries = await repos.orders.handoutList(id, pickupPointId);
      return entries.filter(
        (e) => (!options.from || e.pickupTo > options.from) && (!options.to || e.pickupFrom < options.to),
      );
    },

    async markHandout(staff, code, outcome) {
      const { cycle } = await currentWeek(deps);
      const order = await repos.orders.findByCode(cycle.id, code);
      if (!order) throw new DomainError('UNKNOWN_ORDER', { code });
      if (order.pickupPointId !== staff.pickupPointId) throw new DomainError('NOT_ALLOWED', { code });
      const moved = await repos.orders.transition(order.id, ['placed', 'ready', 'no_show', 'picked_up'], outcome);
      if (!moved) throw new DomainError('ORDER_NOT_CHANGEABLE', { code, status: order.status });
      return moved;
    },
  };
}
