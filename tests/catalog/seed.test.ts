import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PICKUP_POINTS, DEMO_PRODUCERS, DEMO_STAFF_IDENTITY } from '../../catalog/demo-week.ts';
import type { Repositories } from '../../catalog/ports.ts';
import { DEFAULT_RHYTHM, parseRhythm } from '../../catalog/rhythm.ts';
import { demoCycle, isEmpty, seedDemoWeek } from '../../catalog/seed.ts';
import { isoWithOffset, zonedTimeToUtc } from '../../catalog/time.ts';
import type { PickupPoint } from '../../catalog/types.ts';
import { openDatabase, type Database } from '../../storage/database.ts';

const berlin = (year: number, month: number, day: number, hour: number, minute = 0): Date =>
  zonedTimeToUtc({ year, month, day, hour, minute });

const tuesday = berlin(2026, 12, 1, 10);
const thursday = berlin(2026, 12, 3, 10);
const mondayNight = berlin(2026, 11, 30, 3);

const demoProducts = DEMO_PRODUCERS.flatMap((producer) => producer.products.map((product) => ({ producer, product })));
/** Every window of a demo point falls on a pickup day, so each window becomes one slot. */
const demoWindowCount = DEMO_PICKUP_POINTS.reduce((sum, point) => sum + point.windows.length, 0);

describe('demoCycle', () => {
  const points: PickupPoint[] = DEMO_PICKUP_POINTS.map((point, index) => ({
    vanRoute: null, routePosition: null, ...point, id: index + 1,
  }));

  it('is this week before the cutoff, open as the rhythm says', () => {
    const cycle = demoCycle(DEFAULT_RHYTHM, tuesday, points);
    expect(cycle.label).toBe('2026-W49');
    expect(isoWithOffset(cycle.opensAt)).toBe('2026-11-30T06:00:00+01:00');
    expect(isoWithOffset(cycle.cutoffAt)).toBe('2026-12-02T18:00:00+01:00');
  });

  it('is next week once the cutoff has passed, opened at once', () => {
    const cycle = demoCycle(DEFAULT_RHYTHM, thursday, points);
    expect(cycle.label).toBe('2026-W50');
    expect(cycle.opensAt).toEqual(thursday);
    expect(isoWithOffset(cycle.cutoffAt)).toBe('2026-12-09T18:00:00+01:00');
    expect(cycle.slots.every((slot) => slot.from > cycle.cutoffAt)).toBe(true);
  });

  it('moves the cutoff minute itself to next week', () => {
    expect(demoCycle(DEFAULT_RHYTHM, berlin(2026, 12, 2, 18), points).label).toBe('2026-W50');
    expect(demoCycle(DEFAULT_RHYTHM, berlin(2026, 12, 2, 17, 59), points).label).toBe('2026-W49');
  });

  it('opens at once before Monday’s opening time too', () => {
    const cycle = demoCycle(DEFAULT_RHYTHM, mondayNight, points);
    expect(cycle.label).toBe('2026-W49');
    expect(cycle.opensAt).toEqual(mondayNight);
  });

  it('follows a configured rhythm', () => {
    const rhythm = parseRhythm('opens=Tue 08:00; cutoff=Thu 12:00; pickup=Sat');
    const cycle = demoCycle(rhythm, tuesday, points);
    expect(isoWithOffset(cycle.cutoffAt)).toBe('2026-12-03T12:00:00+01:00');
    expect(cycle.slots.every((slot) => isoWithOffset(slot.from).startsWith('2026-12-05'))).toBe(true);
  });
});

describe('seedDemoWeek on SQLite', () => {
  let database: Database;
  let repos: Repositories;

  beforeEach(async () => {
    database = await openDatabase(':memory:');
    await database.migrate();
    repos = database.repositories;
  });

  afterEach(async () => {
    await database.close();
  });

  it('writes producers, products, pickup points and the demo staff member', async () => {
    expect(await isEmpty(repos)).toBe(true);
    await seedDemoWeek(repos, tuesday);
    expect(await isEmpty(repos)).toBe(false);

    expect((await repos.producers.list()).map((p) => p.name)).toEqual(expect.arrayContaining(DEMO_PRODUCERS.map((p) => p.name)));
    expect(await repos.producers.findByTelegramId('100001')).toMatchObject({ name: 'Gurkenhof Krüger', phone: '+4915100000001' });

    const points = await repos.pickupPoints.list();
    expect(points).toHaveLength(DEMO_PICKUP_POINTS.length);
    const vanStops = points.filter((p) => p.kind === 'van_stop').sort((a, b) => a.routePosition! - b.routePosition!);
    expect(vanStops.map((s) => s.routePosition)).toEqual([1, 2, 3, 4]);

    const staff = await repos.staff.findByTelegramId(DEMO_STAFF_IDENTITY.telegramId);
    expect(points.find((p) => p.id === staff?.pickupPointId)?.name).toBe('Dorfladen Straupitz');
    expect(await repos.staff.findByPhone(DEMO_STAFF_IDENTITY.phone)).toEqual(staff);
  });

  it('opens this week’s cycle with every offer when seeded before the cutoff', async () => {
    const { cycleId } = await seedDemoWeek(repos, tuesday);
    const cycle = await repos.cycles.current(tuesday);
    expect(cycle).toMatchObject({ id: cycleId, label: '2026-W49', status: 'open' });

    const offers = await repos.offers.list(cycleId);
    expect(offers).toHaveLength(demoProducts.length);
    for (const { producer, product } of demoProducts) {
      const offer = offers.find((o) => o.productName === product.name && o.producerName === producer.name);
      expect(offer, product.name).toMatchObject({ ...product.offer, category: product.category, unit: product.unit });
    }
  });

  it('plans one slot per window of every pickup point, in Berlin time', async () => {
    const { cycleId } = await seedDemoWeek(repos, tuesday);
    const slots = await repos.cycles.slots(cycleId);
    expect(slots).toHaveLength(demoWindowCount);
    const straupitz = (await repos.pickupPoints.list()).find((p) => p.name === 'Dorfladen Straupitz')!;
    expect(slots.filter((s) => s.pickupPointId === straupitz.id).map((s) => isoWithOffset(s.from)).sort())
      .toEqual(['2026-12-04T08:00:00+01:00', '2026-12-05T08:00:00+01:00']);
  });

  it('opens next week’s cycle at once when seeded after the cutoff', async () => {
    const { cycleId } = await seedDemoWeek(repos, thursday);
    const cycle = await repos.cycles.current(thursday);
    expect(cycle).toMatchObject({ id: cycleId, label: '2026-W50', status: 'open' });
    expect(cycle!.opensAt.getTime()).toBeLessThanOrEqual(thursday.getTime());
    expect(cycle!.cutoffAt.getTime()).toBeGreaterThan(thursday.getTime());
  });

  it('refuses to seed twice and leaves the catalogue as it was', async () => {
    await seedDemoWeek(repos, tuesday);
    await expect(seedDemoWeek(repos, tuesday)).rejects.toThrow(/only written into an empty database/);
    expect(await repos.producers.list()).toHaveLength(DEMO_PRODUCERS.length);
    expect(await repos.cycles.list()).toHaveLength(1);
  });
});
