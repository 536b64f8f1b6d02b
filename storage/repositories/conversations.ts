import type { Kysely, QueryResult } from 'kysely';
import { compiledOnce, directLaneOf, type Executor } from '../compiled-once.ts';
import type { SyncExecute } from '../sqlite.ts';
import type { ConversationRepository } from '../../catalog/ports.ts';
import { fromEpoch, toEpoch } from '../codec.ts';
import type { Schema } from '../schema.ts';

/** Thrown inside a transaction to undo it when the conversation moved on meanwhile. */
class StaleVersion extends Error {}

/** Every turn loads, saves and records its delivery: these statements are compiled once (storage/compiled-once.ts). */
function statements(db: Kysely<Schema>) {
  return {
    load: compiledOnce((key: string) => db.selectFrom('conversations').selectAll().where('key', '=', key), ['key']),
    insert: compiledOnce(
      (key: string, version: number, state: string, updatedAt: number) =>
        db.insertInto('conversations').values({ key, version, state, updated_at: updatedAt }).onConflict((c) => c.column('key').doNothing()),
      ['key', 1, 'state', 2],
    ),
    update: compiledOnce(
      (state: string, updatedAt: number, version: number, key: string, expected: number) =>
        db.updateTable('conversations').set({ state, updated_at: updatedAt, version }).where('key', '=', key).where('version', '=', expected),
      ['state', 1, 2, 'key', 3],
    ),
    claim: compiledOnce(
      (key: string, at: number, reply: string | null) =>
        db.insertInto('deliveries').values({ key, at, reply }).onConflict((c) => c.column('key').doNothing()),
      ['key', 1, 'reply'],
    ),
  };
}

type Statements = ReturnType<typeof statements>;

/** The new version, or null when the conversation is not at `expectedVersion` (any more). */
async function write(run: Statements, executor: Executor, key: string, state: unknown, expectedVersion: number | null, at: Date) {
  const json = JSON.stringify(state ?? null);
  if (expectedVersion === null) return inserted(await run.insert(executor, key, 1, json, toEpoch(at)));
  return updated(await run.update(executor, json, toEpoch(at), expectedVersion + 1, key, expectedVersion), expectedVersion);
}

/** `write` inside a direct transaction (storage/sqlite.ts). */
function writeNow(run: Statements, execute: SyncExecute, key: string, state: unknown, expectedVersion: number | null, at: Date) {
  const json = JSON.stringify(state ?? null);
  if (expectedVersion === null) return inserted(run.insert.now(execute, key, 1, json, toEpoch(at)));
  return updated(run.update.now(execute, json, toEpoch(at), expectedVersion + 1, key, expectedVersion), expectedVersion);
}

const inserted = (result: QueryResult<unknown>) => (result.numAffectedRows === 1n ? 1 : null);
const updated = (result: QueryResult<unknown>, expectedVersion: number) => (result.numAffectedRows === 1n ? expectedVersion + 1 : null);

/**
 * Dialogue state per (channel, sender) with optimistic versioning: a write
 * succeeds only on the version it read, so two turns of one sender arriving at
 * once cannot overwrite each other unnoticed.
 */
export function createConversationRepository(db: Kysely<Schema>): ConversationRepository {
  const run = statements(db);
  return {
    async load(key) {
      const [row] = (await run.load(db, key)).rows;
      return row ? { state: JSON.parse(row.state) as unknown, version: row.version, updatedAt: fromEpoch(row.updated_at) } : null;
    },
    save: (key, state, expectedVersion, at) => write(run, db, key, state, expectedVersion, at),
    async saveTurn(key, state, expectedVersion, at, deliveryKey, reply = null) {
      try {
        // One commit per turn: the delivery is recorded with the state it produced, or not at all.
        const direct = directLaneOf(db)?.transaction((execute) => {
          if (run.claim.now(execute, deliveryKey, toEpoch(at), reply).numAffectedRows !== 1n) return 'duplicate' as const;
          const version = writeNow(run, execute, key, state, expectedVersion, at);
          if (version === null) throw new StaleVersion();
          return version;
        });
        if (direct) return direct.value;
        return await db.transaction().execute(async (tx) => {
          const claimed = await run.claim(tx, deliveryKey, toEpoch(at), reply);
          if (claimed.numAffectedRows !== 1n) return 'duplicate' as const;
          const version = await write(run, tx, key, state, expectedVersion, at);
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
