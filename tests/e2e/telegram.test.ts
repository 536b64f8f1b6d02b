/**
 * Telegram end to end: updates POSTed to the real webhook of the real app,
 * answers read back from the Bot API double, buttons pressed with the
 * callback_data of the inline keyboards the bot actually sent.
 */
import type { Update, User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orderCodeIn, startE2e, WEBHOOK_SECRET, type E2e } from './app.ts';
import { TelegramUser } from './telegram-user.ts';

const ANNA: User = { id: 5011, is_bot: false, first_name: 'Anna', language_code: 'de' };

let e2e: E2e;
let anna: TelegramUser;
beforeEach(async () => {
  e2e = await startE2e();
  anna = new TelegramUser(e2e, ANNA);
});
afterEach(async () => { await e2e.dispose(); });

/** Hallo → consent → name → pickup point by location. */
async function signUp() {
  await anna.says('/start');
  anna.hears(/Willkommen beim Marktboten/);
  await anna.presses(/Ja, einverstanden/);
  anna.hears(/Unter welchem Namen/);
  await anna.says('Anna Schulz');
  anna.hears(/Wo möchten Sie abholen/);
  await anna.sharesLocation(51.91, 14.12);
  anna.hears(/Am nächsten bei Ihnen/);
  await anna.presses(/Dorfladen Straupitz/);
  anna.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
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
