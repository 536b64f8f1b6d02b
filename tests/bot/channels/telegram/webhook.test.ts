/**
 * The Telegram channel end to end: updates POSTed to the webhook, replies read
 * from the Bot API double, with a fake turn handler in place of the engine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET, startTelegramHarness, type TelegramHarness } from './harness.ts';
import { ANNA, PAUL, callbackUpdate, messageUpdate } from './updates.ts';

let h: TelegramHarness;
beforeEach(async () => { h = await startTelegramHarness(); });
afterEach(async () => { await h.close(); });

/** What the user sees, after Telegram parsed our HTML (the double refuses HTML Telegram would refuse). */
const texts = (chatId = ANNA.id) => h.api.sent(chatId);
/** The parameters of the accepted sendMessage calls to the chat, as our code sent them. */
const sentParams = (chatId = ANNA.id) => h.api.calls
  .filter((call) => call.method === 'sendMessage' && call.ok && call.chatId === chatId)
  .map((call) => call.params);
const methods = () => h.api.calls.map((call) => call.method);

describe('conversation', () => {
  it('answers /start through sendMessage, with our bold as HTML', async () => {
    const response = await h.post(messageUpdate(1, { text: '/start' }));
    expect(response.statusCode).toBe(200);
    expect(h.turn.calls[0].event.payload).toEqual({ type: 'start' });
    expect(h.turn.calls[0].options).toEqual({ deliveryKey: 'telegram:update:1', medium: 'written' });
    expect(sentParams()).toMatchObject([{ text: 'Willkommen beim <b>Marktboten</b>!', parse_mode: 'HTML' }]);
    expect(texts()).toEqual(['Willkommen beim Marktboten!']);
    // The turn handler counts the turn (tests/e2e/metrics.test.ts); the channel must not count it again.
    expect(h.metrics.turns).toHaveLength(0);
  });

  it('gives the user back what they wrote, escaped for HTML', async () => {
    await h.post(messageUpdate(1, { text: '<b>Senf & Gurken</b>' }));
    expect(sentParams()[0].text).toBe('Sie schrieben: &lt;b&gt;Senf &amp; Gurken&lt;/b&gt;');
    expect(texts()).toEqual(['Sie schrieben: <b>Senf & Gurken</b>']);
  });

  it('offers choices as an inline keyboard and turns a press into a choice', async () => {
    await h.post(messageUpdate(1, { text: 'wahl' }));
    expect(sentParams()[0].reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Gurken', callback_data: 'offer:1' }, { text: 'Leinöl', callback_data: 'offer:2' }]],
    });
    await h.post(callbackUpdate(2, 'offer:2'));
    expect(h.api.answeredCallbackQueries()).toEqual(['cq-2']);
    expect(h.turn.calls[1].event.payload).toEqual({ type: 'choice', id: 'offer:2' });
    expect(texts()[1]).toBe('Gewählt: offer:2');
  });

  it('takes the answered keyboard off its message; a second press of it, answered too, finds it gone', async () => {
    await h.post(messageUpdate(1, { text: 'wahl' }));
    const [offered] = h.api.messages(ANNA.id);
    expect(offered.reply_markup).toBeDefined();
    // Both presses left the client before the keyboard went away: each carries the message as it was.
    await h.post(callbackUpdate(2, 'offer:1', ANNA, offered));
    await h.post(callbackUpdate(3, 'offer:2', ANNA, offered));
    expect(h.api.messages(ANNA.id)[0]).toEqual({ message_id: offered.message_id, text: 'Was darf es sein?' });
    expect(h.api.calls.filter((call) => call.method === 'editMessageReplyMarkup').map((call) => [call.params, call.ok])).toEqual([
      [{ chat_id: ANNA.id, message_id: offered.message_id }, true],
      [{ chat_id: ANNA.id, message_id: offered.message_id }, false],
    ]);
    expect(texts()).toEqual(['Was darf es sein?', 'Gewählt: offer:1', 'Gewählt: offer:2']);
    expect(h.metrics.errors).toEqual([]);
  });

  it('leaves a message without a keyboard alone', async () => {
    await h.post(callbackUpdate(1, 'offer:1'));
    expect(methods()).not.toContain('editMessageReplyMarkup');
    expect(texts()).toEqual(['Gewählt: offer:1']);
  });

  it('still answers when the keyboard cannot be taken away, and counts it', async () => {
    await h.post(messageUpdate(1, { text: 'wahl' }));
    const [offered] = h.api.messages(ANNA.id);
    h.api.failNext('editMessageReplyMarkup', { error_code: 400, description: 'Bad Request: MESSAGE_ID_INVALID' });
    await h.post(callbackUpdate(2, 'offer:1', ANNA, offered));
    expect(texts()).toEqual(['Was darf es sein?', 'Gewählt: offer:1']);
    expect(h.metrics.errors).toEqual(['keyboard_retire']);
  });

  it('keeps the keyboard when the turn failed, so the press can be tried again', async () => {
    await h.post(messageUpdate(1, { text: 'wahl' }));
    const [offered] = h.api.messages(ANNA.id);
    await h.post(callbackUpdate(2, 'kaputt', ANNA, offered));
    expect(texts()).toEqual(['Was darf es sein?', expect.stringContaining('Entschuldigung')]);
    expect(h.api.messages(ANNA.id)[0].reply_markup).toBeDefined();
  });

  it('answers a stale button without data and does not start a turn', async () => {
    await h.post(callbackUpdate(1, undefined));
    const answer = h.api.calls.find((call) => call.method === 'answerCallbackQuery');
    expect(answer?.params).toMatchObject({ callback_query_id: 'cq-1', text: expect.stringContaining('nicht mehr aktuell') });
    expect(h.turn.calls).toHaveLength(0);
  });

  it('answers the button press even when the turn is a duplicate', async () => {
    await h.post(callbackUpdate(7, 'offer:1'));
    await h.post(callbackUpdate(7, 'offer:1'));
    expect(h.api.answeredCallbackQueries()).toEqual(['cq-7', 'cq-7']);
    expect(texts()).toEqual(['Gewählt: offer:1']);
  });

  it('asks for the phone with a request_contact keyboard', async () => {
    await h.post(messageUpdate(1, { text: 'nummer' }));
    expect(sentParams()[0].reply_markup).toMatchObject({
      keyboard: [[{ text: 'Telefonnummer teilen', request_contact: true }]],
      one_time_keyboard: true,
    });
  });

  it('takes a shared contact in E.164, tells own from foreign, and removes the keyboard', async () => {
    await h.post(messageUpdate(1, { contact: { phone_number: '491511234567', first_name: 'Anna', user_id: ANNA.id } }));
    await h.post(messageUpdate(2, { contact: { phone_number: '+491609876543', first_name: 'Paul', user_id: PAUL.id } }));
    expect(h.turn.calls.map((call) => call.event.payload)).toEqual([
      { type: 'contact', phone: '+491511234567', own: true },
      { type: 'contact', phone: '+491609876543', own: false },
    ]);
    expect(sentParams()[0]).toMatchObject({ text: 'Danke, +491511234567', reply_markup: { remove_keyboard: true } });
    expect(texts()[1]).toBe('Danke, +491609876543 (fremd)');
  });

  it('takes a location', async () => {
    await h.post(messageUpdate(1, { location: { latitude: 51.8671, longitude: 14.0297 } }));
    expect(h.turn.calls[0].event.payload).toEqual({ type: 'location', lat: 51.8671, lon: 14.0297 });
  });

  it('hands an edited message on as an edit, not as the words it now has', async () => {
    const edited = { update_id: 9, edited_message: messageUpdate(9, { text: 'Gurken' }).message };
    expect((await h.post(edited)).statusCode).toBe(200);
    expect(h.turn.calls.map((call) => call.event.payload)).toEqual([{ type: 'unsupported', kind: 'edit' }]);
  });

  it('splits a long reply into messages below 4,096 characters', async () => {
    await h.post(messageUpdate(1, { text: 'liste' }));
    const sent = sentParams().map((params) => String(params.text));
    expect(sent.length).toBeGreaterThan(1);
    for (const text of sent) expect(text.length).toBeLessThan(4096);
    expect(sent.join('\n')).toContain('400. <b>Senfgurken</b> aus Lübbenau &amp; Umgebung');
    expect(texts()).toHaveLength(sent.length);
  });

  it('apologises when the turn fails, and counts the error', async () => {
    const response = await h.post(messageUpdate(1, { text: 'kaputt' }));
    expect(response.statusCode).toBe(200);
    expect(texts()).toEqual([expect.stringContaining('Entschuldigung')]);
    expect(h.metrics.errors).toContain('turn');
  });
});

