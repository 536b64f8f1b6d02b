import { describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import {
  MAX_INBOUND_TEXT, clientLanguage, deliveryKey, normaliseTelegramPhone, toInboundEvent,
} from '../../../../bot/channels/telegram/adapter.ts';
import { callbackUpdate, messageUpdate, ANNA } from './updates.ts';

const at = new Date('2026-03-02T09:00:00Z');

describe('the text of a message', () => {
  const textOf = (text: string) => {
    const payload = toInboundEvent(messageUpdate(1, { text }), at)?.payload;
    return payload?.type === 'text' ? payload.text : null;
  };

  it('strips control characters and bidi overrides but keeps newlines', () => {
    expect(textOf('Gur\u0000ken\r\n2 Gläser\u0007\u202E')).toBe('Gurken\n2 Gläser');
  });

  it('truncates to the Telegram limit without splitting a character', () => {
    expect([...(textOf('🥒'.repeat(MAX_INBOUND_TEXT + 10)) ?? '')]).toHaveLength(MAX_INBOUND_TEXT);
    expect(textOf('kurz')).toBe('kurz');
  });
});

describe('normaliseTelegramPhone', () => {
  it.each([
    ['491511234567', '+491511234567'],
    ['+49 151 1234567', '+491511234567'],
    ['0049151-1234567', '+491511234567'],
    ['0151 1234567', '+491511234567'],
    ['48601234567', '+48601234567'],
  ])('%s → %s', (raw, e164) => {
    expect(normaliseTelegramPhone(raw)).toBe(e164);
  });

  it.each(['', '12', '+0151234567', '1'.repeat(16)])('refuses %j', (raw) => {
    expect(normaliseTelegramPhone(raw)).toBeNull();
  });
});

describe('toInboundEvent', () => {
  it('turns a text message into a text event for the sender', () => {
    expect(toInboundEvent(messageUpdate(1, { text: 'Gurken bitte' }), at)).toEqual({
      channel: 'telegram',
      conversationKey: `telegram:${ANNA.id}`,
      identity: { kind: 'telegram', value: String(ANNA.id) },
      profileName: 'Anna',
      payload: { type: 'text', text: 'Gurken bitte' },
      receivedAt: at,
    });
  });

  it('recognises /start, also with a payload or the bot name', () => {
    for (const text of ['/start', '/start abc', '/start@MarktboteBot']) {
      expect(toInboundEvent(messageUpdate(1, { text }), at)?.payload).toEqual({ type: 'start' });
    }
    expect(toInboundEvent(messageUpdate(1, { text: '/starten' }), at)?.payload).toEqual({ type: 'text', text: '/starten' });
  });

  it('marks a shared contact as own only when it is the sender', () => {
    const own = messageUpdate(1, { contact: { phone_number: '491511234567', first_name: 'Anna', user_id: ANNA.id } });
    const foreign = messageUpdate(2, { contact: { phone_number: '+491609876543', first_name: 'Paul', user_id: 999 } });
    expect(toInboundEvent(own, at)?.payload).toEqual({ type: 'contact', phone: '+491511234567', own: true });
    expect(toInboundEvent(foreign, at)?.payload).toEqual({ type: 'contact', phone: '+491609876543', own: false });
  });

  it('passes an unreadable contact number on as text so the prompt can ask again', () => {
    const update = messageUpdate(1, { contact: { phone_number: '12', first_name: 'X' } });
    expect(toInboundEvent(update, at)?.payload).toEqual({ type: 'text', text: '12' });
  });

  it('turns a location into coordinates', () => {
    const update = messageUpdate(1, { location: { latitude: 51.87, longitude: 14.03 } });
    expect(toInboundEvent(update, at)?.payload).toEqual({ type: 'location', lat: 51.87, lon: 14.03 });
  });

  it('turns a button press into a choice', () => {
    expect(toInboundEvent(callbackUpdate(1, 'offer:12'), at)?.payload).toEqual({ type: 'choice', id: 'offer:12' });
  });

  it('takes the words under a photo, video or file as the message', () => {
    const photo = messageUpdate(1, { photo: [{ file_id: 'p', file_unique_id: 'p', width: 90, height: 90 }], caption: '2 Gläser Waldhonig' });
    const video = messageUpdate(2, { video: { file_id: 'v' }, caption: 'Habt ihr Eier?' });
    const document = messageUpdate(3, { document: { file_id: 'd' }, caption: 'Bestellung: 1 kg Möhren' });
    expect(toInboundEvent(photo, at)?.payload).toEqual({ type: 'text', text: '2 Gläser Waldhonig' });
    expect(toInboundEvent(video, at)?.payload).toEqual({ type: 'text', text: 'Habt ihr Eier?' });
    expect(toInboundEvent(document, at)?.payload).toEqual({ type: 'text', text: 'Bestellung: 1 kg Möhren' });
  });

  it('names what it cannot read, so that the person is told what to do instead', () => {
    const kinds = [
      [{ voice: { file_id: 'v', duration: 3 } }, 'voice'],
      [{ voice: { file_id: 'v', duration: 3 }, caption: 'hör mal' }, 'voice'],
      [{ audio: { file_id: 'a', duration: 3 } }, 'audio'],
      [{ sticker: { file_id: 's' } }, 'sticker'],
      [{ photo: [{ file_id: 'p' }] }, 'image'],
      [{ photo: [{ file_id: 'p' }], caption: '  ' }, 'image'],
      [{ video: { file_id: 'v' } }, 'video'],
      [{ video_note: { file_id: 'n' } }, 'video'],
      [{ animation: { file_id: 'g' }, document: { file_id: 'g' } }, 'video'],
      [{ document: { file_id: 'd' } }, 'document'],
      [{ poll: { id: 'p', question: 'Gurken?' } }, 'poll'],
      [{ dice: { emoji: '🎲', value: 4 } }, 'dice'],
    ] as const;
    for (const [content, kind] of kinds) {
      expect(toInboundEvent(messageUpdate(1, content), at)?.payload, JSON.stringify(content)).toEqual({ type: 'unsupported', kind });
    }
  });

  it('says of an edited message that it was not counted; a live location moving on the map is no edit to answer', () => {
    const edited = { update_id: 1, edited_message: messageUpdate(1, { text: '3 Gläser', edit_date: 1_772_442_060 }).message } as Update;
    const moved = { update_id: 2, edited_message: messageUpdate(2, { location: { latitude: 51.9, longitude: 14.1 } }).message } as Update;
    expect(toInboundEvent(edited, at)).toMatchObject({ conversationKey: `telegram:${ANNA.id}`, payload: { type: 'unsupported', kind: 'edit' } });
    expect(toInboundEvent(moved, at)).toBeNull();
  });

  it('ignores group chats, service messages and presses without data', () => {
    const group = messageUpdate(1, { text: 'x' }, { chat: { id: -100, type: 'group', title: 'Dorf' } });
    const editedInGroup = { update_id: 1, edited_message: group.message } as Update;
    const pinned = messageUpdate(1, { pinned_message: { message_id: 1 } });
    expect(toInboundEvent(group, at)).toBeNull();
    expect(toInboundEvent(editedInGroup, at)).toBeNull();
    expect(toInboundEvent(pinned, at)).toBeNull();
    expect(toInboundEvent(callbackUpdate(1, undefined), at)).toBeNull();
  });

  it('keys deliveries by update id', () => {
    expect(deliveryKey(messageUpdate(42, { text: 'x' }))).toBe('telegram:update:42');
  });
});

describe('clientLanguage', () => {
  it('speaks English to English clients and German to everyone else', () => {
    expect(clientLanguage({ ...ANNA, language_code: 'en-GB' })).toBe('en');
    expect(clientLanguage({ ...ANNA, language_code: 'pl' })).toBe('de');
    expect(clientLanguage({ ...ANNA, language_code: undefined })).toBe('de');
  });
});
