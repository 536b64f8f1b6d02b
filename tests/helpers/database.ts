/**
 * Databases for tests. Every storage-backed suite runs on SQLite (a temporary
 * file, so WAL and locking are real) and, when TEST_DATABASE_URL is set, on
 * PostgreSQL in a schema of its own that is dropped afterwards, so test files
 * running in parallel never see each other's rows.
 *
 *   forEachDatabase('orders', (target) => {
 *     let database: TestDatabase;
 *     beforeEach(async () => { database = await openTestDatabase(target); });
 *     afterEach(() => database.dispose());
 *     it('…', async () => { await database.repositories.orders.place(…); });
 *   });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { openDatabase, type Database, type OpenDatabaseOptions, type SqlDialect } from '../../storage/database.ts';

export interface DatabaseTarget {
  dialect: SqlDialect;
  /** Shown in test names; says how to enable a target that is skipped. */
  label: string;
  /** False when the target cannot run here (PostgreSQL without TEST_DATABASE_URL). */
  available: boolean;
}

/** A fresh, migrated database; `url` opens the same one from another process. */
export interface TestDatabase extends Database {
  url: string;
  /** Closes it and removes its file or schema. */
  dispose(): Promise<void>;
}

let warnedAboutPostgres = false;

/** SQLite always; PostgreSQL when TEST_DATABASE_URL is set (otherwise listed, to be skipped visibly). */
export function databaseTargets(): DatabaseTarget[] {
  const postgresUrl = process.env.TEST_DATABASE_URL || null;
  if (!postgresUrl && !warnedAboutPostgres) {
    warnedAboutPostgres = true;
    console.warn('PostgreSQL storage tests skipped: set TEST_DATABASE_URL=postgres://… to run them.');
  }
  return [
    { dialect: 'sqlite', label: 'SQLite', available: true },
    {
      dialect: 'postgres',
      label: postgresUrl ? 'PostgreSQL' : 'PostgreSQL (set TEST_DATABASE_URL to run)',
      available: postgresUrl !== null,
    },
  ];
}

/** Declares the same suite once per database target; unavailable targets show up as skipped. */
export function forEachDatabase(title: string, suite: (target: DatabaseTarget) => void): void {
  for (const target of databaseTargets()) {
    describe.skipIf(!target.available)(`${title} on ${target.label}`, () => suite(target));
  }
}

/** Creates, migrates and opens an empty database on `target`. */
export async function openTestDatabase(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<TestDatabase> {
  const place = target.dialect === 'sqlite' ? createSqliteFile() : await createPostgresSchema(postgresServerUrl());
  const database = await openDatabase(place.url, options);
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    await place.remove();
    throw error;
  }
  return {
    ...database,
    url: place.url,
    async dispose() {
      await database.close();
      await place.remove();
    },
  };
}

interface ScratchPlace {
  url: string;
  remove(): Promise<void>;
}

/** A PostgreSQL database of a test's own, not a schema: its connections can be ended without touching anyone else's. */
export interface ScratchPostgresDatabase extends ScratchPlace {
  name: string;
  /** Ends every connection to this database but the one asking, as `pg_terminate_backend` does; returns how many. */
  terminateConnections(): Promise<number>;
}

/** PostgreSQL for the fault tests: available when TEST_DATABASE_URL is set and its server answers; the label says why not. */
export async function postgresServer(): Promise<DatabaseTarget> {
  const target = databaseTargets().find((candidate) => candidate.dialect === 'postgres')!;
  if (!target.available) return target;
  try {
    await withClient(postgresServerUrl(), (client) => client.query('select 1'));
    return target;
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    console.warn(`PostgreSQL fault tests skipped: the server of TEST_DATABASE_URL does not answer (${reason}).`);
    return { ...target, label: `PostgreSQL (unreachable: ${reason})`, available: false };
  }
}

/** Creates an empty database (not migrated) on the TEST_DATABASE_URL server; `remove` drops it, ending its connections. */
export async function createPostgresDatabase(): Promise<ScratchPostgresDatabase> {
  const serverUrl = postgresServerUrl();
  const name = `marktbote_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // One connection of its own for ending the others, opened on first use: a load test ends them every few milliseconds.
  let admin: Promise<pg.Client> | null = null;
  const adminClient = () => (admin ??= (async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    return client;
  })());
  return {
    name,
    url: url.toString(),
    async terminateConnections() {
      const result = await (await adminClient()).query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name],
      );
      return result.rowCount ?? 0;
    },
    async remove() {
      if (admin) await (await admin).end();
      await withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

function postgresServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('PostgreSQL tests need TEST_DATABASE_URL');
  return url;
}

function createSqliteFile(): ScratchPlace {
  const folder = mkdtempSync(join(tmpdir(), 'marktbote-test-'));
  return {
    url: join(folder, 'test.sqlite'),
    remove: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

async function createPostgresSchema(serverUrl: string): Promise<ScratchPlace> {
  const schema = `marktbote_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`create schema ${schema}`));
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    remove: () => withClient(serverUrl, (client) => client.query(`drop schema ${schema} cascade`)),
  };
}

async function withClient(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
