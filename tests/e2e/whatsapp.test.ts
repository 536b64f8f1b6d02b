/**
 * WhatsApp end to end: signed Twilio webhooks into the real app, answers read
 * from the TwiML `<Message>` bodies, and after the first "Hallo" the customer
 * only ever answers with the number of a listed choice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orderCodeIn, sid, startE2e, type E2e } from './app.ts';
import { WhatsAppCustomer } from './whatsapp-customer.ts';

const BERND = '+4915100000042';

let e2e: E2e;
let bernd: WhatsAppCustomer;
beforeEach(async () => {
  e2e = await startE2e();
  bernd = new WhatsAppCustomer(e2e, BERND, 'Bernd');
});
afterEach(async () => { await e2e.dispose(); });

/** Hallo, then numbers only: consent, the WhatsApp profile name, Dorfladen Straupitz. */
async function signUp(customer: WhatsAppCustomer) {
  await customer.writes('Hallo');
  customer.hears(/Willkommen beim Marktboten[\s\S]*1\) Ja, einverstanden/);
  await customer.picks(/Ja, einverstanden/);
  customer.hears(new RegExp(`Unter welchem Namen[\\s\\S]*1\\) Als ${customer.profileName}`));
  await customer.picks(new RegExp(`Als ${customer.profileName}`));
  customer.hears(/Wo möchten Sie abholen/);
  await customer.picks(/^Dorfladen Straupitz/);
  customer.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
}

/** Hallo, then numbers only, up to the question "Soll ich so bestellen?". */
async function fillBasket() {
  await signUp(bernd);
  await bernd.picks(/Angebot der Woche/);
  await bernd.picks(/^Honig/);
  bernd.hears(/Was darf es sein/);
  await bernd.picks(/./);
  bernd.hears(/Wie viele möchten Sie/);
  await bernd.picks(/^1 /);
  bernd.hears(/in den Korb gelegt/);
  await bernd.picks(/^Bestellen$/);
  bernd.hears(/Soll ich so bestellen\?[\s\S]*\d\) Ja, bestellen/);
}

describe('WhatsApp, end to end with the real engine', () => {
  it('takes a whole order answered with numbers only', async () => {
    await fillBasket();
    await bernd.picks(/Ja, bestellen/);
    bernd.hears(/Ihre Bestellung ist aufgegeben/);

    const code = orderCodeIn(bernd.last.join('\n'));
    expect(code, bernd.transcript.join('\n')).toMatch(/^\d{4,6}$/);
    const orders = await e2e.ordersOf({ kind: 'whatsapp', value: BERND });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ code, channel: 'whatsapp', status: 'placed' });
    // Only numbers went in after the greeting.
    const inputs = bernd.transcript.filter((line) => line.startsWith('> ')).slice(1);
    expect(inputs.every((line) => /^> \d+$/.test(line))).toBe(true);
  });

  it('places nothing on a number sent again to a read-back that changed meanwhile, until the new one is read', async () => {
    const offers = e2e.app.database.repositories.offers;
    const senfgurken = async () => (await offers.list(1, { inStock: false })).find((o) => o.productName === 'Senfgurken')!;
    await offers.update((await senfgurken()).id, { available: 5 });
    await signUp(bernd);
    await bernd.writes('3 Gläser Senfgurken');
    await bernd.picks(/^Bestellen$/);
    bernd.hears(/3 Gläser Senfgurken[\s\S]*Soll ich so bestellen\?/);
    const yes = bernd.numberOf(/Ja, bestellen/);

    const clara = new WhatsAppCustomer(e2e, '+4915100000043', 'Clara');
    await signUp(clara);
    await clara.writes('4 Gläser Senfgurken');
    await clara.picks(/^Bestellen$/);
    await clara.picks(/Ja, bestellen/);
    clara.hears(/Ihre Bestellung ist aufgegeben/);
    expect((await senfgurken()).available).toBe(1);

    // Bernd sends his "yes" number twice, the second before the answer to the first has arrived.
    await bernd.writes(yes);
    bernd.hears(/Inzwischen hat sich etwas geändert:\n• Senfgurken: nur noch 1 Glas da[\s\S]*1 Glas Senfgurken: 3,90\s€[\s\S]*Soll ich so bestellen\?/);
    await bernd.writes(yes);
    bernd.hears(/^Diese Auswahl ist nicht mehr aktuell\.\s+Ihre Bestellung:\n• 1 Glas Senfgurken: 3,90\s€[\s\S]*Soll ich so bestellen\?/);
    expect(await e2e.ordersOf({ kind: 'whatsapp', value: BERND })).toEqual([]);

    e2e.clock.advance(10_000);
    await bernd.picks(/Ja, bestellen/);
    bernd.hears(/Ihre Bestellung ist aufgegeben/);
    const orders = await e2e.ordersOf({ kind: 'whatsapp', value: BERND });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'placed', totalCents: 390, items: [{ productName: 'Senfgurken', quantity: 1 }] });
  });

  it('places no second order when Twilio re-delivers the confirming message', async () => {
    await fillBasket();
    const yes = bernd.last.join('\n').split('\n').find((line) => /^\d+\) Ja, bestellen/.test(line))!;
    const number = yes.slice(0, yes.indexOf(')'));
    await bernd.writes(number, sid('SM', 500));
    expect(await e2e.orders()).toHaveLength(1);

    const again = await bernd.writes(number, sid('SM', 500));
    expect(again).toEqual([]);
    expect(await e2e.orders()).toHaveLength(1);
  });
});
