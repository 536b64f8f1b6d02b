/**
 * Telegram update → InboundEvent. Pure: the update and the time of arrival in,
 * the neutral event out; nothing here talks to the Bot API.
 */
import type { Message, Update, User } from 'grammy/types';
import { normalizePhone } from '../../../catalog/phone.ts';
import type { Language } from '../../../catalog/types.ts';
import { cleanText, type InboundEvent, type InboundPayload, type UnsupportedKind } from '../../../flows/index.ts';

/** Longest text the engine sees; Telegram's own limit, enforced again because a forged or buggy client can exceed it. */
export const MAX_INBOUND_TEXT = 4096;

/**
 * A Telegram contact's number → E.164, or null when it cannot be one. Telegram
 * gives "491511234567" (international without its plus) or "+49…"; contacts
 * from a phone book may be national ("0151 …"), which in the Spreewald means Germany.
 */
export function normaliseTelegramPhone(raw: string): string | null {
  const trimmed = raw.trim();
  return normalizePhone(/^[1-9]/.test(trimmed) ? `+${trimmed}` : trimmed);
}

function isStartCommand(text: string): boolean {
  return /^\/start(?:@\w+)?(?:\s|$)/.test(text);
}

/** What a message without words is, for the reply that says what to do instead. */
function unsupportedKind(message: Message): UnsupportedKind {
  if (message.voice) return 'voice';
  if (message.audio) return 'audio';
  if (message.sticker) return 'sticker';
  if (message.photo) return 'image';
  if (message.video || message.video_note || message.animation) return 'video';
  if (message.document) return 'document';
  if (message.poll) return 'poll';
  if (message.dice) return 'dice';
  return 'other';
}

/** Things a person sends; service messages (a pinned message, a chat photo changed …) are not said to us. */
function isSentByPerson(message: Message): boolean {
  return Boolean(
    message.voice || message.video_note || message.audio || message.sticker || message.photo || message.video || message.animation
      || message.document || message.poll || message.dice || message.game || message.story,
  );
}

function messagePayload(message: Message, from: User): InboundPayload | null {
  if (message.text !== undefined) {
    return isStartCommand(message.text) ? { type: 'start' } : { type: 'text', text: cleanText(message.text, MAX_INBOUND_TEXT) };
  }
  // Words under a photo, video or file are what the person says; the picture itself we cannot read.
  if (message.caption !== undefined && (message.photo || message.video || message.document || message.animation)) {
    const caption = cleanText(message.caption, MAX_INBOUND_TEXT);
    if (caption.trim() !== '') return { type: 'text', text: caption };
  }
  if (message.contact) {
    const phone = normaliseTelegramPhone(message.contact.phone_number);
    // A number we cannot read goes to the engine as text, so the phone prompt asks again.
    if (phone === null) return { type: 'text', text: cleanText(message.contact.phone_number, MAX_INBOUND_TEXT) };
    return { type: 'contact', phone, own: message.contact.user_id === from.id };
  }
  if (message.location) return { type: 'location', lat: message.location.latitude, lon: message.location.longitude };
  return isSentByPerson(message) ? { type: 'unsupported', kind: unsupportedKind(message) } : null;
}

/**
 * A message changed after it was answered: the answer stands, so the person is told to send the correction anew.
 * A live location moving on the map is an edit too, many a minute, and gets no answer.
 */
function editPayload(message: Message): InboundPayload | null {
  return message.location ? null : { type: 'unsupported', kind: 'edit' };
}

/** Who sent the update and where replies go; null for kinds we do not serve (groups, channels, inline queries …). */
export function senderOf(update: Update): { from: User; chatId: number } | null {
  const message = update.message ?? update.edited_message ?? update.callback_query?.message;
  // Orders are personal: only private chats, where the chat is the user.
  if (!message || message.chat.type !== 'private') return null;
  const from = update.message?.from ?? update.edited_message?.from ?? update.callback_query?.from;
  return from ? { from, chatId: message.chat.id } : null;
}

/** The sender's client language, for chrome sent before the engine has said which language it speaks. */
export function clientLanguage(from: User): Language {
  return from.language_code?.startsWith('en') ? 'en' : 'de';
}

/** The key the flood limiter counts and the conversation is stored under. */
export function senderKey(from: User): string {
  return `telegram:${from.id}`;
}

/**
 * An update → the event the engine understands, or null when there is nothing to
 * answer (a service message, a live location moving, a button without data …).
 */
export function toInboundEvent(update: Update, receivedAt: Date): InboundEvent | null {
  const sender = senderOf(update);
  if (!sender) return null;
  const { from } = sender;
  let payload: InboundPayload | null = null;
  if (update.message) payload = messagePayload(update.message, from);
  else if (update.edited_message) payload = editPayload(update.edited_message);
  else if (update.callback_query?.data) payload = { type: 'choice', id: update.callback_query.data };
  if (!payload) return null;
  return {
    channel: 'telegram',
    conversationKey: senderKey(from),
    identity: { kind: 'telegram', value: String(from.id) },
    profileName: from.first_name,
    payload,
    receivedAt,
  };
}

/** The delivery key that makes a redelivered update a no-op. */
export function deliveryKey(update: Update): string {
  return `telegram:update:${update.update_id}`;
}
