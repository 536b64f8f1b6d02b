/** The phone PIN, set in a producer's or staff member's own chat and asked for on the phone before their functions. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCER_IDENTITY, DEMO_STAFF_IDENTITY } from '../../catalog/demo-week.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';

describe('the phone PIN', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  const producerId = async () => (await h.app.database.repositories.producers.findByTelegramId(DEMO_PRODUCER_IDENTITY.telegramId))!.id;
  const storedPin = async () => h.app.database.repositories.pins.get({ kind: 'producer', id: await producerId() });

  it('a producer sets it on Telegram, and then the phone opens the producer\'s menu only after it', async () => {
    const chat = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await chat.says('PIN setzen 1234');
    chat.hears(/leicht zu erraten/);
    await chat.says('PIN setzen 12');
    chat.hears(/vier bis sechs Ziffern/);
    expect(await storedPin()).toBeNull();
    await chat.says('PIN setzen 4711');
    chat.hears(/Ihre PIN für das Telefon ist gesetzt/);
    expect(await storedPin()).toMatchObject({ failures: 0 });

    const phone = h.person('voice', DEMO_PRODUCER_IDENTITY.phone);
    await phone.starts();
    phone.hears(/Bitte tippen Sie Ihre PIN ein/);
    phone.doesNotHear(/Gurkenhof Krüger/);
    await phone.presses('4711');
    phone.hears(/Guten Tag, Gurkenhof Krüger/);
    phone.offers(/Was wurde bestellt/);
  });

  it('staff set it on WhatsApp, in English words as well', async () => {
    const chat = h.person('whatsapp', DEMO_STAFF_IDENTITY.phone);
    await chat.says('set PIN 2580');
    chat.hears(/Ihre PIN für das Telefon ist gesetzt/);
    const staff = (await h.app.database.repositories.staff.findByPhone(DEMO_STAFF_IDENTITY.phone))!;
    expect(await h.app.database.repositories.pins.get({ kind: 'staff', id: staff.id })).not.toBeNull();
  });

  it('is not set on the phone, where a caller ID can be forged', async () => {
    const chat = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await chat.says('PIN setzen 4711');
    const phone = h.person('voice', DEMO_PRODUCER_IDENTITY.phone);
    await phone.starts();
    await phone.presses('4711');
    await phone.says('PIN setzen 2580');
    phone.hears(/in Ihrem eigenen Chat/);
    const fresh = h.person('voice', 'next-call', { identity: { kind: 'phone', value: DEMO_PRODUCER_IDENTITY.phone } });
    await fresh.starts();
    await fresh.presses('2580');
    fresh.hears(/Die PIN stimmt nicht/);
  });

  it('means nothing from a customer', async () => {
    const customer = h.person('telegram', '8101');
    await customer.says('PIN setzen 4711');
    customer.doesNotHear(/PIN/);
  });
});
