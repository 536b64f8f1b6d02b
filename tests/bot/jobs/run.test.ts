/** Pickup reminders end to end: the demo week, the real outbox, the Bot API double and Twilio's REST API under nock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../bot/jobs/index.ts';
import type { OutboxMessage } from '../../../catalog/outbox.ts';
import type { Repositories } from '../../../catalog/ports.ts';
import { eveningBefore } from '../../../catalog/reminders.ts';
import { startBotApiDouble, type BotApiDouble } from '../../doubles/telegram-bot-api.ts';
import { startHarness, TUESDAY_MORNING, type Harness } from '../../helpers/conversation.ts';
import nock, { onlyLocalNetwork, restoreNetwork } from '../../helpers/nock.ts';
import { signedTwilioRequest, TEST_PUBLIC_URL } from '../../helpers/twilio.ts';
import {
  addCustomer, CALLS_PATH, jobsEnv, MESSAGES_PATH, placeOrder, TWILIO_ORIGIN, VOICE_FROM, WHATSAPP_FROM,
} from './fixtures.ts';

const DAY_MS = 24 * 3_600_000;
const PICKUP_TEMPLATE = `HX${'a'.repeat(32)}`;

let api: BotApiDouble;
let harness: Harness;
let repos: Repositories;
/** Form bodies of every Twilio message, by recipient. */
let twilioBodies: Array<Record<string, string>>;

async function start(extra: Record<string, string> = {}) {
  harness = await startHarness(TUESDAY_MORNING, jobsEnv(api, extra));
  repos = harness.app.database.repositories;
}

/** Accepts every Twilio message not answered by an earlier interceptor, e.g. the producers' pick lists by SMS. */
function acceptTwilioMessages() {
  recordForms(nock(TWILIO_ORIGIN).post(MESSAGES_PATH).reply(201, { sid: `SM${'1'.repeat(32)}`, status: 'queued' }).persist(), twilioBodies);
}

/** Collects the form of every request the scope answers, once each. */
function recordForms(scope: nock.Scope, into: Array<Record<string, string>>): void {
  scope.on('request', (_request: unknown, _interceptor: unknown, body: string) => {
    into.push(Object.fromEntries(new URLSearchParams(body)));
  });
}

beforeEach(async () => {
  api = await startBotApiDouble();
  twilioBodies = [];
  onlyLocalNetwork();
});
afterEach(async () => {
  restoreNetwork();
  await harness?.dispose();
  await api.close();
});

const reminderOf = async (orderId: number): Promise<OutboxMessage | undefined> =>
  (await repos.outbox.list()).find((message) => message.key === `reminder:${orderId}:day_before`);

