/**
 * The week and its offer: the order cycle of now, its pickup slots and what is
 * on offer. Also the lookups the other use cases start from.
 */
import { DomainError } from '../errors.ts';
import type { Clock, Repositories } from '../ports.ts';
import type { Category, OfferView, OrderCycle, PickupSlot } from '../types.ts';
import { rememberedInTurn } from '../turn-reads.ts';

/** What every use case works over. */
export interface MarketplaceDeps {
  repos: Repositories;
  clock: Clock;
  /**
   * Told when a message someone is waiting for on the line (a code, a callback)
   * was written to the outbox, so that it can go out now rather than at the next
   * minute's sweep.
   */
  wake?: () => void;
}

export interface OpenWeek {
  cycle: OrderCycle;
  slots: PickupSlot[];
  /** Ordering still possible (before the cutoff). */
  open: boolean;
}

export interface TheWeek {
  /** The cycle of now with its slots, open or past its cutoff; NO_OPEN_CYCLE when there is none yet. */
  currentWeek(): Promise<OpenWeek>;
  /** This week's offers with stock, optionally by category or producer. */
  weekOffer(filter?: { category?: Category; producerId?: number }): Promise<OfferView[]>;
}

export function weekOver(deps: MarketplaceDeps): TheWeek {
  return {
    currentWeek: () => currentWeek(deps),

    async weekOffer(filter = {}) {
      const { cycle } = await currentWeek(deps);
      return deps.repos.offers.list(cycle.id, { ...filter, inStock: true });
    },
  };
}

/**
 * The cycle of now with its slots. A turn asks for it several times (tidying the cart, understanding,
 * checking and pricing lines) and gets the same week until it writes; its slots are not to be changed.
 */
export function currentWeek(deps: MarketplaceDeps): Promise<OpenWeek> {
  return rememberedInTurn(deps.repos, 'week', () => readWeek(deps));
}

async function readWeek({ repos, clock }: MarketplaceDeps): Promise<OpenWeek> {
  const now = clock.now();
  const cycle = await repos.cycles.current(now);
  if (!cycle) throw new DomainError('NO_OPEN_CYCLE');
  const slots = await repos.cycles.slots(cycle.id);
  return { cycle, slots, open: cycle.status === 'open' && now < cycle.cutoffAt };
}

/** The current week while ordering is possible; CYCLE_CLOSED after the cutoff. */
export async function openWeek(deps: MarketplaceDeps): Promise<OpenWeek> {
  const week = await currentWeek(deps);
  if (!week.open) throw new DomainError('CYCLE_CLOSED', { cutoff: week.cycle.cutoffAt.toISOString() });
  return week;
}

/** An offer of the given cycle; UNKNOWN_OFFER for one of another week. */
export async function offerOf({ repos }: MarketplaceDeps, cycleId: number, offerId: number): Promise<OfferView> {
  const offer = await repos.offers.get(offerId);
  if (!offer || offer.cycleId !== cycleId) throw new DomainError('UNKNOWN_OFFER', { offerId });
  return offer;
}

/** The week's slots that have not ended by `now`, soonest first; only one point's when given. */
export function upcomingSlotsOf(week: OpenWeek, now: Date, pickupPointId?: number): PickupSlot[] {
  return week.slots
    .filter((s) => s.to > now && (pickupPointId === undefined || s.pickupPointId === pickupPointId))
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}
