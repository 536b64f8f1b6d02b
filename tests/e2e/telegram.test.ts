/**
 * Telegram end to end: updates POSTed to the real webhook of the real app,
 * answers read back from the Bot API double, buttons pressed with the
 * callback_data of the inline keyboards the bot actually sent.
 */
import type { Update, User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../bot/jobs/index.ts';
import { orderCodeIn, startE2e, WEBHOOK_SECRET, type E2e } from './app.ts';
import { TelegramUser } from './telegram-user.ts';

const ANNA: User = { id: 5011, is_bot: false, first_name: 'Anna', language_code: 'de' };
const BERND: User = { id: 5012, is_bot: false, first_name: 'Bernd', language_code: 'de' };

let e2e: E2e;
let anna: TelegramUser;
beforeEach(async () => {
  e2e = await startE2e();
  anna = new TelegramUser(e2e, ANNA);
});
afterEach(async () => { await e2e.dispose(); });

/** Hallo → consent → name → pickup point by location. */
async function signUp(person = anna, name = 'Anna Schulz') {
  await person.says('/start');
  person.hears(/Willkommen beim Marktboten/);
  await person.presses(/Ja, einverstanden/);
  person.hears(/Unter welchem Namen/);
  await person.says(name);
  person.hears(/Wo möchten Sie abholen/);
  await person.sharesLocation(51.91, 14.12);
  person.hears(/Am nächsten bei Ihnen/);
  await person.presses(/Dorfladen Straupitz/);
  person.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
}

/** How much of a product is left this week, as stored. */
async function available(productName: string): Promise<number> {
  const offers = await e2e.app.database.repositories.offers.list(1, { inStock: false });
  return offers.find((offer) => offer.productName === productName)!.available;
}

/** Sets what is left of a product, as its producer would. */
async function setStock(productName: string, left: number): Promise<void> {
  const offers = await e2e.app.database.repositories.offers.list(1, { inStock: false });
  await e2e.app.database.repositories.offers.update(offers.find((offer) => offer.productName === productName)!.id, { available: left });
}

/** Another customer buys `items` through the bot, start to finish. */
async function berndBuys(items: string) {
  const bernd = new TelegramUser(e2e, BERND);
  await signUp(bernd, 'Bernd Kaiser');
  await bernd.says(items);
  await bernd.presses(/^Bestellen$/);
  await bernd.presses(/Ja, bestellen/);
  bernd.hears(/Ihre Bestellung ist aufgegeben/);
}

describe('Telegram, end to end with the real engine', () => {
  it('takes a whole order with buttons: consent, name, location, browse, quantity, confirm', async () => {
    await signUp();
    await anna.taps(/Angebot der Woche/);
    await anna.presses(/Spreewälder Gurken/);
    anna.hears(/Was darf es sein/);
    await anna.presses(/Dillgurken/);
    anna.hears(/Wie viele möchten Sie/);
    await anna.presses(/^2 Gläser/);
    anna.hears(/2 Gläser Dillgurken in den Korb gelegt/);
    await anna.presses(/^Bestellen$/);
    anna.hears(/Soll ich so bestellen/);
    await anna.presses(/Ja, bestellen/);

    const code = orderCodeIn(anna.received().join('\n'));
    expect(code, anna.transcript.join('\n')).toMatch(/^\d{4,6}$/);
    const orders = await e2e.ordersOf({ kind: 'telegram', value: String(ANNA.id) });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ code, channel: 'telegram', status: 'placed', totalCents: 680 });
    expect(orders[0].items).toMatchObject([{ quantity: 2 }]);
    // Every button press was answered, so the user's client stops its spinner.
    expect(e2e.api.answeredCallbackQueries().length).toBeGreaterThanOrEqual(7);
  });

  it('does nothing twice when Telegram re-delivers the confirming update', async () => {
    await signUp();
    await anna.taps(/Angebot der Woche/);
    await anna.presses(/Spreewälder Gurken/);
    await anna.presses(/Senfgurken/);
    await anna.presses(/^1 Glas/);
    await anna.presses(/^Bestellen$/);
    const confirm = anna.buttons().find((button) => /Ja, bestellen/.test(button.text));
    expect(confirm?.callback_data).toBeDefined();
    const update = {
      update_id: 900,
      callback_query: {
        id: 'cq-900', from: ANNA, chat_instance: 'e2e', data: confirm!.callback_data,
        message: { message_id: 900, date: 0, chat: { id: ANNA.id, type: 'private', first_name: 'Anna' }, text: 'Soll ich so bestellen?' },
      },
    } as Update;

    await anna.post(update);
    const sentAfterFirst = anna.received().length;
    expect((await e2e.orders())).toHaveLength(1);

    const again = await anna.post(update);
    expect(again.statusCode).toBe(200);
    expect(anna.received()).toHaveLength(sentAfterFirst);
    expect(await e2e.orders()).toHaveLength(1);
  });

  it('places nothing on a double tap of "Ja, bestellen" after the stock changed, until the new read-back is confirmed', async () => {
    await setStock('Senfgurken', 5);
    await signUp();
    await anna.says('3 Gläser Senfgurken');
    await anna.presses(/^Bestellen$/);
    anna.hears(/3 Gläser Senfgurken[\s\S]*Soll ich so bestellen/);
    const readBack = anna.keyboardMessage();

    await berndBuys('4 Gläser Senfgurken');
    expect(await available('Senfgurken')).toBe(1);

    // Two taps on the old button: the client sends both before any answer arrives.
    const taps = [anna.press(readBack, /Ja, bestellen/), anna.press(readBack, /Ja, bestellen/)];
    expect(taps[0].update_id).not.toBe(taps[1].update_id);
    await anna.post(taps[0]);
    await anna.post(taps[1]);
    anna.hears(/Inzwischen hat sich etwas geändert:\n• Senfgurken: nur noch 1 Glas da/);
    anna.hears(/1 Glas Senfgurken: 3,90\s€[\s\S]*Soll ich so bestellen\?$/);
    anna.doesNotHear(/Ihre Bestellung ist aufgegeben/);
    expect(await e2e.ordersOf({ kind: 'telegram', value: String(ANNA.id) })).toEqual([]);
    expect(await available('Senfgurken')).toBe(1);
    // The answered read-back shows no buttons any more; the second press found them gone, and nobody apologised.
    expect(anna.messageNow(readBack).reply_markup).toBeUndefined();
    anna.doesNotHear(/Entschuldigung/);

    await anna.presses(/Ja, bestellen/);
    anna.hears(/Ihre Bestellung ist aufgegeben/);
    const orders = await e2e.ordersOf({ kind: 'telegram', value: String(ANNA.id) });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'placed', totalCents: 390, items: [{ productName: 'Senfgurken', quantity: 1 }] });
    expect(await available('Senfgurken')).toBe(0);
  });

  it('answers a button of an earlier read-back with "nicht mehr aktuell" and the current one, and changes nothing', async () => {
    await signUp();
    await anna.says('2 Gläser Senfgurken');
    await anna.presses(/^Bestellen$/);
    const first = anna.keyboardMessage();
    // She writes instead of pressing: the first read-back keeps its buttons on screen.
    await anna.says('noch 1 Glas Dillgurken');
    await anna.presses(/^Bestellen$/);
    anna.hears(/2 Gläser Senfgurken[\s\S]*1 Glas Dillgurken[\s\S]*Soll ich so bestellen\?$/);
    const current = anna.keyboardMessage();
    const stock = { senfgurken: await available('Senfgurken'), dillgurken: await available('Dillgurken') };

    await anna.pressesOn(first, /Ja, bestellen/);
    anna.hears(/Diese Auswahl ist nicht mehr aktuell\.\n\nIhre Bestellung:\n• 2 Gläser Senfgurken: 7,80\s€\n• 1 Glas Dillgurken: 3,40\s€[\s\S]*Soll ich so bestellen\?$/);
    expect(await e2e.ordersOf({ kind: 'telegram', value: String(ANNA.id) })).toEqual([]);
    expect({ senfgurken: await available('Senfgurken'), dillgurken: await available('Dillgurken') }).toEqual(stock);
    expect(anna.messageNow(first).reply_markup).toBeUndefined();
    expect(anna.messageNow(current).reply_markup).toBeDefined();

    await anna.presses(/Ja, bestellen/);
    anna.hears(/Ihre Bestellung ist aufgegeben/);
    const orders = await e2e.ordersOf({ kind: 'telegram', value: String(ANNA.id) });
    expect(orders).toHaveLength(1);
    expect(orders[0].items.map((item) => [item.productName, item.quantity])).toEqual([['Senfgurken', 2], ['Dillgurken', 1]]);
  });

  it('keeps the main menu at hand as a reply keyboard, whose buttons work turns later', async () => {
    await signUp();
    const menu = e2e.api.calls.filter((call) => (call.params.reply_markup as { keyboard?: unknown })?.keyboard).at(-1)!;
    expect(menu.params.reply_markup).toMatchObject({ one_time_keyboard: true, resize_keyboard: true });
    expect(anna.keyboard().map((button) => button.text)).toEqual(['Angebot der Woche', 'Meine Bestellungen', 'Abholstellen', 'Einstellungen']);

    await anna.taps(/Angebot der Woche/);
    await anna.presses(/Spreewälder Gurken/);
    anna.hears(/Was darf es sein/);
    // Deep in the offer the menu's keyboard is still at hand. "Einstellungen" is no word the recogniser
    // knows on its own: the tap counts because it is the label of the menu the chat kept on screen.
    await anna.taps(/Einstellungen/);
    anna.hears(/Einstellungen:/);
    expect(anna.buttons().map((button) => button.text)).toContain('Meine Daten');
  });

  it('refuses an update with the wrong secret and sends nothing', async () => {
    const response = await anna.post(
      { update_id: 1, message: { message_id: 1, date: 0, chat: { id: ANNA.id, type: 'private', first_name: 'Anna' }, from: ANNA, text: 'Hallo' } } as Update,
      'falsches-geheimnis',
    );
    expect(response.statusCode).toBe(401);
    expect(e2e.api.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(0);
  });
});