describe('pickup reminders', () => {
  beforeEach(() => start());

  it('sends one Telegram reminder the evening before pickup, and nothing when run again', async () => {
    acceptTwilioMessages();
    const customer = await addCustomer(repos, { identity: { kind: 'telegram', value: '4242' }, reminderChannel: 'telegram' });
    const { order, slot } = await placeOrder(repos, customer, TUESDAY_MORNING);
    const evening = eveningBefore(slot.from, '18:00');
    expect(await runDueJobs(harness.app, new Date(evening.getTime() - 60_000))).toMatchObject({ planned: 1 });
    expect(api.sent(4242)).toEqual([]);

    await runDueJobs(harness.app, evening);
    expect(api.sent(4242)).toHaveLength(1);
    expect(api.sent(4242)[0]).toContain(order.code);
    expect(api.sent(4242)[0]).toMatch(/Erinnerung/);

    expect(await runDueJobs(harness.app, new Date(evening.getTime() + 60_000))).toMatchObject({ planned: 0, sent: 0 });
    expect(api.sent(4242)).toHaveLength(1);
  });

  it('gives up on a chat that blocked the bot', async () => {
    acceptTwilioMessages();
    const customer = await addCustomer(repos, { identity: { kind: 'telegram', value: '4242' }, reminderChannel: 'telegram' });
    const { order, slot } = await placeOrder(repos, customer, TUESDAY_MORNING);
    api.blockChat(4242);
    await runDueJobs(harness.app, eveningBefore(slot.from, '18:00'));
    expect(await reminderOf(order.id)).toMatchObject({ state: 'failed', lastError: expect.stringMatching(/blocked/) });
  });

  it('texts an SMS through Twilio and retries when Twilio fails', async () => {
    const customer = await addCustomer(repos, { identity: { kind: 'phone', value: '+4935421999' }, reminderChannel: 'sms' });
    const { order, slot } = await placeOrder(repos, customer, TUESDAY_MORNING);
    const evening = eveningBefore(slot.from, '18:00');
    const failure = nock(TWILIO_ORIGIN)
      .post(MESSAGES_PATH, (body: Record<string, string>) => body.To === '+4935421999')
      .reply(500, { code: 20500, message: 'Internal Server Error', status: 500 });
    acceptTwilioMessages();

    await runDueJobs(harness.app, evening);
    expect(failure.isDone()).toBe(true);
    expect(await reminderOf(order.id)).toMatchObject({ state: 'pending', attempts: 1, dueAt: new Date(evening.getTime() + 60_000) });
    await runDueJobs(harness.app, new Date(evening.getTime() + 30_000));
    expect(await reminderOf(order.id)).toMatchObject({ state: 'pending' });
    await runDueJobs(harness.app, new Date(evening.getTime() + 60_000));
    expect(await reminderOf(order.id)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(twilioBodies.filter((body) => body.To === '+4935421999')).toEqual([
      expect.objectContaining({ From: VOICE_FROM, Body: expect.stringContaining(order.code) }),
    ]);
  });

  it('calls with a reminder read slowly and a one-key menu that posts back to the signed reminder route', async () => {
    const customer = await addCustomer(repos, { identity: { kind: 'phone', value: '+4935421999' }, reminderChannel: 'call' });
    const { order, slot } = await placeOrder(repos, customer, TUESDAY_MORNING);
    const calls: Array<Record<string, string>> = [];
    recordForms(nock(TWILIO_ORIGIN).post(CALLS_PATH).reply(201, { sid: `CA${'2'.repeat(32)}`, status: 'queued' }), calls);
    acceptTwilioMessages();

    await runDueJobs(harness.app, eveningBefore(slot.from, '18:00'));
    const reminder = await reminderOf(order.id);
    expect(reminder?.state).toBe('sent');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ From: VOICE_FROM, To: '+4935421999' });
    const twiml = calls[0].Twiml;
    expect(twiml).toContain(`<Gather input="dtmf" numDigits="1"`);
    expect(twiml).toContain(`action="${TEST_PUBLIC_URL}/twilio/voice/reminder?message=${reminder!.id}"`);
    expect(twiml).toMatch(/<prosody rate="slow">[^<]*Bestellung mit der Nummer/);
    expect(twiml).toContain('Zum Wiederholen drücken Sie die 9');
    expect(twiml).toContain('Wenn Sie die Bestellung nicht abholen können, drücken Sie die 2.');
  });
});

describe('catching up after downtime', () => {
  beforeEach(() => start());

  it('sends a reminder late when the bot was down for a day and the pickup is still ahead', async () => {
    const customer = await addCustomer(repos, { identity: { kind: 'telegram', value: '4242' }, reminderChannel: 'telegram' });
    const { order, slot } = await placeOrder(repos, customer, TUESDAY_MORNING);
    acceptTwilioMessages();
    await runDueJobs(harness.app, TUESDAY_MORNING);
    // Down from Wednesday morning until an hour before the pickup on Friday.
    const back = new Date(slot.from.getTime() - 3_600_000);
    expect(back.getTime() - eveningBefore(slot.from, '18:00').getTime()).toBeGreaterThan(12 * 3_600_000);
    await runDueJobs(harness.app, back);
    expect(await reminderOf(order.id)).toMatchObject({ state: 'sent', sentAt: back });
    expect(api.sent(4242)).toEqual([expect.stringContaining(order.code)]);
  });

  it('skips a reminder whose pickup began while the bot was down', async () => {
    const customer = await addCustomer(repos, { identity: { kind: 'telegram', value: '4242' }, reminderChannel: 'telegram' });
    const { order, slot } = await placeOrder(repos, customer, TUESDAY_MORNING);
    acceptTwilioMessages();
    await runDueJobs(harness.app, TUESDAY_MORNING);
    const back = new Date(eveningBefore(slot.from, '18:00').getTime() + DAY_MS);
    expect(back.getTime()).toBeGreaterThan(slot.from.getTime());
    await runDueJobs(harness.app, back);
    expect(await reminderOf(order.id)).toMatchObject({ state: 'skipped', lastError: 'too late', sentAt: null });
    expect(api.sent(4242)).toEqual([]);
  });
});

