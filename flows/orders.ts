/** My orders; change or cancel before the cutoff; after it, a clear "nicht mehr möglich" and whom to call. */
import { isDomainError } from '../catalog/errors.ts';
import type { Order } from '../catalog/types.ts';
import { confirmation, confirmChoices } from './answers.ts';
import { dayWanted, readBackOnDay, startCheckout } from './checkout.ts';
import { args, declareDialog, int, type TextInput } from './dialog.ts';
import { label, type Turn } from './turn.ts';
import type { Reply } from './types.ts';

const my = declareDialog('orders', {
  choices: {
    order: { orderId: int },
    change: { orderId: int },
    cancel: { orderId: int },
  },
  questions: {
    /** "ändern oder stornieren?" after one order was shown. */
    action: args<{ orderId: number }>(),
    cancel: args<{ orderId: number }>(),
  },
});

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

async function showOrders(t: Turn): Promise<void> {
  const customer = t.customer;
  const orders = customer ? openOrders(await t.market.ordersOf(customer.id), t.now) : [];
  if (orders.length === 0) {
    t.say('orders.none');
    await t.mainMenu();
    return;
  }
  t.say('orders.list', { lines: { lines: orders.map(orderLine) } });
  t.offer(orders.map((o) => my.choice.order.make({ orderId: o.id }, label('orders.choice', { code: { digits: o.code } }))));
}

/** One order with what can be done with it. */
async function showOrder(t: Turn, orderId: number): Promise<void> {
  const order = await resolveById(t, orderId);
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
  t.offer([
    my.choice.change.make({ orderId: order.id }, label('orders.change')),
    my.choice.cancel.make({ orderId: order.id }, label('orders.cancel')),
    t.beginChoice('menu', 'menu.back'),
  ]);
  t.ask(my.question.action, { orderId: order.id }, 'choice');
}

/** Finds the customer's order by code, or the only open one. */
async function resolveOrder(t: Turn, code: string | null): Promise<Order | null> {
  const customer = t.customer;
  if (!customer) return null;
  const orders = await t.market.ordersOf(customer.id);
  if (code) return orders.find((o) => o.code === code) ?? null;
  const open = openOrders(orders, t.now);
  return open.length === 1 ? open[0] : null;
}

async function resolveById(t: Turn, orderId: number): Promise<Order | undefined> {
  return t.customer ? (await t.market.ordersOf(t.customer.id)).find((o) => o.id === orderId) : undefined;
}

async function askCancel(t: Turn, orderId: number): Promise<void> {
  t.say('orders.cancelConfirm', { code: { digits: (await resolveById(t, orderId))?.code ?? '' } });
  // The buttons name the order: a "Ja" left on the question about another order never cancels this one.
  t.offer(confirmChoices(String(orderId), 'orders.cancelYes', 'common.no'), 'yes_no');
  t.ask(my.question.cancel, { orderId }, 'yes_no');
}

async function cancelOrder(t: Turn, orderId: number): Promise<void> {
  t.settle();
  const customer = t.customer;
  if (!customer) return;
  try {
    const order = await t.market.cancelOrder(orderId, customer.id);
    t.say('orders.cancelled', { code: { digits: order.code } });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    t.sayError(error);
  }
  await t.mainMenu();
}

/** Loads a placed order into the cart; checkout then changes it instead of placing a new one. */
/** "Ich kann Freitag nicht abholen, geht auch Samstag?" with an order this week: that order, read back for the day asked. */
const PICKUP_WORDS = /\b(abhol\w*|hole\w* .*ab|pick ?up|collect)\b/;

async function moveOrderDay(t: Turn, input: TextInput): Promise<boolean> {
  const customer = t.customer;
  const order = customer ? (await t.market.repeatable(customer.id)).thisWeek : null;
  // A basket being filled for another order is never swapped for this one.
  if (!order || (t.state.cart.length > 0 && t.state.editOrderId !== order.id)) return false;
  await editOrder(t, order.id, dayWanted(input, order.pickupFrom.toISOString()));
  return true;
}

async function editOrder(t: Turn, orderId: number, day: number | null = null): Promise<void> {
  t.settle();
  const order = await resolveById(t, orderId);
  if (!order) return showOrders(t);
  const week = await t.market.currentWeek();
  if (!week.open || order.cycleId !== week.cycle.id || order.status !== 'placed') {
    t.say('errors:CYCLE_CLOSED', { phone: { phone: t.deps.office.phone } });
    await t.mainMenu();
    return;
  }
  t.state.cart = order.items.map((i) => ({ offerId: i.offerId, quantity: i.quantity }));
  t.state.cartCycleId = order.cycleId;
  t.state.editOrderId = order.id;
  t.state.pickupPointId = order.pickupPointId;
  // "doch lieber 3" now means a line of this order, not whatever was looked at before.
  t.state.focusOfferId = null;
  t.say('orders.editing', { code: { digits: order.code } });
  if (day !== null) await readBackOnDay(t, order.pickupPointId, day, order.pickupFrom.toISOString());
  else await startCheckout(t);
}

/** "Bestellung 10017 stornieren" / "ändern": the order named, or the only open one. */
async function onOrder(t: Turn, code: string | null, then: (t: Turn, orderId: number) => Promise<void>): Promise<boolean> {
  const order = await resolveOrder(t, code);
  if (!order) {
    if (code) t.say('orders.unknownCode', { code: { digits: code } });
    await showOrders(t);
    return true;
  }
  await then(t, order.id);
  return true;
}

export const orders = my.define({
  phrases: [
    {
      roles: ['customer'],
      matches: (input) => PICKUP_WORDS.test(input.understanding.normalized) && dayWanted(input, undefined) !== null,
      handle: moveOrderDay,
    },
  ],
  /** `{ orderId }`: that order with what can be done with it; else the open orders. */
  begin(t, value) {
    const orderId = (value as { orderId?: unknown } | null)?.orderId;
    return typeof orderId === 'number' ? showOrder(t, orderId) : showOrders(t);
  },
  intents: {
    my_orders: {
      async handle(t) {
        await showOrders(t);
        return true;
      },
    },
    cancel_order: { handle: (t, input) => onOrder(t, input.understanding.entities.orderCode, askCancel) },
    change_order: { handle: (t, input) => onOrder(t, input.understanding.entities.orderCode, editOrder) },
  },
  choices: {
    order: { handle: (t, { orderId }) => showOrder(t, orderId) },
    change: { handle: (t, { orderId }) => editOrder(t, orderId) },
    cancel: { handle: (t, { orderId }) => askCancel(t, orderId) },
  },
  questions: {
    action: {
      async answer(t, input, { orderId }) {
        if (input.kind !== 'text') return false;
        const intent = input.understanding.intent;
        if (intent === 'cancel_order') await askCancel(t, orderId);
        else if (intent === 'change_order' || intent === 'change_quantity') await editOrder(t, orderId);
        else return false;
        return true;
      },
      prompt: (t, { orderId }) => showOrder(t, orderId),
    },
    cancel: {
      async answer(t, input, { orderId }) {
        const answer = confirmation(input, String(orderId));
        if (answer === null) return false;
        if (answer === 'stale') await t.stale();
        else if (answer.yes) await cancelOrder(t, orderId);
        else {
          t.settle();
          t.say('orders.kept');
          await t.mainMenu();
        }
        return true;
      },
      prompt: (t, { orderId }) => askCancel(t, orderId),
    },
  },
});
