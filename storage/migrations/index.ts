/**
 * Every migration, by name. A static map rather than a folder scan, so the
 * same code runs under tsx, vitest and a bundle. Add new entries at the end,
 * named by date so that their order is their name's order.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as initial from './2026_11_29_0001_initial.ts';
import * as outbox from './2026_11_29_0002_outbox.ts';
import * as outboxClaimedAt from './2026_11_29_0003_outbox_claimed_at.ts';
import * as deliveriesWithoutRowid from './2026_11_29_0004_deliveries_without_rowid.ts';
import * as productAllergens from './2026_12_02_0005_product_allergens.ts';
import * as phoneIdentity from './2026_12_02_0006_phone_identity.ts';
import * as deliveryReplies from './2026_12_02_0007_delivery_replies.ts';
import type { SqlDialect } from '../schema.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '2026_11_29_0001_initial': initial,
  '2026_11_29_0002_outbox': outbox,
  '2026_11_29_0003_outbox_claimed_at': outboxClaimedAt,
  '2026_11_29_0004_deliveries_without_rowid': deliveriesWithoutRowid,
  '2026_12_02_0005_product_allergens': productAllergens,
  '2026_12_02_0006_phone_identity': phoneIdentity,
  '2026_12_02_0007_delivery_replies': deliveryReplies,
};

/** Brings the schema to the newest migration; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<any>, dialect: SqlDialect): Promise<MigrationResultSet> {
  // Kysely looks for its bookkeeping tables in every schema; pinning them to the
  // current one keeps two databases in one PostgreSQL (e.g. test schemas) apart.
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0].schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableSchema,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
