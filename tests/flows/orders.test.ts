/** My orders: list, change quantities, cancel by code and from the list; after the cutoff, whom to call. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { offerOf, placeOrder, register } from '../helpers/customers.ts';

/** Wednesday 2 December 2026, 18:30 in Berlin: half an hour after the cutoff. */
const AFTER_CUTOFF = new Date('2026-12-02T17:30:00Z');

describe('my orders', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function order(code: string) {
    return (await h.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code)!;
  }

  it('in German: lists orders, changes a quantity, cancels from the list', async () => {
    const anna = h.person('telegram', '6601');
    await register(anna, 'de');
    const code = await placeOrder(anna, 'de', '3 Gläser Senfgurken');
    // Looked at something else in between: "doch lieber 5" must still mean the order's line.
    await anna.says('Waldhonig');
    await anna.says('abbrechen');
    await anna.says('meine Bestellungen');
    anna.hears(new RegExp(`Ihre Bestellungen:\\n• Nr\\. ${code}: Abholung Fr\\., 4\\.12\\., 11,70\\s€`));
    await anna.taps(new RegExp(code));
    anna.hears(new RegExp(`Bestellung ${code}:\\n• 3 Gläser Senfgurken: 11,70\\s€`));
    await anna.says('ändern');
    anna.hears(new RegExp(`Sie ändern die Bestellung ${code}`));
    await anna.says('doch lieber 5');
    anna.hears(/Geändert: jetzt 5 Gläser Senfgurken/);
    await anna.says('bestellen');
    anna.hears(/Ihre geänderte Bestellung:\n• 5 Gläser Senfgurken: 19,50\s€/);
    await anna.says('ja');
    anna.hears(new RegExp(`Ihre Bestellung ${code} ist geändert\\. Abholung am Fr\\., 4\\.12\\. von [^.]+ bis [^.]+\\. Zusammen jetzt 19,50\\s€`));
    expect((await order(code)).items[0].quantity).toBe(5);

    await anna.says('meine Bestellungen');
    await anna.taps(new RegExp(code));
    await anna.taps(/Stornieren/);
    anna.hears(new RegExp(`Soll ich die Bestellung ${code} wirklich stornieren\\?`));
    await anna.says('ja');
    anna.hears(new RegExp(`Die Bestellung ${code} ist storniert`));
    expect((await order(code)).status).toBe('cancelled');
    await anna.says('meine Bestellungen');
    anna.hears(/Sie haben gerade keine offenen Bestellungen/);
  });

  it('in English: lists orders, changes a quantity, cancels by code', async () => {
    const emma = h.person('telegram', '6602');
    await register(emma, 'en');
    const before = (await offerOf(h, 'Senfgurken')).available;
    const code = await placeOrder(emma, 'en', '3 jars of Senfgurken');
    await emma.says('my orders');
    emma.hears(new RegExp(`Your orders:\\n• No\\. ${code}: pick-up Fri 4 Dec, €11\\.70`));
    await emma.taps(new RegExp(code));
    await emma.taps(/Change/);
    emma.hears(new RegExp(`You are changing order ${code}`));
    await emma.says('make it 2');
    emma.hears(/Changed: now 2 jars of Senfgurken/);
    await emma.says('checkout');
    await emma.says('yes');
    emma.hears(new RegExp(`Your order ${code} has been changed\\. Pickup on Fri 4 Dec from [^.]+ to [^.]+\\. The total is now €7\\.80`));

    await emma.says(`cancel order ${code}`);
    emma.hears(new RegExp(`Do you really want me to cancel order ${code}\\?`));
    await emma.says('yes');
    emma.hears(new RegExp(`Order ${code} has been cancelled`));
    expect((await order(code)).status).toBe('cancelled');
    expect((await offerOf(h, 'Senfgurken')).available).toBe(before);
  });

  it('in German: after the cutoff a change or cancellation is "nicht mehr möglich", with the office number', async () => {
    const anna = h.person('telegram', '6603');
    await register(anna, 'de');
    const code = await placeOrder(anna, 'de', '3 Gläser Senfgurken');
    h.clock.set(AFTER_CUTOFF);
    await anna.says('meine Bestellungen');
    await anna.taps(new RegExp(code));
    await anna.taps(/Ändern/);
    anna.hears(/nicht mehr möglich: Der Bestellschluss für diese Woche ist vorbei\. Bei Fragen rufen Sie bitte \+4935461999999 an/);
    await anna.says(`storniere ${code}`);
    await anna.says('ja');
    anna.hears(/nicht mehr möglich/);
    anna.hears(/\+4935461999999/);
    expect((await order(code)).status).toBe('placed');
  });

  it('in English: after the cutoff a change or cancellation is no longer possible, with the office number', async () => {
    const emma = h.person('telegram', '6604');
    await register(emma, 'en');
    const code = await placeOrder(emma, 'en', '3 jars of Senfgurken');
    h.clock.set(AFTER_CUTOFF);
    await emma.says(`cancel order ${code}`);
    await emma.says('yes');
    emma.hears(/that's no longer possible: ordering for this week has closed\. If you have any questions, please call \+4935461999999/);
    await emma.says('change my order');
    emma.hears(/no longer possible/);
    expect((await order(code)).status).toBe('placed');
  });
  it('in German: a "Ja" left on the question about another order cancels nothing', async () => {
    const anna = h.person('telegram', '6604');
    await register(anna, 'de');
    const first = await placeOrder(anna, 'de', '1 Glas Senfgurken');
    const second = await placeOrder(anna, 'de', '1 Glas Dillgurken');
    await anna.says(`Bestellung ${first} stornieren`);
    anna.hears(new RegExp(`Soll ich die Bestellung ${first} wirklich stornieren\\?`));
    const firstYes = anna.last!.choices.find((c) => /stornieren/i.test(c.label))!;
    await anna.says('nein');
    await anna.says(`Bestellung ${second} stornieren`);
    anna.hears(new RegExp(`Soll ich die Bestellung ${second} wirklich stornieren\\?`));

    await anna.pressesRaw(firstYes.id);
    anna.hears(new RegExp(`^Diese Auswahl ist nicht mehr aktuell\\.\\nSoll ich die Bestellung ${second} wirklich stornieren\\?`));
    expect((await order(first)).status).toBe('placed');
    expect((await order(second)).status).toBe('placed');

    await anna.taps(/stornieren/i);
    anna.hears(new RegExp(`Die Bestellung ${second} ist storniert`));
    expect((await order(first)).status).toBe('placed');
    expect((await order(second)).status).toBe('cancelled');
  });
});
