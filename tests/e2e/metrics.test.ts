/**
 * GET /metrics of the real app: each turn counted once on its channel; what
 * goes out counted by kind (a reply, or the outbox kind); the outbox backlog
 * read at the scrape; database faults; and what the Bot API and Twilio refused,
 * by status.
 */
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../bot/jobs/index.ts';
import type { NewOutboxMessage } from '../../catalog/outbox.ts';
import { eveningBefore } from '../../catalog/reminders.ts';
import { addCustomer, placeOrder } from '../bot/jobs/fixtures.ts';
import nock, { onlyLocalNetwork, restoreNetwork } from '../helpers/nock.ts';
import { postTwilio, sid, startE2e, WEBHOOK_SECRET, WHATSAPP_NUMBER, type E2e } from './app.ts';
import { TelegramUser } from './telegram-user.ts';

const TWILIO_ROOT = 'https://twilio-double.test';

let e2e: E2e;
beforeEach(async () => {
  onlyLocalNetwork();
  e2e = await startE2e(undefined, { env: { TWILIO_API_ROOT: TWILIO_ROOT }, sqliteBusyTimeoutMs: 100 });
});
afterEach(async () => {
  restoreNetwork();
  await e2e.dispose();
});

/** Where this app's Twilio account posts its messages, under the configured root. */
const messagesPath = () => `/2010-04-01/Accounts/${e2e.app.config.twilio!.accountSid}/Messages.json`;

/** Twilio accepts every message not answered by an earlier interceptor. */
function acceptTwilioMessages(): void {
  nock(TWILIO_ROOT).post(messagesPath()).reply(201, { sid: sid('SM', 3), status: 'queued' }).persist();
}

/** A customer reminded by SMS places an order, and the jobs run the evening before its pickup. */
async function remindBySmsTheEveningBefore(phone: string): Promise<void> {
  const repos = e2e.app.database.repositories;
  const customer = await addCustomer(repos, { identity: { kind: 'phone', value: phone }, reminderChannel: 'sms' });
  const { slot } = await placeOrder(repos, customer, e2e.clock.now());
  await runDueJobs(e2e.app, eveningBefore(slot.from, '18:00'));
}

async function scrape(): Promise<string> {
  const response = await e2e.app.server.inject({ url: '/metrics' });
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** The value of the series `name{labels}` in the Prometheus text; 0 when it has none yet. */
function value(metrics: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([label, text]) => `${label}="${text}"`);
  for (const line of metrics.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.length === has.length && wanted.every((pair) => has.includes(pair))) return Number(match[3]);
  }
  return 0;
}

