/** The reminder job end to end: the demo week, the real outbox, the Bot API double and Twilio's REST API under nock. */
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../bot/jobs/index.ts';
import type { Repositories } from '../../../catalog/ports.ts';
import { eveningBefore } from '../../../catalog/reminders.ts';
import type { Identity, PickupSlot, ReminderChannel } from '../../../catalog/types.ts';
import { startBotApiDouble, type BotApiDouble } from '../../doubles/telegram-bot-api.ts';
import { startHarness, TUESDAY_MORNING, type Harness } from '../../helpers/conversation.ts';

// nock 15 intercepts sockets with Promise.withResolvers, which Node 20 lacks (it came in Node 22).
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

const ACCOUNT_SID = `AC${'0'.repeat(32)}`;
const VOICE_FROM = '+4935461000000';

let api: BotApiDouble;
let harness: Harness;
let repos: Repositories;

beforeEach(async () => {
  api = await startBotApiDouble();
  harness = await startHarness(TUESDAY_MORNING, {
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: '0123456789abcdef0123456789abcdef',
    TWILIO_VOICE_FROM: VOICE_FROM,
    PUBLIC_URL: 'https://marktbote.example.de',
    TELEGRAM_WEBHOOK_SECRET: 'geheim',
  });
  repos = harness.app.database.repositories;
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await harness?.dispose();
  await api.close();
});

/** A customer who wants reminders on `channel`, with one order at the demo week's first farm-shop slot. */
async function orderWithReminders(identity: Identity, channel: ReminderChannel): Promise<{ slot: PickupSlot; code: string }> {
  const cycle = (await repos.cycles.current(TUESDAY_MORNING))!;
  const points = new Map((await repos.pickupPoints.list()).map((point) => [point.id, point]));
  const slot = (await repos.cycles.slots(cycle.id)).find((candidate) => points.get(candidate.pickupPointId)?.kind === 'farm_shop')!;
  const offer = (await repos.offers.list(cycle.id, { inStock: true }))[0];
  const customer = await repos.customers.create({ name: 'Erna', identity });
  await repos.customers.update(customer.id, { reminderChannel: channel });
  const order = await repos.orders.place({
    customerId: customer.id, cycleId: cycle.id, pickupPointId: slot.pickupPointId, pickupFrom: slot.from, pickupTo: slot.to,
    channel: 'telegram', createdAt: TUESDAY_MORNING,
    items: [{ offerId: offer.id, productId: offer.productId, productName: offer.productName, producerName: offer.producerName, unit: offer.unit, quantity: offer.step, unitPriceCents: offer.priceCents }],
  });
  return { slot, code: order.code };
}

const sentMessages = () => api.calls.filter((call) => call.method === 'sendMessage' && call.ok);

describe('runDueJobs', () => {
  it('sends one Telegram reminder the evening before pickup, and nothing when run again', async () => {
    const { slot, code } = await orderWithReminders({ kind: 'telegram', value: '4242' }, 'telegram');
    const evening = eveningBefore(slot.from, '18:00');
    expect(await runDueJobs(harness.app, new Date(evening.getTime() - 60_000))).toMatchObject({ planned: 1, sent: 0 });
    expect(sentMessages()).toEqual([]);

    expect(await runDueJobs(harness.app, evening)).toMatchObject({ planned: 0, sent: 1 });
    expect(sentMessages()).toHaveLength(1);
    expect(sentMessages()[0]).toMatchObject({ chatId: 4242 });
    expect(sentMessages()[0].text).toContain(code);
    expect(sentMessages()[0].text).toMatch(/Erinnerung/);

    expect(await runDueJobs(harness.app, new Date(evening.getTime() + 60_000))).toMatchObject({ planned: 0, sent: 0 });
    expect(sentMessages()).toHaveLength(1);
  });

  it('skips a reminder whose pickup has begun', async () => {
    const { slot } = await orderWithReminders({ kind: 'telegram', value: '4242' }, 'telegram');
    await runDueJobs(harness.app, TUESDAY_MORNING);
    expect(await runDueJobs(harness.app, slot.from)).toMatchObject({ sent: 0, skipped: 1 });
    expect(sentMessages()).toEqual([]);
    expect((await repos.outbox.list('skipped')).map((message) => message.lastError)).toEqual(['pickup passed']);
  });

  it('gives up on a chat that blocked the bot', async () => {
    const { slot } = await orderWithReminders({ kind: 'telegram', value: '4242' }, 'telegram');
    api.blockChat(4242);
    expect(await runDueJobs(harness.app, eveningBefore(slot.from, '18:00'))).toMatchObject({ sent: 0, failed: 1 });
    expect(await repos.outbox.list('failed')).toHaveLength(1);
  });

  it('texts an SMS through Twilio and retries when Twilio fails', async () => {
    const { slot, code } = await orderWithReminders({ kind: 'phone', value: '+4935421999' }, 'sms');
    const evening = eveningBefore(slot.from, '18:00');
    const bodies: Array<Record<string, string>> = [];
    const twilio = nock('https://api.twilio.com')
      .post(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`)
      .reply(500, { code: 20500, message: 'Internal Server Error', status: 500 })
      .post(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, (body: Record<string, string>) => {
        bodies.push(body);
        return true;
      })
      .reply(201, { sid: `SM${'1'.repeat(32)}`, status: 'queued' });

    expect(await runDueJobs(harness.app, evening)).toMatchObject({ sent: 0, retried: 1 });
    expect(await runDueJobs(harness.app, new Date(evening.getTime() + 30_000))).toMatchObject({ sent: 0, retried: 0 });
    expect(await runDueJobs(harness.app, new Date(evening.getTime() + 60_000))).toMatchObject({ sent: 1 });
    expect(twilio.isDone()).toBe(true);
    expect(bodies).toEqual([expect.objectContaining({ From: VOICE_FROM, To: '+4935421999', Body: expect.stringContaining(code) })]);
  });
});
