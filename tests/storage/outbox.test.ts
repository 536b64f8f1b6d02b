import { afterEach, beforeEach, expect, it } from 'vitest';
import { RECLAIM_AFTER_MS, type NewOutboxMessage } from '../../catalog/outbox.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { forEachDatabase, openTestDatabase, type TestDatabase } from '../helpers/database.ts';

const EVENING = new Date('2026-12-03T17:00:00Z');

function reminder(orderId: number, dueAt: Date = EVENING): NewOutboxMessage {
  return {
    key: `reminder:${orderId}:day_before`,
    kind: 'pickup_reminder',
    customerId: null,
    recipient: { channel: 'telegram', address: `9${orderId}` },
    language: 'de',
    payload: { key: 'reminder.dayBefore', params: { code: `10${orderId}`, place: 'Hofladen Lehde' } },
    dueAt,
    notAfter: new Date('2026-12-04T13:00:00Z'),
  };
}

forEachDatabase('outbox', (target) => {
  let database: TestDatabase;
  let second: Database | null = null;

  beforeEach(async () => {
    database = await openTestDatabase(target);
  });
  afterEach(async () => {
    await second?.close();
    second = null;
    await database.dispose();
  });

  it('enqueues each key once and keeps what it was given', async () => {
    const outbox = database.repositories.outbox;
    expect(await outbox.enqueue([reminder(1), reminder(2)])).toBe(2);
    expect(await outbox.enqueue([reminder(2), reminder(3)])).toBe(1);
    expect(await outbox.enqueue([])).toBe(0);
    const messages = await outbox.list();
    expect(messages.map((message) => message.key)).toEqual(['reminder:1:day_before', 'reminder:2:day_before', 'reminder:3:day_before']);
    expect(messages[0]).toMatchObject({
      ...reminder(1), state: 'pending', attempts: 0, lastError: null, sentAt: null,
    });
  });

  it('claims only due pending messages, once, oldest first', async () => {
    const outbox = database.repositories.outbox;
    await outbox.enqueue([reminder(1, new Date(EVENING.getTime() + 60_000)), reminder(2), reminder(3, new Date(EVENING.getTime() + 1))]);
    const claimed = await outbox.claimDue(EVENING, 10);
    expect(claimed.map((message) => [message.key, message.state, message.attempts])).toEqual([['reminder:2:day_before', 'sending', 1]]);
    expect(await outbox.claimDue(EVENING, 10)).toEqual([]);
    const later = await outbox.claimDue(new Date(EVENING.getTime() + 60_000), 1);
    expect(later.map((message) => message.key)).toEqual(['reminder:3:day_before']);
  });

  it('tells the backlog: messages due and not yet settled, and when the oldest fell due', async () => {
    const outbox = database.repositories.outbox;
    expect(await outbox.backlog(EVENING)).toEqual({ messages: 0, oldestDueAt: null });
    const earlier = new Date(EVENING.getTime() - 90_000);
    await outbox.enqueue([reminder(1, earlier), reminder(2), reminder(3), reminder(4, new Date(EVENING.getTime() + 60_000))]);
    const [first] = await outbox.claimDue(EVENING, 1);
    expect(await outbox.backlog(EVENING)).toEqual({ messages: 3, oldestDueAt: earlier });
    await outbox.markSent(first.id, EVENING);
    const [second] = await outbox.claimDue(EVENING, 1);
    await outbox.markSkipped(second.id, 'too late');
    expect(await outbox.backlog(EVENING)).toEqual({ messages: 1, oldestDueAt: EVENING });
  });

  it('never hands one message to two concurrent claimers', async () => {
    const ids = Array.from({ length: 40 }, (_, index) => index + 1);
    await database.repositories.outbox.enqueue(ids.map((id) => reminder(id)));
    // PostgreSQL: a second pool, so claims really overlap; SQLite: one connection
    // per process (two in one process would block each other's thread), see race.test.ts for processes.
    second = target.dialect === 'postgres' ? await openDatabase(database.url) : null;
    const claimers = [database.repositories.outbox, (second ?? database).repositories.outbox];
    const rounds = await Promise.all(
      Array.from({ length: 8 }, (_, index) => claimers[index % 2].claimDue(EVENING, 7)),
    );
    const claimedKeys = rounds.flat().map((message) => message.key);
    expect(new Set(claimedKeys).size).toBe(claimedKeys.length);
    expect(claimedKeys.length).toBe(40);
    expect(await database.repositories.outbox.list('pending')).toEqual([]);
  });

  it('retries a failed message when due again, fails it for good, skips and sends', async () => {
    const outbox = database.repositories.outbox;
    await outbox.enqueue([reminder(1), reminder(2), reminder(3)]);
    const [first, secondMessage, third] = await outbox.claimDue(EVENING, 10);
    const retryAt = new Date(EVENING.getTime() + 120_000);
    await outbox.markFailed(first.id, 'timeout', retryAt);
    await outbox.markFailed(secondMessage.id, 'bot was blocked', null);
    await outbox.markSkipped(third.id, 'pickup passed');
    expect(await outbox.claimDue(new Date(retryAt.getTime() - 1), 10)).toEqual([]);
    const [retried] = await outbox.claimDue(retryAt, 10);
    expect(retried).toMatchObject({ id: first.id, attempts: 2, lastError: 'timeout', dueAt: retryAt });
    const sentAt = new Date(retryAt.getTime() + 500);
    await outbox.markSent(retried.id, sentAt);
    // Settling is only for messages being sent: a late duplicate report changes nothing.
    await outbox.markFailed(retried.id, 'late', null);
    expect((await outbox.list()).map((message) => [message.state, message.lastError, message.sentAt])).toEqual([
      ['sent', null, sentAt],
      ['failed', 'bot was blocked', null],
      ['skipped', 'pickup passed', null],
    ]);
    expect((await outbox.list('failed')).map((message) => message.id)).toEqual([secondMessage.id]);
  });

  it('claims again a message a crashed process left sending, once the claim is stale', async () => {
    const outbox = database.repositories.outbox;
    await outbox.enqueue([reminder(1)]);
    const [claimed] = await outbox.claimDue(EVENING, 10);
    // The claimer dies here: no markSent, no markFailed.
    expect(await outbox.claimDue(new Date(EVENING.getTime() + RECLAIM_AFTER_MS - 1), 10)).toEqual([]);
    const [reclaimed] = await outbox.claimDue(new Date(EVENING.getTime() + RECLAIM_AFTER_MS), 10);
    expect(reclaimed).toMatchObject({ id: claimed.id, state: 'sending', attempts: 2 });
    // A fresh claim is not stale: the new claimer keeps it.
    expect(await outbox.claimDue(new Date(EVENING.getTime() + RECLAIM_AFTER_MS + 60_000), 10)).toEqual([]);
    await outbox.markSent(reclaimed.id, new Date(EVENING.getTime() + RECLAIM_AFTER_MS + 1000));
    expect(await outbox.get(claimed.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await outbox.get(claimed.id + 100)).toBeNull();
  });

  it('enqueues more messages than one statement can carry, in one go', async () => {
    const outbox = database.repositories.outbox;
    const many = Array.from({ length: 4500 }, (_, index) => reminder(index + 1));
    expect(await outbox.enqueue(many)).toBe(4500);
    expect(await outbox.enqueue(many.slice(4000))).toBe(0);
    expect(await outbox.list()).toHaveLength(4500);
  });

  it('records when a customer last wrote, never moving it back', async () => {
    const { customers } = database.repositories;
    const identity = { kind: 'whatsapp' as const, value: '+4915112345678' };
    const customer = await customers.create({ name: 'Erna', identity });
    expect(await customers.lastInboundAt(customer.id)).toBeNull();
    await customers.recordInbound(identity, EVENING);
    await customers.recordInbound(identity, new Date(EVENING.getTime() - 60_000));
    await customers.recordInbound({ kind: 'whatsapp', value: '+4915100000000' }, EVENING);
    expect(await customers.lastInboundAt(customer.id)).toEqual(EVENING);
    await customers.erase(customer.id);
    expect(await customers.lastInboundAt(customer.id)).toBeNull();
  });
});
