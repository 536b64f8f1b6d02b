/**
 * Writes the demo Spreewald week (catalog/demo-week.ts) into an empty database
 * through the ports, and opens a cycle in which one can order right away.
 */
import { DEMO_PICKUP_POINTS, DEMO_PRODUCERS, DEMO_STAFF } from './demo-week.ts';
import type { NewCycle, Repositories } from './ports.ts';
import { DEFAULT_RHYTHM, planCycle, type CycleRhythm } from './rhythm.ts';
import { addLocalDays, startOfLocalWeek } from './time.ts';
import type { PickupPoint } from './types.ts';

/** True when no producer exists yet: the database has never been seeded or used. */
export async function isEmpty(repos: Repositories): Promise<boolean> {
  return (await repos.producers.list()).length === 0;
}

/**
 * The cycle to seed at `at`: this week's, or next week's once this week's cutoff
 * has passed (ordering for pickups already closed would be no demo). Either way
 * it opens no later than `at`, so that a tester can order at once even on a
 * Thursday or before Monday's opening; the weekly job plans later cycles by the
 * plain rhythm.
 */
export function demoCycle(rhythm: CycleRhythm, at: Date, pickupPoints: PickupPoint[]): NewCycle {
  const thisWeek = planCycle(rhythm, at, pickupPoints);
  const cycle = at < thisWeek.cutoffAt
    ? thisWeek
    : planCycle(rhythm, addLocalDays(startOfLocalWeek(at), 7), pickupPoints);
  return { ...cycle, opensAt: cycle.opensAt <= at ? cycle.opensAt : at };
}

/**
 * Writes producers, products, pickup points, the demo staff member, an open
 * cycle (see `demoCycle`) and this week's offers. Refuses a database that
 * already has producers, so that running it twice cannot double the catalogue.
 */
export async function seedDemoWeek(
  repos: Repositories,
  at: Date,
  rhythm: CycleRhythm = DEFAULT_RHYTHM,
): Promise<{ cycleId: number }> {
  if (!(await isEmpty(repos))) {
    throw new Error('The demo week is only written into an empty database: producers already exist.');
  }
  const pickupPoints: PickupPoint[] = [];
  for (const point of DEMO_PICKUP_POINTS) pickupPoints.push(await repos.pickupPoints.add(point));

  const staffPoint = pickupPoints.find((point) => point.name === DEMO_STAFF.pickupPointName);
  if (!staffPoint) throw new Error(`Demo staff point "${DEMO_STAFF.pickupPointName}" is not among the demo pickup points`);
  const { pickupPointName: _, ...staff } = DEMO_STAFF;
  await repos.staff.add({ ...staff, pickupPointId: staffPoint.id });

  const cycle = await repos.cycles.create(demoCycle(rhythm, at, pickupPoints));
  if (cycle.status !== 'open') await repos.cycles.setStatus(cycle.id, 'open');

  for (const { products, ...producer } of DEMO_PRODUCERS) {
    const { id: producerId } = await repos.producers.add(producer);
    for (const { offer, ...product } of products) {
      const { id: productId } = await repos.products.add({ ...product, producerId });
      await repos.offers.upsert(cycle.id, productId, offer);
    }
  }
  return { cycleId: cycle.id };
}
