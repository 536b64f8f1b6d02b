/** A pickup point's staff member or a producer who also buys: a customer's conversation, and back to work. A reply on every message. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCER_IDENTITY, DEMO_STAFF_IDENTITY } from '../../catalog/demo-week.ts';
import { exportOrders } from '../../catalog/exports.ts';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';

describe('staff and producers who shop', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  /** Says each message and checks that every one got an answer. */
  async function talk(person: Person, ...messages: string[]): Promise<void> {
    for (const message of messages) {
      await person.says(message);
      expect(person.last?.messages.length, `no reply to "${message}":\n${person.transcript.join('\n')}`).toBeGreaterThan(0);
    }
  }

  async function ordersOf(name: string) {
    return (await exportOrders(h.app.database.repositories, 1)).filter((order) => order.customer.name === name);
  }

  it('in German on WhatsApp: the demo staff member orders for herself, is answered at every step, and goes back to the handout list', async () => {
    const heike = h.person('whatsapp', DEMO_STAFF_IDENTITY.phone);
    await talk(heike, 'Hallo', '2 Gläser Senfgurken', 'bestellen', 'ja');
    heike.hears(/Sie bestellen jetzt als Kundin\/Kunde/);
    heike.hears(/Unter welchem Namen/);
    await talk(heike, 'Heike Petrick');
    heike.hears(/Heike Petrick/);
    await talk(heike, 'Straupitz');
    await heike.taps(/Dorfladen Straupitz/);
    if (!/Bestellnummer/.test(heike.text)) await talk(heike, 'ja');
    heike.hears(/Bestellnummer/);
    const code = heike.orderCode();
    expect(await ordersOf('Heike Petrick')).toEqual([expect.objectContaining({ code, items: [expect.objectContaining({ product: 'Senfgurken', quantity: 2 })] })]);

    await talk(heike, 'Liste');
    heike.hears(/Sie bestellen gerade als Kundin\/Kunde\. Dafür bitte erst „Zurück zur Arbeit“/);
    await heike.taps(/Zurück zur Arbeit/);
    heike.hears(/Sie sind zurück in Ihrem Arbeitsmenü/);
    await talk(heike, 'Liste');
    heike.hears(new RegExp(`• ${code} Heike Petrick \\(Fr\\., 4\\.12\\.\\): 2 Gläser Senfgurken`));
    heike.offers(new RegExp(`${code} abgeholt`));
  });

  it('in English on Telegram: the producer switches to ordering as a customer, orders, and comes back', async () => {
    const krueger = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await talk(krueger, 'Hello');
    await krueger.taps(/Order as a customer/);
    krueger.hears(/You are now ordering as a customer/);
    await talk(krueger, 'yes', 'Bernd Krüger', 'I live in Straupitz');
    await krueger.taps(/Dorfladen Straupitz/);
    await talk(krueger, '2 jars of Dillgurken', 'checkout', 'yes');
    krueger.hears(/order number/i);
    expect(await ordersOf('Bernd Krüger')).toHaveLength(1);

    await talk(krueger, 'what was ordered?');
    krueger.hears(/You are ordering as a customer at the moment/);
    await talk(krueger, 'back to work');
    krueger.hears(/You are back in your work menu/);
    await talk(krueger, 'what was ordered?');
    krueger.hears(/Ordered so far:\nDorfladen Straupitz:\n {2}• 2 jars Dillgurken/);
  });
});
