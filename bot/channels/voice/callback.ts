/**
 * The call back to a number a withheld caller keyed in. The callee hears who
 * calls and why, then Twilio fetches the phone line's own first prompt: on a
 * call we placed, the line takes the number we called as the caller's
 * identity (plugin.ts), since only we chose it and only its holder answers.
 */
import twilio from 'twilio';
import type { OutboxMessage } from '../../../catalog/outbox.ts';
import { sayAttributes, type ReminderCallOptions } from './reminder.ts';

/** The phone line's answer route, where a callback continues as an ordinary call. */
export function answerUrl(publicUrl: string): string {
  return `${publicUrl}/twilio/voice`;
}

/** TwiML of a callback: the reason for the call, then the phone line from its greeting. */
export function renderCallbackCall(message: OutboxMessage, options: ReminderCallOptions): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(
    sayAttributes(message.language, options.voice),
    options.text(message.language, 'spoken', `jobs:${message.payload.key}`, message.payload.params),
  );
  response.redirect({ method: 'POST' }, answerUrl(options.publicUrl));
  return response.toString();
}
