/**
 * The durable outbox: every message the bot starts on its own (reminders,
 * lists, offers) is first written here and sent by a sweep. A restart forgets
 * nothing, and the idempotency key plus the atomic claim mean nothing is sent
 * twice, even with two instances sweeping the same database.
 */
import type { Language, ReminderChannel } from './types.ts';

export const OUTBOX_KINDS = [
  'pickup_reminder', 'picklist', 'handout_list', 'weekly_offer', 'order_nudge', 'no_pickup', 'verification_code', 'callback', 'callback_request',
  // A turn's answer the provider did not take at once (bot/replies.ts): not our initiative, but owed all the same.
  'reply',
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/**
 * Kinds whose parameters hold a secret (a one-time code). The parameters stay
 * only until the message is settled (sent, skipped or failed for good); then the
 * payload becomes REDACTED_PAYLOAD, so the code does not outlive its SMS.
 */
export const SECRET_KINDS: readonly OutboxKind[] = ['verification_code'];
export const REDACTED_PAYLOAD: OutboxPayload = { key: 'redacted', params: {} };

export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxRecipient {
  channel: ReminderChannel;
  /** Telegram chat id, or an E.164 number for WhatsApp, SMS and calls. */
  address: string;
}

/** What to say, as a message key of the `jobs` namespace and its parameters; rendered at send time. */
export interface OutboxPayload {
  key: string;
  params: Record<string, string | number>;
}

export interface NewOutboxMessage {
  /** Idempotency key: enqueueing the same key again changes nothing. */
  key: string;
  kind: OutboxKind;
  customerId: number | null;
  recipient: OutboxRecipient;
  language: Language;
  payload: OutboxPayload;
  dueAt: Date;
  /** After this instant the message is pointless (e.g. the pickup began) and is skipped. */
  notAfter: Date | null;
}

export interface OutboxMessage extends NewOutboxMessage {
  id: number;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
}

/**
 * A message still 'sending' this long after its claim was left by a process
 * that crashed, and is claimed again. The price: a crash after the provider
 * accepted a message but before `markSent` sends it twice (at-least-once);
 * without reclaiming, such a message would never be sent at all. Ten minutes
 * is far longer than any sweep takes over one claimed batch.
 */
export const RECLAIM_AFTER_MS = 10 * 60_000;

/** What the outbox owes: messages due and not yet settled (pending, or being sent). */
export interface OutboxBacklog {
  messages: number;
  /** When the longest-waiting of them fell due; null when there is none. */
  oldestDueAt: Date | null;
}

export interface OutboxRepository {
  /** Inserts the messages whose key is new, all in one transaction; returns how many were inserted. */
  enqueue(messages: NewOutboxMessage[]): Promise<number>;
  /**
   * Atomically moves up to `limit` messages to sending, counting an attempt:
   * pending ones due at `now`, and ones claimed RECLAIM_AFTER_MS or longer ago
   * and never settled. A message is handed to one claimer only, across processes.
   */
  claimDue(now: Date, limit: number): Promise<OutboxMessage[]>;
  get(id: number): Promise<OutboxMessage | null>;
  markSent(id: number, at: Date): Promise<void>;
  /** Records the error; `retryAt` puts it back to pending then, null fails it for good. */
  markFailed(id: number, error: string, retryAt: Date | null): Promise<void>;
  markSkipped(id: number, reason: string): Promise<void>;
  /** Messages by id, optionally only those in `state`. */
  list(state?: OutboxState): Promise<OutboxMessage[]>;
  /** The messages due by `now` and not yet settled, and how long the oldest has waited (one indexed query). */
  backlog(now: Date): Promise<OutboxBacklog>;
}