describe('security', () => {
  it.each([
    ['a wrong secret', { 'x-telegram-bot-api-secret-token': 'falsch' }],
    ['no secret', {}],
    ['a secret one character short', { 'x-telegram-bot-api-secret-token': SECRET.slice(0, -1) }],
  ])('refuses %s with 401 and no turn', async (_name, headers) => {
    const response = await h.post(messageUpdate(1, { text: 'Gurken' }), headers);
    expect(response.statusCode).toBe(401);
    expect(h.turn.calls).toHaveLength(0);
    expect(h.api.calls).toHaveLength(0);
  });

  it('refuses before reading the body, even a malformed one', async () => {
    expect((await h.post('{nicht json', { 'x-telegram-bot-api-secret-token': 'falsch' })).statusCode).toBe(401);
  });

  it('lets a redelivered update have no effect', async () => {
    await h.post(messageUpdate(5, { text: 'Gurken' }));
    await h.post(messageUpdate(5, { text: 'Gurken' }));
    expect(h.turn.calls.map((call) => call.options.deliveryKey)).toEqual(['telegram:update:5', 'telegram:update:5']);
    expect(texts()).toEqual(['Sie schrieben: Gurken']);
  });

  it.each([
    ['malformed JSON', '{"update_id": 1,'],
    ['no update_id', { message: { text: 'x' } }],
    ['a fractional update_id', { update_id: 1.5 }],
    ['an array', [1, 2]],
    ['a huge body', JSON.stringify({ update_id: 1, padding: 'x'.repeat(300 * 1024) })],
  ])('answers %s with 4xx, never 500', async (_name, body) => {
    const response = await h.post(body);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(h.turn.calls).toHaveLength(0);
  });

  it('truncates a 10,000-character text before the engine sees it', async () => {
    const response = await h.post(messageUpdate(1, { text: 'G'.repeat(10_000) }));
    expect(response.statusCode).toBe(200);
    const payload = h.turn.calls[0].event.payload;
    expect(payload.type === 'text' && payload.text.length).toBe(4096);
    for (const text of texts()) expect(text.length).toBeLessThan(4096);
  });

  it('strips control characters before the engine sees them', async () => {
    await h.post(messageUpdate(1, { text: 'Gur\u0000ken\u001b[31m\nbitte' }));
    expect(h.turn.calls[0].event.payload).toEqual({ type: 'text', text: 'Gurken[31m\nbitte' });
  });
});

