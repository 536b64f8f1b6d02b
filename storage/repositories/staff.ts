import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../../catalog/errors.ts';
import type { NewStaff, StaffRepository } from '../../catalog/ports.ts';
import type { Staff } from '../../catalog/types.ts';
import { sortByGerman } from '../codec.ts';
import type { Schema, StaffRow } from '../schema.ts';
import { copy, identityCache } from '../stamped-cache.ts';
import { exists } from './exists.ts';

function toStaff(row: Selectable<StaffRow>): Staff {
  return {
    id: row.id,
    pickupPointId: row.pickup_point_id,
    name: row.name,
    phone: row.phone,
    telegramId: row.telegram_id,
  };
}

/** People who hand out orders at a pickup point. */
export function createStaffRepository(db: Kysely<Schema>, changeStamp?: () => string): StaffRepository {
  const findOne = async (column: 'telegram_id' | 'phone', value: string) => {
    const row = await db.selectFrom('staff').selectAll().where(column, '=', value).orderBy('id').limit(1).executeTakeFirst();
    return row ? toStaff(row) : null;
  };

  const identities = identityCache<Staff>(changeStamp);

  return {
    async add(input: NewStaff) {
      if (!(await exists(db, 'pickup_points', input.pickupPointId))) throw new DomainError('UNKNOWN_PICKUP_POINT', { pickupPointId: input.pickupPointId });
      const row = await db
        .insertInto('staff')
        .values({
          pickup_point_id: input.pickupPointId,
          name: input.name,
          phone: input.phone ?? null,
          telegram_id: input.telegramId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStaff(row);
    },
    // Every turn asks whether the sender is a producer or staff; the answer changes only when they are added.
    findByTelegramId: (telegramId) => identities.get(`telegram|${telegramId}`, () => findOne('telegram_id', telegramId)).then(copy),
    findByPhone: (e164) => identities.get(`phone|${e164}`, () => findOne('phone', e164)).then(copy),
    async listByPickupPoint(pickupPointId) {
      const rows = await db.selectFrom('staff').selectAll().where('pickup_point_id', '=', pickupPointId).orderBy('id').execute();
      return sortByGerman(rows.map(toStaff), (member) => member.name);
    },
  };
}
