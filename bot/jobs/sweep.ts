/**
 * One pass over the outbox: claim what is due, drop what came too late, send
 * the rest and record the outcome. Claiming is atomic in the database, so any
 * number of processes may sweep at once without sending a message twice.
 */
import type { OutboxMessage, OutboxRepository } from '../../catalog/outbox.ts';
import type { Clock } from '../../catalog/ports.ts';
import type { ReminderChannel } from '../../catalog/types.ts';
import type { ChannelMetrics, Logger } from '../types.ts';

/** A refusal that will repeat (the user blocked the bot, the number does not exist): no retry. */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
}

/** The message must not go out, now or later (e.g. WhatsApp allows no free text outside 24 hours): skipped, with the reason. */
export class SkipMessage extends Error {
  override name = 'SkipMessage';
}

/** Delivers one message on its channel; throws SkipMessage, PermanentSendError, or any error for a retry. */
export type Sender = (message: OutboxMessage) => Promise<void>;
export type Senders = Partial<Record<ReminderChannel, Sender>>;

export const MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 3_600_000;
export const DEFAULT_SWEEP_LIMIT = 50;

export interface SweepDependencies {
  outbox: OutboxRepository;
  senders: Senders;
  clock: Clock;
  log: Logger;
  /** Counts each message's outcome by its kind (outbound_total). */
  metrics?: Pick<ChannelMetrics, 'outbound'>;
  limit?: number;
}

export interface SweepResult {
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
}

/** When to try again after the `attempts`-th attempt failed: 1, 2, 4 … minutes, at most an hour; null: give up. */
export function retryAt(attempts: number, now: Date): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return new Date(now.getTime() + Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_RETRY_MS));
}

/** Sends one claimed message and records how it went. */
async function deliver(message: OutboxMessage, { outbox, senders, clock, log, metrics }: SweepDependencies, result: SweepResult): Promise<void> {
  const context = { outboxId: message.id, key: message.key, channel: message.recipient.channel, attempt: message.attempts };
  const count = (outcome: 'sent' | 'failed' | 'skipped') => metrics?.outbound(message.recipient.channel, message.kind, outcome);
  if (message.notAfter !== null && clock.now() >= message.notAfter) {
    await outbox.markSkipped(message.id, 'too late');
    result.skipped += 1;
    count('skipped');
    return;
  }
  const send = senders[message.recipient.channel];
  try {
    if (!send) throw new PermanentSendError(`no sender for ${message.recipient.channel}`);
    await send(message);
    count('sent');
    await outbox.markSent(message.id, clock.now());
    result.sent += 1;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof SkipMessage) {
      await outbox.markSkipped(message.id, reason);
      result.skipped += 1;
      count('skipped');
      log.info({ ...context, reason }, 'outbound message skipped');
      return;
    }
    count('failed');
    const again = error instanceof PermanentSendError ? null : retryAt(message.attempts, clock.now());
    await outbox.markFailed(message.id, reason, again);
    if (again) {
      result.retried += 1;
      log.warn({ ...context, reason, retryAt: again.toISOString() }, 'outbound message failed, will retry');
    } else {
      result.failed += 1;
      log.error({ ...context, reason }, 'outbound message failed for good');
    }
  }
}

/**
 * Sends every message due now, once, a batch of `limit` claims at a time until
 * none is left: after downtime the backlog goes out in one sweep, at the pace
 * the senders keep. Small batches keep few messages in 'sending' at any moment.
 */
export async function sweepOutbox(dependencies: SweepDependencies): Promise<SweepResult> {
  const { outbox, clock, limit = DEFAULT_SWEEP_LIMIT } = dependencies;
  const result: SweepResult = { sent: 0, skipped: 0, retried: 0, failed: 0 };
  for (let batch = await outbox.claimDue(clock.now(), limit); batch.length > 0; batch = await outbox.claimDue(clock.now(), limit)) {
    for (const message of batch) await deliver(message, dependencies, result);
  }
  return result;
}