describe('Telegram, when the Bot API will not take a reply after the turn is done', () => {
  /** How often the customer was told the order is placed, and whether anyone apologised. */
  const confirmations = () => anna.received().filter((text) => /Ihre Bestellung ist aufgegeben/.test(text)).length;

  it('sends the order confirmation later through the outbox, exactly once, and never apologises for an order that was placed', async () => {
    await signUp();
    await anna.says('2 Gläser Senfgurken');
    await anna.presses(/^Bestellen$/);
    // Telegram is down for a while: the answer to the quick send, its one retry, and the outbox's next two tries all fail.
    for (let failure = 0; failure < 4; failure += 1) e2e.api.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });

    const press = anna.press(anna.keyboardMessage(), /Ja, bestellen/);
    const started = performance.now();
    const response = await anna.post(press);
    expect(response.statusCode).toBe(200);
    // The webhook answers in seconds, not after every retry.
    expect(performance.now() - started).toBeLessThan(8000);
    const orders = await e2e.ordersOf({ kind: 'telegram', value: String(ANNA.id) });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'placed' });
    anna.doesNotHear(/Entschuldigung|schiefgegangen/);
    expect(confirmations()).toBe(0);

    // The minute's jobs try again, with backoff, until Telegram takes it.
    for (const wait of [0, 60_000, 120_000, 240_000, 480_000]) {
      e2e.clock.advance(wait);
      await runDueJobs(e2e.app, e2e.clock.now());
    }
    expect(confirmations()).toBe(1);
    anna.hears(new RegExp(`Bestellnummer: ${orders[0].code}`));
    anna.doesNotHear(/Entschuldigung|schiefgegangen/);
    // Telegram re-delivering the press has no second effect either.
    await anna.post(press);
    expect(confirmations()).toBe(1);
    expect(await e2e.ordersOf({ kind: 'telegram', value: String(ANNA.id) })).toHaveLength(1);
  });

  it('takes up a reply its process never sent (it stopped after the commit) and sends it once', async () => {
    await signUp();
    // The turn as a stopped process left it: saved with its reply, which never reached Telegram.
    await e2e.app.turn(
      {
        channel: 'telegram', conversationKey: `telegram:${ANNA.id}`, identity: { kind: 'telegram', value: String(ANNA.id) },
        payload: { type: 'text', text: 'Hilfe' }, receivedAt: e2e.clock.now(),
      },
      {
        deliveryKey: 'telegram:update:999001', medium: 'written',
        keep: (turn) => ({ recipient: { channel: 'telegram', address: String(ANNA.id) }, language: turn.language, messages: [{ text: turn.messages.join('\n\n'), parse_mode: 'HTML' }] }),
      },
    );
    const before = anna.received().length;
    await runDueJobs(e2e.app, e2e.clock.now());
    // A minute is what a live process may still be sending it.
    expect(anna.received()).toHaveLength(before);
    e2e.clock.advance(61_000);
    await runDueJobs(e2e.app, e2e.clock.now());
    expect(anna.received()).toHaveLength(before + 1);
    e2e.clock.advance(61_000);
    await runDueJobs(e2e.app, e2e.clock.now());
    expect(anna.received()).toHaveLength(before + 1);
  });
});
