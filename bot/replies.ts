/**
 * Replies that leave by a provider's API after the turn committed (Telegram):
 * never lost, never apologised for. The turn keeps its reply beside its delivery
 * record, in the same commit (bot/turn.ts). The channel then sends it at once;
 * when the provider took it, the ledger settles it (batched, off the turn's
 * path); when sending failed, what is left goes to the outbox, whose sweep
 * retries with backoff until the provider takes it. A reply whose process died
 * before either is found by `rescueReplies` (the minute's jobs) and goes to the
 * outbox the same way.
 *
 * Once, not twice: the outbox key is the delivery's, so a reply handed over
 * twice is enqueued once. The price of a crash after the provider took a reply
 * and before its settling was written (at most SETTLE_DELAY_MS) is that reply
 * sent again: at least once, as the outbox is.
 */
import type { NewOutboxMessage, OutboxRepository } from '../catalog/outbox.ts';
import type { Clock, DeliveryLog } from '../catalog/ports.ts';
import type { KeptReply, Logger } from './types.ts';

/** The outbox payload key of a reply; its messages travel as JSON in `params.messages`. */
export const REPLY_PAYLOAD_KEY = 'reply';
/** Settled replies are written together, after this long, in one statement. */
const SETTLE_DELAY_MS = 200;
/** A reply still kept after this long was left by a process that died (a turn sends within seconds). */
export const RESCUE_AFTER_MS = 60_000;
/** After a day the answer to a message is no answer any more. */
const REPLY_USEFUL_MS = 24 * 3_600_000;
const RESCUED_PER_RUN = 500;

export interface ReplyLedger {
  /** The provider took every message of the reply to `deliveryKey`. */
  sent(deliveryKey: string): void;
  /** Sending the reply to `deliveryKey` failed after its first `sentMessages` messages: the rest goes through the outbox. */
  later(deliveryKey: string, reply: KeptReply, sentMessages: number): Promise<void>;
  /** Writes what is settled so far; at shutdown. */
  flush(): Promise<void>;
}

function outboxMessage(deliveryKey: string, reply: KeptReply, sentMessages: number, now: Date): NewOutboxMessage {
  return {
    key: `reply:${deliveryKey}`,
    kind: 'reply',
    customerId: null,
    recipient: reply.recipient,
    language: reply.language,
    payload: { key: REPLY_PAYLOAD_KEY, params: { messages: JSON.stringify(reply.messages.slice(sentMessages)) } },
    dueAt: now,
    notAfter: new Date(now.getTime() + REPLY_USEFUL_MS),
  };
}

interface HandOver {
  deliveries: DeliveryLog;
  outbox: OutboxRepository;
}

/** Enqueues the replies, then forgets them beside their deliveries: a crash between the two only enqueues them again, which changes nothing. */
async function handOver(deps: HandOver, messages: Array<{ deliveryKey: string; message: NewOutboxMessage }>): Promise<void> {
  if (messages.length === 0) return;
  await deps.outbox.enqueue(messages.map((m) => m.message));
  await deps.deliveries.settleReplies(messages.map((m) => m.deliveryKey));
}

/** Hands the replies kept since before `now` − RESCUE_AFTER_MS, whose process stopped before sending them, to the outbox; returns how many. */
export async function rescueReplies(deps: HandOver & { log: Logger }, now: Date): Promise<number> {
  const kept = await deps.deliveries.unsettledReplies(new Date(now.getTime() - RESCUE_AFTER_MS), RESCUED_PER_RUN);
  const messages = kept.map(({ key, reply }) => ({ deliveryKey: key, message: outboxMessage(key, JSON.parse(reply) as KeptReply, 0, now) }));
  await handOver(deps, messages);
  if (messages.length > 0) deps.log.warn({ replies: messages.length }, 'replies left unsent by a process that stopped; handed to the outbox');
  return messages.length;
}

export function createReplyLedger(deps: HandOver & {
  clock: Clock;
  log: Logger;
  /** Asks the outbox to sweep soon, for a reply someone waits for. */
  sweepSoon?: () => void;
}): ReplyLedger {
  const { deliveries, clock, log } = deps;
  let settled: string[] = [];
  let timer: NodeJS.Timeout | null = null;

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const keys = settled;
    settled = [];
    try {
      await deliveries.settleReplies(keys);
    } catch (error) {
      // Unsettled, a reply is rescued and sent once more: a duplicate message, not a lost one.
      log.warn({ err: error, replies: keys.length }, 'settling sent replies failed');
    }
  }

  return {
    sent(deliveryKey) {
      settled.push(deliveryKey);
      timer ??= setTimeout(() => void flush(), SETTLE_DELAY_MS);
    },
    async later(deliveryKey, reply, sentMessages) {
      await handOver(deps, [{ deliveryKey, message: outboxMessage(deliveryKey, reply, sentMessages, clock.now()) }]);
      deps.sweepSoon?.();
    },
    flush,
  };
}
