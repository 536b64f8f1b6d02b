import type { Kysely } from 'kysely';
import type { PinHolder, PinRepository } from '../../catalog/ports.ts';
import { toEpoch } from '../codec.ts';
import type { Schema } from '../schema.ts';

/** The phone PINs of producers and staff, as hashes. */
export function createPinRepository(db: Kysely<Schema>): PinRepository {
  const holderIs = (holder: PinHolder) =>
    db.updateTable('pins').where('holder_kind', '=', holder.kind).where('holder_id', '=', holder.id);

  return {
    async get(holder) {
      const row = await db
        .selectFrom('pins')
        .select(['hash', 'failures'])
        .where('holder_kind', '=', holder.kind)
        .where('holder_id', '=', holder.id)
        .executeTakeFirst();
      return row ? { hash: row.hash, failures: row.failures } : null;
    },

    async set(holder, hash, at) {
      await db
        .insertInto('pins')
        .values({ holder_kind: holder.kind, holder_id: holder.id, hash, failures: 0, set_at: toEpoch(at) })
        .onConflict((conflict) => conflict.columns(['holder_kind', 'holder_id']).doUpdateSet({ hash, failures: 0, set_at: toEpoch(at) }))
        .execute();
    },

    async countFailure(holder) {
      const row = await holderIs(holder)
        .set((eb) => ({ failures: eb('failures', '+', 1) }))
        .returning('failures')
        .executeTakeFirst();
      return row?.failures ?? 0;
    },

    async resetFailures(holder) {
      await holderIs(holder).set({ failures: 0 }).execute();
    },
  };
}
