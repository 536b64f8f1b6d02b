/**
 * Send rates the providers allow. Telegram asks bots for at most 30 messages a
 * second overall and one a second per chat; Twilio queues what an account
 * sends above its rate, so we stay at the configured one. A token bucket per
 * limit: each send takes a token, and a caller without one sleeps until the
 * bucket has refilled. Clock and sleep are injected so tests need not wait.
 */
import type { OutboxMessage } from '../../catalog/outbox.ts';
import type { ReminderChannel } from '../../catalog/types.ts';

export interface Timer {
  /** Milliseconds on any steady scale. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimer: Timer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Telegram's 30 per second leaves no room for the replies the bot sends to
 * customers' own messages at the same time, nor for network jitter, which can
 * bunch requests that left evenly spaced.
 */
export const TELEGRAM_SENDS_PER_SECOND = 25;
export const TELEGRAM_SENDS_PER_CHAT_PER_SECOND = 1;

export interface TokenBucket {
  /** Resolves when a token is free, and takes it. */
  take(): Promise<void>;
  /** True when the bucket is full, so forgetting it changes nothing. */
  idle(): boolean;
}

/**
 * A bucket of `burst` tokens refilled at `perSecond`. Waiting callers reserve
 * their token up front (the count goes negative), so callers that arrive
 * together are spaced out rather than all woken at once.
 */
export function tokenBucket(perSecond: number, timer: Timer, burst = 1): TokenBucket {
  let tokens = burst;
  let refilledAt = timer.now();
  const refill = () => {
    const now = timer.now();
    tokens = Math.min(burst, tokens + ((now - refilledAt) * perSecond) / 1000);
    refilledAt = now;
  };
  return {
    async take() {
      refill();
      tokens -= 1;
      if (tokens < 0) await timer.sleep((-tokens * 1000) / perSecond);
    },
    idle() {
      refill();
      return tokens >= burst;
    },
  };
}

/** Waits until the message may go out on its channel. */
export type Pace = (message: Pick<OutboxMessage, 'recipient'>) => Promise<void>;

export interface SendRates {
  /** Twilio messages and calls per second, all channels together. */
  twilioPerSecond: number;
}

/** Above this many remembered chats, the full (idle) buckets are forgotten. */
const CHAT_BUCKETS_KEPT = 10_000;

/** One limit per chat on top of one limit for all chats. */
function perChat(overall: TokenBucket, perSecond: number, timer: Timer): Pace {
  const chats = new Map<string, TokenBucket>();
  return async ({ recipient }) => {
    let chat = chats.get(recipient.address);
    if (!chat) {
      if (chats.size >= CHAT_BUCKETS_KEPT) {
        for (const [address, bucket] of chats) if (bucket.idle()) chats.delete(address);
      }
      chat = tokenBucket(perSecond, timer);
      chats.set(recipient.address, chat);
    }
    await chat.take();
    await overall.take();
  };
}

/** The pacing of every channel: Telegram overall and per chat, Twilio's channels sharing one account rate. */
export function createPacing(rates: SendRates, timer: Timer = realTimer): Record<ReminderChannel, Pace> {
  const telegram = perChat(tokenBucket(TELEGRAM_SENDS_PER_SECOND, timer), TELEGRAM_SENDS_PER_CHAT_PER_SECOND, timer);
  const twilioAccount = tokenBucket(rates.twilioPerSecond, timer);
  const twilio: Pace = () => twilioAccount.take();
  return { telegram, whatsapp: twilio, sms: twilio, call: twilio };
}
