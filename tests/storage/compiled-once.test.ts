import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledOnce, useDirectLane } from '../../storage/compiled-once.ts';
import { openSqlite, type DirectLane } from '../../storage/sqlite.ts';

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

  it('refuses a write to the catalogue, which the write counter must see each time', () => {
    const catalogue = db as unknown as Kysely<{ offers: { id: number } }>;
    expect(() => compiledOnce((id: number) => catalogue.insertInto('offers').values({ id }), [1])).toThrow(/catalogue write/);
  });
});

describe('the direct lane past Kysely\'s executor (SQLite)', () => {
  let dir: string;
  let db: Db;
  let lane: DirectLane;
  let raw: Sqlite.Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'marktbote-lane-'));
    const handle = openSqlite(join(dir, 'lane.sqlite'));
    lane = handle.lane;
    db = new Kysely({ dialect: handle.dialect, plugins: handle.plugins });
    useDirectLane(db, lane);
    await sql`create table notes (id integer primary key, owner text, body text)`.execute(db);
    raw = new Sqlite(join(dir, 'lane.sqlite'));
  });
  afterEach(async () => {
    raw.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = () => compiledOnce((id: number, owner: string, body: string) => db.insertInto('notes').values({ id, owner, body }), [1, 'o', 'b']);
  const byOwner = () => compiledOnce((owner: string) => db.selectFrom('notes').select('body').where('owner', '=', owner), ['o']);

  it('answers at once outside a transaction, with the results Kysely would give', async () => {
    expect((await insert()(db, 1, 'anna', 'Senfgurken'))).toMatchObject({ numAffectedRows: 1n, insertId: 1n, rows: [] });
    expect(lane.execute('select body from notes', [])).toEqual({ rows: [{ body: 'Senfgurken' }] });
    expect((await byOwner()(db, 'anna')).rows).toEqual([{ body: 'Senfgurken' }]);
  });

  it('steps aside while a transaction is open, so nobody reads what may still be rolled back', async () => {
    const read = byOwner();
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => { inserted = resolve; });
    const transaction = db.transaction().execute(async (tx) => {
      await tx.insertInto('notes').values({ id: 2, owner: 'bernd', body: 'Quark' }).execute();
      inserted();
      await held;
      throw new Error('rolled back');
    });
    await insertedOnce;
    expect(lane.execute('select body from notes', [])).toBeNull();
    expect(lane.transaction(() => 'never')).toBeNull();
    // Through Kysely the read waits for the connection, and then the row is gone.
    const waiting = read(db, 'bernd');
    release();
    await expect(transaction).rejects.toThrow('rolled back');
    expect((await waiting).rows).toEqual([]);
  });

  it('commits a direct transaction whole, or nothing when its work throws', async () => {
    const write = insert();
    expect(lane.transaction((execute) => write.now(execute, 3, 'clara', 'Leinöl').numAffectedRows)).toEqual({ value: 1n });
    expect(() => lane.transaction((execute) => {
      write.now(execute, 4, 'clara', 'Honig');
      throw new Error('changed my mind');
    })).toThrow('changed my mind');
    expect(raw.prepare('select body from notes order by id').pluck().all()).toEqual(['Leinöl']);
  });
});