describe('WhatsApp and its 24-hour window', () => {
  const erna = '+4915112345678';

  async function whatsappReminder() {
    const customer = await addCustomer(repos, { identity: { kind: 'whatsapp', value: erna }, reminderChannel: 'whatsapp' });
    const { order, slot } = await placeOrder(repos, customer, TUESDAY_MORNING);
    return { customer, order, slot, evening: eveningBefore(slot.from, '18:00') };
  }

  const toErna = () => twilioBodies.filter((body) => body.To === `whatsapp:${erna}`);

  it('records each signed inbound message as the start of the window', async () => {
    await start();
    const { customer } = await whatsappReminder();
    expect(await repos.customers.lastInboundAt(customer.id)).toBeNull();
    harness.clock.set(new Date('2026-12-02T10:00:00Z'));
    const response = await signedTwilioRequest(harness.app.server, {
      url: '/twilio/whatsapp',
      params: { From: `whatsapp:${erna}`, To: WHATSAPP_FROM, MessageSid: `SM${'3'.repeat(32)}`, Body: 'Hallo' },
    });
    expect(response.statusCode).toBe(200);
    expect(await repos.customers.lastInboundAt(customer.id)).toEqual(new Date('2026-12-02T10:00:00Z'));
  });

  it('writes free text inside the window', async () => {
    await start({ TWILIO_TEMPLATE_PICKUP_REMINDER: PICKUP_TEMPLATE });
    const { order, evening } = await whatsappReminder();
    await repos.customers.recordInbound({ kind: 'whatsapp', value: erna }, new Date(evening.getTime() - DAY_MS + 60_000));
    acceptTwilioMessages();
    await runDueJobs(harness.app, evening);
    expect(toErna()).toEqual([expect.objectContaining({ From: WHATSAPP_FROM, Body: expect.stringContaining(order.code) })]);
    expect(toErna()[0]).not.toHaveProperty('ContentSid');
  });

  it('sends the approved template with its variables outside the window', async () => {
    await start({ TWILIO_TEMPLATE_PICKUP_REMINDER: PICKUP_TEMPLATE });
    const { order, slot, evening } = await whatsappReminder();
    await repos.customers.recordInbound({ kind: 'whatsapp', value: erna }, new Date(evening.getTime() - DAY_MS));
    acceptTwilioMessages();
    await runDueJobs(harness.app, evening);
    expect(toErna()).toHaveLength(1);
    expect(toErna()[0]).toMatchObject({ From: WHATSAPP_FROM, ContentSid: PICKUP_TEMPLATE });
    expect(toErna()[0]).not.toHaveProperty('Body');
    const local = (at: Date) => new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(at);
    const point = await repos.pickupPoints.get(order.pickupPointId);
    // Friday 4 December 2026, the demo week's first pickup day.
    expect(JSON.parse(toErna()[0].ContentVariables)).toEqual({
      1: order.code, 2: '04.12.', 3: local(slot.from), 4: local(slot.to), 5: point!.name,
    });
  });

  it('skips, saying why, outside the window when no template is configured', async () => {
    await start();
    const { order, evening } = await whatsappReminder();
    acceptTwilioMessages();
    await runDueJobs(harness.app, evening);
    expect(toErna()).toEqual([]);
    expect(await reminderOf(order.id)).toMatchObject({
      state: 'skipped', lastError: 'outside the WhatsApp 24-hour window and no template for pickup_reminder',
    });
  });
});
