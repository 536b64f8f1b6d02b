/**
 * Issue 14's producers' cases, from the producer's and the customer's side: a
 * messy post must not invent products, and only a product named exactly may be
 * changed or sold out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCER_IDENTITY } from '../../catalog/demo-week.ts';
import { exportOrders } from '../../catalog/exports.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { offerOf, placeOrder, register } from '../helpers/customers.ts';

/** The messy post of the issue: a greeting, a header glued to a product, and a sign-off. */
const MESSY_POST = ['Hallo, diese Woche hab ich:', 'diese woche hab ich: senfgurken 40 glas 3,50', 'Dillgurken 20 Glas 3,40', 'Gruß vom Hof'].join('\n');
/** What an earlier version of the bot made of the header line: a product of that name, on offer. */
const JUNK = 'diese woche hab ich: senfgurken';

describe('a producer\'s messy post', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function productNames(): Promise<string[]> {
    const repos = h.app.database.repositories;
    const krueger = (await repos.producers.findByTelegramId(DEMO_PRODUCER_IDENTITY.telegramId))!;
    return (await repos.products.listByProducer(krueger.id)).map((product) => product.name);
  }

  it('in German: reads the header line as Senfgurken and creates no product from it; a customer orders the real Senfgurken', async () => {
    const before = await productNames();
    const krueger = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await krueger.says(MESSY_POST);
    krueger.doesNotHear(/diese woche hab ich: senfgurken \(/i);
    krueger.doesNotHear(/Gruß vom Hof/);
    await krueger.says('ja');
    expect(await productNames()).toEqual(before);
    expect(await offerOf(h, 'Senfgurken')).toMatchObject({ available: 40, priceCents: 350 });
    expect(await offerOf(h, 'Dillgurken')).toMatchObject({ available: 20, priceCents: 340 });

    const anna = h.person('telegram', '6950');
    await register(anna, 'de');
    const code = await placeOrder(anna, 'de', '2 Gläser Senfgurken');
    const [order] = (await exportOrders(h.app.database.repositories, 1)).filter((row) => row.code === code);
    expect(order.items).toEqual([expect.objectContaining({ product: 'Senfgurken', quantity: 2 })]);
    await krueger.says('Was wurde bestellt?');
    krueger.hears(/• 2 Gläser Senfgurken/);
    krueger.doesNotHear(/diese woche/i);
  });

  it('in German: setting the junk line of an earlier post to 0 zeroes that line\'s product, never the real Senfgurken', async () => {
    const repos = h.app.database.repositories;
    const krueger = (await repos.producers.findByTelegramId(DEMO_PRODUCER_IDENTITY.telegramId))!;
    const junk = await repos.products.add({ producerId: krueger.id, name: JUNK, category: 'vegetables', unit: 'jar' });
    await repos.offers.upsert(1, junk.id, { priceCents: 350, available: 40, step: 1, maxPerOrder: null });

    const producer = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await producer.says(`${JUNK} 0`);
    if (/Soll ich/.test(producer.text)) await producer.says('ja');
    expect(await offerOf(h, 'Senfgurken')).toMatchObject({ available: 40, priceCents: 390 });
    expect(await offerOf(h, JUNK)).toMatchObject({ available: 0 });
  });

  it('in German: a name that is not exactly the product\'s ("Senfgurke") changes nothing and asks for the exact name', async () => {
    const krueger = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await krueger.says('Senfgurke ausverkauft');
    krueger.hears(/Meinen Sie Senfgurken\? Bitte schreiben Sie den genauen Namen/);
    await krueger.says('Gurken 0');
    krueger.hears(/Meinen Sie .*Senfgurken.*\?/);
    expect(await offerOf(h, 'Senfgurken')).toMatchObject({ available: 40 });
    expect((await offerOf(h, 'Salzgurken')).available).toBe(30);
  });

  it('in English: "Honig is out" from the beekeeper, who has four honeys and none called Honig, changes none of them', async () => {
    const buder = h.person('whatsapp', '+49336710000105');
    await buder.says('Hello');
    await buder.says('Honig sold out');
    buder.hears(/Do you mean Blütenhonig, Lindenhonig, Rapshonig and Waldhonig\? Please write the exact name/);
    for (const honey of ['Blütenhonig', 'Waldhonig', 'Rapshonig', 'Lindenhonig']) expect((await offerOf(h, honey)).available).toBeGreaterThan(0);
  });
});
