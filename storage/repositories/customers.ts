import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../../catalog/errors.ts';
import type { Clock, CustomerPatch, CustomerRepository, NewCustomer } from '../../catalog/ports.ts';
import type { Customer, Identity, IdentityKind, Language, ReminderChannel } from '../../catalog/types.ts';
import { constraintViolation, fromEpoch, toEpoch, toFlag } from '../codec.ts';
import { compiledOnce } from '../compiled-once.ts';
import type { CustomerRow, Schema } from '../schema.ts';

/** Ids per `in (…)` list, far below every driver's parameter limit. */
const IDS_PER_QUERY = 500;

function toCustomer(row: Selectable<CustomerRow>, identities: Identity[]): Customer {
  return {
    id: row.id,
    name: row.name,
    language: row.language as Language,
    preferredPickupPointId: row.preferred_pickup_point_id,
    reminderChannel: row.reminder_channel as ReminderChannel | null,
    weeklyNews: row.weekly_news === 1,
    consentAt: row.consent_at === null ? null : fromEpoch(row.consent_at),
    identities,
    createdAt: fromEpoch(row.created_at),
  };
}

function toColumns(patch: CustomerPatch): Partial<Omit<CustomerRow, 'id'>> {
  return {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.language !== undefined ? { language: patch.language } : {}),
    ...(patch.preferredPickupPointId !== undefined ? { preferred_pickup_point_id: patch.preferredPickupPointId } : {}),
    ...(patch.reminderChannel !== undefined ? { reminder_channel: patch.reminderChannel } : {}),
    ...(patch.weeklyNews !== undefined ? { weekly_news: toFlag(patch.weeklyNews) } : {}),
    ...(patch.consentAt !== undefined ? { consent_at: patch.consentAt === null ? null : toEpoch(patch.consentAt) } : {}),
  };
}

/** What erasure leaves of a customer: the row (orders point to it) and nothing personal. */
const ERASED: Required<CustomerPatch> = {
  name: null,
  language: 'de',
  preferredPickupPointId: null,
  reminderChannel: null,
  weeklyNews: false,
  consentAt: null,
};

