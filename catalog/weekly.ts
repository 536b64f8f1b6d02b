/**
 * The week's own messages and transitions, each safe to repeat: the cycle
 * opens once its opening has passed, "Das Angebot der Woche ist da" goes to
 * customers who asked for it, a nudge the evening before the cutoff reaches
 * those who have not ordered yet, and the cycle closes at its cutoff. Every
 * message is keyed by cycle and recipient, so running a step again, or in two
 * processes at once, writes nothing twice.
 */
import { openCycle } from './cycles.ts';
import { isDomainError } from './errors.ts';
import type { NewOutboxMessage, OutboxKind, OutboxRecipient } from './outbox.ts';
import type { Repositories } from './ports.ts';
import { eveningBefore, reminderRecipient } from './reminders.ts';
import { planCycle, type CycleRhythm } from './rhythm.ts';
import { BERLIN, formatClockTime, utcToZoned } from './time.ts';
import type { Customer, Language, OrderCycle, Producer, Staff } from './types.ts';

export interface WeeklyOptions {
  /** Local clock time of the order nudge on the day before the cutoff, "18:00". */
  nudgeAt: string;
}

export const DEFAULT_WEEKLY_OPTIONS: WeeklyOptions = { nudgeAt: '18:00' };

/**
 * Opens the cycle of `now`'s week when its opening has passed and its cutoff
 * has not; returns the open cycle, or null outside that window. Another
 * process creating it at the same moment is not an error.
 */
export async function openDueCycle(repos: Repositories, rhythm: CycleRhythm, now: Date): Promise<OrderCycle | null> {
  const times = planCycle(rhythm, now, []);
  if (now < times.opensAt || now >= times.cutoffAt) return null;
  try {
    return (await openCycle(repos, rhythm, now)).cycle;
  } catch (error) {
    if (!isDomainError(error, 'CONFLICT')) throw error;
    return (await repos.cycles.list()).find((cycle) => cycle.label === times.label) ?? null;
  }
}

/** The cutoff as a customer reads it: weekday in their language, date and clock time. */
function cutoffParams(cycle: OrderCycle, language: Language): Record<string, string> {
  const local = utcToZoned(cycle.cutoffAt);
  const weekday = new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { weekday: 'long', timeZone: BERLIN }).format(cycle.cutoffAt);
  return {
    cutoffDay: weekday,
    cutoffDate: `${String(local.day).padStart(2, '0')}.${String(local.month).padStart(2, '0')}.`,
    cutoffTime: formatClockTime(local.hour, local.minute),
    cycle: cycle.label,
  };
}

/** One message per customer of the cycle; customers without a reachable reminder channel get none. */
function customerMessages(
  customers: Customer[], cycle: OrderCycle, kind: OutboxKind, messageKey: string, dueAt: Date,
): NewOutboxMessage[] {
  return customers.flatMap((customer) => {
    const recipient = reminderRecipient(customer);
    if (!recipient) return [];
    return [{
      key: `${kind}:${cycle.id}:${customer.id}`,
      kind,
      customerId: customer.id,
      recipient,
      language: customer.language,
      payload: { key: messageKey, params: cutoffParams(cycle, customer.language) },
      dueAt,
      notAfter: cycle.cutoffAt,
    }];
  });
}

const orderable = (cycle: OrderCycle, now: Date) => cycle.status === 'open' && now < cycle.cutoffAt;

/** Enqueues "Das Angebot der Woche ist da" for every customer with `weeklyNews`, while the cycle takes orders. */
export async function planWeeklyOffers(repos: Repositories, cycle: OrderCycle, now: Date): Promise<number> {
  if (!orderable(cycle, now) || now < cycle.opensAt) return 0;
  const subscribers = (await repos.customers.list()).filter((customer) => customer.weeklyNews);
  return repos.outbox.enqueue(customerMessages(subscribers, cycle, 'weekly_offer', 'weeklyOffer', cycle.opensAt));
}

/** When the order nudge of a cycle is due. */
export function nudgeTime(cycle: OrderCycle, options: WeeklyOptions = DEFAULT_WEEKLY_OPTIONS): Date {
  return eveningBefore(cycle.cutoffAt, options.nudgeAt);
}

/** From the evening before the cutoff: a nudge to each subscriber who has not ordered in the cycle. */
export async function planOrderNudges(
  repos: Repositories, cycle: OrderCycle, now: Date, options: WeeklyOptions = DEFAULT_WEEKLY_OPTIONS,
): Promise<number> {
  const dueAt = nudgeTime(cycle, options);
  if (!orderable(cycle, now) || now < dueAt) return 0;
  const ordered = new Set(
    (await repos.orders.listByCycle(cycle.id)).filter((order) => order.status !== 'cancelled').map((order) => order.customerId),
  );
  const waiting = (await repos.customers.list()).filter((customer) => customer.weeklyNews && !ordered.has(customer.id));
  return repos.outbox.enqueue(customerMessages(waiting, cycle, 'order_nudge', 'orderNudge', dueAt));
}

/** Closes the cycle once its cutoff has passed; true when this call closed it. */
export async function closeDueCycle(repos: Repositories, cycle: OrderCycle, now: Date): Promise<boolean> {
  if (cycle.status !== 'open' || now < cycle.cutoffAt) return false;
  await repos.cycles.setStatus(cycle.id, 'closed');
  return true;
}

/** Producers and shop staff work from Telegram when they use it, otherwise from SMS; null when neither is known. */
export function workRecipient(person: Pick<Producer | Staff, 'telegramId' | 'phone'>): OutboxRecipient | null {
  if (person.telegramId) return { channel: 'telegram', address: person.telegramId };
  if (person.phone) return { channel: 'sms', address: person.phone };
  return null;
}
