import type { Kysely } from 'kysely';
import type { ConversationRepository } from '../../catalog/ports.ts';
import { fromEpoch, toEpoch } from '../codec.ts';
import type { Schema } from '../schema.ts';

/**
 * Dialogue state per (channel, sender) with optimistic versioning: a write
 * succeeds only on the version it read, so two turns of one sender arriving at
 * once cannot overwrite each other unnoticed.
 */
export function createConversationRepository(db: Kysely<Schema>): ConversationRepository {
  return {
    async load(key) {
      const row = await db.selectFrom('conversations').selectAll().where('key', '=', key).executeTakeFirst();
      return row ? { state: JSON.parse(row.state) as unknown, version: row.version, updatedAt: fromEpoch(row.updated_at) } : null;
    },
    async save(key, state, expectedVersion, at) {
      const values = { state: JSON.stringify(state ?? null), updated_at: toEpoch(at) };
      if (expectedVersion === null) {
        const result = await db
          .insertInto('conversations')
          .values({ key, version: 1, ...values })
          .onConflict((conflict) => conflict.column('key').doNothing())
          .executeTakeFirst();
        return result.numInsertedOrUpdatedRows === 1n ? 1 : null;
      }
      const result = await db
        .updateTable('conversations')
        .set({ ...values, version: expectedVersion + 1 })
        .where('key', '=', key)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n ? expectedVersion + 1 : null;
    },
    async delete(key) {
      await db.deleteFrom('conversations').where('key', '=', key).execute();
    },
  };
}