function telegramStart(updateId: number, chatId: number) {
  return e2e.app.server.inject({
    method: 'POST',
    url: '/telegram',
    headers: { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    payload: {
      update_id: updateId,
      message: {
        message_id: updateId,
        date: Math.floor(e2e.clock.now().getTime() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'Anna' },
        from: { id: chatId, is_bot: false, first_name: 'Anna', language_code: 'de' },
        text: '/start',
      },
    },
  });
}

describe('GET /metrics', () => {
  it('counts one turn on each channel exactly once', async () => {
    expect((await telegramStart(1, 5011)).statusCode).toBe(200);
    await postTwilio(e2e, '/twilio/whatsapp', {
      MessageSid: sid('SM', 1), From: 'whatsapp:+4915100000042', To: WHATSAPP_NUMBER, Body: 'Hallo',
    });
    await postTwilio(e2e, '/twilio/voice', { CallSid: sid('CA', 1), From: '+4915100000043' });

    const metrics = await scrape();
    for (const channel of ['telegram', 'whatsapp', 'voice']) {
      expect({ channel, turns: value(metrics, 'turns_total', { channel }), timed: value(metrics, 'turn_duration_seconds_count', { channel }) })
        .toEqual({ channel, turns: 1, timed: 1 });
    }
  });

  it('counts what goes out by kind: replies apart from reminders and lists', async () => {
    const anna = new TelegramUser(e2e, { id: 5012, is_bot: false, first_name: 'Anna', language_code: 'de' });
    await anna.says('/start');
    await postTwilio(e2e, '/twilio/whatsapp', {
      MessageSid: sid('SM', 2), From: 'whatsapp:+4915100000044', To: WHATSAPP_NUMBER, Body: 'Hallo',
    });
    acceptTwilioMessages();
    await remindBySmsTheEveningBefore('+4935421999');

    const metrics = await scrape();
    expect(value(metrics, 'outbound_total', { channel: 'telegram', kind: 'reply', outcome: 'sent' })).toBe(anna.received().length);
    expect(value(metrics, 'outbound_total', { channel: 'whatsapp', kind: 'reply', outcome: 'sent' })).toBe(1);
    expect(value(metrics, 'outbound_total', { channel: 'sms', kind: 'pickup_reminder', outcome: 'sent' })).toBe(1);
    // The producers' pick lists of the cutoff before went out in the same run.
    expect(value(metrics, 'outbound_total', { channel: 'sms', kind: 'picklist', outcome: 'sent' })).toBeGreaterThan(0);
    expect(metrics).toMatch(/# HELP outbound_total Messages sent, by channel, kind \(reply: an answer within a turn; otherwise the outbox kind/);
  });

  it('shows the outbox backlog and how long its oldest message has waited, as of the scrape', async () => {
    const now = e2e.clock.now();
    const notice = (key: string, dueSecondsAgo: number): NewOutboxMessage => ({
      key, kind: 'no_pickup', customerId: null, recipient: { channel: 'sms', address: '+4935421998' }, language: 'de',
      payload: { key: 'noPickup.announced', params: { code: '10017', place: 'Straupitz' } },
      dueAt: new Date(now.getTime() - dueSecondsAgo * 1000), notAfter: null,
    });
    await e2e.app.database.repositories.outbox.enqueue([notice('a', 90), notice('b', 30), notice('later', -600)]);

    let metrics = await scrape();
    expect(value(metrics, 'outbox_backlog_messages')).toBe(2);
    expect(value(metrics, 'outbox_oldest_pending_age_seconds')).toBe(90);

    e2e.clock.advance(60_000);
    metrics = await scrape();
    expect(value(metrics, 'outbox_oldest_pending_age_seconds')).toBe(150);
  });

  it('counts database faults, and the turn they refused', async () => {
    const lock = new Sqlite(e2e.app.config.databaseUrl);
    lock.exec('begin immediate');
    try {
      expect((await telegramStart(7, 5013)).statusCode).toBe(503);
    } finally {
      lock.exec('rollback');
      lock.close();
    }
    const metrics = await scrape();
    expect(value(metrics, 'database_errors_total', { fault: 'unavailable' })).toBeGreaterThan(0);
    expect(value(metrics, 'database_errors_total', { fault: 'connection_lost' })).toBe(0);
    expect(value(metrics, 'errors_total', { channel: 'telegram', kind: 'database_unavailable' })).toBe(1);
    expect(value(metrics, 'turns_total', { channel: 'telegram' })).toBe(1);
  });

  it('counts what the Bot API and Twilio refused, by status', async () => {
    e2e.api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 0', parameters: { retry_after: 0 } });
    expect((await telegramStart(8, 5014)).statusCode).toBe(200);
    e2e.api.blockChat(5015);
    expect((await telegramStart(9, 5015)).statusCode).toBe(200);

    nock(TWILIO_ROOT).post(messagesPath()).reply(500, { code: 20500, message: 'Internal Server Error', status: 500 });
    acceptTwilioMessages();
    await remindBySmsTheEveningBefore('+4935421997');

    const metrics = await scrape();
    expect(value(metrics, 'provider_failures_total', { provider: 'telegram', status: '429' })).toBe(1);
    expect(value(metrics, 'provider_failures_total', { provider: 'telegram', status: '403' })).toBeGreaterThan(0);
    expect(value(metrics, 'provider_failures_total', { provider: 'twilio', status: '500' })).toBe(1);
    expect(value(metrics, 'outbound_total', { channel: 'telegram', kind: 'reply', outcome: 'sent' })).toBeGreaterThan(0);
  });
});
