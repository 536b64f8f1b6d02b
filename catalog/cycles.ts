/** The weekly rhythm at work: open the week's cycle (carrying last week's stock over), close it at the cutoff. */
import type { Repositories } from './ports.ts';
import { roundQuantity } from './quantities.ts';
import { planCycle, type CycleRhythm } from './rhythm.ts';
import type { OfferView, OrderCycle } from './types.ts';

/**
 * Opens the cycle of the week containing `at` unless it exists. Offers of the
 * previous cycle are carried over at last week's posted quantity (what is left
 * plus what was ordered), as a starting point the producers then change.
 */
export async function openCycle(repos: Repositories, rhythm: CycleRhythm, at: Date): Promise<{ cycle: OrderCycle; created: boolean }> {
  const plan = planCycle(rhythm, at, await repos.pickupPoints.list());
  const existing = (await repos.cycles.list()).find((c) => c.label === plan.label);
  if (existing) return { cycle: existing, created: false };
  const previous = await repos.cycles.current(at);
  const cycle = await repos.cycles.create(plan);
  if (previous) {
    for (const { offer, posted } of await postedOffers(repos, previous.id)) {
      await repos.offers.upsert(cycle.id, offer.productId, {
        priceCents: offer.priceCents,
        available: posted,
        step: offer.step,
        maxPerOrder: offer.maxPerOrder,
      });
    }
  }
  return { cycle, created: true };
}

/** A cycle's offers with the quantity their producer posted: what is left plus what orders not cancelled hold. */
export async function postedOffers(repos: Repositories, cycleId: number): Promise<Array<{ offer: OfferView; posted: number }>> {
  const ordered = new Map<number, number>();
  for (const order of await repos.orders.listByCycle(cycleId)) {
    if (order.status === 'cancelled') continue;
    for (const item of order.items) ordered.set(item.offerId, (ordered.get(item.offerId) ?? 0) + item.quantity);
  }
  return (await repos.offers.list(cycleId)).map((offer) => ({
    offer, posted: roundQuantity(offer.available + (ordered.get(offer.id) ?? 0)),
  }));
}

/** Closes the current cycle (at or after its cutoff, or by hand). */
export async function closeCycle(repos: Repositories, at: Date): Promise<OrderCycle | null> {
  const cycle = await repos.cycles.current(at);
  if (!cycle || cycle.status === 'closed') return null;
  await repos.cycles.setStatus(cycle.id, 'closed');
  return { ...cycle, status: 'closed' };
}
