import type { Kysely, Selectable } from 'kysely';
import { DomainError } from '../../catalog/errors.ts';
import type { HandoutEntry, OrderRecord, OrderRepository, PickListRow } from '../../catalog/ports.ts';
import type { Channel, Order, OrderItem, OrderStatus, Unit } from '../../catalog/types.ts';
import { lineCents } from '../../catalog/quantities.ts';
import { constraintViolation, fromEpoch, fromMilli, sortByGerman, toEpoch, toMilli } from '../codec.ts';
import { orderCode } from '../../catalog/order-code.ts';
import type { OrderItemRow, OrderRow, Schema } from '../schema.ts';
import { exists } from './exists.ts';
import { applyStockChanges, stockChanges } from './stock.ts';

type NewItem = Omit<OrderItem, 'lineCents'>;

/** Above this many ids, item lookups are split so no driver hits its parameter limit. */
const IDS_PER_QUERY = 500;

/** Items as stored: quantities in thousandths, line totals computed once here. */
function itemRows(items: NewItem[]): Array<Omit<OrderItemRow, 'id' | 'order_id'>> {
  if (items.length === 0) throw new DomainError('EMPTY_CART');
  return items.map((item, position) => {
    const quantity = toMilli(item.quantity);
    if (quantity === 0) throw new DomainError('QUANTITY_INVALID', { quantity: item.quantity });
    if (!Number.isInteger(item.unitPriceCents) || item.unitPriceCents < 0) {
      throw new DomainError('PRICE_INVALID', { priceCents: item.unitPriceCents });
    }
    return {
      position,
      offer_id: item.offerId,
      product_id: item.productId,
      product_name: item.productName,
      producer_name: item.producerName,
      unit: item.unit,
      quantity,
      unit_price_cents: item.unitPriceCents,
      // The same price a cart showed before ordering.
      line_cents: lineCents(item.quantity, item.unitPriceCents),
    };
  });
}

function toItem(row: Omit<OrderItemRow, 'id' | 'order_id'>): OrderItem {
  return {
    offerId: row.offer_id,
    productId: row.product_id,
    productName: row.product_name,
    producerName: row.producer_name,
    unit: row.unit as Unit,
    quantity: fromMilli(row.quantity),
    unitPriceCents: row.unit_price_cents,
    lineCents: row.line_cents,
  };
}

function toOrder(row: Selectable<OrderRow>, items: OrderItem[]): Order {
  return {
    id: row.id,
    code: row.code,
    customerId: row.customer_id,
    cycleId: row.cycle_id,
    pickupPointId: row.pickup_point_id,
    pickupFrom: fromEpoch(row.pickup_from),
    pickupTo: fromEpoch(row.pickup_to),
    status: row.status as OrderStatus,
    channel: row.channel as Channel,
    createdAt: fromEpoch(row.created_at),
    items,
    totalCents: row.total_cents,
  };
}

function sumCents(rows: Array<{ line_cents: number }>): number {
  return rows.reduce((sum, row) => sum + row.line_cents, 0);
}

/** Stock lines of stored items, in thousandths. */
function heldBy(rows: Array<{ offer_id: number; quantity: number }>) {
  return rows.map((row) => ({ offerId: row.offer_id, quantity: row.quantity }));
}

async function itemsOf(db: Kysely<Schema>, orderIds: number[]): Promise<Map<number, OrderItem[]>> {
  const byOrder = new Map<number, OrderItem[]>();
  for (let start = 0; start < orderIds.length; start += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('order_items')
      .selectAll()
      .where('order_id', 'in', orderIds.slice(start, start + IDS_PER_QUERY))
      .orderBy('order_id')
      .orderBy('position')
      .execute();
    for (const row of rows) {
      const items = byOrder.get(row.order_id) ?? [];
      items.push(toItem(row));
      byOrder.set(row.order_id, items);
    }
  }
  return byOrder;
}

/** Orders with their items: two queries however many orders. */
async function withItems(db: Kysely<Schema>, rows: Array<Selectable<OrderRow>>): Promise<Order[]> {
  if (rows.length === 0) return [];
  const items = await itemsOf(db, rows.map((row) => row.id));
  return rows.map((row) => toOrder(row, items.get(row.id) ?? []));
}

async function loadOrder(db: Kysely<Schema>, id: number): Promise<Order | null> {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withItems(db, [row]))[0] : null;
}

