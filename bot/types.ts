/**
 * What every channel adapter gets from the composition root. Channels turn a
 * provider request into an `InboundEvent`, call `turn`, and render the result
 * in their medium; they never touch the database or the engine directly.
 */
import type { OutboxKind, OutboxRecipient } from '../catalog/outbox.ts';
import type { DatabaseFault } from '../catalog/ports.ts';
import type { Channel, Language, ReminderChannel } from '../catalog/types.ts';
import type { Expectation, InboundEvent, Medium, TurnStatus } from '../flows/index.ts';

/** A turn's result with every text already rendered for the channel's locale and medium. */
export interface RenderedTurn {
  status: TurnStatus;
  language: Language;
  /** Plain text, one entry per message. May contain `*bold*` spans from our own templates only. */
  messages: string[];
  choices: Array<{ id: string; label: string }>;
  expect: Expectation;
  speechHints: string[];
  handoff?: { phone: string; hours: string; open: boolean };
  /** After repeated misunderstanding: the phone says it again more slowly (SSML prosody). */
  slow?: boolean;
  /** The choices are the main menu (Telegram keeps it at hand as a reply keyboard). */
  menu?: boolean;
  /** Spoken turns: whether a person can take the call now, so the phone offers 0. */
  reachable?: boolean;
  /** Nothing of the turn was saved (our error, or the conversation kept changing): the person may send the same again. */
  unsaved?: true;
}

/** A reply as kept with its turn (bot/replies.ts): the channel's own messages (e.g. Telegram sendMessage parameters), ready to send again. */
export interface KeptReply {
  recipient: OutboxRecipient;
  language: Language;
  messages: unknown[];
}

export interface TurnOptions {
  /**
   * The provider's delivery id (Telegram update_id, Twilio MessageSid, CallSid + step).
   * A key seen before makes `turn` return null without any effect.
   */
  deliveryKey: string | null;
  medium: Medium;
  /**
   * For a channel that sends its reply by API after the turn (Telegram): the reply as the channel will send it,
   * kept with the delivery in the turn's commit so that it cannot be lost (bot/replies.ts). Needs a delivery key.
   */
  keep?: (turn: RenderedTurn) => KeptReply;
}

/**
 * One turn: load state → understand → engine → save → render. Never throws for
 * user input or our own bugs (those become an apology); throws `TurnUnavailable`
 * when the database could not be reached.
 */
export type TurnHandler = (event: InboundEvent, options: TurnOptions) => Promise<RenderedTurn | null>;

/**
 * A turn that could not run because the database is gone for a moment: its
 * state was not saved and its delivery not recorded, so a re-delivery runs it
 * anew (what it did before failing, such as placing an order, is idempotent). Each channel says "try again" in its own way and, where the provider
 * re-delivers (Telegram), asks for that.
 */
export class TurnUnavailable extends Error {
  override name = 'TurnUnavailable';

  constructor(readonly fault: DatabaseFault, options: { cause: unknown }) {
    super(`the database is unavailable (${fault})`, options);
  }
}

/** Per-sender flood limit: one sender's flood never slows the others. */
export interface FloodLimiter {
  /** True when this sender may have another turn now; counts the attempt. */
  allow(senderKey: string, at?: Date): boolean;
  /**
   * Gives back the turn `allow` counted last: it did not happen (the database was
   * away), and the provider's re-delivery of it must not count as a flood.
   */
  refund(senderKey: string): void;
}

/** A channel a message goes out on: a turn's channel, or an outbox message's (SMS, call …). */
export type OutboundChannel = Channel | ReminderChannel;
/** `reply`: an answer within a turn; otherwise the outbox kind of a message the bot sent on its own. */
export type OutboundKind = 'reply' | OutboxKind;
export type Provider = 'telegram' | 'twilio';

export interface ChannelMetrics {
  /** One turn and how long it took; called by the turn handler (bot/turn.ts) alone, so channels never count a turn again. */
  turn(channel: Channel, seconds: number): void;
  error(channel: Channel, kind: string): void;
  /** Messages (one by default) that went out, or failed to, or were skipped, on `channel`. */
  outbound(channel: OutboundChannel, kind: OutboundKind, outcome: 'sent' | 'failed' | 'skipped', messages?: number): void;
  /** One call to a provider's API that failed: its HTTP status or Bot API error code, or 'network'. */
  providerFailure(provider: Provider, status: string): void;
}

/**
 * Renders a message key, e.g. of the `jobs` namespace, in a language and medium:
 * outbox messages and reminder calls are worded when they go out, not when planned.
 */
export type JobText = (language: Language, medium: Medium, key: string, params?: Record<string, string | number>) => string;

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}

export interface ChannelContext {
  turn: TurnHandler;
  limiter: FloodLimiter;
  metrics: ChannelMetrics;
  log: Logger;
  /**
   * Channel chrome text from the locales, e.g. `text('de', 'channels:whatsapp.replyWith', { list: '1, 2 oder 3' })`.
   * Keys live in locales/<language>/<namespace>.json.
   */
  text: (language: Language, key: string, params?: Record<string, string | number>) => string;
}
