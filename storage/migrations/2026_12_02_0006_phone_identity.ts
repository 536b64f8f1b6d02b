/**
 * Proof of a phone number (a one-time code by SMS or a callback) and the PINs
 * producers and staff key in on the phone; codes and PINs only as scrypt hashes.
 * Frozen like every migration.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('phone_verifications')
    .addColumn('id', 'integer', (c) =>
      postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement())
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('sms', 'call')`))
    .addColumn('code_hash', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('verified_at', 'bigint')
    .execute();
  await db.schema.createIndex('phone_verifications_phone_created').on('phone_verifications').columns(['phone', 'created_at']).execute();

  await db.schema
    .createTable('pins')
    .addColumn('holder_kind', 'text', (c) => c.notNull().check(sql`holder_kind in ('producer', 'staff')`))
    .addColumn('holder_id', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('set_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pins_pk', ['holder_kind', 'holder_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pins').execute();
  await db.schema.dropTable('phone_verifications').execute();
}
