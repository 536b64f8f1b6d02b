import type { Kysely, Selectable } from 'kysely';
import type { NewProducer, ProducerRepository } from '../../catalog/ports.ts';
import type { Producer } from '../../catalog/types.ts';
import { nameKey, sortByGerman, toFlag } from '../codec.ts';
import type { ProducerRow, Schema } from '../schema.ts';
import { copy, identityCache } from '../stamped-cache.ts';

function toProducer(row: Selectable<ProducerRow>): Producer {
  return {
    id: row.id,
    name: row.name,
    village: row.village,
    phone: row.phone,
    telegramId: row.telegram_id,
    active: row.active === 1,
  };
}

/** Producers (Erzeuger) on Kysely. */
export function createProducerRepository(db: Kysely<Schema>, changeStamp?: () => string): ProducerRepository {
  const findOne = async (column: 'id' | 'name_key' | 'telegram_id' | 'phone', value: string | number) => {
    const row = await db
      .selectFrom('producers')
      .selectAll()
      .where(column, '=', value)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? toProducer(row) : null;
  };

  const identities = identityCache<Producer>(changeStamp);

  return {
    async add(input: NewProducer) {
      const row = await db
        .insertInto('producers')
        .values({
          name: input.name,
          name_key: nameKey(input.name),
          village: input.village,
          phone: input.phone,
          telegram_id: input.telegramId ?? null,
          active: toFlag(true),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toProducer(row);
    },
    get: (id) => findOne('id', id),
    findByName: (name) => findOne('name_key', nameKey(name)),
    // Every turn asks whether the sender is a producer or staff; the answer changes only when they are added.
    findByTelegramId: (telegramId) => identities.get(`telegram|${telegramId}`, () => findOne('telegram_id', telegramId)).then(copy),
    findByPhone: (e164) => identities.get(`phone|${e164}`, () => findOne('phone', e164)).then(copy),
    async list() {
      const rows = await db.selectFrom('producers').selectAll().orderBy('id').execute();
      return sortByGerman(rows.map(toProducer), (producer) => producer.name);
    },
  };
}
