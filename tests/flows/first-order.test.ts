import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';

describe('a new customer on Telegram, in German', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('goes from "Hallo" to a placed order', async () => {
    const anna = h.person('telegram', '5001');
    await anna.says('Hallo');
    anna.hears(/Willkommen/);
    anna.hears(/einverstanden/i);
    await anna.says('ja');
    anna.hears(/Namen/);
    await anna.says('Anna Schulz');
    anna.hears(/Wo möchten Sie abholen/);
    await anna.says('ich wohne in Straupitz');
    anna.hears(/Am nächsten bei Straupitz/);
    await anna.taps(/Dorfladen Straupitz/);
    anna.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
    await anna.says('2 Gläser Senfgurken und ein Pfund Quark');
    anna.hears(/2 Gläser Senfgurken in den Korb/);
    anna.hears(/Welche meinen Sie/);
    await anna.taps(/Speisequark 40/);
    anna.hears(/Im Korb: 2 Produkte/);
    await anna.says('bestellen');
    anna.hears(/Ihre Bestellung:/);
    anna.hears(/Dorfladen Straupitz/);
    anna.hears(/Bezahlt wird bei der Abholung/);
    await anna.says('ja');
    anna.hears(/Ihre Bestellung ist aufgegeben/);
    const code = anna.orderCode();
    const orders = await h.app.database.repositories.orders.listByCycle(1);
    expect(orders.map((o) => o.code)).toContain(code);
    const order = orders.find((o) => o.code === code)!;
    expect(order.items.map((i) => [i.productName, i.quantity]).sort()).toEqual([['Senfgurken', 2], ['Speisequark 40 %', 1]].sort());
  });
});
