import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../../catalog/ports.ts';
import { eveningBefore, planPickupReminders } from '../../catalog/reminders.ts';
import { openTestDatabase, databaseTargets, type TestDatabase } from '../helpers/database.ts';
import { line, orderOf, seedWeek, type Week } from '../storage/fixtures.ts';

describe('eveningBefore', () => {
  it('is 18:00 Berlin on the previous calendar day, winter and summer', () => {
    expect(eveningBefore(new Date('2026-12-04T13:00:00Z'), '18:00')).toEqual(new Date('2026-12-03T17:00:00Z'));
    expect(eveningBefore(new Date('2026-07-03T07:00:00Z'), '18:00')).toEqual(new Date('2026-07-02T16:00:00Z'));
    // Summer time begins on Sunday 29 March 2026: a Sunday pickup's evening before is still winter time.
    expect(eveningBefore(new Date('2026-03-29T08:00:00Z'), '18:30')).toEqual(new Date('2026-03-28T17:30:00Z'));
  });
});

describe('planPickupReminders', () => {
  let database: TestDatabase;
  let repositories: Repositories;
  let week: Week;

  beforeEach(async () => {
    database = await openTestDatabase(databaseTargets()[0]);
    repositories = database.repositories;
    week = await seedWeek(repositories);
  });
  afterEach(() => database.dispose());

  const remindedBy = (channel: 'telegram' | 'sms') => repositories.customers.update(week.customer.id, { reminderChannel: channel });

  it('reminds the evening before at the farm shop, once however often it plans', async () => {
    await remindedBy('sms');
    const order = await repositories.orders.place(orderOf(week, [line(week.offers.senfgurken, 2)]));
    expect(await planPickupReminders(repositories, week.cycle.id)).toBe(1);
    expect(await planPickupReminders(repositories, week.cycle.id)).toBe(0);
    expect(await repositories.outbox.list()).toMatchObject([{
      key: `reminder:${order.id}:day_before`,
      kind: 'pickup_reminder',
      customerId: week.customer.id,
      recipient: { channel: 'sms', address: '+4935421999' },
      language: 'de',
      payload: { key: 'reminder.dayBefore', params: { code: order.code, place: 'Hofladen Lehde', date: '04.12.', from: '14:00', to: '18:00' } },
      dueAt: new Date('2026-12-03T17:00:00Z'),
      notAfter: order.pickupFrom,
    }]);
  });

  it('reminds a van stop also two hours before the van', async () => {
    await remindedBy('sms');
    const van = week.pickupPoints.vanStop.id;
    const order = await repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 1)], {
      pickupPointId: van, pickupFrom: new Date('2026-12-05T08:00:00Z'), pickupTo: new Date('2026-12-05T08:30:00Z'),
    }));
    await planPickupReminders(repositories, week.cycle.id, { dayBeforeAt: '19:00', vanHoursBefore: 2 });
    expect((await repositories.outbox.list()).map((message) => [message.key, message.payload.key, message.dueAt])).toEqual([
      [`reminder:${order.id}:day_before`, 'reminder.dayBefore', new Date('2026-12-04T18:00:00Z')],
      [`reminder:${order.id}:van_soon`, 'reminder.vanSoon', new Date('2026-12-05T06:00:00Z')],
    ]);
  });

  it('reminds nobody who wants no reminders, cannot be reached there, or cancelled', async () => {
    await repositories.orders.place(orderOf(week, [line(week.offers.senfgurken, 1)]));
    expect(await planPickupReminders(repositories, week.cycle.id)).toBe(0);
    await remindedBy('telegram');
    expect(await planPickupReminders(repositories, week.cycle.id)).toBe(0);
    await repositories.customers.addIdentity(week.customer.id, { kind: 'telegram', value: '4242' });
    const cancelled = await repositories.orders.place(orderOf(week, [line(week.offers.leinoel, 1)]));
    await repositories.orders.cancel(cancelled.id);
    expect(await planPickupReminders(repositories, week.cycle.id)).toBe(1);
    expect((await repositories.outbox.list()).map((message) => message.recipient)).toEqual([{ channel: 'telegram', address: '4242' }]);
  });

  it('does not remind an order placed after its reminder time', async () => {
    await remindedBy('sms');
    await repositories.orders.place(orderOf(week, [line(week.offers.senfgurken, 1)], { createdAt: new Date('2026-12-03T19:00:00Z') }));
    expect(await planPickupReminders(repositories, week.cycle.id)).toBe(0);
  });
});
