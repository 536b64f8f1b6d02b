import type { Kysely, Transaction } from 'kysely';
import type { ConversationRepository } from '../../catalog/ports.ts';
import { fromEpoch, toEpoch } from '../codec.ts';
import type { Schema } from '../schema.ts';

/**
 * Dialogue state per (channel, sender) with optimistic versioning: a write
 * succeeds only on the version it read, so two turns of one sender arriving at
 * once cannot overwrite each other unnoticed.
 */
/** Thrown inside a transaction to undo it when the conversation moved on meanwhile. */
class StaleVersion extends Error {}

async function write(db: Kysely<Schema> | Transaction<Schema>, key: string, state: unknown, expectedVersion: number | null, at: Date) {
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
}

export function createConversationRepository(db: Kysely<Schema>): ConversationRepository {
  return {
    async load(key) {
      const row = await db.selectFrom('conversations').selectAll().where('key', '=', key).executeTakeFirst();
      return row ? { state: JSON.parse(row.state) as unknown, version: row.version, updatedAt: fromEpoch(row.updated_at) } : null;
    },
    save: (key, state, expectedVersion, at) => write(db, key, state, expectedVersion, at),
    async saveTurn(key, state, expectedVersion, at, deliveryKey) {
      try {
        // One commit per turn: the delivery is recorded with the state it produced, or not at all.
        return await db.transaction().execute(async (tx) => {
          const claimed = await tx
            .insertInto('deliveries')
            .values({ key: deliveryKey, at: toEpoch(at) })
            .onConflict((conflict) => conflict.column('key').doNothing())
            .executeTakeFirst();
          if (claimed.numInsertedOrUpdatedRows !== 1n) return 'duplicate' as const;
          const version = await write(tx, key, state, expectedVersion, at);
          if (version === null) throw new StaleVersion();
          return version;
        });
      } catch (error) {
        if (error instanceof StaleVersion) return null;
        throw error;
      }
    },
    async delete(key) {
      await db.deleteFrom('conversations').where('key', '=', key).execute();
    },
  };
}
