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

/** The reminders of one order, before deduplication by key. */
export function remindersOf(
  order: Order, customer: Customer, point: PickupPoint, recipient: OutboxRecipient, options: ReminderOptions,
): NewOutboxMessage[] {
  const from = utcToZoned(order.pickupFrom);
  const to = utcToZoned(order.pickupTo);
  const params = {
    code: order.code,
    place: point.name,
    address: point.address,
    date: `${String(from.day).padStart(2, '0')}.${String(from.month).padStart(2, '0')}.`,
    from: formatClockTime(from.hour, from.minute),
    to: formatClockTime(to.hour, to.minute),
  };
  const times: Array<{ name: string; messageKey: string; dueAt: Date }> = [
    { name: 'day_before', messageKey: 'reminder.dayBefore', dueAt: eveningBefore(order.pickupFrom, options.dayBeforeAt) },
  ];
  if (point.kind === 'van_stop') {
    times.push({ name: 'van_soon', messageKey: 'reminder.vanSoon', dueAt: new Date(order.pickupFrom.getTime() - options.vanHoursBefore * HOUR_MS) });
  }
  return times
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
  const customers = new Map<number, Customer | null>();
  const messages: NewOutboxMessage[] = [];
  for (const order of await repos.orders.listByCycle(cycleId)) {
    if (!REMINDED_STATUSES.has(order.status)) continue;
    if (!customers.has(order.customerId)) customers.set(order.customerId, await repos.customers.get(order.customerId));
    const customer = customers.get(order.customerId);
    const point = points.get(order.pickupPointId);
    const recipient = customer ? reminderRecipient(customer) : null;
    if (!customer || !point || !recipient) continue;
    messages.push(...remindersOf(order, customer, point, recipient, options));
  }
  return repos.outbox.enqueue(messages);
}
