/** The marketplace over a real database: one rule per check, whichever use case asks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../catalog/errors.ts';
import { createMarketplace, type Marketplace } from '../../catalog/marketplace.ts';
import type { OfferView } from '../../catalog/types.ts';
import { forEachDatabase, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { PICKUP, seedWeek, type Week } from '../storage/fixtures.ts';

/** Tuesday of the seeded week, before its cutoff. */
const TUESDAY = new Date('2026-12-01T09:00:00Z');

/** The error code a call ends with, or 'ok'. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'ok';
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
}

forEachDatabase('marketplace', (target) => {
  let database: TestDatabase;
  let market: Marketplace;
  let week: Week;

  beforeEach(async () => {
    database = await openTestDatabase(target, { clock: { now: () => TUESDAY } });
    week = await seedWeek(database.repositories);
    market = createMarketplace({ repos: database.repositories, clock: { now: () => TUESDAY } });
  });
  afterEach(() => database.dispose());

  /** Places one line and cancels it again, so that the stock is as before. */
  async function placeAndCancel(offer: OfferView, quantity: number): Promise<void> {
    const order = await market.placeOrder({
      customerId: week.customer.id,
      pickupPointId: week.pickupPoints.hofladen.id,
      pickupFrom: PICKUP.from,
      lines: [{ offerId: offer.id, quantity }],
      channel: 'telegram',
    });
    await market.cancelOrder(order.id, week.customer.id);
  }

  describe('a quantity at a boundary', () => {
    // Senfgurken: step 1, at most 6 per order, 10 left. Kartoffeln: step 0.5 kg, 25 left. Leinöl: 4 left.
    // A quantity counts in the thousandths storage keeps, so 6.0004 is 6 and 0.0004 is nothing.
    const cases: Array<[keyof Week['offers'], number, string]> = [
      ['senfgurken', 6, 'ok'],
      ['senfgurken', 6.0004, 'ok'],
      ['senfgurken', 6.001, 'QUANTITY_STEP'],
      ['senfgurken', 7, 'OVER_MAXIMUM'],
      ['senfgurken', 0, 'QUANTITY_INVALID'],
      ['senfgurken', 0.0004, 'QUANTITY_INVALID'],
      ['senfgurken', -1, 'QUANTITY_INVALID'],
      ['senfgurken', Number.NaN, 'QUANTITY_INVALID'],
      ['kartoffeln', 0.1 + 0.2 + 0.2, 'ok'],
      ['kartoffeln', 0.25, 'QUANTITY_STEP'],
      ['kartoffeln', 100_000.0004, 'OUT_OF_STOCK'],
      ['kartoffeln', 100_000.5, 'QUANTITY_INVALID'],
      ['leinoel', 4, 'ok'],
      ['leinoel', 4.0004, 'ok'],
      ['leinoel', 5, 'OUT_OF_STOCK'],
    ];

    it.each(cases)('%s × %d: the same through checkLine and placeOrder', async (name, quantity, expected) => {
      const offer = week.offers[name];
      expect(await outcome(() => market.checkLine({ offerId: offer.id, quantity }))).toBe(expected);
      expect(await outcome(() => placeAndCancel(offer, quantity))).toBe(expected);
    });
  });

  describe('line items', () => {
    const cart = () => [
      { offerId: week.offers.senfgurken.id, quantity: 2 },
      { offerId: week.offers.kartoffeln.id, quantity: 1 },
      { offerId: week.offers.kartoffeln.id, quantity: 0.5 },
    ];
    const order = () => market.placeOrder({ customerId: week.customer.id, pickupPointId: week.pickupPoints.hofladen.id, lines: cart(), channel: 'telegram' });

    it('a priced cart shows the lines and the total the order then has', async () => {
      const priced = await market.priceCart(cart());
      const placed = await order();
      expect(priced.items.map((i) => [i.productName, i.quantity, i.lineCents])).toEqual([['Senfgurken', 2, 698], ['Kartoffeln', 1, 180], ['Kartoffeln', 0.5, 90]]);
      expect(placed.items.map((i) => [i.productName, i.quantity, i.lineCents])).toEqual([['Senfgurken', 2, 698], ['Kartoffeln', 1.5, 270]]);
      expect(placed.totalCents).toBe(priced.totalCents);
    });

    it('a changed order keeps the price it froze, and what it holds counts as available to it', async () => {
      const placed = await market.placeOrder({
        customerId: week.customer.id, pickupPointId: week.pickupPoints.hofladen.id, channel: 'telegram',
        lines: [{ offerId: week.offers.leinoel.id, quantity: 4 }],
      });
      await database.repositories.offers.update(week.offers.leinoel.id, { priceCents: 790 });
      expect(await outcome(() => market.checkLine({ offerId: week.offers.leinoel.id, quantity: 4 }))).toBe('OUT_OF_STOCK');
      const changed = await market.changeOrder(placed.id, week.customer.id, [
        { offerId: week.offers.leinoel.id, quantity: 4 },
        { offerId: week.offers.senfgurken.id, quantity: 1 },
      ]);
      expect(changed.items.map((i) => [i.productName, i.quantity, i.unitPriceCents])).toEqual([['Leinöl', 4, 690], ['Senfgurken', 1, 349]]);
      expect(await outcome(() => market.changeOrder(placed.id, week.customer.id, [{ offerId: week.offers.leinoel.id, quantity: 5 }]))).toBe('OUT_OF_STOCK');
      expect(await outcome(() => market.changeOrder(placed.id, week.customer.id, [{ offerId: week.offers.leinoel.id, quantity: -1 }]))).toBe('QUANTITY_INVALID');
      expect((await market.changeOrder(placed.id, week.customer.id, [{ offerId: week.offers.leinoel.id, quantity: 0 }])).status).toBe('cancelled');
    });
  });

  describe('what a producer says is left, and at what price', () => {
    const cases: Array<[number, number, string]> = [
      [0, 349, 'ok'],
      [1_000_000, 349, 'ok'],
      [1_000_000.0004, 349, 'ok'],
      [1_000_000.001, 349, 'QUANTITY_INVALID'],
      [-1, 349, 'QUANTITY_INVALID'],
      [Number.POSITIVE_INFINITY, 349, 'QUANTITY_INVALID'],
      [10, 1_000_000, 'ok'],
      [10, 1_000_001, 'PRICE_INVALID'],
      [10, 0, 'PRICE_INVALID'],
      [10, 3.5, 'PRICE_INVALID'],
    ];

    it.each(cases)('%d left at %d cents: the same through the weekly post and a change of one offer', async (left, priceCents, expected) => {
      const { gurkenhof } = week.producers;
      const post = [{ productName: 'Senfgurken', quantity: left, unit: 'jar' as const, priceCents }];
      expect(await outcome(() => market.applyStockPost(gurkenhof.id, post))).toBe(expected);
      expect(await outcome(() => market.updateOffer(gurkenhof.id, week.offers.senfgurken.id, { available: left, priceCents }))).toBe(expected);
    });
  });
});
