/**
 * On SQLite the delivery log becomes a WITHOUT ROWID table: its key is its
 * primary key, so recording a delivery (every turn does) writes one B-tree
 * fewer. PostgreSQL's tables have no rowid; nothing changes there. Frozen.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`create table deliveries_keyed (key text primary key not null, at bigint not null) without rowid`.execute(db);
  await sql`insert into deliveries_keyed (key, at) select key, at from deliveries`.execute(db);
  await sql`drop table deliveries`.execute(db);
  await sql`alter table deliveries_keyed rename to deliveries`.execute(db);
  await sql`create index deliveries_at on deliveries (at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`create table deliveries_rowid (key text primary key, at bigint not null)`.execute(db);
  await sql`insert into deliveries_rowid (key, at) select key, at from deliveries`.execute(db);
  await sql`drop table deliveries`.execute(db);
  await sql`alter table deliveries_rowid rename to deliveries`.execute(db);
  await sql`create index deliveries_at on deliveries (at)`.execute(db);
}
