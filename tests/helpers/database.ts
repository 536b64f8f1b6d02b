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
