import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledOnce } from '../../storage/compiled-once.ts';

type Db = Kysely<{ notes: { id: number; owner: string; body: string } }>;

describe('queries compiled once', () => {
  let db: Db;
  beforeEach(async () => {
    db = new Kysely({ dialect: new SqliteDialect({ database: new Sqlite(':memory:') }) });
    await sql`create table notes (id integer primary key, owner text, body text)`.execute(db);
  });
  afterEach(() => db.destroy());

  it('runs the same SQL with new values', async () => {
    const insert = compiledOnce((id: number, owner: string, body: string) => db.insertInto('notes').values({ id, owner, body }), [1, 'o', 'b']);
    const byOwner = compiledOnce((owner: string) => db.selectFrom('notes').select('body').where('owner', '=', owner), ['o']);
    await insert(db, 7, 'anna', 'Senfgurken');
    await insert(db, 8, 'bernd', 'Quark');
    expect((await byOwner(db, 'anna')).rows).toEqual([{ body: 'Senfgurken' }]);
    expect((await insert(db, 9, 'anna', 'Leinöl')).numAffectedRows).toBe(1n);
  });

  it('refuses a query whose values the SQL takes in another order, or a sample that cannot show it', () => {
    expect(() => compiledOnce((owner: string, id: number) => db.selectFrom('notes').selectAll().where('id', '=', id).where('owner', '=', owner), ['o', 1]))
      .toThrow(/in order/);
    expect(() => compiledOnce((a: string, b: string) => db.selectFrom('notes').selectAll().where('owner', '=', b).where('body', '=', a), ['same', 'same']))
      .toThrow(/distinct/);
  });
});
