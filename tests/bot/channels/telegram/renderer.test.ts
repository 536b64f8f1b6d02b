import { describe, expect, it } from 'vitest';
import type { RenderedTurn } from '../../../../bot/types.ts';
import {
  TELEGRAM_MESSAGE_LIMIT, escapeHtml, inlineKeyboard, renderTurn, splitHtml, toTelegramHtml,
} from '../../../../bot/channels/telegram/renderer.ts';

function turn(overrides: Partial<RenderedTurn> = {}): RenderedTurn {
  return { status: 'waiting', language: 'de', messages: ['Hallo'], choices: [], expect: 'text', speechHints: [], ...overrides };
}

/** Chrome as "key|params", so a test sees which text was asked for. */
const text = (key: string, params?: Record<string, string | number>) => (params ? `${key}|${JSON.stringify(params)}` : key);
const render = (t: RenderedTurn, removeReplyKeyboard = false) => renderTurn(t, { text, removeReplyKeyboard });

describe('toTelegramHtml', () => {
  it('escapes what the user wrote before anything becomes a tag', () => {
    expect(toTelegramHtml('<b>Senf & Gurken</b>')).toBe('&lt;b&gt;Senf &amp; Gurken&lt;/b&gt;');
    expect(escapeHtml('a&b<c>d')).toBe('a&amp;b&lt;c&gt;d');
  });

  it('turns our *bold* spans into <b> and leaves a lone asterisk alone', () => {
    expect(toTelegramHtml('*Leinöl* 3,50 € & *Quark*')).toBe('<b>Leinöl</b> 3,50 € &amp; <b>Quark</b>');
    expect(toTelegramHtml('5 * 2')).toBe('5 * 2');
    expect(toTelegramHtml('*nicht\nüber Zeilen*')).toBe('*nicht\nüber Zeilen*');
  });
});

describe('splitHtml', () => {
  it('keeps a message that fits whole', () => {
    expect(splitHtml('kurz')).toEqual(['kurz']);
  });

  it('splits at paragraph boundaries first', () => {
    const paragraph = 'x'.repeat(3000);
    expect(splitHtml(`${paragraph}\n\n${paragraph}\n\n${paragraph}`)).toEqual([paragraph, paragraph, paragraph]);
  });

  it('splits a long paragraph at line breaks, then at spaces', () => {
    const line = 'Spreewälder Gurken '.repeat(150).trim();
    const parts = splitHtml(`${line}\n${line}`);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    expect(parts.join(' ').replace(/\n/g, ' ')).toBe(`${line} ${line}`);
  });

  it('never cuts inside an entity when there is no space to cut at', () => {
    const html = escapeHtml('&'.repeat(2000));
    const parts = splitHtml(html);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
      expect(part).toMatch(/^(&amp;)+$/);
    }
    expect(parts.join('')).toBe(html);
  });

  it('closes and reopens a bold span cut by a word split, so each part is balanced', () => {
    const html = toTelegramHtml(`*${'Gurke '.repeat(1000).trim()}*`);
    const parts = splitHtml(html);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.startsWith('<b>')).toBe(true);
      expect(part.endsWith('</b>')).toBe(true);
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
    }
  });

  it('does not split a surrogate pair', () => {
    const parts = splitHtml('🥒'.repeat(3000));
    for (const part of parts) expect([...part].every((c) => c === '🥒')).toBe(true);
  });
});

describe('inlineKeyboard', () => {
  it('puts short labels two per row', () => {
    const rows = inlineKeyboard([
      { id: 'yes', label: 'Ja' }, { id: 'no', label: 'Nein' }, { id: 'back', label: 'Zurück' },
    ]);
    expect(rows.map((row) => row.map((button) => button.text))).toEqual([['Ja', 'Nein'], ['Zurück']]);
  });

  it('puts long labels one per row, with the choice id as callback data', () => {
    const rows = inlineKeyboard([
      { id: 'offer:12', label: 'Senfgurken aus Lübbenau (Glas)' }, { id: 'offer:13', label: 'Ja' },
    ]);
    expect(rows).toEqual([
      [{ text: 'Senfgurken aus Lübbenau (Glas)', callback_data: 'offer:12' }],
      [{ text: 'Ja', callback_data: 'offer:13' }],
    ]);
  });
});

