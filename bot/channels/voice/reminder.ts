/**
 * Pickup reminder calls. The call reads the reminder slowly, then offers
 * "1" to hear it again and "2" for "I cannot pick up"; Twilio posts the key
 * to POST /twilio/voice/reminder?message=<outbox id>. The answer to "2"
 * cancels the order while that is still allowed (the stock returns) and
 * tells the pickup point's staff either way. Renderers are pure; the answer is
 * safe to repeat, since Twilio may post a key twice.
 */
import { isDomainError } from '../../../catalog/errors.ts';
import type { NewOutboxMessage, OutboxMessage } from '../../../catalog/outbox.ts';
import type { Repositories } from '../../../catalog/ports.ts';
import type { Clock } from '../../../catalog/ports.ts';
import { workRecipient } from '../../../catalog/weekly.ts';
import type { Language, Order } from '../../../catalog/types.ts';
import type { JobText } from '../../types.ts';
import { hangup, renderFailure, say, sayAttributes } from './render.ts';
import { element, response } from '../twilio/twiml.ts';

const GATHER_TIMEOUT_SECONDS = 8;

export interface ReminderCallOptions {
  /** Public base URL, without a trailing slash. */
  publicUrl: string;
  voice: Record<Language, string>;
  text: JobText;
}

/** Where Twilio posts the key pressed during the reminder call of outbox message `messageId`. */
export function reminderAnswerUrl(publicUrl: string, messageId: number): string {
  return `${publicUrl}/twilio/voice/reminder?message=${messageId}`;
}

/** The reminder as the customer hears it. */
function spokenReminder(message: OutboxMessage, text: JobText): string {
  const { params } = message.payload;
  // An order code is said digit by digit, as on the line ("1 0 0 1 7"), not as a number in the ten thousands.
  const spoken = typeof params.code === 'string' ? { ...params, code: params.code.split('').join(' ') } : params;
  return text(message.language, 'spoken', `jobs:${message.payload.key}`, spoken);
}

/**
 * TwiML of a reminder call: the reminder read slowly inside a one-key
 * `<Gather>`, then the two choices; without a key the call says goodbye.
 * `again` starts with "Ich wiederhole" for the caller who pressed 1.
 */
export function renderReminderCall(message: OutboxMessage, options: ReminderCallOptions, again = false): string {
  const { language } = message;
  const voice = sayAttributes(language, options.voice);
  const gather = {
    input: ['dtmf'], numDigits: 1, timeout: GATHER_TIMEOUT_SECONDS, method: 'POST',
    action: reminderAnswerUrl(options.publicUrl, message.id),
  };
  return response(
    element(
      'Gather',
      gather,
      ...(again ? [say(voice, options.text(language, 'spoken', 'jobs:reminder.repeatIntro'))] : []),
      say(voice, spokenReminder(message, options.text), true),
      element('Pause', { length: 1 }),
      say(voice, options.text(language, 'spoken', 'jobs:reminder.callChoices')),
    ),
    say(voice, options.text(language, 'spoken', 'jobs:reminder.goodbye')),
    hangup(),
  );
}

/** Words, then hang up: the same TwiML as the line's apology after a failure. */
export const renderFarewell = renderFailure;

export interface ReminderAnswerDependencies extends ReminderCallOptions {
  repos: Repositories;
  clock: Clock;
  /** The marketplace's cancellation: refuses after the cutoff, returns the stock. */
  cancelOrder(orderId: number, customerId: number): Promise<Order>;
}

/** Answers a key pressed during a reminder call; returns TwiML. */
export type ReminderAnswer = (messageId: number, digits: string) => Promise<string>;

/** Orders the customer may still say they will not collect. */
const COLLECTABLE = new Set<Order['status']>(['placed', 'ready']);

/** A note to each staff member of the order's pickup point that the order stays on the shelf. */
async function tellStaff(deps: ReminderAnswerDependencies, order: Order, cancelled: boolean): Promise<void> {
  const [point, staff] = await Promise.all([
    deps.repos.pickupPoints.get(order.pickupPointId),
    deps.repos.staff.listByPickupPoint(order.pickupPointId),
  ]);
  const messageKey = cancelled ? 'noPickup.cancelled' : 'noPickup.announced';
  const notices = staff.flatMap((member): NewOutboxMessage[] => {
    const recipient = workRecipient(member);
    if (!recipient) return [];
    return [{
      key: `no_pickup:${order.id}:${member.id}`,
      kind: 'no_pickup',
      customerId: null,
      recipient,
      language: 'de',
      payload: { key: messageKey, params: { code: order.code, place: point?.name ?? '' } },
      dueAt: deps.clock.now(),
      notAfter: order.pickupTo,
    }];
  });
  await deps.repos.outbox.enqueue(notices);
}

/** "2": cancel while allowed, otherwise only announce; staff hear of it either way. */
async function declinePickup(deps: ReminderAnswerDependencies, message: OutboxMessage): Promise<string> {
  const farewell = (key: string, code: string) =>
    renderFarewell(deps.text(message.language, 'spoken', key, { code }), message.language, deps.voice);
  const order = await deps.repos.orders.get(Number(message.payload.params.orderId));
  if (!order || order.customerId !== message.customerId) {
    return renderFarewell(deps.text(message.language, 'spoken', 'jobs:reminder.goodbye'), message.language, deps.voice);
  }
  let cancelled = order.status === 'cancelled';
  if (COLLECTABLE.has(order.status)) {
    try {
      await deps.cancelOrder(order.id, order.customerId);
      cancelled = true;
    } catch (error) {
      // After the cutoff the goods are packed: the order stays, and the shop knows not to wait.
      if (!isDomainError(error, 'CYCLE_CLOSED') && !isDomainError(error, 'ORDER_NOT_CHANGEABLE')) throw error;
    }
  }
  if (cancelled || COLLECTABLE.has(order.status)) await tellStaff(deps, order, cancelled);
  return farewell(cancelled ? 'jobs:reminder.cancelled' : 'jobs:reminder.notCollecting', order.code);
}

/** The answers to the reminder call's keys: 1 repeats, 2 declines, anything else ends the call. */
export function reminderAnswer(deps: ReminderAnswerDependencies): ReminderAnswer {
  return async (messageId, digits) => {
    const message = await deps.repos.outbox.get(messageId);
    if (!message || message.kind !== 'pickup_reminder') {
      return renderFarewell(deps.text('de', 'spoken', 'jobs:reminder.goodbye'), 'de', deps.voice);
    }
    // 9 repeats, as everywhere on the line; 1 did before and still does.
    if (digits === '9' || digits === '1') return renderReminderCall(message, deps, true);
    if (digits === '2') return declinePickup(deps, message);
    return renderFarewell(deps.text(message.language, 'spoken', 'jobs:reminder.goodbye'), message.language, deps.voice);
  };
}
