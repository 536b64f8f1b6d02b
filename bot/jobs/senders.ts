/**
 * The outbox's senders, one per reminder channel: Telegram through grammY's
 * Bot API client, WhatsApp, SMS and calls through Twilio's REST client. Texts
 * are rendered at send time from the message's key, in the customer's language.
 */
import { Api, GrammyError } from 'grammy';
import twilio from 'twilio';
import type { OutboxMessage } from '../../catalog/outbox.ts';
import type { Language } from '../../catalog/types.ts';
import type { Medium } from '../../flows/types.ts';
import { isUnreachableChat } from '../channels/telegram/errors.ts';
import { toTelegramHtml } from '../channels/telegram/renderer.ts';
import { SPEECH_LANGUAGE } from '../channels/voice/render.ts';
import { PermanentSendError, type Senders } from './sweep.ts';

/** Renders a message key of the `jobs` namespace for a medium. */
export type JobText = (language: Language, medium: Medium, key: string, params?: Record<string, string | number>) => string;

/** The text of an outbox message in its language and medium. */
export function messageText(text: JobText, message: OutboxMessage, medium: Medium): string {
  return text(message.language, medium, `jobs:${message.payload.key}`, message.payload.params);
}

/** Sends to the message's chat; a chat that blocked the bot or is gone will stay so. */
export function telegramSender(options: { token: string; apiRoot: string; text: JobText }): Senders['telegram'] {
  const api = new Api(options.token, { apiRoot: options.apiRoot });
  return async (message) => {
    try {
      await api.sendMessage(message.recipient.address, toTelegramHtml(messageText(options.text, message, 'written')), { parse_mode: 'HTML' });
    } catch (error) {
      if (isUnreachableChat(error)) throw new PermanentSendError((error as GrammyError).description);
      throw error;
    }
  };
}

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** Sender for SMS and calls (E.164). */
  voiceFrom: string | null;
  /** WhatsApp sender (E.164, without the `whatsapp:` prefix). */
  whatsappFrom: string | null;
  voice: Record<Language, string>;
  text: JobText;
}

/**
 * Twilio error codes that will repeat for this recipient: invalid or unreachable
 * number, unsubscribed, not a mobile number, outside the allowed regions.
 */
const PERMANENT_TWILIO_CODES = new Set([21211, 21214, 21408, 21610, 21612, 21614, 63003]);

async function twilioCall<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number' && PERMANENT_TWILIO_CODES.has(code)) {
      throw new PermanentSendError(`twilio ${code}: ${(error as Error).message}`);
    }
    throw error;
  }
}

/**
 * TwiML of a reminder call: read slowly, then once more. Repeating on a key
 * press would need a webhook for the `<Gather>`; an outbound call's inline
 * TwiML has none, and older callers often miss the first words anyway.
 */
export function reminderCallTwiml(message: OutboxMessage, text: JobText, voice: Record<Language, string>): string {
  const response = new twilio.twiml.VoiceResponse();
  const attributes = { voice: voice[message.language], language: SPEECH_LANGUAGE[message.language] } as Parameters<typeof response.say>[0] & object;
  const reminder = messageText(text, message, 'spoken');
  const sayText = (words: string) => response.say(attributes, words);
  sayText('').prosody({ rate: 'slow' }, reminder);
  response.pause({ length: 1 });
  sayText(text(message.language, 'spoken', 'jobs:reminder.repeatIntro'));
  sayText('').prosody({ rate: 'slow' }, reminder);
  sayText(text(message.language, 'spoken', 'jobs:reminder.goodbye'));
  response.hangup();
  return response.toString();
}

/** SMS, WhatsApp and call senders over one Twilio client; a channel without a sender number gets none. */
export function twilioSenders(options: TwilioSenderOptions): Senders {
  const client = twilio(options.accountSid, options.authToken);
  const senders: Senders = {};
  const { voiceFrom, whatsappFrom } = options;
  if (whatsappFrom) {
    senders.whatsapp = async (message) => {
      await twilioCall(() => client.messages.create({
        from: `whatsapp:${whatsappFrom}`, to: `whatsapp:${message.recipient.address}`, body: messageText(options.text, message, 'written'),
      }));
    };
  }
  if (voiceFrom) {
    senders.sms = async (message) => {
      await twilioCall(() => client.messages.create({
        from: voiceFrom, to: message.recipient.address, body: messageText(options.text, message, 'written'),
      }));
    };
    senders.call = async (message) => {
      await twilioCall(() => client.calls.create({
        from: voiceFrom, to: message.recipient.address, twiml: reminderCallTwiml(message, options.text, options.voice),
      }));
    };
  }
  return senders;
}
