import type { Kysely } from 'kysely';
import type { Schema } from '../schema.ts';

type TableWithId = 'producers' | 'products' | 'pickup_points' | 'cycles' | 'offers' | 'orders';

/** Whether a row with this id exists: the check before a write that would otherwise fail on a foreign key without saying which. */
export async function exists(db: Kysely<Schema>, table: TableWithId, id: number): Promise<boolean> {
  const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}
