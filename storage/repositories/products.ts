import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../../catalog/errors.ts';
import type { NewProduct, ProductRepository } from '../../catalog/ports.ts';
import type { Category, Product, Unit } from '../../catalog/types.ts';
import { nameKey, sortByGerman, toFlag } from '../codec.ts';
import type { ProductRow, Schema } from '../schema.ts';
import { exists } from './exists.ts';

function toProduct(row: Selectable<ProductRow>): Product {
  return {
    id: row.id,
    producerId: row.producer_id,
    name: row.name,
    category: row.category as Category,
    description: row.description,
    unit: row.unit as Unit,
    organic: row.organic === 1,
    allergens: row.allergens,
    ingredients: row.ingredients,
  };
}

/** Products of the producers, independent of any week's offer. */
export function createProductRepository(db: Kysely<Schema>): ProductRepository {
  return {
    async add(input: NewProduct) {
      if (!(await exists(db, 'producers', input.producerId))) throw new DomainError('UNKNOWN_PRODUCER', { producerId: input.producerId });
      const row = await db
        .insertInto('products')
        .values({
          producer_id: input.producerId,
          name: input.name,
          name_key: nameKey(input.name),
          category: input.category,
          description: input.description ?? '',
          unit: input.unit,
          organic: toFlag(input.organic ?? false),
          allergens: input.allergens ?? '',
          ingredients: input.ingredients ?? '',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toProduct(row);
    },
    async update(id, patch) {
      const values = {
        ...(patch.organic !== undefined ? { organic: toFlag(patch.organic) } : {}),
        ...(patch.allergens !== undefined ? { allergens: patch.allergens } : {}),
        ...(patch.ingredients !== undefined ? { ingredients: patch.ingredients } : {}),
      };
      const query = Object.keys(values).length === 0
        ? db.selectFrom('products').selectAll().where('id', '=', id)
        : db.updateTable('products').set(values).where('id', '=', id).returningAll();
      const row = await query.executeTakeFirst();
      if (!row) throw new DomainError('UNKNOWN_PRODUCT', { productId: id });
      return toProduct(row);
    },
    async get(id) {
      const row = await db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toProduct(row) : null;
    },
    async listByProducer(producerId) {
      const rows = await db.selectFrom('products').selectAll().where('producer_id', '=', producerId).orderBy('id').execute();
      return sortByGerman(rows.map(toProduct), (product) => product.name);
    },
    async findByName(producerId, name) {
      const row = await db
        .selectFrom('products')
        .selectAll()
        .where('producer_id', '=', producerId)
        .where('name_key', '=', nameKey(name))
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row ? toProduct(row) : null;
    },
  };
}
