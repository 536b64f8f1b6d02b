/** Repeating the last order: the usual phrases, missing items and higher prices named, then the read-back. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Language } from '../../catalog/types.ts';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';
import { nextWeek, offerOf, placeOrder, register, setStock } from '../helpers/customers.ts';

/** Registers, orders Senfgurken and Waldhonig at Spreewaldladen Lübben, and returns the order code; then the next week begins. */
async function lastWeeksOrder(h: Harness, p: Person, language: Language): Promise<string> {
  await register(p, language, { name: 'Bernd Kaiser', place: 'Lübben', point: /Spreewaldladen Lübben/ });
  const code = await placeOrder(p, language, language === 'de' ? '3 Gläser Senfgurken und 2 Gläser Waldhonig' : '3 jars of Senfgurken and 2 jars of Waldhonig');
  await nextWeek(h);
  return code;
}

describe('repeating the last order', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it.each(['wie letzte Woche', 'das Gleiche wie immer', 'nochmal dasselbe'])('in German: "%s" reads back the last basket', async (phrase) => {
    const bernd = h.person('telegram', '6501');
    const first = await lastWeeksOrder(h, bernd, 'de');
    await bernd.says(phrase);
    bernd.hears(/Ihre Bestellung:\n• 3 Gläser Senfgurken: 11,70\s€\n• 2 Gläser Waldhonig: 17,80\s€\nZusammen: 29,50\s€/);
    bernd.hears(/Abholung: Spreewaldladen Lübben/);
    await bernd.says('ja');
    bernd.hears(/Ihre Bestellung ist aufgegeben/);
    // Placed in the new week, beside last week's order.
    const orders = await h.app.database.repositories.orders.listByCycle(2);
    expect(orders.filter((o) => o.status === 'placed').map((o) => o.code)).toEqual([bernd.orderCode()]);
    expect((await h.app.database.repositories.orders.listByCycle(1)).map((o) => o.code)).toEqual([first]);
  });

  it('in German: names what is missing and what costs more, then asks to confirm', async () => {
    const bernd = h.person('telegram', '6502');
    await lastWeeksOrder(h, bernd, 'de');
    await setStock(h, 'Waldhonig', 0);
    await h.app.database.repositories.offers.update((await offerOf(h, 'Senfgurken')).id, { priceCents: 450 });
    await bernd.says('wie letzte Woche');
    bernd.hears(/Diese Woche nicht im Angebot: Waldhonig\./);
    bernd.hears(/Senfgurken kostet jetzt 4,50\s€ statt 3,90\s€\./);
    bernd.hears(/Ihre Bestellung:\n• 3 Gläser Senfgurken: 13,50\s€\nZusammen: 13,50\s€/);
    bernd.hears(/Soll ich so bestellen\?/);
    await bernd.says('ja');
    const code = bernd.orderCode();
    const order = (await h.app.database.repositories.orders.listByCycle(2)).find((o) => o.code === code)!;
    expect(order.items.map((i) => [i.productName, i.quantity, i.unitPriceCents])).toEqual([['Senfgurken', 3, 450]]);
  });

  it('in English: "same as last week" names what is missing and what costs more, then asks to confirm', async () => {
    const emma = h.person('telegram', '6503');
    await lastWeeksOrder(h, emma, 'en');
    await setStock(h, 'Waldhonig', 0);
    await h.app.database.repositories.offers.update((await offerOf(h, 'Senfgurken')).id, { priceCents: 450 });
    await emma.says('same as last week');
    emma.hears(/Not on offer this week: Waldhonig\./);
    emma.hears(/Senfgurken now costs €4\.50 instead of €3\.90\./);
    emma.hears(/Your order:\n• 3 jars Senfgurken: €13\.50\nTotal: €13\.50/);
    await emma.says('yes');
    emma.hears(/your order has been placed/);
  });

  it('in the week of the order itself, shows that order to change instead of placing it a second time', async () => {
    const bernd = h.person('telegram', '6505');
    await register(bernd, 'de', { name: 'Bernd Kaiser', place: 'Lübben', point: /Spreewaldladen Lübben/ });
    const code = await placeOrder(bernd, 'de', '3 Gläser Senfgurken');
    await bernd.says('Hauptmenü');
    bernd.offers(/Angebot der Woche/);
    bernd.doesNotOffer(/Wie letzte Woche/);
    await bernd.says('wie letzte Woche');
    bernd.hears(new RegExp(`Sie haben diese Woche schon bestellt: Bestellung ${code}`));
    bernd.offers(/Ändern/);
    bernd.doesNotHear(/Soll ich so bestellen/);
    await bernd.taps(/Ändern/);
    await bernd.says('noch 2 Gläser Waldhonig');
    await bernd.says('bestellen');
    await bernd.says('ja');
    const orders = await h.app.database.repositories.orders.listByCycle(1);
    expect(orders.filter((o) => o.status === 'placed').map((o) => [o.code, o.items.map((i) => `${i.quantity} ${i.productName}`).sort()]))
      .toEqual([[code, ['2 Waldhonig', '3 Senfgurken']]]);
  });

  it('in English: someone who never ordered hears that there is nothing to repeat', async () => {
    const emma = h.person('telegram', '6504');
    await register(emma, 'en');
    await emma.says('same as last week');
    emma.hears(/You haven't ordered anything from us yet/);
  });
});
