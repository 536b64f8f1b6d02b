import type { Kysely } from 'kysely';
import type { DeliveryLog } from '../../catalog/ports.ts';
import { toEpoch } from '../codec.ts';
import { compiledOnce } from '../compiled-once.ts';
import type { Schema } from '../schema.ts';

/** Provider deliveries seen; the primary key decides who was first, also across processes. */
export function createDeliveryLog(db: Kysely<Schema>): DeliveryLog {
  // Every turn asks first; compiled once (storage/compiled-once.ts).
  const find = compiledOnce((key: string) => db.selectFrom('deliveries').select('key').where('key', '=', key), ['key']);
  return {
    async claim(key, at) {
      const result = await db
        .insertInto('deliveries')
        .values({ key, at: toEpoch(at) })
        .onConflict((conflict) => conflict.column('key').doNothing())
        .executeTakeFirst();
      return result.numInsertedOrUpdatedRows === 1n;
    },
    async seen(key) {
      return (await find(db, key)).rows.length > 0;
    },
    async settleReplies(keys) {
      if (keys.length === 0) return;
      await db.updateTable('deliveries').set({ reply: null }).where('key', 'in', keys).where('reply', 'is not', null).execute();
    },
    async unsettledReplies(before, limit) {
      const rows = await db
        .selectFrom('deliveries')
        .select(['key', 'reply'])
        .where('reply', 'is not', null)
        .where('at', '<', toEpoch(before))
        .orderBy('at')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ key: row.key, reply: row.reply as string }));
    },
    async prune(before) {
      const result = await db.deleteFrom('deliveries').where('at', '<', toEpoch(before)).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
