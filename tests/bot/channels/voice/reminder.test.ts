/** POST /twilio/voice/reminder: the keys of a pickup reminder call, signed as Twilio signs them, on the real app. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF_IDENTITY } from '../../../../catalog/demo-week.ts';
import type { OutboxMessage } from '../../../../catalog/outbox.ts';
import type { Repositories } from '../../../../catalog/ports.ts';
import { planPickupReminders } from '../../../../catalog/reminders.ts';
import type { Order, Staff } from '../../../../catalog/types.ts';
import { startHarness, TUESDAY_MORNING, type Harness } from '../../../helpers/conversation.ts';
import { signedTwilioRequest, TEST_PUBLIC_URL } from '../../../helpers/twilio.ts';
import { ACCOUNT_SID, addCustomer, placeOrder, VOICE_FROM } from '../../jobs/fixtures.ts';

const CALL_SID = `CA${'4'.repeat(32)}`;
const ERNA = '+4935421999';
/** Thursday 3 December 2026, 18:00 in Berlin: after Wednesday's cutoff, the evening before pickup. */
const THURSDAY_EVENING = new Date('2026-12-03T17:00:00Z');

let harness: Harness;
let repos: Repositories;
let staff: Staff;
let order: Order;
let reminder: OutboxMessage;

beforeEach(async () => {
  harness = await startHarness(TUESDAY_MORNING, {
    TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: '0123456789abcdef0123456789abcdef', TWILIO_VOICE_FROM: VOICE_FROM, PUBLIC_URL: TEST_PUBLIC_URL,
  });
  repos = harness.app.database.repositories;
  staff = (await repos.staff.findByTelegramId(DEMO_STAFF_IDENTITY.telegramId))!;
  const customer = await addCustomer(repos, { identity: { kind: 'phone', value: ERNA }, reminderChannel: 'call' });
  ({ order } = await placeOrder(repos, customer, TUESDAY_MORNING, { pointId: staff.pickupPointId }));
  await planPickupReminders(repos, order.cycleId);
  reminder = (await repos.outbox.list()).find((message) => message.key === `reminder:${order.id}:day_before`)!;
});
afterEach(() => harness.dispose());

const press = (digits: string, messageId = reminder.id, signature?: string | null) =>
  signedTwilioRequest(harness.app.server, {
    url: `/twilio/voice/reminder?message=${messageId}`,
    params: { CallSid: CALL_SID, From: VOICE_FROM, To: ERNA, Digits: digits },
    signature,
  });

const staffNotices = async () => (await repos.outbox.list()).filter((message) => message.kind === 'no_pickup');

describe('a key pressed during a reminder call', () => {
  it.each(['9', '1'])('%s reads the reminder again, with the same menu, the code digit by digit', async (key) => {
    const response = await press(key);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    expect(response.body).toContain('Ich wiederhole.');
    expect(response.body).toContain(`Bestellung mit der Nummer ${order.code.split('').join(' ')}`);
    expect(response.body).toContain('Zum Wiederholen drücken Sie die 9.');
    expect(response.body).toContain(`action="${TEST_PUBLIC_URL}/twilio/voice/reminder?message=${reminder.id}"`);
  });

  it('2 before the cutoff cancels the order, returns the stock and tells the staff, once however often Twilio posts', async () => {
    const offerId = order.items[0].offerId;
    const before = (await repos.offers.get(offerId))!.available;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await press('2');
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(`Ihre Bestellung ${order.code} ist storniert`);
    }
    expect((await repos.orders.get(order.id))?.status).toBe('cancelled');
    expect((await repos.offers.get(offerId))!.available).toBe(before + order.items[0].quantity);
    expect(await staffNotices()).toMatchObject([{
      key: `no_pickup:${order.id}:${staff.id}`, recipient: { channel: 'telegram', address: DEMO_STAFF_IDENTITY.telegramId },
      language: 'de', payload: { key: 'noPickup.cancelled', params: { code: order.code } },
    }]);
    expect(harness.app.renderer.text('de', 'written', 'jobs:noPickup.cancelled', (await staffNotices())[0].payload.params))
      .toMatch(new RegExp(`^Bestellung ${order.code} wird nicht abgeholt`));
  });

  it('2 after the cutoff keeps the order and only tells the staff', async () => {
    harness.clock.set(THURSDAY_EVENING);
    const response = await press('2');
    expect(response.body).toContain(`dass Sie die Bestellung ${order.code} nicht abholen`);
    expect((await repos.orders.get(order.id))?.status).toBe('placed');
    expect(await staffNotices()).toMatchObject([{ key: `no_pickup:${order.id}:${staff.id}`, payload: { key: 'noPickup.announced' } }]);
  });

  it('any other key, or an unknown message, ends the call politely', async () => {
    for (const response of [await press('7'), await press('2', 999_999)]) {
      expect(response.statusCode).toBe(200);
      expect(response.body).toMatch(/<Say[^>]*>Auf Wiederhören\.<\/Say><Hangup\/>/);
    }
    expect((await repos.orders.get(order.id))?.status).toBe('placed');
    expect(await staffNotices()).toEqual([]);
  });

  it('refuses an unsigned request', async () => {
    expect((await press('2', reminder.id, null)).statusCode).toBe(403);
    expect((await repos.orders.get(order.id))?.status).toBe('placed');
  });
});
