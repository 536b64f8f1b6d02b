/**
 * Reserving and returning stock inside an order's transaction. Every change is
 * one conditional UPDATE whose row count says whether there was enough, so two
 * buyers of the last jar can never both get it, on SQLite or PostgreSQL.
 */
import type { Kysely } from 'kysely';
import { DomainError, type ShortageDetail } from '../../catalog/errors.ts';
import { fromMilli } from '../codec.ts';
import type { Schema } from '../schema.ts';

/** How one offer's stock changes: `take` > 0 reserves, < 0 gives back; quantities in thousandths. */
export interface StockChange {
  offerId: number;
  take: number;
  /** What the order wants of this offer after the change (for the shortage message). */
  requested: number;
  /** What the order already holds of this offer; it counts as available to the same order. */
  held: number;
}

/**
 * Nets what an order held and what it wants into one change per offer, sorted
 * by offer id: concurrent transactions then lock offer rows in the same order
 * and cannot deadlock each other on PostgreSQL.
 */
export function stockChanges(
  held: Array<{ offerId: number; quantity: number }>,
  wanted: Array<{ offerId: number; quantity: number }>,
): StockChange[] {
  const changes = new Map<number, StockChange>();
  const entry = (offerId: number) => {
    let change = changes.get(offerId);
    if (!change) {
      change = { offerId, take: 0, requested: 0, held: 0 };
      changes.set(offerId, change);
    }
    return change;
  };
  for (const line of held) {
    const change = entry(line.offerId);
    change.held += line.quantity;
    change.take -= line.quantity;
  }
  for (const line of wanted) {
    const change = entry(line.offerId);
    change.requested += line.quantity;
    change.take += line.quantity;
  }
  return [...changes.values()].filter((change) => change.take !== 0).sort((a, b) => a.offerId - b.offerId);
}

/**
 * Applies the changes to offers of `cycleId`, or throws: OUT_OF_STOCK listing
 * every short offer with what this order could have, UNKNOWN_OFFER for an offer
 * not in the cycle. The caller's transaction rolls back what was already taken.
 */
export async function applyStockChanges(tx: Kysely<Schema>, cycleId: number, changes: StockChange[]): Promise<void> {
  const shortages: ShortageDetail[] = [];
  for (const change of changes) {
    if (change.take < 0) {
      await tx
        .updateTable('offers')
        .set((eb) => ({ available: eb('available', '+', -change.take) }))
        .where('id', '=', change.offerId)
        .execute();
      continue;
    }
    const result = await tx
      .updateTable('offers')
      .set((eb) => ({ available: eb('available', '-', change.take) }))
      .where('id', '=', change.offerId)
      .where('cycle_id', '=', cycleId)
      .where('available', '>=', change.take)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) continue;
    const offer = await tx
      .selectFrom('offers')
      .innerJoin('products', 'products.id', 'offers.product_id')
      .select(['offers.available', 'products.name'])
      .where('offers.id', '=', change.offerId)
      .where('offers.cycle_id', '=', cycleId)
      .executeTakeFirst();
    if (!offer) throw new DomainError('UNKNOWN_OFFER', { offerId: change.offerId });
    shortages.push({
      offerId: change.offerId,
      productName: offer.name,
      requested: fromMilli(change.requested),
      available: fromMilli(offer.available + change.held),
    });
  }
  if (shortages.length > 0) throw new DomainError('OUT_OF_STOCK', { shortages });
}
