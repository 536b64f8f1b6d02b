import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCER_IDENTITY, DEMO_STAFF_IDENTITY } from '../../catalog/demo-week.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { placeOrder, register } from '../helpers/customers.ts';

describe('producers and pickup staff', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('a producer posts the week\'s stock, sees a preview, and applies it only after "Ja"', async () => {
    const producer = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await producer.says('Senfgurken 40 Glas 3,50\nKürbiskernöl 250 ml, 20 Flaschen à 6,90 €\nblabla');
    producer.hears(/Vorschau/);
    producer.hears(/Zeile 3 nicht verstanden/);
    const before = await h.app.database.repositories.offers.list(1);
    expect(before.some((o) => o.productName === 'Kürbiskernöl 250 ml' || o.productName === 'Kürbiskernöl')).toBe(false);
    await producer.says('ja');
    producer.hears(/Übernommen: 1 Angebot/);
    producer.hears(/Neues Produkt „Kürbiskernöl“ anlegen\?/);
    expect((await h.app.database.repositories.offers.list(1)).some((o) => o.productName.startsWith('Kürbiskernöl'))).toBe(false);
    await producer.says('ja');
    const after = await h.app.database.repositories.offers.list(1);
    expect(after.some((o) => o.productName.startsWith('Kürbiskernöl'))).toBe(true);
  });

  it('a producer changes one offer ("ausverkauft") and sees the pick list', async () => {
    const producer = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    const own = await h.app.database.repositories.offers.list(1);
    const producerRow = (await h.app.database.repositories.producers.findByTelegramId(DEMO_PRODUCER_IDENTITY.telegramId))!;
    const first = own.find((o) => o.producerId === producerRow.id)!;
    await producer.says(`${first.productName} ausverkauft`);
    producer.hears(new RegExp(`${first.productName}: jetzt 0`));
    await producer.says('was wurde bestellt');
    producer.hears(/Bisher wurde nichts bei Ihnen bestellt|Bisher bestellt/);
  });

  it('a customer trying producer commands gets a polite refusal and nothing changes', async () => {
    const customer = h.person('telegram', '8001');
    await customer.says('Senfgurken 40 Glas 3,50\nLeinöl 20 Flaschen 6,90');
    customer.hears(/registrierte Erzeuger/);
    const offers = await h.app.database.repositories.offers.list(1);
    expect(offers.find((o) => o.productName === 'Senfgurken')!.priceCents).not.toBe(350);
  });

  it('staff see the handout list and mark an order picked up', async () => {
    const customer = h.person('telegram', '8002');
    await register(customer, 'de', { name: 'Clara Neumann' });
    const code = await placeOrder(customer, 'de', '2 Gläser Senfgurken');
    h.clock.set(new Date('2026-12-04T09:00:00Z'));
    const staff = h.person('telegram', DEMO_STAFF_IDENTITY.telegramId);
    await staff.says('Liste');
    staff.hears(new RegExp(`${code} Clara Neumann`));
    await staff.says(`abgeholt ${code}`);
    staff.hears(new RegExp(`${code} ist als abgeholt vermerkt`));
    const order = (await h.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code)!;
    expect(order.status).toBe('picked_up');
  });
});