describe('flood', () => {
  it('tells a flooding sender once and keeps serving the others', async () => {
    for (let i = 1; i <= 25; i++) await h.post(messageUpdate(i, { text: `Nachricht ${i}` }));
    await h.post(messageUpdate(100, { text: 'Hallo' }, {}, PAUL));

    expect(h.turn.calls.filter((call) => call.event.conversationKey === `telegram:${ANNA.id}`)).toHaveLength(20);
    const floodNotices = texts().filter((text) => text.includes('sehr viele Nachrichten'));
    expect(floodNotices).toHaveLength(1);
    expect(texts(PAUL.id)).toEqual(['Sie schrieben: Hallo']);

    h.limiter.nextWindow();
    await h.post(messageUpdate(200, { text: 'wieder da' }));
    expect(texts().at(-1)).toBe('Sie schrieben: wieder da');
  });
});

describe('Bot API trouble', () => {
  it('retries after a 429 and the message arrives', async () => {
    h.api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const response = await h.post(messageUpdate(1, { text: 'Gurken' }));
    expect(response.statusCode).toBe(200);
    expect(texts()).toEqual(['Sie schrieben: Gurken']);
    expect(methods().filter((method) => method === 'sendMessage').length).toBeGreaterThanOrEqual(2);
  });

  it('apologises when the Bot API refuses a reply', async () => {
    h.api.failNext('sendMessage', { error_code: 400, description: 'Bad Request: message is too long' });
    await h.post(messageUpdate(1, { text: 'Gurken' }));
    expect(texts()).toEqual([expect.stringContaining('Entschuldigung')]);
    expect(h.metrics.errors).toEqual(['send']);
    expect(h.metrics.outbound).toEqual(['failed', 'sent']);
  });

  it('stays calm when the user has blocked the bot', async () => {
    h.api.blockChat(ANNA.id);
    const response = await h.post(messageUpdate(1, { text: 'Gurken' }));
    expect(response.statusCode).toBe(200);
    expect(h.metrics.outbound).toEqual(['failed']);
    expect(texts()).toEqual([]);
  });
});
