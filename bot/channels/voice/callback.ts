/**
 * The call back to a number a withheld caller keyed in. The callee hears who
 * calls and why, then Twilio fetches the phone line's own first prompt: on a
 * call we placed, the line takes the number we called as the caller's
 * identity (plugin.ts), since only we chose it and only its holder answers.
 */
import type { OutboxMessage } from '../../../catalog/outbox.ts';
import { redirect, say, sayAttributes } from './render.ts';
import type { ReminderCallOptions } from './reminder.ts';
import { response } from '../twilio/twiml.ts';

/** The phone line's answer route, where a callback continues as an ordinary call. */
export function answerUrl(publicUrl: string): string {
  return `${publicUrl}/twilio/voice`;
}

/** TwiML of a callback: the reason for the call, then the phone line from its greeting. */
export function renderCallbackCall(message: OutboxMessage, options: ReminderCallOptions): string {
  return response(
    say(
      sayAttributes(message.language, options.voice),
      options.text(message.language, 'spoken', `jobs:${message.payload.key}`, message.payload.params),
    ),
    redirect(answerUrl(options.publicUrl)),
  );
}
