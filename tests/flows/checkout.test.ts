/** Checkout: read-back, an explicit yes, the order code, payment at pickup; stock that ran out meanwhile. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { offerOf, placeOrder, register, setStock } from '../helpers/customers.ts';

const ordersOfWeek = (h: Harness) => h.app.database.repositories.orders.listByCycle(1);

describe('checkout', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('in German: reads back items, total, pickup point and date, and places only after "ja"', async () => {
    const anna = h.person('telegram', '6401');
    await register(anna, 'de');
    await anna.says('2 Gläser Senfgurken und 3 Flaschen Apfelsaft');
    await anna.says('bestellen');
    anna.hears(/Ihre Bestellung:\n• 2 Gläser Senfgurken: 7,80\s€\n• 3 Flaschen Apfelsaft: 8,70\s€\nZusammen: 16,50\s€/);
    anna.hears(/Abholung: Dorfladen Straupitz, Fr\., 4\.12\., 08:00 bis 18:00\./);
    anna.hears(/Bezahlt wird bei der Abholung\./);
    anna.hears(/Soll ich so bestellen\?/);
    anna.offers(/Ja, bestellen \| Lieber Sa\., 5\.12\. \| Nein, noch ändern/);
    expect(await h.app.database.repositories.orders.listByCycle(1)).toHaveLength(0);

    await anna.says('ja');
    anna.hears(/Danke, Ihre Bestellung ist aufgegeben! Ihre Bestellnummer: \d{5}\. Abholung am Fr\., 4\.12\. von 08:00 bis 18:00\. Zusammen 16,50\s€, bezahlt wird bei der Abholung\./);
    const code = anna.orderCode();
    const order = (await h.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code)!;
    expect(order.totalCents).toBe(1650);
    expect(order.status).toBe('placed');
  });

  it('in English: reads back, a later day on request, and the order code', async () => {
    const emma = h.person('telegram', '6402');
    await register(emma, 'en');
    await emma.says('2 jars of Senfgurken');
    await emma.says('checkout');
    emma.hears(/Your order:\n• 2 jars Senfgurken: €7\.80\nTotal: €7\.80/);
    emma.hears(/Pick-up: Dorfladen Straupitz, Fri 4 Dec, 08:00 to 18:00\./);
    emma.hears(/You pay when you collect your order\./);
    await emma.taps(/Sat 5 Dec instead/);
    emma.hears(/Pick-up: Dorfladen Straupitz, Sat 5 Dec, 08:00 to 12:00\./);
    await emma.says('yes');
    emma.hears(/Thank you, your order has been placed! Your order number: \d{5}\. Pick-up on Sat 5 Dec from 08:00 to 12:00/);
    const code = emma.orderCode();
    const order = (await h.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code)!;
    expect(order.pickupFrom.toISOString()).toBe('2026-12-05T07:00:00.000Z');
  });

  it('in German: "nein" at the read-back places nothing', async () => {
    const anna = h.person('telegram', '6403');
    await register(anna, 'de');
    await anna.says('2 Gläser Senfgurken');
    await anna.says('bestellen');
    await anna.says('nein');
    anna.hears(/Gut, ich habe noch nichts bestellt/);
    expect(await h.app.database.repositories.orders.listByCycle(1)).toHaveLength(0);
  });

  for (const [language, script] of [
    ['de', { order: '3 Gläser Senfgurken', checkout: 'bestellen', yes: 'ja', changed: /Inzwischen hat sich etwas geändert:\n• Senfgurken: nur noch 1 Glas da, ich habe 1 Glas eingeplant\./, readBack: /Ihre Bestellung:\n• 1 Glas Senfgurken: 3,90\s€/, stale: /^Diese Auswahl ist nicht mehr aktuell\./, placed: /Ihre Bestellung ist aufgegeben/ }],
    ['en', { order: '3 jars of Senfgurken', checkout: 'checkout', yes: 'yes', changed: /Something has changed in the meantime:\n• Senfgurken: only 1 jar left, I've put you down for 1 jar\./, readBack: /Your order:\n• 1 jar Senfgurken: €3\.90/, stale: /^This choice is out of date\./, placed: /your order has been placed/ }],
  ] as const) {
    it(`(${language}) says exactly what changed when another customer bought the rest meanwhile, and asks again`, async () => {
      await setStock(h, 'Senfgurken', 5);
      const anna = h.person('telegram', `640${language === 'de' ? 4 : 5}`);
      await register(anna, language);
      await anna.says(script.order);
      await anna.says(script.checkout);

      const bernd = h.person('telegram', '6499');
      await register(bernd, 'de', { name: 'Bernd Kaiser' });
      await placeOrder(bernd, 'de', '4 Gläser Senfgurken');
      expect((await offerOf(h, 'Senfgurken')).available).toBe(1);

      await anna.says(script.yes);
      anna.hears(script.changed);
      anna.hears(script.readBack);
      expect(await h.app.database.repositories.orders.listByCycle(1)).toHaveLength(1);
      // A second yes at once was sent before the new read-back can have been read: it is shown again.
      await anna.says(script.yes);
      anna.hears(script.stale);
      anna.hears(script.readBack);
      expect(await h.app.database.repositories.orders.listByCycle(1)).toHaveLength(1);
      // Read, then confirmed.
      h.clock.advance(5_000);
      await anna.says(script.yes);
      anna.hears(script.placed);
      expect((await offerOf(h, 'Senfgurken')).available).toBe(0);
    });
  }
  it('in German: a price changed after the read-back places nothing until the new price is read back and confirmed', async () => {
    const anna = h.person('telegram', '6406');
    await register(anna, 'de');
    await anna.says('2 Gläser Senfgurken');
    await anna.says('bestellen');
    anna.hears(/2 Gläser Senfgurken: 7,80\s€/);
    const oldYes = anna.last!.choices.find((c) => /Ja, bestellen/.test(c.label))!;

    await h.app.database.repositories.offers.update((await offerOf(h, 'Senfgurken')).id, { priceCents: 420 });
    await anna.taps(/Ja, bestellen/);
    anna.hears(/^Inzwischen hat sich etwas geändert\. Bitte prüfen Sie Ihre Bestellung noch einmal\.\nIhre Bestellung:\n• 2 Gläser Senfgurken: 8,40\s€/);
    expect(await ordersOfWeek(h)).toHaveLength(0);
    // The old read-back's button again: it names what was read back then.
    await anna.pressesRaw(oldYes.id);
    anna.hears(/^Diese Auswahl ist nicht mehr aktuell\.\nIhre Bestellung:\n• 2 Gläser Senfgurken: 8,40\s€/);
    expect(await ordersOfWeek(h)).toHaveLength(0);

    await anna.taps(/Ja, bestellen/);
    anna.hears(/Ihre Bestellung ist aufgegeben/);
    const orders = await ordersOfWeek(h);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ totalCents: 840, items: [{ quantity: 2, unitPriceCents: 420 }] });
  });

  it('in English: a "yes" button from before buttons named their read-back is out of date, and the read-back is shown again', async () => {
    const emma = h.person('telegram', '6407');
    await register(emma, 'en');
    await emma.says('2 jars of Senfgurken');
    await emma.says('checkout');
    await emma.pressesRaw('yes');
    emma.hears(/^This choice is out of date\.\nYour order:\n• 2 jars Senfgurken: €7\.80[\s\S]*Shall I place the order like this\?/);
    expect(await ordersOfWeek(h)).toHaveLength(0);
    // A pickup-day button of that read-back, without the read-back's key, is out of date too.
    await emma.pressesRaw('slot:1796454000000');
    emma.hears(/^This choice is out of date\./);
    expect(await ordersOfWeek(h)).toHaveLength(0);
    await emma.taps(/Yes, place order/);
    emma.hears(/your order has been placed/);
  });

  it('in German: a pickup-day button of an earlier read-back changes nothing', async () => {
    const anna = h.person('telegram', '6408');
    await register(anna, 'de');
    await anna.says('2 Gläser Senfgurken');
    await anna.says('bestellen');
    const otherDay = anna.last!.choices.find((c) => /Lieber Sa/.test(c.label))!;
    await anna.says('noch 1 Glas Dillgurken');
    await anna.says('bestellen');
    anna.hears(/Dillgurken[\s\S]*Abholung: Dorfladen Straupitz, Fr\., 4\.12\./);
    await anna.pressesRaw(otherDay.id);
    anna.hears(/^Diese Auswahl ist nicht mehr aktuell\.\nIhre Bestellung:[\s\S]*Dillgurken[\s\S]*Fr\., 4\.12\./);
    await anna.taps(/Ja, bestellen/);
    const orders = await ordersOfWeek(h);
    expect(orders).toHaveLength(1);
    expect(orders[0].pickupFrom.toISOString()).toBe('2026-12-04T07:00:00.000Z');
    expect(orders[0].items).toHaveLength(2);
  });
});
