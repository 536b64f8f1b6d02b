/** My orders; change or cancel before the cutoff; after it, a clear "nicht mehr möglich" and whom to call. */
import { isDomainError } from '../catalog/errors.ts';
import type { Order } from '../catalog/types.ts';
import { customerMenu, sayError } from './menu.ts';
import { startCheckout } from './checkout.ts';
import { choice, type Turn } from './turn.ts';
import type { Reply } from './types.ts';

function orderLine(order: Order): Reply {
  return {
    key: `orders.line.${order.status}`,
    params: {
      code: { digits: order.code },
      date: { date: order.pickupFrom.toISOString() },
      total: { money: order.totalCents },
    },
  };
}

function openOrders(orders: Order[], now: Date): Order[] {
  return orders.filter((o) => o.status !== 'cancelled' && o.pickupTo > now);
}

export async function showOrders(t: Turn): Promise<void> {
  const customer = t.customer;
  const orders = customer ? openOrders(await t.market.ordersOf(customer.id), t.now) : [];
  if (orders.length === 0) {
    t.say('orders.none');
    await customerMenu(t, { intro: false });
    return;
  }
  t.say('orders.list', { lines: { lines: orders.map(orderLine) } });
  t.offer(orders.slice(0, 4).map((o) => choice(`order:${o.id}`, 'orders.choice', { code: { digits: o.code } })));
}

/** One order with what can be done with it. */
export async function showOrder(t: Turn, orderId: number): Promise<void> {
  const customer = t.customer;
  const order = customer ? (await t.market.ordersOf(customer.id)).find((o) => o.id === orderId) : undefined;
  if (!order) {
    await showOrders(t);
    return;
  }
  t.say('orders.detail', {
    code: { digits: order.code },
    lines: {
      lines: order.items.map((i) => ({
        key: 'cart.line',
        params: { item: { quantity: i.quantity, unit: i.unit }, product: { raw: i.productName }, price: { money: i.lineCents } },
      })),
    },
    total: { money: order.totalCents },
    date: { date: order.pickupFrom.toISOString() },
    from: { time: order.pickupFrom.toISOString() },
    to: { time: order.pickupTo.toISOString() },
  });
  t.offer([choice(`change:${order.id}`, 'orders.change'), choice(`cancel:${order.id}`, 'orders.cancel'), choice('menu', 'menu.back')]);
  t.ask({ kind: 'order_action', orderId: order.id }, 'choice');
}

/** Finds the customer's order by code, or the only open one. */
export async function resolveOrder(t: Turn, code: string | null): Promise<Order | null> {
  const customer = t.customer;
  if (!customer) return null;
  const orders = await t.market.ordersOf(customer.id);
  if (code) return orders.find((o) => o.code === code) ?? null;
  const open = openOrders(orders, t.now);
  return open.length === 1 ? open[0] : null;
}

export async function askCancel(t: Turn, orderId: number): Promise<void> {
  t.say('orders.cancelConfirm', { code: { digits: (await resolveById(t, orderId))?.code ?? '' } });
  t.offer([choice('yes', 'orders.cancelYes'), choice('no', 'common.no')], 'yes_no');
  t.ask({ kind: 'cancel_confirm', orderId }, 'yes_no');
}

async function resolveById(t: Turn, orderId: number): Promise<Order | undefined> {
  return t.customer ? (await t.market.ordersOf(t.customer.id)).find((o) => o.id === orderId) : undefined;
}

export async function cancelOrder(t: Turn, orderId: number): Promise<void> {
  t.settle();
  const customer = t.customer;
  if (!customer) return;
  try {
    const order = await t.market.cancelOrder(orderId, customer.id);
    t.say('orders.cancelled', { code: { digits: order.code } });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    sayError(t, error);
  }
  await customerMenu(t, { intro: false });
}

/** Loads a placed order into the cart; checkout then changes it instead of placing a new one. */
export async function editOrder(t: Turn, orderId: number): Promise<void> {
  t.settle();
  const order = await resolveById(t, orderId);
  if (!order) return showOrders(t);
  const week = await t.market.currentWeek();
  if (!week.open || order.cycleId !== week.cycle.id || order.status !== 'placed') {
    t.say('errors:CYCLE_CLOSED', { phone: { digits: t.deps.office.phone } });
    await customerMenu(t, { intro: false });
    return;
  }
  t.state.cart = order.items.map((i) => ({ offerId: i.offerId, quantity: i.quantity }));
  t.state.cartCycleId = order.cycleId;
  t.state.editOrderId = order.id;
  t.state.pickupPointId = order.pickupPointId;
  // "doch lieber 3" now means a line of this order, not whatever was looked at before.
  t.state.focusOfferId = null;
  t.say('orders.editing', { code: { digits: order.code } });
  await startCheckout(t);
}