async function orderIdByRequestKey(db: Kysely<Schema>, requestKey: string): Promise<number | null> {
  const row = await db.selectFrom('orders').select('id').where('request_key', '=', requestKey).executeTakeFirst();
  return row?.id ?? null;
}

/** Why an order did not move: it does not exist, or its status did not allow it. */
async function refusal(db: Kysely<Schema>, orderId: number): Promise<DomainError> {
  const row = await db.selectFrom('orders').select('status').where('id', '=', orderId).executeTakeFirst();
  return row
    ? new DomainError('ORDER_NOT_CHANGEABLE', { orderId, status: row.status })
    : new DomainError('UNKNOWN_ORDER', { orderId });
}

/** Orders, their stock reservations and the lists producers and shops work from. */
export function createOrderRepository(db: Kysely<Schema>): OrderRepository {
  /**
   * Moves an order between statuses in one transaction; a move into
   * `cancelled` gives its stock back. Null when the status was not in `from`.
   * Moving out of `cancelled` is never allowed: the stock is no longer held.
   */
  const move = (orderId: number, from: OrderStatus[], to: OrderStatus) =>
    db.transaction().execute(async (tx) => {
      const movable = from.filter((status) => status !== 'cancelled');
      const row = movable.length === 0
        ? undefined
        : await tx
          .updateTable('orders')
          .set({ status: to })
          .where('id', '=', orderId)
          .where('status', 'in', movable)
          .returningAll()
          .executeTakeFirst();
      if (!row) {
        if (!(await exists(tx, 'orders', orderId))) throw new DomainError('UNKNOWN_ORDER', { orderId });
        return null;
      }
      if (to === 'cancelled') {
        const held = await tx.selectFrom('order_items').select(['offer_id', 'quantity']).where('order_id', '=', orderId).execute();
        await applyStockChanges(tx, row.cycle_id, stockChanges(heldBy(held), []));
      }
      return loadOrder(tx, orderId);
    });

  return {
    async place(record: OrderRecord) {
      const items = itemRows(record.items);
      const totalCents = sumCents(items);
      const requestKey = record.requestKey ?? null;
      try {
        return await db.transaction().execute(async (tx) => {
          if (requestKey !== null) {
            const existing = await orderIdByRequestKey(tx, requestKey);
            if (existing !== null) return (await loadOrder(tx, existing)) as Order;
          }
          await applyStockChanges(tx, record.cycleId, stockChanges([], heldBy(items)));
          const cycle = await tx
            .updateTable('cycles')
            .set((eb) => ({ order_seq: eb('order_seq', '+', 1) }))
            .where('id', '=', record.cycleId)
            .returning('order_seq')
            .executeTakeFirst();
          if (!cycle) throw new DomainError('INVALID_INPUT', { cycleId: record.cycleId });
          const row = await tx
            .insertInto('orders')
            .values({
              code: orderCode(cycle.order_seq),
              customer_id: record.customerId,
              cycle_id: record.cycleId,
              pickup_point_id: record.pickupPointId,
              pickup_from: toEpoch(record.pickupFrom),
              pickup_to: toEpoch(record.pickupTo),
              status: 'placed',
              channel: record.channel,
              created_at: toEpoch(record.createdAt),
              total_cents: totalCents,
              request_key: requestKey,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await tx.insertInto('order_items').values(items.map((item) => ({ ...item, order_id: row.id }))).execute();
          return toOrder(row, items.map(toItem));
        });
      } catch (error) {
        const violation = constraintViolation(error);
        // Lost a race on the same request key: the winner's order is the answer, ours rolled back.
        if (violation === 'unique' && requestKey !== null) {
          const winner = await orderIdByRequestKey(db, requestKey);
          if (winner !== null) return (await loadOrder(db, winner)) as Order;
        }
        if (violation === 'foreign_key') {
          throw new DomainError('INVALID_INPUT', { customerId: record.customerId, pickupPointId: record.pickupPointId });
        }
        throw error;
      }
    },

    async cancel(orderId) {
      const order = await move(orderId, ['placed'], 'cancelled');
      if (!order) throw await refusal(db, orderId);
      return order;
    },

    async replaceItems(orderId, newItems, pickup) {
      const items = itemRows(newItems);
      const moved = pickup
        ? { pickup_point_id: pickup.pickupPointId, pickup_from: toEpoch(pickup.pickupFrom), pickup_to: toEpoch(pickup.pickupTo) }
        : {};
      return db.transaction().execute(async (tx) => {
        // Updating the total first both checks the status and locks the order row.
        const row = await tx
          .updateTable('orders')
          .set({ total_cents: sumCents(items), ...moved })
          .where('id', '=', orderId)
          .where('status', '=', 'placed')
          .returningAll()
          .executeTakeFirst();
        if (!row) throw await refusal(tx, orderId);
        const old = await tx.selectFrom('order_items').select(['offer_id', 'quantity']).where('order_id', '=', orderId).execute();
        await applyStockChanges(tx, row.cycle_id, stockChanges(heldBy(old), heldBy(items)));
        await tx.deleteFrom('order_items').where('order_id', '=', orderId).execute();
        await tx.insertInto('order_items').values(items.map((item) => ({ ...item, order_id: orderId }))).execute();
        return toOrder(row, items.map(toItem));
      });
    },

    transition: move,

    get: (id) => loadOrder(db, id),

    async findByCode(cycleId, code) {
      const row = await db
        .selectFrom('orders')
        .selectAll()
        .where('cycle_id', '=', cycleId)
        .where('code', '=', code)
        .executeTakeFirst();
      return row ? (await withItems(db, [row]))[0] : null;
    },

    async listByCustomer(customerId) {
      const rows = await db
        .selectFrom('orders')
        .selectAll()
        .where('customer_id', '=', customerId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return withItems(db, rows);
    },

    async lastOfCustomer(customerId) {
      const row = await db
        .selectFrom('orders')
        .selectAll()
        .where('customer_id', '=', customerId)
        .where('status', '<>', 'cancelled')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? (await withItems(db, [row]))[0] : null;
    },

    async listByCycle(cycleId) {
      const rows = await db.selectFrom('orders').selectAll().where('cycle_id', '=', cycleId).orderBy('id').execute();
      return withItems(db, rows);
    },

    async pickList(cycleId, producerId): Promise<PickListRow[]> {
      const rows = await db
        .selectFrom('order_items')
        .innerJoin('orders', 'orders.id', 'order_items.order_id')
        .innerJoin('products', 'products.id', 'order_items.product_id')
        .innerJoin('pickup_points', 'pickup_points.id', 'orders.pickup_point_id')
        .select((eb) => [
          'orders.pickup_point_id',
          'pickup_points.name as pickup_point_name',
          'order_items.product_id',
          'products.name as product_name',
          'products.unit',
          eb.fn.sum<number>('order_items.quantity').as('quantity'),
        ])
        .where('orders.cycle_id', '=', cycleId)
        .where('products.producer_id', '=', producerId)
        .where('orders.status', '<>', 'cancelled')
        .groupBy(['orders.pickup_point_id', 'pickup_points.name', 'order_items.product_id', 'products.name', 'products.unit'])
        .execute();
      const list = rows.map((row) => ({
        pickupPointId: row.pickup_point_id,
        pickupPointName: row.pickup_point_name,
        productId: row.product_id,
        productName: row.product_name,
        unit: row.unit as Unit,
        quantity: fromMilli(Number(row.quantity)),
      }));
      // Sorting is stable: by pickup point, and within one by product.
      return sortByGerman(sortByGerman(list, (row) => row.productName), (row) => row.pickupPointName);
    },

    async handoutList(cycleId, pickupPointId): Promise<HandoutEntry[]> {
      const rows = await db
        .selectFrom('orders')
        .innerJoin('customers', 'customers.id', 'orders.customer_id')
        .selectAll('orders')
        .select('customers.name as customer_name')
        .where('orders.cycle_id', '=', cycleId)
        .where('orders.pickup_point_id', '=', pickupPointId)
        .where('orders.status', '<>', 'cancelled')
        .orderBy('orders.id')
        .execute();
      const orders = await withItems(db, rows);
      const entries = rows.map((row, index) => ({
        orderId: row.id,
        orderCode: row.code,
        status: orders[index].status,
        customerName: row.customer_name,
        pickupFrom: orders[index].pickupFrom,
        pickupTo: orders[index].pickupTo,
        items: orders[index].items,
        totalCents: orders[index].totalCents,
      }));
      return sortByGerman(entries, (entry) => entry.customerName);
    },
  };
}
