import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, GrammyError, InlineKeyboard } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBotApiDouble, type BotApiDouble } from './telegram-bot-api.ts';

let api: BotApiDouble;

beforeAll(async () => {
  api = await startBotApiDouble();
});
afterEach(() => api.clear());
afterAll(() => api.close());

interface ApiReply {
  status: number;
  body: { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

type Encoding = 'json' | 'form' | 'query';

/** Calls the double the way an HTTP client would; form and query values must be strings. */
async function call(method: string, params: Record<string, unknown> = {}, encoding: Encoding = 'json', token = api.token): Promise<ApiReply> {
  const url = `${api.apiRoot}/bot${token}/${method}`;
  const asStrings = () => new URLSearchParams(params as Record<string, string>).toString();
  const response =
    encoding === 'query'
      ? await fetch(`${url}?${asStrings()}`)
      : await fetch(url, {
          method: 'POST',
          headers: { 'content-type': encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
          body: encoding === 'json' ? JSON.stringify(params) : asStrings(),
        });
  return { status: response.status, body: (await response.json()) as ApiReply['body'] };
}

const send = (params: Record<string, unknown>) => call('sendMessage', { chat_id: 4711, ...params });
const sendHtml = (text: string) => send({ text, parse_mode: 'HTML' });
const withKeyboard = (reply_markup: unknown) => send({ text: 'Was darf es sein?', reply_markup });
const inlineButton = (button: Record<string, unknown>) => withKeyboard({ inline_keyboard: [[{ text: 'Gurken', ...button }]] });

function expectRefused(reply: ApiReply, status: number, description: string | RegExp): void {
  expect(reply.status).toBe(status);
  expect(reply.body.ok).toBe(false);
  expect(reply.body.error_code).toBe(status);
  expect(reply.body.description).toMatch(description);
}

function expectAccepted(reply: ApiReply): void {
  expect(reply.body).toMatchObject({ ok: true });
  expect(reply.status).toBe(200);
}

describe('routing and authorisation', () => {
  it('answers a known method and refuses an unknown one with 404', async () => {
    expectAccepted(await call('getMe'));
    expectRefused(await call('sendMessageToEveryone', { chat_id: 1 }), 404, /^Not Found$/);
  });

  it('matches method names case-insensitively like the real server', async () => {
    expectAccepted(await call('getme'));
  });

  it('refuses a wrong token with 401', async () => {
    expectRefused(await call('getMe', {}, 'json', '7000000001:AAwrongwrongwrongwrongwrongwrongwrong'), 401, /^Unauthorized$/);
  });

  it('refuses a path that is not /bot<token>/<method>', async () => {
    const response = await fetch(`${api.apiRoot}/getMe`);
    expect(response.status).toBe(404);
  });
});

describe('required fields and primitive types', () => {
  it('refuses a missing chat_id or text and accepts both', async () => {
    expectRefused(await call('sendMessage', { text: 'Hallo' }), 400, /^Bad Request: chat_id is empty$/);
    expectRefused(await call('sendMessage', { chat_id: 4711 }), 400, /^Bad Request: message text is empty$/);
    expectAccepted(await call('sendMessage', { chat_id: 4711, text: 'Hallo' }));
  });

  it.each([
    ['chat_id as Boolean', { chat_id: true }, /chat_id must be of type Integer or String/],
    ['text as Integer', { text: 42 }, /text must be of type String/],
    ['message_thread_id as Float', { message_thread_id: 1.5 }, /message_thread_id must be of type Integer/],
    ['disable_notification as String', { disable_notification: 'yes' }, /disable_notification must be of type Boolean/],
  ])('refuses %s', async (_case, params, description) => {
    expectRefused(await send({ text: 'Hallo', ...params }), 400, description);
  });

  it('accepts the same fields with their proper types, chat_id also as a string', async () => {
    expectAccepted(await send({ chat_id: '4711', text: 'Hallo', message_thread_id: 3, disable_notification: true }));
  });

  it('types form-encoded and query values by the spec', async () => {
    expectAccepted(await call('sendMessage', { chat_id: '4711', text: 'Hallo', disable_notification: 'true' }, 'form'));
    expect(api.calls.at(-1)?.params).toMatchObject({ chat_id: 4711, disable_notification: true });
    expectRefused(await call('sendMessage', { chat_id: '4711', text: 'Hallo', disable_notification: 'vielleicht' }, 'form'), 400, /disable_notification/);
    expectAccepted(await call('sendMessage', { chat_id: '4711', text: 'Hallo' }, 'query'));
    expectRefused(await call('sendMessage', { chat_id: '4711' }, 'query'), 400, /message text is empty/);
  });

  it('refuses broken JSON, non-object bodies and file uploads', async () => {
    const post = (contentType: string, body: string) =>
      fetch(`${api.apiRoot}/bot${api.token}/sendMessage`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect((await post('application/json', '{"chat_id": 1,')).status).toBe(400);
    expect((await post('application/json', '[1, 2]')).status).toBe(400);
    expect((await post('multipart/form-data; boundary=x', '--x--')).status).toBe(400);
  });
});

describe('message text and caption length', () => {
  it('accepts 4096 characters and refuses 4097', async () => {
    expectAccepted(await send({ text: 'a'.repeat(4096) }));
    expectRefused(await send({ text: 'a'.repeat(4097) }), 400, /^Bad Request: message is too long/);
  });

  it('counts characters after HTML parsing: tags are free and an entity is one character', async () => {
    expectAccepted(await sendHtml(`<b>${'a'.repeat(4000)}</b>${'&amp;'.repeat(96)}`));
    expectRefused(await sendHtml(`<b>${'a'.repeat(4000)}</b>${'&amp;'.repeat(97)}`), 400, /message is too long/);
  });

  it('counts an emoji as one character', async () => {
    expectAccepted(await send({ text: '🥒'.repeat(4096) }));
  });

  it('refuses a text that is empty or only whitespace after parsing', async () => {
    expectRefused(await send({ text: '' }), 400, /message text is empty/);
    expectRefused(await sendHtml('<b>  </b>'), 400, /message text is empty/);
  });

  it('limits editMessageText the same way and needs a message to edit', async () => {
    const { message_id } = (await send({ text: 'Soll ich so bestellen?' })).body.result as { message_id: number };
    const edit = (params: Record<string, unknown>) => call('editMessageText', { chat_id: 4711, message_id, ...params });
    expectAccepted(await edit({ text: 'Bestellt' }));
    expectRefused(await edit({ text: 'a'.repeat(4097) }), 400, /message is too long/);
    expectRefused(await edit({}), 400, /message text is empty/);
    expectRefused(await call('editMessageText', { chat_id: 4711, text: 'Bestellt' }), 400, /message identifier is not specified/);
  });

  it('accepts a caption of 1024 characters and refuses 1025', async () => {
    const photo = (caption: string) => call('sendPhoto', { chat_id: 4711, photo: 'AgACAgIAAxkBAAIB', caption });
    expectAccepted(await photo('a'.repeat(1024)));
    expectRefused(await photo('a'.repeat(1025)), 400, /message caption is too long/);
  });
});

describe('parse_mode HTML', () => {
  it('accepts every allowed tag, properly nested, and the allowed entities', async () => {
    const text = [
      '<b>Gurken</b> <strong>Quark</strong> <i>frisch</i> <em>heute</em> <u>nur</u> <ins>hier</ins>',
      '<s>3,50 €</s> <strike>alt</strike> <del>weg</del> <a href="https://spreewald.example/?a=1&amp;b=2">Hof</a>',
      '<code>K-17</code> <pre><code class="language-text">Abholung</code></pre> <span class="tg-spoiler">Überraschung</span>',
      '<tg-spoiler>geheim</tg-spoiler> <tg-emoji emoji-id="5368324170671202286">🥒</tg-emoji>',
      '<blockquote expandable><b><i>Lübbenau</i></b></blockquote> &lt;3 &gt; &quot;Kahn&quot; &#228; &#x1F952;',
    ].join('\n');
    const reply = await sendHtml(text);
    expectAccepted(reply);
    expect(reply.body.result).toMatchObject({ text: expect.stringContaining('K-17 Abholung Überraschung') });
    expect(api.sent(4711).at(-1)).toContain('<3 > "Kahn" ä 🥒');
  });

  it.each([
    ['an unsupported tag', 'Zeile<br>Zeile', /Unsupported start tag "br"/],
    ['an unclosed tag', '<b>Gurken', /Can't find end tag corresponding to start tag "b"/],
    ['crossed tags', '<b><i>Gurken</b></i>', /Unmatched end tag .* expected "<\/i>", found "<\/b>"/],
    ['an end tag without start', 'Gurken</b>', /Unexpected end tag/],
    ['a bare ampersand', 'Gurken & Quark', /"&" must be escaped/],
    ['a bare less-than sign', 'Preis < 3 €', /"<" must be escaped/],
    ['a bare greater-than sign', 'Preis > 3 €', /">" must be escaped/],
    ['an unsupported named entity', 'Gurken&nbsp;Quark', /Unsupported HTML entity "&nbsp;"/],
    ['a link without href', '<a>Hof</a>', /"a" must have attribute "href"/],
    ['a span without the spoiler class', '<span class="rot">Hof</span>', /"span" must have class "tg-spoiler"/],
  ])('refuses %s', async (_case, text, detail) => {
    const reply = await sendHtml(text);
    expectRefused(reply, 400, /^Bad Request: can't parse entities: /);
    expect(reply.body.description).toMatch(detail);
  });

  it('reports the position in UTF-8 bytes like the server', async () => {
    expect((await sendHtml('Käse <br>')).body.description).toMatch(/at byte offset 6$/);
  });

  it('takes the text literally without parse_mode', async () => {
    expectAccepted(await send({ text: 'Gurken & Quark <3' }));
  });

  it('refuses an unknown parse_mode', async () => {
    expectRefused(await send({ text: 'Hallo', parse_mode: 'BBCode' }), 400, /unsupported parse_mode/);
  });
});

describe('reply_markup', () => {
  it('accepts an inline keyboard whose buttons each have text and one action', async () => {
    expectAccepted(
      await withKeyboard({
        inline_keyboard: [[{ text: 'In den Korb', callback_data: 'cart:add:17' }], [{ text: 'Hofladen', url: 'https://spreewald.example' }]],
      }),
    );
  });

  it.each([
    ['a button without text', { inline_keyboard: [[{ callback_data: 'x' }]] }, /inline_keyboard\[0\]\[0\]\.text is required/],
    ['a button without action', { inline_keyboard: [[{ text: 'Gurken' }]] }, /needs exactly one action field besides text, has none/],
    [
      'a button with two actions',
      { inline_keyboard: [[{ text: 'Gurken', callback_data: 'x', url: 'https://spreewald.example' }]] },
      /has url, callback_data/,
    ],
    ['rows that are not arrays', { inline_keyboard: [{ text: 'Gurken', callback_data: 'x' }] }, /inline_keyboard\[0\] must be an Array/],
    ['an object of no markup type', { buttons: [] }, /must be of type InlineKeyboardMarkup or ReplyKeyboardMarkup/],
    ['an unparsable JSON string', '{"inline_keyboard": [[', /reply_markup must be of type/],
  ])('refuses %s', async (_case, markup, description) => {
    expectRefused(await withKeyboard(markup), 400, description);
  });

  it('counts callback_data in UTF-8 bytes: 64 pass, 65 and 0 fail', async () => {
    expectAccepted(await inlineButton({ callback_data: 'ü'.repeat(32) }));
    expectRefused(await inlineButton({ callback_data: `${'ü'.repeat(32)}x` }), 400, /^Bad Request: BUTTON_DATA_INVALID: .* 65 bytes/);
    expectRefused(await inlineButton({ callback_data: '' }), 400, /BUTTON_DATA_INVALID/);
  });

  it('refuses a URL button whose URL is not http(s) or tg://', async () => {
    expectRefused(await inlineButton({ url: 'javascript:alert(1)' }), 400, /BUTTON_URL_INVALID/);
  });

  it('accepts a reply keyboard asking for contact and location, with plain string buttons', async () => {
    expectAccepted(
      await withKeyboard({
        keyboard: [[{ text: 'Telefonnummer teilen', request_contact: true }], [{ text: 'Standort', request_location: true }], ['Abbrechen']],
        resize_keyboard: true,
        one_time_keyboard: true,
      }),
    );
  });

  it('refuses a reply button asking for contact and location at once', async () => {
    expectRefused(
      await withKeyboard({ keyboard: [[{ text: 'Beides', request_contact: true, request_location: true }]] }),
      400,
      /at most one of request_contact, request_location/,
    );
  });

  it('accepts reply_markup as a JSON string too, in JSON and in form bodies', async () => {
    const markup = JSON.stringify({ inline_keyboard: [[{ text: 'Ja', callback_data: 'yes' }]] });
    expectAccepted(await withKeyboard(markup));
    expectAccepted(await call('sendMessage', { chat_id: '4711', text: 'Bestellen?', reply_markup: markup }, 'form'));
    expect(api.calls.at(-1)?.params.reply_markup).toEqual(JSON.parse(markup));
  });

  it('accepts removing the keyboard and forcing a reply', async () => {
    expectAccepted(await withKeyboard({ remove_keyboard: true }));
    expectAccepted(await withKeyboard({ force_reply: true }));
  });
});

describe('results', () => {
  it('returns messages with increasing ids in a private chat', async () => {
    const first = await send({ text: 'Eins' });
    const second = await send({ text: 'Zwei' });
    const message = first.body.result as { message_id: number; chat: unknown; date: number; text: string };
    expect(message).toMatchObject({ chat: { id: 4711, type: 'private' }, text: 'Eins' });
    expect(Math.abs(message.date - Date.now() / 1000)).toBeLessThan(5);
    expect((second.body.result as { message_id: number }).message_id).toBe(message.message_id + 1);
  });

  it('returns the bot user from getMe, with the id from the token', async () => {
    const reply = await call('getMe');
    expect(reply.body.result).toEqual(api.botInfo);
    expect(api.botInfo).toMatchObject({ id: Number(api.token.split(':')[0]), is_bot: true });
  });

  it('answers webhook management with true and refuses getUpdates while a webhook is set', async () => {
    expect((await call('setWebhook', { url: 'https://marktbote.example/telegram' })).body.result).toBe(true);
    expect((await call('getWebhookInfo')).body.result).toMatchObject({ url: 'https://marktbote.example/telegram' });
    expectRefused(await call('getUpdates'), 409, /^Conflict/);
    expect((await call('deleteWebhook')).body.result).toBe(true);
    expect((await call('getUpdates')).body.result).toEqual([]);
  });

  it('hands queued updates to getUpdates until the offset confirms them', async () => {
    const first = api.queueUpdate({
      message: { message_id: 1, date: 0, chat: { id: 4711, type: 'private', first_name: 'Erna' }, from: { id: 4711, is_bot: false, first_name: 'Erna' }, text: 'Hallo' },
    });
    const second = api.queueUpdate({ callback_query: { id: 'cb-1', from: { id: 4711, is_bot: false, first_name: 'Erna' }, chat_instance: 'c', data: 'yes' } });
    const ids = (reply: ApiReply) => (reply.body.result as Array<{ update_id: number }>).map((update) => update.update_id);
    expect(ids(await call('getUpdates'))).toEqual([first, second]);
    expect(ids(await call('getUpdates', { offset: second }))).toEqual([second]);
    expect(ids(await call('getUpdates', { offset: second + 1 }))).toEqual([]);
  });

  it('refuses setWebhook without a url', async () => {
    expectRefused(await call('setWebhook'), 400, /url is empty/);
  });

  it('refuses a webhook Telegram could not post to: plain http, or a port other than 80, 88, 443 and 8443', async () => {
    expectRefused(await call('setWebhook', { url: 'http://marktbote.example/telegram' }), 400, /^Bad Request: bad webhook: An HTTPS URL must be provided for webhook$/);
    expectRefused(await call('setWebhook', { url: 'https://marktbote.example:3000/telegram' }), 400, /^Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443$/);
    expectAccepted(await call('setWebhook', { url: 'https://marktbote.example:8443/telegram' }));
    await call('deleteWebhook');
  });

  it('reports the webhook as set: max_connections 40 unless asked otherwise, allowed_updates kept when left out', async () => {
    await call('setWebhook', { url: 'https://marktbote.example/telegram', allowed_updates: ['message', 'callback_query'] });
    expect((await call('getWebhookInfo')).body.result).toEqual({
      url: 'https://marktbote.example/telegram', has_custom_certificate: false, pending_update_count: 0,
      max_connections: 40, allowed_updates: ['message', 'callback_query'],
    });
    await call('setWebhook', { url: 'https://marktbote.example/telegram', max_connections: 10 });
    expect((await call('getWebhookInfo')).body.result).toMatchObject({ max_connections: 10, allowed_updates: ['message', 'callback_query'] });
    await call('deleteWebhook');
    expect((await call('getWebhookInfo')).body.result).toEqual({ url: '', has_custom_certificate: false, pending_update_count: 0 });
  });

  it('answers other known methods with true', async () => {
    expect((await call('sendChatAction', { chat_id: 4711, action: 'typing' })).body.result).toBe(true);
  });

  it('needs a callback_query_id to answer a callback query, and records the answer', async () => {
    expectRefused(await call('answerCallbackQuery', { text: 'Danke' }), 400, /callback_query_id is empty/);
    expectAccepted(await call('answerCallbackQuery', { callback_query_id: 'cb-42', text: 'Im Korb' }));
    expect(api.answeredCallbackQueries()).toEqual(['cb-42']);
  });
});

describe('editing a message', () => {
  const keyboard = { inline_keyboard: [[{ text: 'Ja, bestellen', callback_data: 'yes' }]] };
  const sendWithKeyboard = async (chat_id = 4711) =>
    ((await call('sendMessage', { chat_id, text: 'Soll ich so bestellen?', reply_markup: keyboard })).body.result as { message_id: number }).message_id;

  it('takes the inline keyboard away with editMessageReplyMarkup without a markup, keeping the text', async () => {
    const messageId = await sendWithKeyboard();
    const reply = await call('editMessageReplyMarkup', { chat_id: 4711, message_id: messageId });
    expectAccepted(reply);
    expect(reply.body.result).toMatchObject({ message_id: messageId, text: 'Soll ich so bestellen?' });
    expect(reply.body.result).not.toHaveProperty('reply_markup');
    expect(api.messages(4711)).toEqual([{ message_id: messageId, text: 'Soll ich so bestellen?' }]);
  });

  it('refuses an edit that changes nothing, as the server does when a keyboard is taken away twice', async () => {
    const messageId = await sendWithKeyboard();
    expectAccepted(await call('editMessageReplyMarkup', { chat_id: 4711, message_id: messageId }));
    expectRefused(await call('editMessageReplyMarkup', { chat_id: 4711, message_id: messageId }), 400, /message is not modified/);
    expectRefused(await call('editMessageReplyMarkup', { chat_id: 4711, message_id: messageId + 1, reply_markup: keyboard }), 400, /message to edit not found/);
  });

  it("finds only the bot's own messages of that chat", async () => {
    const messageId = await sendWithKeyboard(815);
    expectRefused(await call('editMessageReplyMarkup', { chat_id: 4711, message_id: messageId }), 400, /message to edit not found/);
    expect(api.messages(815)).toEqual([{ message_id: messageId, text: 'Soll ich so bestellen?', reply_markup: keyboard }]);
  });

  it('keeps a reply keyboard out of the message, since it belongs to the chat', async () => {
    await call('sendMessage', { chat_id: 4711, text: 'Menü', reply_markup: { keyboard: [[{ text: 'Angebot der Woche' }]] } });
    expect(api.messages(4711)).toEqual([expect.not.objectContaining({ reply_markup: expect.anything() })]);
  });

  it('replaces the keyboard with editMessageText, and takes it away when the edit has none', async () => {
    const messageId = await sendWithKeyboard();
    expectAccepted(await call('editMessageText', { chat_id: 4711, message_id: messageId, text: 'Bestellt' }));
    expect(api.messages(4711)).toEqual([{ message_id: messageId, text: 'Bestellt' }]);
  });
});

describe('programmed failures', () => {
  it('fails the next call of a method as told, then recovers', async () => {
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const refused = await send({ text: 'Hallo' });
    expectRefused(refused, 429, /^Too Many Requests/);
    expect(refused.body.parameters).toEqual({ retry_after: 1 });
    expectAccepted(await send({ text: 'Hallo' }));
  });

  it('refuses to program a failure for a method the API does not have', () => {
    expect(() => api.failNext('sendFax', { error_code: 500, description: 'x' })).toThrow(/not a Bot API method/);
  });

  it('answers 403 for every call to a blocked chat and only to it', async () => {
    api.blockChat(4711);
    expectRefused(await send({ text: 'Hallo' }), 403, /^Forbidden: bot was blocked by the user$/);
    expectRefused(await call('sendChatAction', { chat_id: '4711', action: 'typing' }), 403, /blocked/);
    expectAccepted(await call('sendMessage', { chat_id: 815, text: 'Hallo' }));
  });
});

describe('records', () => {
  it('records accepted and refused calls with status and time', async () => {
    const before = Date.now();
    await send({ text: 'Gurken' });
    await send({ text: 'a'.repeat(5000) });
    expect(api.calls).toEqual([
      expect.objectContaining({ method: 'sendMessage', ok: true, status: 200, chatId: 4711, text: 'Gurken' }),
      expect.objectContaining({ method: 'sendMessage', ok: false, status: 400, description: expect.stringMatching(/too long/) }),
    ]);
    expect(api.calls[0].at).toBeGreaterThanOrEqual(before);
  });

  it('lists the visible texts of accepted messages and edits, per chat', async () => {
    const { message_id } = (await sendHtml('<b>Gurken</b> &amp; Quark')).body.result as { message_id: number };
    await call('sendMessage', { chat_id: 815, text: 'Andere' });
    await call('editMessageText', { chat_id: 4711, message_id, text: 'Bestellt' });
    await send({ text: '' });
    expect(api.sent(4711)).toEqual(['Gurken & Quark', 'Bestellt']);
    expect(api.sent()).toEqual(['Gurken & Quark', 'Andere', 'Bestellt']);
  });

  it('forgets calls, failures and blocks on clear()', async () => {
    api.blockChat(4711);
    api.failNext('getMe', { error_code: 500, description: 'Internal Server Error' });
    await send({ text: 'Hallo' });
    api.clear();
    expect(api.calls).toEqual([]);
    expectAccepted(await send({ text: 'Hallo' }));
    expectAccepted(await call('getMe'));
  });

  it('forgets a long poll that was still waiting when clear() ran', async () => {
    const polling = call('getUpdates', { timeout: 1 });
    // Give the request time to arrive; the poll itself waits a whole second.
    await new Promise((resolve) => setTimeout(resolve, 100));
    api.clear();
    expect((await polling).body.result).toEqual([]);
    expect(api.calls).toEqual([]);
  });

  it('measures the send rate overall and per chat', async () => {
    await send({ text: 'Eins' });
    await send({ text: 'Zwei' });
    await call('sendMessage', { chat_id: 815, text: 'Drei' });
    await call('getMe');
    expect(api.rate.timestamps()).toHaveLength(3);
    expect(api.rate.peak()).toBe(3);
    expect(api.rate.peak({ chatId: 4711 })).toBe(2);
    expect(api.rate.peak({ chatId: 815 })).toBe(1);
  });

  it('separates sends that lie further apart than the window', async () => {
    await send({ text: 'Eins' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    await send({ text: 'Zwei' });
    expect(api.rate.peak({ chatId: 4711, windowMs: 50 })).toBe(1);
    expect(api.rate.peak({ chatId: 4711, windowMs: 1000 })).toBe(2);
  });
});

describe('limits and setup', () => {
  it('answers 413 to a body over the limit', async () => {
    const small = await startBotApiDouble({ maxBodyBytes: 1000 });
    try {
      const post = (text: string) =>
        fetch(`${small.apiRoot}/bot${small.token}/sendMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: 1, text }),
        });
      expect((await post('a'.repeat(900))).status).toBe(200);
      expect((await post('a'.repeat(1000))).status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('says clearly when the API spec is missing', async () => {
    await expect(startBotApiDouble({ specPath: '/nonexistent/telegram-bot-api.json' })).rejects.toThrow(
      /Telegram Bot API spec not found at \/nonexistent\/telegram-bot-api.json/,
    );
  });
});

describe('driven by grammY', () => {
  it('sends a message and an inline keyboard, and surfaces refusals as GrammyError', async () => {
    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
    await bot.init();
    expect(bot.botInfo.username).toBe(api.botInfo.username);

    await bot.api.sendMessage(4711, '<b>Spreewaldgurken</b> sind da', { parse_mode: 'HTML' });
    const keyboard = new InlineKeyboard().text('In den Korb', 'cart:add:17').row().url('Hofladen', 'https://spreewald.example');
    const message = await bot.api.sendMessage(4711, 'Was darf es sein?', { reply_markup: keyboard });
    expect(message.reply_markup?.inline_keyboard[0][0]).toMatchObject({ callback_data: 'cart:add:17' });
    expect(api.sent(4711)).toEqual(['Spreewaldgurken sind da', 'Was darf es sein?']);

    const tooLong = new InlineKeyboard().text('Gurken', 'x'.repeat(65));
    const error = await bot.api.sendMessage(4711, 'Was darf es sein?', { reply_markup: tooLong }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 400, description: expect.stringMatching(/BUTTON_DATA_INVALID/) });
  });

  it('answers an update received by long polling', async () => {
    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot }, botInfo: api.botInfo });
    bot.on('message:text', (ctx) => ctx.reply(`Guten Tag, ${ctx.from.first_name}!`));
    api.queueUpdate({
      message: { message_id: 1, date: 0, chat: { id: 4711, type: 'private', first_name: 'Erna' }, from: { id: 4711, is_bot: false, first_name: 'Erna' }, text: 'Hallo' },
    });
    const polling = bot.start({ timeout: 1 });
    await expect.poll(() => api.sent(4711), { timeout: 5000 }).toEqual(['Guten Tag, Erna!']);
    await bot.stop();
    await polling;
  });

  it('lets auto-retry wait out a programmed 429', async () => {
    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot }, botInfo: api.botInfo });
    bot.api.config.use(autoRetry());
    api.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    await bot.api.sendMessage(4711, 'Hallo');
    expect(api.calls.map((recorded) => recorded.status)).toEqual([429, 200]);
    expect(api.calls[1].at - api.calls[0].at).toBeGreaterThanOrEqual(900);
  });
});
