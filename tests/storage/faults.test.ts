/**
 * The database away for a moment, at the storage layer: which failures say so,
 * a PostgreSQL connection ended idle or in the middle of a transaction (never an
 * 'error' event nobody hears), and a SQLite lock held past the busy timeout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseFault } from '../../catalog/ports.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { databaseFault } from '../../storage/faults.ts';
import { createPostgresDatabase, postgresServer, type ScratchPostgresDatabase } from '../helpers/database.ts';

const postgres = await postgresServer();
const coded = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('databaseFault', () => {
  it.each<[string, Error, DatabaseFault | null]>([
    ['a backend ended by pg_terminate_backend (57P01)', coded('57P01', 'terminating connection due to administrator command'), 'connection_lost'],
    ['a connection reset', coded('ECONNRESET'), 'connection_lost'],
    ['node-postgres after the socket ended', new Error('Connection terminated unexpectedly'), 'connection_lost'],
    ['a client used after its connection broke', new Error('Client has encountered a connection error and is not queryable'), 'connection_lost'],
    ['a server that refuses connections', coded('ECONNREFUSED'), 'unavailable'],
    ['a server starting up (57P03)', coded('57P03', 'the database system is starting up'), 'unavailable'],
    ['too many connections (53300)', coded('53300'), 'unavailable'],
    ['the pool not connecting in time', new Error('timeout exceeded when trying to connect'), 'unavailable'],
    ['SQLite busy past its timeout', coded('SQLITE_BUSY', 'database is locked'), 'unavailable'],
    ['SQLite busy on a stale snapshot', coded('SQLITE_BUSY_SNAPSHOT'), 'unavailable'],
    ['SQLite locked', coded('SQLITE_LOCKED_SHAREDCACHE'), 'unavailable'],
    ['a unique violation (23505)', coded('23505', 'duplicate key value'), null],
    ['a SQLite constraint', coded('SQLITE_CONSTRAINT_UNIQUE'), null],
    ['a bug of ours', new TypeError('x is undefined'), null],
  ])('%s', (_name, error, fault) => {
    expect(databaseFault(error)).toBe(fault);
  });

  it('finds the fault behind a wrapping error and inside a refusal on every address', () => {
    expect(databaseFault(new Error('saving failed', { cause: coded('57P01') }))).toBe('connection_lost');
    expect(databaseFault(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed'))).toBe('unavailable');
    expect(databaseFault('not even an error')).toBeNull();
  });
});

describe.skipIf(!postgres.available)(`PostgreSQL connections ended, on ${postgres.label}`, () => {
  let scratch: ScratchPostgresDatabase;
  let database: Database;
  let faults: DatabaseFault[];
  beforeEach(async () => {
    scratch = await createPostgresDatabase();
    faults = [];
    database = await openDatabase(scratch.url, { onFault: (fault) => faults.push(fault) });
  });
  afterEach(async () => {
    await database?.close();
    await scratch?.remove();
  });

  const ping = async () => (await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows[0].one;

  it('replaces an idle connection that was ended, telling of it once', async () => {
    expect(await ping()).toBe(1);
    expect(await scratch.terminateConnections()).toBe(1);
    await expect.poll(() => faults).toEqual(['connection_lost']);
    expect(await ping()).toBe(1);
  });

  it('fails a transaction whose connection was ended between two statements, without an unheard error event, and goes on with a fresh one', async () => {
    await expect(
      database.db.transaction().execute(async (tx) => {
        await sql`select 1`.execute(tx);
        await scratch.terminateConnections();
        // The broken connection's 'error' arrives while the transaction holds it, checked out of the pool.
        await expect.poll(() => faults.length).toBeGreaterThan(0);
        await sql`select 1`.execute(tx);
      }),
    ).rejects.toSatisfy((error) => database.fault(error) === 'connection_lost');
    expect(await ping()).toBe(1);
  });
});

describe('a SQLite lock held past the busy timeout', () => {
  let folder: string;
  let database: Database;
  let lock: Sqlite.Database;
  let faults: DatabaseFault[];
  beforeEach(async () => {
    faults = [];
    folder = mkdtempSync(join(tmpdir(), 'marktbote-faults-'));
    const path = join(folder, 'test.sqlite');
    database = await openDatabase(path, { sqliteBusyTimeoutMs: 50, onFault: (fault) => faults.push(fault) });
    await database.migrate();
    lock = new Sqlite(path);
    lock.exec('begin immediate');
  });
  afterEach(async () => {
    if (lock.inTransaction) lock.exec('rollback');
    lock.close();
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('fails a write through Kysely as unavailable and writes nothing', async () => {
    const write = database.db.insertInto('deliveries').values({ key: 'telegram:update:1', at: 0 }).execute();
    await expect(write).rejects.toSatisfy((error) => database.fault(error) === 'unavailable');
    expect(faults).toEqual(['unavailable']);
    lock.exec('rollback');
    expect(await database.repositories.deliveries.seen('telegram:update:1')).toBe(false);
  });

  it('fails a turn saved through the direct lane as unavailable and records neither state nor delivery', async () => {
    const save = database.repositories.conversations.saveTurn('telegram:5', { v: 1 }, null, new Date(), 'telegram:update:2');
    await expect(save).rejects.toSatisfy((error) => database.fault(error) === 'unavailable');
    expect(faults).toEqual(['unavailable']);
    lock.exec('rollback');
    expect(await database.repositories.conversations.load('telegram:5')).toBeNull();
    expect(await database.repositories.deliveries.seen('telegram:update:2')).toBe(false);
  });
});
