/**
 * Pickup reminders: for every open order of a cycle, the messages that remind
 * its customer, written to the outbox. Planning is repeatable: each message's
 * key names its order and time, so planning again adds only what is new.
 */
import type { NewOutboxMessage, OutboxRecipient } from './outbox.ts';
import type { Repositories } from './ports.ts';
import { addLocalDays, formatClockTime, parseClockTime, utcToZoned, zonedTimeToUtc } from './time.ts';
import type { Customer, IdentityKind, Order, PickupPoint, ReminderChannel } from './types.ts';

export interface ReminderOptions {
  /** Local clock time of the reminder on the evening before pickup, "18:00". */
  dayBeforeAt: string;
  /** A van stop is also reminded this many hours before the van arrives: it waits only minutes. */
  vanHoursBefore: number;
}

export const DEFAULT_REMINDER_OPTIONS: ReminderOptions = { dayBeforeAt: '18:00', vanHoursBefore: 2 };

/** Which identity carries each reminder channel; a call or SMS also reaches a WhatsApp number. */
const ADDRESS_KINDS: Record<ReminderChannel, IdentityKind[]> = {
  telegram: ['telegram'],
  whatsapp: ['whatsapp'],
  call: ['phone', 'whatsapp'],
  sms: ['phone', 'whatsapp'],
};

/** Orders still to be picked up. */
const REMINDED_STATUSES = new Set<Order['status']>(['placed', 'ready']);

const HOUR_MS = 3_600_000;

/** Where the customer wants reminders, or null when they want none or cannot be reached there. */
export function reminderRecipient(customer: Customer): OutboxRecipient | null {
  const channel = customer.reminderChannel;
  if (channel === null) return null;
  for (const kind of ADDRESS_KINDS[channel]) {
    const identity = customer.identities.find((candidate) => candidate.kind === kind);
    if (identity) return { channel, address: identity.value };
  }
  return null;
}

/** The given local clock time on the calendar day before `pickupFrom`. */
export function eveningBefore(pickupFrom: Date, clockTime: string): Date {
  const dayBefore = utcToZoned(addLocalDays(pickupFrom, -1));
  return zonedTimeToUtc({ ...dayBefore, ...parseClockTime(clockTime) });
}

/** What the reminders of every order in one pickup window share: when they go out and how the window reads. */
export interface WindowReminders {
  params: { place: string; address: string; date: string; from: string; to: string };
  times: Array<{ name: string; messageKey: string; dueAt: Date }>;
}

/** The reminder times and texts of a pickup window; computed once per window, since local time is costly. */
export function windowReminders(pickupFrom: Date, pickupTo: Date, point: PickupPoint, options: ReminderOptions): WindowReminders {
  const from = utcToZoned(pickupFrom);
  const to = utcToZoned(pickupTo);
  const times = [{ name: 'day_before', messageKey: 'reminder.dayBefore', dueAt: eveningBefore(pickupFrom, options.dayBeforeAt) }];
  if (point.kind === 'van_stop') {
    times.push({ name: 'van_soon', messageKey: 'reminder.vanSoon', dueAt: new Date(pickupFrom.getTime() - options.vanHoursBefore * HOUR_MS) });
  }
  return {
    params: {
      place: point.name,
      address: point.address,
      date: `${String(from.day).padStart(2, '0')}.${String(from.month).padStart(2, '0')}.`,
      from: formatClockTime(from.hour, from.minute),
      to: formatClockTime(to.hour, to.minute),
    },
    times,
  };
}

/** The reminders of one order, before deduplication by key. */
export function remindersOf(
  order: Order, customer: Customer, point: PickupPoint, recipient: OutboxRecipient, options: ReminderOptions,
  window: WindowReminders = windowReminders(order.pickupFrom, order.pickupTo, point, options),
): NewOutboxMessage[] {
  // A reminder call's "2" cancels or announces this order.
  const params = { orderId: order.id, code: order.code, ...window.params };
  return window.times
    // An order placed after a reminder's time was just confirmed; reminding at once would repeat it.
    .filter((time) => time.dueAt > order.createdAt && time.dueAt < order.pickupFrom)
    .map((time) => ({
      key: `reminder:${order.id}:${time.name}`,
      kind: 'pickup_reminder',
      customerId: customer.id,
      recipient,
      language: customer.language,
      payload: { key: time.messageKey, params },
      dueAt: time.dueAt,
      notAfter: order.pickupFrom,
    }));
}

/** Enqueues the pickup reminders of every open order of the cycle; returns how many were new. */
export async function planPickupReminders(
  repos: Repositories, cycleId: number, options: ReminderOptions = DEFAULT_REMINDER_OPTIONS,
): Promise<number> {
  const points = new Map((await repos.pickupPoints.list()).map((point) => [point.id, point]));
  const orders = (await repos.orders.listByCycle(cycleId)).filter((order) => REMINDED_STATUSES.has(order.status));
  const customers = new Map<number, Customer>(
    (await repos.customers.getMany([...new Set(orders.map((order) => order.customerId))])).map((customer) => [customer.id, customer]),
  );
  const windows = new Map<string, WindowReminders>();
  const messages: NewOutboxMessage[] = [];
  for (const order of orders) {
    const customer = customers.get(order.customerId);
    const point = points.get(order.pickupPointId);
    const recipient = customer ? reminderRecipient(customer) : null;
    if (!customer || !point || !recipient) continue;
    const windowKey = `${point.id}|${order.pickupFrom.getTime()}|${order.pickupTo.getTime()}`;
    let window = windows.get(windowKey);
    if (!window) {
      window = windowReminders(order.pickupFrom, order.pickupTo, point, options);
      windows.set(windowKey, window);
    }
    messages.push(...remindersOf(order, customer, point, recipient, options, window));
  }
  return repos.outbox.enqueue(messages);
}
