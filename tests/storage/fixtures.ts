/**
 * A small Spreewald week for storage tests: two producers, a farm shop and a
 * van stop, one open cycle with offers, one customer.
 */
import type { OrderRecord, Repositories } from '../../catalog/ports.ts';
import type { OfferView, OrderItem } from '../../catalog/types.ts';

export const PICKUP = { from: new Date('2026-12-04T13:00:00Z'), to: new Date('2026-12-04T17:00:00Z') };

export async function seedWeek(repositories: Repositories) {
  const gurkenhof = await repositories.producers.add({ name: 'Gurkenhof Lehde', village: 'Lehde', phone: '+4935421100', telegramId: '5001' });
  const oelmuehle = await repositories.producers.add({ name: 'Ölmühle Straupitz', village: 'Straupitz', phone: '+4935475200' });
  const senfgurken = await repositories.products.add({ producerId: gurkenhof.id, name: 'Senfgurken', category: 'pickles', unit: 'jar' });
  const kartoffeln = await repositories.products.add({ producerId: gurkenhof.id, name: 'Kartoffeln', category: 'potatoes', unit: 'kg', organic: true });
  const leinoel = await repositories.products.add({ producerId: oelmuehle.id, name: 'Leinöl', category: 'oil', unit: 'bottle', description: 'kaltgepresst' });
  const hofladen = await repositories.pickupPoints.add({
    name: 'Hofladen Lehde', kind: 'farm_shop', address: 'Dorfstraße 5', postcode: '03222', place: 'Lübbenau/Spreewald',
    lat: 51.8712345, lon: 13.9712345, windows: [{ weekday: 5, from: '14:00', to: '18:00' }],
  });
  const vanStop = await repositories.pickupPoints.add({
    name: 'Burg Kauper', kind: 'van_stop', address: 'Am Dorfplatz', postcode: '03096', place: 'Burg (Spreewald)',
    lat: 51.83, lon: 14.14, windows: [{ weekday: 6, from: '09:00', to: '09:30' }], vanRoute: 'Tour Nord', routePosition: 2,
  });
  const cycle = await repositories.cycles.create({
    label: '2026-W49',
    opensAt: new Date('2026-11-30T06:00:00Z'),
    cutoffAt: new Date('2026-12-03T11:00:00Z'),
    slots: [
      { pickupPointId: hofladen.id, from: PICKUP.from, to: PICKUP.to },
      { pickupPointId: vanStop.id, from: new Date('2026-12-05T08:00:00Z'), to: new Date('2026-12-05T08:30:00Z') },
    ],
  });
  await repositories.offers.upsert(cycle.id, senfgurken.id, { priceCents: 349, available: 10, step: 1, maxPerOrder: 6 });
  await repositories.offers.upsert(cycle.id, kartoffeln.id, { priceCents: 180, available: 25, step: 0.5, maxPerOrder: null });
  await repositories.offers.upsert(cycle.id, leinoel.id, { priceCents: 690, available: 4, step: 1, maxPerOrder: null });
  const offer = async (productId: number) => (await repositories.offers.findByProduct(cycle.id, productId))!;
  const customer = await repositories.customers.create({ name: 'Erna Schulze', identity: { kind: 'phone', value: '+4935421999' } });
  return {
    producers: { gurkenhof, oelmuehle },
    products: { senfgurken, kartoffeln, leinoel },
    pickupPoints: { hofladen, vanStop },
    cycle,
    offers: { senfgurken: await offer(senfgurken.id), kartoffeln: await offer(kartoffeln.id), leinoel: await offer(leinoel.id) },
    customer,
  };
}

export type Week = Awaited<ReturnType<typeof seedWeek>>;

/** An order line for `quantity` of an offer at its current price. */
export function line(offer: OfferView, quantity: number): Omit<OrderItem, 'lineCents'> {
  return {
    offerId: offer.id,
    productId: offer.productId,
    productName: offer.productName,
    producerName: offer.producerName,
    unit: offer.unit,
    quantity,
    unitPriceCents: offer.priceCents,
  };
}

/** An order of the week's customer at the farm shop. */
export function orderOf(week: Week, items: Array<Omit<OrderItem, 'lineCents'>>, extra: Partial<OrderRecord> = {}): OrderRecord {
  return {
    customerId: week.customer.id,
    cycleId: week.cycle.id,
    pickupPointId: week.pickupPoints.hofladen.id,
    pickupFrom: PICKUP.from,
    pickupTo: PICKUP.to,
    channel: 'telegram',
    createdAt: new Date('2026-12-01T09:30:00Z'),
    items,
    ...extra,
  };
}
