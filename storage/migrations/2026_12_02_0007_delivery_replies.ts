/**
 * A turn's reply is kept beside its delivery record, written in the same
 * commit, until the provider has taken it: a crash or a Bot API failure after
 * the commit cannot lose what the person was to be told. Null once sent (or
 * handed to the outbox), and for channels that answer in the HTTP response.
 * Frozen like every migration.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('deliveries').addColumn('reply', 'text').execute();
  // Only the few replies not yet settled are in it: the rescue sweep never walks a week of deliveries.
  await sql`create index deliveries_unsettled_reply on deliveries (at) where reply is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index deliveries_unsettled_reply`.execute(db);
  await db.schema.alterTable('deliveries').dropColumn('reply').execute();
}
