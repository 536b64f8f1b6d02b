/**
 * The reminder job at the scale of a busy week on a SQLite file: planning the
 * pickup reminders of 100,000 orders, and what the sweep itself costs per
 * message when sending costs nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { sweepOutbox } from '../bot/jobs/sweep.ts';
import { eveningBefore, planPickupReminders } from '../catalog/reminders.ts';
import { openDatabase } from '../storage/database.ts';
import type { Schema } from '../storage/schema.ts';

const ORDERS = 100_000;
const SWEPT = 20_000;
/** Rows per INSERT while seeding: well below SQLite's parameter limit. */
const SEED_ROWS_PER_INSERT = 2000;
const PICKUP_FROM = new Date('2026-12-04T13:00:00Z');
const PICKUP_TO = new Date('2026-12-04T17:00:00Z');

async function insertInChunks<T extends keyof Schema>(db: Kysely<Schema>, table: T, rows: Array<Record<string, unknown>>): Promise<void> {
  for (let start = 0; start < rows.length; start += SEED_ROWS_PER_INSERT) {
    await db.insertInto(table).values(rows.slice(start, start + SEED_ROWS_PER_INSERT) as never).execute();
  }
}

/**
 * One customer with a Telegram id and one single-item order each, written in
 * bulk in one transaction: placing them one by one would measure `place`, not the job.
 */
async function seedWeek(db: Kysely<Schema>, cycleId: number, pickupPointId: number, offer: { id: number; productId: number }) {
  const ids = Array.from({ length: ORDERS }, (_, index) => index + 1);
  const createdAt = Date.parse('2026-12-01T09:00:00Z');
  await db.transaction().execute(async (tx) => {
    await insertInChunks(tx, 'customers', ids.map((id) => ({
      id, name: `Kundin ${id}`, language: 'de', reminder_channel: 'telegram', weekly_news: 0, created_at: createdAt,
    })));
    await insertInChunks(tx, 'customer_identities', ids.map((id) => ({ kind: 'telegram', value: String(100_000 + id), customer_id: id })));
    await insertInChunks(tx, 'orders', ids.map((id) => ({
      id, code: String(10_000 + id), customer_id: id, cycle_id: cycleId, pickup_point_id: pickupPointId,
      pickup_from: PICKUP_FROM.getTime(), pickup_to: PICKUP_TO.getTime(), status: 'placed', channel: 'telegram',
      created_at: createdAt, total_cents: 350, request_key: null,
    })));
    await insertInChunks(tx, 'order_items', ids.map((id) => ({
      order_id: id, position: 0, offer_id: offer.id, product_id: offer.productId, product_name: 'Senfgurken',
      producer_name: 'Gurkenhof', unit: 'jar', quantity: 1000, unit_price_cents: 350, line_cents: 350,
    })));
  });
}

export async function benchJobs(): Promise<Array<{ name: string; value: number; unit: string; goal: string }>> {
  const folder = mkdtempSync(join(tmpdir(), 'marktbote-bench-jobs-'));
  const database = await openDatabase(join(folder, 'bench.sqlite'));
  try {
    await database.migrate();
    const repos = database.repositories;
    const point = await repos.pickupPoints.add({
      name: 'Hofladen Lehde', kind: 'farm_shop', address: 'An der Dolzke 6', postcode: '03222', place: 'Lübbenau/Spreewald',
      lat: 51.86, lon: 13.97, windows: [{ weekday: 5, from: '14:00', to: '18:00' }],
    });
    const cycle = await repos.cycles.create({
      label: '2026-W49', opensAt: new Date('2026-11-30T05:00:00Z'), cutoffAt: new Date('2026-12-02T17:00:00Z'),
      slots: [{ pickupPointId: point.id, from: PICKUP_FROM, to: PICKUP_TO }],
    });
    const producer = await repos.producers.add({ name: 'Gurkenhof', village: 'Lehde', phone: '+4935421000' });
    const product = await repos.products.add({ producerId: producer.id, name: 'Senfgurken', category: 'pickles', unit: 'jar' });
    const offer = await repos.offers.upsert(cycle.id, product.id, { priceCents: 350, available: 1_000_000, step: 1, maxPerOrder: null });
    await seedWeek(database.db, cycle.id, point.id, offer);

    const planStarted = performance.now();
    const planned = await planPickupReminders(repos, cycle.id);
    const planSeconds = (performance.now() - planStarted) / 1000;
    if (planned !== ORDERS) throw new Error(`planned ${planned} reminders for ${ORDERS} orders`);

    // Only part of the backlog is due, so the sweep's claims also skip what is not.
    const evening = eveningBefore(PICKUP_FROM, '18:00');
    let sent = 0;
    const sweepStarted = performance.now();
    const result = await sweepOutbox({
      outbox: {
        ...repos.outbox,
        // The sweep runs until nothing is due; stop it after SWEPT messages.
        claimDue: (now, limit) => (sent >= SWEPT ? Promise.resolve([]) : repos.outbox.claimDue(now, Math.min(limit, SWEPT - sent))),
      },
      senders: { telegram: async () => { sent += 1; } },
      clock: { now: () => evening },
      log: pino({ level: 'silent' }),
    });
    const sweepMs = performance.now() - sweepStarted;
    if (result.sent !== SWEPT) throw new Error(`swept ${result.sent} of ${SWEPT}`);

    return [
      { name: `plan pickup reminders for ${ORDERS.toLocaleString('en')} orders`, value: planSeconds, unit: 's', goal: '≤ 5 s' },
      { name: 'sweep overhead per message (no-op sender, SQLite)', value: sweepMs / SWEPT, unit: 'ms', goal: '≤ 1 ms' },
    ];
  } finally {
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
