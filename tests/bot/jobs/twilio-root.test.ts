/**
 * TWILIO_API_ROOT: every Twilio REST call (SMS, WhatsApp, calls) goes to the
 * configured root, path prefix included, and api.twilio.com is never contacted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../bot/jobs/index.ts';
import type { Repositories } from '../../../catalog/ports.ts';
import type { ReminderChannel } from '../../../catalog/types.ts';
import { eveningBefore } from '../../../catalog/reminders.ts';
import { startBotApiDouble, type BotApiDouble } from '../../doubles/telegram-bot-api.ts';
import { startHarness, TUESDAY_MORNING, type Harness } from '../../helpers/conversation.ts';
import nock, { onlyLocalNetwork, restoreNetwork } from '../../helpers/nock.ts';
import { addCustomer, CALLS_PATH, jobsEnv, MESSAGES_PATH, placeOrder } from './fixtures.ts';

const ROOT_ORIGIN = 'https://twilio-double.test';
const ROOT = `${ROOT_ORIGIN}/rest`;

let api: BotApiDouble;
let harness: Harness;
let repos: Repositories;
/** Every request nock had no interceptor for (the network is closed, so none of them left this process). */
let unmatched: string[];
const recordUnmatched = (request: Request) => {
  unmatched.push(`${request.method} ${request.url}`);
};

beforeEach(async () => {
  api = await startBotApiDouble();
  unmatched = [];
  onlyLocalNetwork();
  nock.emitter.on('no match', recordUnmatched);
  harness = await startHarness(TUESDAY_MORNING, jobsEnv(api, { TWILIO_API_ROOT: ROOT }));
  repos = harness.app.database.repositories;
});
afterEach(async () => {
  nock.emitter.removeListener('no match', recordUnmatched);
  restoreNetwork();
  await harness?.dispose();
  await api.close();
});

/** A customer reminded on `channel`, with an order picked up the day after `evening`. */
async function remindedOn(channel: ReminderChannel, address: string) {
  const identity = channel === 'whatsapp' ? { kind: 'whatsapp' as const, value: address } : { kind: 'phone' as const, value: address };
  const customer = await addCustomer(repos, { identity, reminderChannel: channel });
  const { slot } = await placeOrder(repos, customer, TUESDAY_MORNING);
  // Inside WhatsApp's 24-hour window, so free text goes out without a template.
  if (channel === 'whatsapp') await repos.customers.recordInbound(identity, eveningBefore(slot.from, '17:00'));
  return eveningBefore(slot.from, '18:00');
}

describe('TWILIO_API_ROOT', () => {
  it('sends SMS, WhatsApp and calls to the configured root and never to api.twilio.com', async () => {
    const reached: string[] = [];
    // Persisting: the producers' pick lists of the past cutoff go out by SMS in the same run.
    const root = nock(ROOT_ORIGIN)
      .post(`/rest${MESSAGES_PATH}`).reply(201, { sid: `SM${'1'.repeat(32)}`, status: 'queued' }).persist()
      .post(`/rest${CALLS_PATH}`).reply(201, { sid: `CA${'2'.repeat(32)}`, status: 'queued' });
    root.on('request', (_request: unknown, _interceptor: unknown, body: string) => {
      reached.push(new URLSearchParams(body).get('To') ?? '');
    });

    await remindedOn('sms', '+4935421001');
    await remindedOn('call', '+4935421002');
    const evening = await remindedOn('whatsapp', '+4915100000003');
    const result = await runDueJobs(harness.app, evening);

    expect(unmatched).toEqual([]);
    expect(root.isDone()).toBe(true);
    expect(reached).toEqual(expect.arrayContaining(['+4935421001', '+4935421002', 'whatsapp:+4915100000003']));
    expect(result).toMatchObject({ failed: 0, retried: 0 });
  });
});
