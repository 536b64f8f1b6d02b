/**
 * The neutral contract between channels (bot/) and the dialogue engine (flows/).
 * Channels turn provider payloads into an `InboundEvent` and render a `TurnResult`;
 * no provider type crosses this line.
 */
import type { Channel, Identity, Language } from '../catalog/types.ts';

export type InboundPayload =
  | { type: 'start' }
  | { type: 'text'; text: string }
  | { type: 'choice'; id: string }
  | { type: 'digits'; digits: string }
  | { type: 'speech'; transcript: string; confidence: number }
  | { type: 'silence' }
  /** The provider delivered a request again (or asks for the last prompt): say it again, change nothing. */
  | { type: 'repeat' }
  | { type: 'location'; lat: number; lon: number }
  /** `own`: the shared contact is the sender's own (Telegram: contact.user_id === from.id). */
  | { type: 'contact'; phone: string; own: boolean }
  /** Something the bot cannot read (a voice note, a photo without words, an edit …): told what to do instead. */
  | { type: 'unsupported'; kind: UnsupportedKind };

/**
 * What a person sent that is no text, button, location or contact. `edit`: a message changed after it was
 * answered. A photo, video or document with words under it is no such thing: the words are the message.
 */
export const UNSUPPORTED_KINDS = ['voice', 'audio', 'image', 'video', 'sticker', 'document', 'poll', 'dice', 'edit', 'other'] as const;
export type UnsupportedKind = (typeof UNSUPPORTED_KINDS)[number];

export interface InboundEvent {
  channel: Channel;
  /** Whose conversation this is, e.g. "telegram:12345", "whatsapp:+49151…", "voice:CA…". */
  conversationKey: string;
  /** Who is speaking, for recognising customers, producers and staff; null for a withheld number. */
  identity: Identity | null;
  /** Display name the provider gave, if any (a suggestion only). */
  profileName?: string | null;
  payload: InboundPayload;
  receivedAt: Date;
}

/** A message as a key and parameters; rendered per locale and medium. */
export interface Reply {
  key: string;
  params?: Record<string, ReplyParam>;
}

/** Parameters are rendered by medium: money as "3,50 €" or "3 Euro 50", dates as words when spoken. */
export type ReplyParam =
  | string
  | number
  | { money: number }
  | { date: string }
  | { time: string }
  | { quantity: number; unit: string }
  | { digits: string }
  /** A phone number: written as given, spoken in groups the way Germans say them ("0 3 5, 4 6, 1 2 …"). */
  | { phone: string }
  | { list: ReplyParam[] }
  /** Several messages rendered one per line (written) or one after another (spoken). */
  | { lines: Reply[] }
  | { raw: string };

export interface Choice {
  /** Stable id, short enough for Telegram callback data (≤ 64 bytes). */
  id: string;
  label: Reply;
}

export type Expectation = 'text' | 'number' | 'yes_no' | 'choice' | 'phone' | 'location' | 'none';

export type TurnStatus = 'waiting' | 'handoff' | 'ended';

export interface TurnResult {
  status: TurnStatus;
  language: Language;
  replies: Reply[];
  choices: Choice[];
  expect: Expectation;
  /** Words a speech recogniser should expect next (e.g. this week's product names). */
  speechHints: string[];
  /** Set when status is 'handoff': the office to connect to. */
  handoff?: { phone: string; hours: string; open: boolean };
  /** After repeated misunderstanding: the phone says it again more slowly. */
  slow?: boolean;
  /** The choices are the main menu, which a chat may keep at hand. */
  menu?: boolean;
  /** Spoken turns: whether a person can take the call now (the phone then offers 0). */
  reachable?: boolean;
}

/** Plain JSON, as the conversation state stores it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Written (chat) or spoken (phone) rendering. */
export type Medium = 'written' | 'spoken';
