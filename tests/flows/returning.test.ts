import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';
import { nextWeek, setStock } from '../helpers/customers.ts';

/** Registers a customer and places one order; returns the order code. */
async function firstOrder(p: Person, language: 'de' | 'en' = 'de'): Promise<string> {
  await p.says(language === 'de' ? 'Hallo' : 'Hello');
  await p.says(language === 'de' ? 'ja' : 'yes');
  await p.says('Bernd Kaiser');
  await p.says(language === 'de' ? 'ich wohne in Lübben' : 'I live in Lübben');
  await p.taps(/Spreewaldladen Lübben/);
  await p.says(language === 'de' ? '3 Gläser Senfgurken' : '3 jars of Senfgurken');
  await p.says(language === 'de' ? 'bestellen' : 'checkout');
  await p.says(language === 'de' ? 'ja' : 'yes');
  return p.orderCode();
}

describe('customers who come back', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('repeats last week\'s order in German ("wie letzte Woche")', async () => {
    const bernd = h.person('whatsapp', '+4915100000101');
    await firstOrder(bernd);
    const week = await nextWeek(h);
    await bernd.says('wie letzte Woche');
    bernd.hears(/Ihre Bestellung:/);
    bernd.hears(/3 Gläser Senfgurken/);
    bernd.hears(/Spreewaldladen Lübben/);
    await bernd.says('ja');
    bernd.hears(/Ihre Bestellung ist aufgegeben/);
    const orders = await h.app.database.repositories.orders.listByCycle(week);
    expect(orders.filter((o) => o.status === 'placed')).toHaveLength(1);
  });

  it('says what is missing when repeating', async () => {
    const bernd = h.person('telegram', '7001');
    await firstOrder(bernd);
    await nextWeek(h);
    await setStock(h, 'Senfgurken', 0);
    await bernd.says('nochmal dasselbe');
    bernd.hears(/nichts im Angebot/);
  });

  it('cancels an order by its code before the cutoff, and the stock returns', async () => {
    const bernd = h.person('telegram', '7004');
    const before = (await h.app.database.repositories.offers.list(1)).find((o) => o.productName === 'Senfgurken')!.available;
    const code = await firstOrder(bernd);
    await bernd.says(`storniere ${code}`);
    bernd.hears(new RegExp(`${code}.*wirklich stornieren`));
    await bernd.says('ja');
    bernd.hears(/ist storniert/);
    const after = (await h.app.database.repositories.offers.list(1)).find((o) => o.productName === 'Senfgurken')!.available;
    expect(after).toBe(before);
  });

  it('after the cutoff, a change is refused with whom to call', async () => {
    const bernd = h.person('telegram', '7002');
    const code = await firstOrder(bernd);
    h.clock.set(new Date('2026-12-02T18:30:00Z'));
    await bernd.says(`storniere ${code}`);
    await bernd.says('ja');
    bernd.hears(/nicht mehr|Bestellschluss/);
    bernd.hears(/\+4935461999999/);
  });

  it('works in English from greeting to order', async () => {
    const emma = h.person('telegram', '7003');
    const code = await firstOrder(emma, 'en');
    expect(code).toMatch(/^\d{5}$/);
    emma.hears(/order (has been )?placed|Thank you/i);
  });
});
