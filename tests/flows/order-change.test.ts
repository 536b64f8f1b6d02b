/**
 * Changing a placed order, from the person's side: what the read-back of the change says is what
 * `orders export` holds afterwards — the day, the items — and a change never becomes a second order.
 * Each case was found by a persona run and failed before its fix.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportOrders } from '../../catalog/exports.ts';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';
import { placeOrder, register } from '../helpers/customers.ts';

describe('changing a placed order', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function exported() {
    return exportOrders(h.app.database.repositories, 1);
  }

  /** Meine Bestellungen → the order → Ändern, as a person taps through it. */
  async function startChanging(person: Person, code: string): Promise<void> {
    await person.says('meine Bestellungen');
    await person.taps(new RegExp(code));
    await person.taps(/Ändern/);
    person.hears(new RegExp(`Sie ändern die Bestellung ${code}`));
  }

  it('another pickup day read back and confirmed is the day stored', async () => {
    const petra = h.person('telegram', '8301');
    await register(petra, 'de');
    const code = await placeOrder(petra, 'de', '3 Gläser Senfgurken');
    const before = (await exported()).find((o) => o.code === code)!;
    expect(new Date(before.pickupFrom).getUTCDate()).toBe(4);

    await startChanging(petra, code);
    petra.hears(/Ihre geänderte Bestellung/);
    await petra.taps(/Lieber Sa/);
    petra.hears(/Sa\., 5\.12\./);
    await petra.says('ja');
    petra.hears(new RegExp(`Ihre Bestellung ${code} ist geändert`));
    petra.hears(/5\.12\./);

    const orders = await exported();
    expect(orders.filter((o) => o.status === 'placed')).toHaveLength(1);
    const after = orders.find((o) => o.code === code)!;
    expect(new Date(after.pickupFrom).toISOString().slice(0, 10)).toBe('2026-12-05');
    expect(after.items.map((i) => [i.product, i.quantity])).toEqual([['Senfgurken', 3]]);
  });

  it('"nimm die Eier raus" takes out the eggs of the order, whichever pack they are', async () => {
    const petra = h.person('telegram', '8302');
    await register(petra, 'de');
    const code = await placeOrder(petra, 'de', '1 Bauernbrot und 1 Packung Eier 6 Stück');
    await startChanging(petra, code);
    await petra.says('nimm die Eier raus');
    petra.hears(/Herausgenommen/);
    await petra.says('bestellen');
    await petra.says('ja');
    const after = (await exported()).find((o) => o.code === code)!;
    expect(after.items.map((i) => i.product)).toEqual(['Bauernbrot']);
  });

  it('"Nein, noch ändern" does not claim that nothing was ordered', async () => {
    const petra = h.person('telegram', '8303');
    await register(petra, 'de');
    const code = await placeOrder(petra, 'de', '2 Gläser Senfgurken');
    await startChanging(petra, code);
    await petra.taps(/Nein/);
    petra.doesNotHear(/noch nichts bestellt/);
    petra.hears(/Bestellung bleibt, wie sie war/);
    expect((await exported()).find((o) => o.code === code)!.status).toBe('placed');
  });

  it('emptying the basket while changing and ordering again changes the order, never a second one', async () => {
    const petra = h.person('telegram', '8304');
    await register(petra, 'de');
    const code = await placeOrder(petra, 'de', '2 Gläser Senfgurken');
    await startChanging(petra, code);
    await petra.says('Warenkorb');
    await petra.taps(/Korb leeren/);
    petra.hears(/Ihre Bestellung gilt weiter/);
    await petra.says('1 Bauernbrot');
    await petra.says('bestellen');
    petra.hears(/Ihre geänderte Bestellung/);
    await petra.says('ja');
    petra.hears(new RegExp(`Ihre Bestellung ${code} ist geändert`));
    const orders = (await exported()).filter((o) => o.status === 'placed');
    expect(orders.map((o) => [o.code, o.items.map((i) => i.product)])).toEqual([[code, ['Bauernbrot']]]);
  });
  it('"geht auch Samstag?" while changing reads the order back for Saturday, and "ja" stores Saturday', async () => {
    const petra = h.person('telegram', '8305');
    await register(petra, 'de');
    const code = await placeOrder(petra, 'de', '2 Gläser Senfgurken');
    await startChanging(petra, code);
    await petra.says('ich kann Freitag doch nicht abholen, geht auch Samstag?');
    petra.hears(/Sa\., 5\.12\./);
    petra.hears(/Soll ich so bestellen\?/);
    expect(new Date((await exported()).find((o) => o.code === code)!.pickupFrom).getUTCDate()).toBe(4);
    await petra.says('ja');
    petra.hears(new RegExp(`Ihre Bestellung ${code} ist geändert`));
    petra.hears(/5\.12\./);
    const after = (await exported()).find((o) => o.code === code)!;
    expect(new Date(after.pickupFrom).toISOString().slice(0, 10)).toBe('2026-12-05');
    expect(after.items.map((i) => [i.product, i.quantity])).toEqual([['Senfgurken', 2]]);
  });

  it('a day without a pickup there says which days there are, and nothing changes', async () => {
    const petra = h.person('telegram', '8306');
    await register(petra, 'de');
    const code = await placeOrder(petra, 'de', '2 Gläser Senfgurken');
    await startChanging(petra, code);
    await petra.says('lieber am Montag');
    petra.hears(/An dem Tag gibt es dort keine Ausgabe\. Möglich ist: Fr\., 4\.12\./);
    petra.hears(/Soll ich so bestellen\?/);
    expect(new Date((await exported()).find((o) => o.code === code)!.pickupFrom).getUTCDate()).toBe(4);
  });
  it('after ordering, "ich kann Freitag doch nicht abholen, geht auch Samstag?" reads that order back for Saturday', async () => {
    const petra = h.person('telegram', '8307');
    await register(petra, 'de');
    const code = await placeOrder(petra, 'de', '2 Gläser Senfgurken');
    await petra.says('ich kann Freitag doch nicht abholen, geht auch Samstag?');
    petra.doesNotHear(/nicht im Korb/);
    petra.hears(new RegExp(`Sie ändern die Bestellung ${code}`));
    petra.hears(/Sa\., 5\.12\./);
    await petra.says('ja');
    petra.hears(new RegExp(`Ihre Bestellung ${code} ist geändert`));
    const orders = (await exported()).filter((o) => o.status === 'placed');
    expect(orders.map((o) => [o.code, new Date(o.pickupFrom).toISOString().slice(0, 10)])).toEqual([[code, '2026-12-05']]);
  });
  it('"noch 2 Gläser Waldhonig" right after ordering goes into that order when the customer says so, never silently into a second one', async () => {
    const klaus = h.person('telegram', '8308');
    await register(klaus, 'de');
    const code = await placeOrder(klaus, 'de', '3 Gläser Gewürzgurken');
    await klaus.says('noch 2 Gläser Waldhonig');
    await klaus.says('bestellen');
    klaus.hears(new RegExp(`Sie haben diese Woche schon Bestellung ${code}\\. Soll das dazu\\?`));
    await klaus.taps(new RegExp(`Zu Bestellung ${code} dazu`));
    klaus.hears(/Ihre geänderte Bestellung:\n• 3 Gläser Gewürzgurken: [\d,]+\s€\n• 2 Gläser Waldhonig/);
    await klaus.says('ja');
    klaus.hears(new RegExp(`Ihre Bestellung ${code} ist geändert`));
    const placed = (await exported()).filter((o) => o.status === 'placed');
    expect(placed.map((o) => [o.code, o.items.map((i) => `${i.quantity} ${i.product}`).sort()])).toEqual([[code, ['2 Waldhonig', '3 Gewürzgurken']]]);
  });

  it('a second order of the week when the customer chooses it', async () => {
    const klaus = h.person('telegram', '8309');
    await register(klaus, 'de');
    const first = await placeOrder(klaus, 'de', '3 Gläser Gewürzgurken');
    await klaus.says('1 Bauernbrot');
    await klaus.says('bestellen');
    await klaus.taps(/Als neue Bestellung/);
    klaus.hears(/Ihre Bestellung:\n• 1 Stück Bauernbrot/);
    await klaus.says('ja');
    const second = klaus.orderCode();
    const placed = (await exported()).filter((o) => o.status === 'placed');
    expect(placed.map((o) => o.code).sort()).toEqual([first, second].sort());
  });
});