/** Customers and the identities (Telegram id, phone numbers) they are reached by. */
export function createCustomerRepository(db: Kysely<Schema>, clock: Clock): CustomerRepository {
  /** Customers with their identities: one more query per IDS_PER_QUERY customers. */
  const withIdentities = async (rows: Array<Selectable<CustomerRow>>): Promise<Customer[]> => {
    if (rows.length === 0) return [];
    const identities = [];
    for (let start = 0; start < rows.length; start += IDS_PER_QUERY) {
      identities.push(...await db
        .selectFrom('customer_identities')
        .selectAll()
        .where('customer_id', 'in', rows.slice(start, start + IDS_PER_QUERY).map((row) => row.id))
        .orderBy('kind')
        .orderBy('value')
        .execute());
    }
    const byCustomer = new Map<number, Identity[]>();
    for (const identity of identities) {
      const list = byCustomer.get(identity.customer_id) ?? [];
      list.push({ kind: identity.kind as IdentityKind, value: identity.value });
      byCustomer.set(identity.customer_id, list);
    }
    return rows.map((row) => toCustomer(row, byCustomer.get(row.id) ?? []));
  };

  // Every turn looks its sender up: these statements are compiled once (storage/compiled-once.ts).
  const customerById = compiledOnce((id: number) => db.selectFrom('customers').selectAll().where('id', '=', id), [1]);
  const identitiesOf = compiledOnce(
    (id: number) => db.selectFrom('customer_identities').select(['kind', 'value']).where('customer_id', '=', id).orderBy('kind').orderBy('value'),
    [1],
  );
  const ownerByIdentity = compiledOnce(
    (kind: string, value: string) => db.selectFrom('customer_identities').select('customer_id').where('kind', '=', kind).where('value', '=', value),
    ['kind', 'value'],
  );

  const get = async (id: number): Promise<Customer | null> => {
    const [row] = (await customerById(db, id)).rows;
    if (!row) return null;
    const identities = (await identitiesOf(db, id)).rows.map((identity) => ({ kind: identity.kind as IdentityKind, value: identity.value }));
    return toCustomer(row, identities);
  };

  const getMany = async (ids: number[]): Promise<Customer[]> => {
    const rows = [];
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      rows.push(...await db.selectFrom('customers').selectAll().where('id', 'in', ids.slice(start, start + IDS_PER_QUERY)).execute());
    }
    return withIdentities(rows);
  };

  const mustGet = async (id: number): Promise<Customer> => {
    const customer = await get(id);
    if (!customer) throw new DomainError('UNKNOWN_CUSTOMER', { customerId: id });
    return customer;
  };

  const ownerOf = async (identity: Identity): Promise<number | null> => {
    const [row] = (await ownerByIdentity(db, identity.kind, identity.value)).rows;
    return row?.customer_id ?? null;
  };

  const identityTaken = (identity: Identity) => new DomainError('CONFLICT', { identity: identity.kind });

  return {
    async create(input: NewCustomer) {
      try {
        const id = await db.transaction().execute(async (tx) => {
          const row = await tx
            .insertInto('customers')
            .values({
              name: input.name ?? null,
              language: input.language ?? 'de',
              weekly_news: toFlag(false),
              created_at: toEpoch(clock.now()),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await tx
            .insertInto('customer_identities')
            .values({ kind: input.identity.kind, value: input.identity.value, customer_id: row.id })
            .execute();
          return row.id;
        });
        return await mustGet(id);
      } catch (error) {
        if (constraintViolation(error) === 'unique') throw identityTaken(input.identity);
        throw error;
      }
    },
    get,
    getMany,
    async findByIdentity(identity) {
      const owner = await ownerOf(identity);
      return owner === null ? null : get(owner);
    },
    async update(id, patch) {
      const columns = toColumns(patch);
      if (Object.keys(columns).length > 0) {
        try {
          await db.updateTable('customers').set(columns).where('id', '=', id).execute();
        } catch (error) {
          // The only reference a patch can set is the preferred pickup point.
          if (constraintViolation(error) === 'foreign_key') {
            throw new DomainError('UNKNOWN_PICKUP_POINT', { pickupPointId: patch.preferredPickupPointId });
          }
          throw error;
        }
      }
      return mustGet(id);
    },
    async addIdentity(id, identity) {
      await mustGet(id);
      await db
        .insertInto('customer_identities')
        .values({ kind: identity.kind, value: identity.value, customer_id: id })
        .onConflict((conflict) => conflict.columns(['kind', 'value']).doNothing())
        .execute();
      // Either we just linked it, it was linked already, or it belongs to someone else.
      if ((await ownerOf(identity)) !== id) throw identityTaken(identity);
    },
    async erase(id) {
      await db.transaction().execute(async (tx) => {
        const result = await tx.updateTable('customers').set({ ...toColumns(ERASED), last_inbound_at: null }).where('id', '=', id).executeTakeFirst();
        if (result.numUpdatedRows === 0n) throw new DomainError('UNKNOWN_CUSTOMER', { customerId: id });
        await tx.deleteFrom('customer_identities').where('customer_id', '=', id).execute();
      });
    },
    async list() {
      return withIdentities(await db.selectFrom('customers').selectAll().orderBy('id').execute());
    },
    async recordInbound(identity, at) {
      const epoch = toEpoch(at);
      await db
        .updateTable('customers')
        .set({ last_inbound_at: epoch })
        .where('id', '=', (eb) =>
          eb.selectFrom('customer_identities').select('customer_id').where('kind', '=', identity.kind).where('value', '=', identity.value))
        // A late-arriving older message must not shorten the window.
        .where((eb) => eb.or([eb('last_inbound_at', 'is', null), eb('last_inbound_at', '<', epoch)]))
        .execute();
    },
    async lastInboundAt(id) {
      const row = await db.selectFrom('customers').select('last_inbound_at').where('id', '=', id).executeTakeFirst();
      return row?.last_inbound_at == null ? null : fromEpoch(row.last_inbound_at);
    },
  };
}
