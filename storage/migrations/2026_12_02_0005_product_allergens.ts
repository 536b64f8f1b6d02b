/**
 * Producers may name a product's allergens and ingredients in their stock post
 * ("Senfgurken … Allergene: Senf"); customers with allergies ask for them.
 * Two free-text columns as the producer wrote them, empty when not given. Frozen.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').addColumn('allergens', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('products').addColumn('ingredients', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('products').dropColumn('ingredients').execute();
  await db.schema.alterTable('products').dropColumn('allergens').execute();
}
