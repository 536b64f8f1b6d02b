import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl, type Database, type QueryLogEntry } from '../../storage/database.ts';
import { MIGRATIONS } from '../../storage/migrations/index.ts';
import { forEachDatabase, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { line, orderOf, seedWeek } from './fixtures.ts';

describe('parseDatabaseUrl', () => {
  it.each([
    ['./data/marktbote.sqlite', './data/marktbote.sqlite'],
    ['sqlite:data/shop.sqlite', 'data/shop.sqlite'],
    ['sqlite://data/shop.sqlite', 'data/shop.sqlite'],
    ['sqlite:///var/lib/marktbote/db.sqlite', '/var/lib/marktbote/db.sqlite'],
    [':memory:', ':memory:'],
    ['sqlite::memory:', ':memory:'],
  ])('reads %s as the SQLite file %s', (url, path) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect: 'sqlite', path });
  });

  it('passes PostgreSQL URLs through', () => {
    for (const url of ['postgres://bot@db:5432/marktbote', 'postgresql://bot@db/marktbote?sslmode=require']) {
      expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
    }
  });

  it('refuses empty and foreign URLs', () => {
    for (const url of ['', 'sqlite:', 'mysql://root@localhost/db']) {
      expect(() => parseDatabaseUrl(url)).toThrow();
    }
  });
});

describe('SQLite files', () => {
  const folders: string[] = [];
  const opened: Database[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  async function openIn(relative: string, options?: Parameters<typeof openDatabase>[1]) {
    const folder = mkdtempSync(join(tmpdir(), 'marktbote-db-'));
    folders.push(folder);
    const database = await openDatabase(`sqlite:${join(folder, relative)}`, options);
    opened.push(database);
    return { database, path: join(folder, relative) };
  }

  it('creates the missing folder and opens with the settings every process shares', async () => {
    const { database, path } = await openIn('data/nested/marktbote.sqlite');
    expect(existsSync(path)).toBe(true);
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(database.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(await pragma('synchronous')).toBe(1);
  });

  it('opens an in-memory database for quick tests', async () => {
    const database = await openDatabase(':memory:');
    opened.push(database);
    await database.migrate();
    expect(await database.repositories.producers.list()).toEqual([]);
  });

  it('starts every transaction with BEGIN IMMEDIATE, so read-then-write never meets a stale snapshot', async () => {
    const statements: QueryLogEntry[] = [];
    const { database } = await openIn('log.sqlite', { log: (entry) => statements.push(entry) });
    await database.migrate();
    const week = await seedWeek(database.repositories);
    statements.length = 0;
    await database.repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 1)], { requestKey: 'k1' }));
    const texts = statements.map((entry) => entry.sql.toLowerCase());
    expect(texts[0]).toBe('begin immediate');
    expect(texts.at(-1)).toBe('commit');
    expect(texts).not.toContain('begin');
  });
});

forEachDatabase('migrations', (target) => {
  let database: TestDatabase;
  afterEach(() => database.dispose());

  it('creates every table once and is a no-op when run again', async () => {
    database = await openTestDatabase(target);
    await database.migrate();
    const tables = (await database.db.introspection.getTables()).map((table) => table.name);
    expect(tables).toEqual(expect.arrayContaining([
      'producers', 'products', 'pickup_points', 'staff', 'cycles', 'cycle_slots', 'offers', 'customers',
      'customer_identities', 'orders', 'order_items', 'conversations', 'deliveries',
    ]));
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
    expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS));
  });

  it('never lets stock go below zero, even for a direct write', async () => {
    database = await openTestDatabase(target);
    const week = await seedWeek(database.repositories);
    await expect(
      database.db.updateTable('offers').set({ available: -1 }).where('id', '=', week.offers.leinoel.id).execute(),
    ).rejects.toThrow();
  });
});
