import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../../catalog/errors.ts';
import type { CycleRepository, NewCycle } from '../../catalog/ports.ts';
import type { CycleStatus, OrderCycle, PickupSlot } from '../../catalog/types.ts';
import { constraintViolation, fromEpoch, toEpoch } from '../codec.ts';
import type { CycleRow, Schema } from '../schema.ts';
import { stampedCache } from '../stamped-cache.ts';

function toCycle(row: Selectable<CycleRow>): OrderCycle {
  return {
    id: row.id,
    label: row.label,
    opensAt: fromEpoch(row.opens_at),
    cutoffAt: fromEpoch(row.cutoff_at),
    status: row.status as CycleStatus,
  };
}

/** Weekly order cycles and when each pickup point hands out their orders. */
export function createCycleRepository(db: Kysely<Schema>, changeStamp?: () => string): CycleRepository {
  // Every turn asks for the current cycle and its slots; both change once a week.
  const cache = changeStamp ? stampedCache<OrderCycle[] | PickupSlot[]>(changeStamp) : null;
  const cached = <T extends OrderCycle[] | PickupSlot[]>(key: string, load: () => Promise<T>): Promise<T> =>
    cache ? (cache.get(key, load) as Promise<T>) : load();

  async function allCycles(): Promise<OrderCycle[]> {
    return cached('cycles', async () => {
      const rows = await db.selectFrom('cycles').selectAll().orderBy('opens_at').orderBy('id').execute();
      return rows.map(toCycle);
    });
  }

  return {
    async create(input: NewCycle) {
      const create = db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('cycles')
          .values({
            label: input.label,
            opens_at: toEpoch(input.opensAt),
            cutoff_at: toEpoch(input.cutoffAt),
            status: 'open',
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (input.slots.length > 0) {
          await tx
            .insertInto('cycle_slots')
            .values(input.slots.map((slot) => ({
              cycle_id: row.id,
              pickup_point_id: slot.pickupPointId,
              from_at: toEpoch(slot.from),
              to_at: toEpoch(slot.to),
            })))
            .execute();
        }
        return toCycle(row);
      });
      try {
        return await create;
      } catch (error) {
        if (constraintViolation(error) === 'unique') throw new DomainError('CONFLICT', { label: input.label });
        throw error;
      }
    },
    async get(id) {
      const row = await db.selectFrom('cycles').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toCycle(row) : null;
    },
    async current(at) {
      const opened = (await allCycles()).filter((cycle) => cycle.opensAt <= at);
      const newest = opened[opened.length - 1];
      return newest ? { ...newest } : null;
    },
    async list() {
      return (await allCycles()).map((cycle) => ({ ...cycle }));
    },
    async setStatus(id, status) {
      const result = await db.updateTable('cycles').set({ status }).where('id', '=', id).executeTakeFirst();
      // The error catalogue has no UNKNOWN_CYCLE; a cycle id only comes from our own code.
      if (result.numUpdatedRows === 0n) throw new DomainError('INVALID_INPUT', { cycleId: id });
    },
    async slots(cycleId) {
      const slots = await cached(`slots|${cycleId}`, async () => {
        const rows = await db
          .selectFrom('cycle_slots')
          .selectAll()
          .where('cycle_id', '=', cycleId)
          .orderBy('from_at')
          .orderBy('pickup_point_id')
          .execute();
        return rows.map((row) => ({
          cycleId: row.cycle_id,
          pickupPointId: row.pickup_point_id,
          from: fromEpoch(row.from_at),
          to: fromEpoch(row.to_at),
        }));
      });
      return (slots as PickupSlot[]).map((slot) => ({ ...slot }));
    },
  };
}
