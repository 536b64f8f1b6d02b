import type { Kysely } from 'kysely';
import type { DeliveryLog } from '../../catalog/ports.ts';
import { toEpoch } from '../codec.ts';
import type { Schema } from '../schema.ts';

/** Provider deliveries seen; the primary key decides who was first, also across processes. */
export function createDeliveryLog(db: Kysely<Schema>): DeliveryLog {
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
      return (await db.selectFrom('deliveries').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
    },
  };
}
