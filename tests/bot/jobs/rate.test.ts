/** Send pacing: token buckets on a fake clock, and a real sweep against the Bot API double. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs, sendersFor } from '../../../bot/jobs/index.ts';
import { createPacing, TELEGRAM_SENDS_PER_SECOND, tokenBucket, type Timer } from '../../../bot/jobs/rate.ts';
import type { NewOutboxMessage } from '../../../catalog/outbox.ts';
import { startBotApiDouble, type BotApiDouble } from '../../doubles/telegram-bot-api.ts';
import { startHarness, TUESDAY_MORNING, type Harness } from '../../helpers/conversation.ts';
import { onlyLocalNetwork, restoreNetwork } from '../../helpers/nock.ts';
import { jobsEnv } from './fixtures.ts';

/** A clock that only moves when someone sleeps. */
function fakeTimer(): Timer & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** The largest number of instants within any window of `windowMs`, as the Bot API double counts. */
function peak(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (const [last, time] of sorted.entries()) {
    while (sorted[first] <= time - windowMs) first += 1;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

describe('tokenBucket', () => {
  it('lets a burst through, then one token per 1/rate seconds', async () => {
    const timer = fakeTimer();
    const bucket = tokenBucket(10, timer, 3);
    const at: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      await bucket.take();
      at.push(timer.now());
    }
    expect(at).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('spaces callers that arrive together instead of waking them at once', async () => {
    // All three ask at the same instant: the clock stands still while they wait.
    const slept: number[] = [];
    const bucket = tokenBucket(4, { now: () => 0, sleep: async (ms) => void slept.push(ms) });
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(slept).toEqual([250, 500]);
  });
});

describe('createPacing', () => {
  const to = (address: string) => ({ recipient: { channel: 'telegram' as const, address } });

  it(`keeps 200 Telegram messages to 200 chats within ${TELEGRAM_SENDS_PER_SECOND} a second`, async () => {
    const timer = fakeTimer();
    const pacing = createPacing({ twilioPerSecond: 10 }, timer);
    const at: number[] = [];
    for (let index = 0; index < 200; index += 1) {
      await pacing.telegram(to(String(index)));
      at.push(timer.now());
    }
    expect(peak(at)).toBeLessThanOrEqual(TELEGRAM_SENDS_PER_SECOND);
    expect(TELEGRAM_SENDS_PER_SECOND).toBeLessThanOrEqual(30);
    // Not slower than needed either.
    expect(at[199]).toBeLessThan((200 / TELEGRAM_SENDS_PER_SECOND) * 1000);
  });

  it('sends to one chat at most once a second', async () => {
    const timer = fakeTimer();
    const pacing = createPacing({ twilioPerSecond: 10 }, timer);
    const at: number[] = [];
    for (const address of ['1', '2', '1', '1', '3']) {
      await pacing.telegram(to(address));
      at.push(timer.now());
    }
    const chatOne = [at[0], at[2], at[3]];
    expect(peak(chatOne)).toBe(1);
  });

  it('shares the Twilio rate between SMS, WhatsApp and calls', async () => {
    const timer = fakeTimer();
    const pacing = createPacing({ twilioPerSecond: 5 }, timer);
    const at: number[] = [];
    for (const channel of ['sms', 'whatsapp', 'call', 'sms', 'whatsapp', 'call'] as const) {
      await pacing[channel]({ recipient: { channel, address: '+4935421999' } });
      at.push(timer.now());
    }
    expect(at).toEqual([0, 200, 400, 600, 800, 1000]);
  });
});

describe('a sweep of many Telegram reminders against the Bot API double', () => {
  let api: BotApiDouble;
  let harness: Harness;
  beforeEach(async () => {
    api = await startBotApiDouble();
    onlyLocalNetwork();
    harness = await startHarness(TUESDAY_MORNING, jobsEnv(api));
  });
  afterEach(async () => {
    restoreNetwork();
    await harness.dispose();
    await api.close();
  });

  // Real time: the double stamps arrivals with the wall clock. 60 messages take about 2.4 s.
  it('stays within Telegram\'s limits with no 429', async () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const messages: NewOutboxMessage[] = Array.from({ length: 60 }, (_, index) => ({
      key: `rate:${index}`, kind: 'pickup_reminder', customerId: null,
      recipient: { channel: 'telegram', address: String(7000 + index) }, language: 'de',
      payload: { key: 'reminder.goodbye', params: {} }, dueAt: now, notAfter: null,
    }));
    await harness.app.database.repositories.outbox.enqueue(messages);
    const result = await runDueJobs(harness.app, now, sendersFor(harness.app, () => now));
    expect(result.sent).toBe(60);
    expect(api.calls.filter((call) => call.status === 429)).toEqual([]);
    expect(api.rate.peak()).toBeLessThanOrEqual(30);
    expect(api.rate.peak({ chatId: 7000 })).toBe(1);
  }, 20_000);
});