describe('renderTurn', () => {
  it('sends a turn as one HTML message with the buttons on it', () => {
    const { messages } = render(turn({ messages: ['Erste', 'Zweite'], choices: [{ id: 'a', label: 'A' }] }));
    expect(messages.map((m) => [m.text, m.parse_mode])).toEqual([['Erste\n\nZweite', 'HTML']]);
    expect(messages[0].reply_markup).toEqual({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] });
  });

  it('puts the buttons on the last part when a long turn is split', () => {
    const long = 'Gurke '.repeat(800).trim();
    const { messages } = render(turn({ messages: [long, long], choices: [{ id: 'a', label: 'A' }] }));
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
    expect(messages.at(-1)!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] });
  });

  it('drops a button whose id is over 64 bytes and reports it', () => {
    const longId = 'ü'.repeat(33);
    const { messages, droppedChoiceIds } = render(turn({ choices: [{ id: longId, label: 'Zu lang' }, { id: 'ok', label: 'OK' }] }));
    expect(droppedChoiceIds).toEqual([longId]);
    expect(messages[0].reply_markup).toEqual({ inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] });
  });

  it('adds a prompt when there are choices but no text', () => {
    const { messages } = render(turn({ messages: [], choices: [{ id: 'a', label: 'A' }] }));
    expect(messages.map((m) => m.text)).toEqual(['telegram:chooseOne']);
  });

  it('sends nothing for a silent turn', () => {
    expect(render(turn({ messages: [] })).messages).toEqual([]);
  });

  it('asks for the phone with a one-time request_contact keyboard', () => {
    const { messages } = render(turn({ messages: ['Ihre Nummer?'], expect: 'phone' }));
    expect(messages).toEqual([{
      text: 'Ihre Nummer?',
      parse_mode: 'HTML',
      reply_markup: {
        keyboard: [[{ text: 'telegram:sharePhone', request_contact: true }]],
        one_time_keyboard: true,
        resize_keyboard: true,
      },
    }]);
  });

  it('keeps choices inline on the message before the share-phone hint', () => {
    const { messages } = render(turn({ messages: ['Ihre Nummer?'], expect: 'phone', choices: [{ id: 'skip', label: 'Später' }] }));
    expect(messages[0].reply_markup).toEqual({ inline_keyboard: [[{ text: 'Später', callback_data: 'skip' }]] });
    expect(messages[1].text).toBe('telegram:sharePhoneHint');
    expect(messages[1].reply_markup).toMatchObject({ keyboard: [[{ request_contact: true }]], one_time_keyboard: true });
  });

  it('asks for the location with a request_location keyboard', () => {
    const { messages } = render(turn({ expect: 'location' }));
    expect(messages[0].reply_markup).toMatchObject({ keyboard: [[{ text: 'telegram:shareLocation', request_location: true }]] });
  });

  it('removes the share keyboard after a contact arrived, unless the message needs inline buttons', () => {
    expect(render(turn(), true).messages[0].reply_markup).toEqual({ remove_keyboard: true });
    expect(render(turn(), false).messages[0].reply_markup).toBeUndefined();
    const withChoice = render(turn({ choices: [{ id: 'a', label: 'A' }] }), true).messages;
    expect(withChoice[0].reply_markup).toEqual({ inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] });
  });

  it('shows the main menu as a reply keyboard that hides once pressed, also in place of a share keyboard', () => {
    const menu = turn({ menu: true, choices: [{ id: 'browse', label: 'Angebot der Woche' }, { id: 'orders', label: 'Meine Bestellungen' }, { id: 'settings', label: 'Einstellungen' }] });
    const expected = {
      keyboard: [[{ text: 'Angebot der Woche' }, { text: 'Meine Bestellungen' }], [{ text: 'Einstellungen' }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    };
    expect(render(menu).messages.map((m) => m.reply_markup)).toEqual([expected]);
    expect(render(menu, true).messages.map((m) => m.reply_markup)).toEqual([expected]);
  });

  it('names the office phone on a handoff', () => {
    const { messages } = render(turn({
      status: 'handoff', messages: ['Ich verbinde Sie.'],
      handoff: { phone: '+49 3546 1234', hours: 'Mo–Fr 8–16 Uhr', open: true },
    }));
    expect(messages.map((m) => m.text)).toEqual([
      'Ich verbinde Sie.\n\ntelegram:handoff.open|{"phone":"+49 3546 1234","hours":"Mo–Fr 8–16 Uhr"}',
    ]);
  });

  it('splits a long reply so every message stays within the limit', () => {
    const { messages } = render(turn({ messages: [Array.from({ length: 300 }, (_, i) => `${i + 1}. *Gurke* & Quark`).join('\n')] }));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
  });
});
