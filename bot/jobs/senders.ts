/**
 * The outbox's senders, one per reminder channel: Telegram through grammY's
 * Bot API client, WhatsApp, SMS and calls through Twilio's REST client. Texts
 * are rendered at send time from the message's key, in the customer's language.
 */
import { Api, GrammyError } from 'grammy';
import type { OutboxMessage } from '../../catalog/outbox.ts';
import type { Language } from '../../catalog/types.ts';
import type { Medium } from '../../flows/index.ts';
import { countingFailures, isUnreachableChat } from '../channels/telegram/errors.ts';
import { splitHtml, toTelegramHtml, type TelegramMessage } from '../channels/telegram/renderer.ts';
import { twilioClient } from '../channels/twilio/client.ts';
import { renderCallbackCall } from '../channels/voice/callback.ts';
import { renderReminderCall } from '../channels/voice/reminder.ts';
import { whatsappAddress } from '../channels/whatsapp/address.ts';
import type { JobText } from '../types.ts';
import type { Pace } from './rate.ts';
import { PermanentSendError, SkipMessage, type Sender, type Senders } from './sweep.ts';

/** The text of an outbox message in its language and medium. */
export function messageText(text: JobText, message: OutboxMessage, medium: Medium): string {
  return text(message.language, medium, `jobs:${message.payload.key}`, message.payload.params);
}

/** A turn's reply (bot/replies.ts) as it was rendered then; anything else rendered now from its key, in parts. */
function telegramMessages(text: JobText, message: OutboxMessage): TelegramMessage[] {
  if (message.kind === 'reply') return JSON.parse(String(message.payload.params.messages)) as TelegramMessage[];
  return splitHtml(toTelegramHtml(messageText(text, message, 'written'))).map((part) => ({ text: part, parse_mode: 'HTML' }));
}

/**
 * Sends to the message's chat, in parts when longer than Telegram allows (a
 * long handout list); a chat that blocked the bot or is gone will stay so.
 */
export function telegramSender(options: {
  token: string; apiRoot: string; text: JobText; pace: Pace;
  /** Told of every Bot API call that failed, by its error code or 'network'. */
  onFailure?: (status: string) => void;
}): Sender {
  const api = new Api(options.token, { apiRoot: options.apiRoot });
  if (options.onFailure) api.config.use(countingFailures(options.onFailure));
  return async (message) => {
    try {
      for (const { text, ...other } of telegramMessages(options.text, message)) {
        await options.pace(message);
        await api.sendMessage(message.recipient.address, text, other);
      }
    } catch (error) {
      if (isUnreachableChat(error)) throw new PermanentSendError((error as GrammyError).description);
      throw error;
    }
  };
}

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** Where Twilio's REST API is reached instead of https://api.twilio.com (TWILIO_API_ROOT); null: Twilio itself. */
  apiRoot: string | null;
  /** Told of every Twilio REST call that failed, by its HTTP status or 'network'. */
  onFailure?: (status: string) => void;
  /** Sender for SMS and calls (E.164). */
  voiceFrom: string | null;
  /** WhatsApp sender as configured, with its prefix: "whatsapp:+4935461234567". */
  whatsappFrom: string | null;
  /** Where Twilio posts the key pressed during a reminder call. */
  publicUrl: string;
  voice: Record<Language, string>;
  text: JobText;
  /** Approved WhatsApp templates (Content SIDs) per kind, for customers outside the 24-hour window. */
  templates: Partial<Record<TemplateKind, string>>;
  window: WhatsAppWindow;
  /** Waits for the account's send rate. */
  pace: Pace;
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

/** WhatsApp lets a business write freely only this long after the customer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

/** Kinds that may reach a customer outside the window through an approved template. */
export type TemplateKind = 'pickup_reminder' | 'weekly_offer' | 'order_nudge';

/**
 * The message parameters each kind's template receives, as {{1}}, {{2}} … in
 * this order. An approved template's wording is fixed at Meta, so its
 * placeholders are documented in the README next to these names.
 */
export const TEMPLATE_VARIABLES: Record<TemplateKind, string[]> = {
  pickup_reminder: ['code', 'date', 'from', 'to', 'place'],
  weekly_offer: ['cutoffDay', 'cutoffDate', 'cutoffTime'],
  order_nudge: ['cutoffDay', 'cutoffDate', 'cutoffTime'],
};

/** Twilio's fields for an approved template: its Content SID and its variables as a JSON string. */
export function templateFields(message: OutboxMessage, contentSid: string, kind: TemplateKind): { contentSid: string; contentVariables: string } {
  const variables = Object.fromEntries(
    TEMPLATE_VARIABLES[kind].map((name, index) => [String(index + 1), String(message.payload.params[name] ?? '')]),
  );
  return { contentSid, contentVariables: JSON.stringify(variables) };
}

export interface WhatsAppWindow {
  /** When the customer last wrote to us on WhatsApp; null when never. */
  lastInboundAt(customerId: number): Promise<Date | null>;
  now(): Date;
}

/** SMS, WhatsApp and call senders over one Twilio client; a channel without a sender number gets none. */
export function twilioSenders(options: TwilioSenderOptions): Senders {
  const client = twilioClient(options.accountSid, options.authToken, { apiRoot: options.apiRoot, onFailure: options.onFailure });
  const senders: Senders = {};
  const { voiceFrom, whatsappFrom, pace } = options;
  if (whatsappFrom) {
    senders.whatsapp = async (message) => {
      const content = await whatsappContent(message, options);
      await pace(message);
      await twilioCall(() => client.messages.create({
        from: whatsappFrom, to: whatsappAddress(message.recipient.address), ...content,
      }));
    };
  }
  if (voiceFrom) {
    senders.sms = async (message) => {
      await pace(message);
      await twilioCall(() => client.messages.create({
        from: voiceFrom, to: message.recipient.address, body: messageText(options.text, message, 'written'),
      }));
    };
    senders.call = async (message) => {
      await pace(message);
      const call = { publicUrl: options.publicUrl, voice: options.voice, text: options.text };
      await twilioCall(() => client.calls.create({
        from: voiceFrom, to: message.recipient.address,
        twiml: message.kind === 'callback' ? renderCallbackCall(message, call) : renderReminderCall(message, call),
      }));
    };
  }
  return senders;
}

/** Free text inside the 24-hour window; outside it only the kind's approved template, or nothing. */
async function whatsappContent(message: OutboxMessage, options: TwilioSenderOptions): Promise<{ body: string } | { contentSid: string; contentVariables: string }> {
  const last = message.customerId === null ? null : await options.window.lastInboundAt(message.customerId);
  if (last !== null && options.window.now().getTime() - last.getTime() < WHATSAPP_WINDOW_MS) {
    return { body: messageText(options.text, message, 'written') };
  }
  const kind = message.kind in TEMPLATE_VARIABLES ? (message.kind as TemplateKind) : null;
  const contentSid = kind ? options.templates[kind] : undefined;
  if (!kind || !contentSid) throw new SkipMessage(`outside the WhatsApp 24-hour window and no template for ${message.kind}`);
  return templateFields(message, contentSid, kind);
}
