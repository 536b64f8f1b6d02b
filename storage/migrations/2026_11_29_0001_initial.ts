/**
 * The initial schema. Frozen: once landed, change the schema with a new,
 * later-dated migration, never by editing this one.
 */
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Identity columns are the one place the dialects differ.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (column: ColumnDefinitionBuilder) =>
    postgres ? column.primaryKey().generatedByDefaultAsIdentity() : column.primaryKey().autoIncrement();

  await db.schema
    .createTable('producers')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('village', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('telegram_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
    .execute();
  await db.schema.createIndex('producers_name_key').on('producers').column('name_key').execute();
  await db.schema.createIndex('producers_phone').on('producers').column('phone').execute();
  await db.schema.createIndex('producers_telegram_id').on('producers').column('telegram_id').execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'integer', id)
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('organic', 'integer', (c) => c.notNull().defaultTo(0).check(sql`organic in (0, 1)`))
    .execute();
  await db.schema.createIndex('products_producer_name').on('products').columns(['producer_id', 'name_key']).execute();

  await db.schema
    .createTable('pickup_points')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('postcode', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('windows', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('van_route', 'text')
    .addColumn('route_position', 'integer')
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'integer', id)
    .addColumn('pickup_point_id', 'integer', (c) => c.notNull().references('pickup_points.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('telegram_id', 'text')
    .execute();
  await db.schema.createIndex('staff_pickup_point').on('staff').column('pickup_point_id').execute();
  await db.schema.createIndex('staff_phone').on('staff').column('phone').execute();
  await db.schema.createIndex('staff_telegram_id').on('staff').column('telegram_id').execute();

  await db.schema
    .createTable('cycles')
    .addColumn('id', 'integer', id)
    .addColumn('label', 'text', (c) => c.notNull().unique())
    .addColumn('opens_at', 'bigint', (c) => c.notNull())
    .addColumn('cutoff_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'closed')`))
    .addColumn('order_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('cycles_opens_at').on('cycles').column('opens_at').execute();

  await db.schema
    .createTable('cycle_slots')
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('pickup_point_id', 'integer', (c) => c.notNull().references('pickup_points.id'))
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    .addColumn('to_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('cycle_slots_pk', ['cycle_id', 'pickup_point_id', 'from_at'])
    .execute();

  await db.schema
    .createTable('offers')
    .addColumn('id', 'integer', id)
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('price_cents', 'integer', (c) => c.notNull().check(sql`price_cents >= 0`))
    .addColumn('available', 'integer', (c) => c.notNull().check(sql`available >= 0`))
    .addColumn('step', 'integer', (c) => c.notNull().check(sql`step > 0`))
    .addColumn('max_per_order', 'integer')
    .addUniqueConstraint('offers_cycle_product', ['cycle_id', 'product_id'])
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('de'))
    .addColumn('preferred_pickup_point_id', 'integer', (c) => c.references('pickup_points.id'))
    .addColumn('reminder_channel', 'text')
    .addColumn('weekly_news', 'integer', (c) => c.notNull().defaultTo(0).check(sql`weekly_news in (0, 1)`))
    .addColumn('consent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customer_identities')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addPrimaryKeyConstraint('customer_identities_pk', ['kind', 'value'])
    .execute();
  await db.schema.createIndex('customer_identities_customer').on('customer_identities').column('customer_id').execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'integer', id)
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('cycle_id', 'integer', (c) => c.notNull().references('cycles.id'))
    .addColumn('pickup_point_id', 'integer', (c) => c.notNull().references('pickup_points.id'))
    .addColumn('pickup_from', 'bigint', (c) => c.notNull())
    .addColumn('pickup_to', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('request_key', 'text', (c) => c.unique())
    .addUniqueConstraint('orders_cycle_code', ['cycle_id', 'code'])
    .execute();
  await db.schema.createIndex('orders_customer').on('orders').columns(['customer_id', 'created_at']).execute();
  await db.schema.createIndex('orders_cycle_pickup_point').on('orders').columns(['cycle_id', 'pickup_point_id']).execute();

  await db.schema
    .createTable('order_items')
    .addColumn('id', 'integer', id)
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('offer_id', 'integer', (c) => c.notNull().references('offers.id'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('product_name', 'text', (c) => c.notNull())
    .addColumn('producer_name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
    .addColumn('line_cents', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_items_order').on('order_items').columns(['order_id', 'position']).execute();
  await db.schema.createIndex('order_items_product').on('order_items').column('product_id').execute();

  await db.schema
    .createTable('conversations')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deliveries_at').on('deliveries').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'deliveries', 'conversations', 'order_items', 'orders', 'customer_identities', 'customers',
    'offers', 'cycle_slots', 'cycles', 'staff', 'pickup_points', 'products', 'producers',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
