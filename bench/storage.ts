/**
 * Storage throughput on a SQLite file, the setup of a village shop's laptop:
 * placing three-item orders, and reading this week's offer the way every
 * browse turn does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATEGORIES } from '../catalog/types.ts';
import type { Repositories } from '../catalog/ports.ts';
import { openDatabase } from '../storage/database.ts';

const OFFER_COUNT = 48;
const RUN_MS = 1000;

async function seedWeek(repositories: Repositories) {
  const point = await repositories.pickupPoints.add({
    name: 'Dorfladen Burg', kind: 'village_store', address: 'Hauptstraße 1', postcode: '03096', place: 'Burg (Spreewald)',
    lat: 51.84, lon: 14.15, windows: [{ weekday: 5, from: '14:00', to: '18:00' }],
  });
  const cycle = await repositories.cycles.create({
    label: '2026-W49', opensAt: new Date('2026-11-30T06:00:00Z'), cutoffAt: new Date('2026-12-03T11:00:00Z'),
    slots: [{ pickupPointId: point.id, from: new Date('2026-12-04T13:00:00Z'), to: new Date('2026-12-04T17:00:00Z') }],
  });
  const customer = await repositories.customers.create({ name: 'Bench', identity: { kind: 'phone', value: '+4935600000' } });
  const offers = [];
  for (let i = 0; i < OFFER_COUNT; i += 1) {
    const producer = await repositories.producers.add({ name: `Hof ${i}`, village: 'Burg', phone: `+49356${i}` });
    const product = await repositories.products.add({
      producerId: producer.id, name: `Produkt ${i}`, category: CATEGORIES[i % CATEGORIES.length], unit: 'jar',
    });
    const offer = await repositories.offers.upsert(cycle.id, product.id, {
      priceCents: 250 + i, available: 1_000_000, step: 1, maxPerOrder: null,
    });
    offers.push({ offer, product, producer });
  }
  return { point, cycle, customer, offers };
}

/** Calls `operation` repeatedly for about RUN_MS; returns calls per second. */
async function perSecond(operation: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i += 1) await operation(i);
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < RUN_MS) {
    await operation(count);
    count += 1;
  }
  return Math.round((count * 1000) / (performance.now() - started));
}

export async function benchStorage(): Promise<Array<{ name: string; value: number; unit: string; goal?: string }>> {
  const folder = mkdtempSync(join(tmpdir(), 'marktbote-bench-'));
  const database = await openDatabase(join(folder, 'bench.sqlite'));
  try {
    await database.migrate();
    const { repositories } = database;
    const { point, cycle, customer, offers } = await seedWeek(repositories);
    const slot = { from: new Date('2026-12-04T13:00:00Z'), to: new Date('2026-12-04T17:00:00Z') };
    const placeRate = await perSecond((i) => repositories.orders.place({
      customerId: customer.id, cycleId: cycle.id, pickupPointId: point.id, pickupFrom: slot.from, pickupTo: slot.to,
      channel: 'telegram', createdAt: new Date(),
      items: [0, 1, 2].map((k) => {
        const { offer, product, producer } = offers[(i + k * 7) % offers.length];
        return {
          offerId: offer.id, productId: product.id, productName: product.name, producerName: producer.name,
          unit: product.unit, quantity: 1, unitPriceCents: offer.priceCents,
        };
      }),
    }));
    const readRate = await perSecond(() => repositories.offers.list(cycle.id, { inStock: true }));
    return [
      { name: 'storage: place 3-item order (SQLite file)', value: placeRate, unit: 'orders/s', goal: '>= 2000' },
      { name: `storage: read week's offer, ${OFFER_COUNT} offers (SQLite file)`, value: readRate, unit: 'reads/s', goal: '>= 20000' },
    ];
  } finally {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
