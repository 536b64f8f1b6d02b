import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogWriteCounter } from '../../storage/write-counter.ts';

describe('the catalogue write counter behind the SQLite offer cache', () => {
  let counter: CatalogWriteCounter;
  let db: Kysely<Record<string, { id: number; v: number }>>;

  beforeEach(async () => {
    counter = new CatalogWriteCounter();
    db = new Kysely({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }), plugins: [counter] });
    for (const table of ['offers', 'products', 'conversations']) {
      await sql`create table ${sql.table(table)} (id integer primary key, v integer)`.execute(db);
    }
    counter.generation = 0;
  });
  afterEach(() => db.destroy());

  it('counts inserts, updates and deletes of catalogue tables', async () => {
    await db.insertInto('offers').values({ id: 1, v: 1 }).execute();
    await db.updateTable('offers').set({ v: 2 }).where('id', '=', 1).execute();
    await db.insertInto('products').values({ id: 1, v: 1 }).execute();
    await db.deleteFrom('offers').where('id', '=', 1).execute();
    expect(counter.generation).toBe(4);
  });

  it('ignores reads and writes of other tables, so a saved conversation keeps the cache', async () => {
    await db.insertInto('conversations').values({ id: 1, v: 1 }).execute();
    await db.updateTable('conversations').set({ v: 2 }).execute();
    await db.selectFrom('offers').selectAll().execute();
    await sql`select 1`.execute(db);
    expect(counter.generation).toBe(0);
  });

  it('counts a raw statement that may write', async () => {
    await sql`update offers set v = 3`.execute(db);
    expect(counter.generation).toBe(1);
  });
});
