import { describe, expect, it } from 'vitest';
import { GrammyError } from 'grammy';
import { failureKind, isUnreachableChat, loggable } from '../../../../bot/channels/telegram/errors.ts';

const refusal = (error_code: number, description: string) =>
  new GrammyError('Call to sendMessage failed', { ok: false, error_code, description }, 'sendMessage', { chat_id: 4711, text: 'Meine Adresse ist Dorfstraße 1' });

describe('telegram errors', () => {
  it('logs a Bot API refusal without the message the user would have received', () => {
    const logged = loggable(refusal(400, 'Bad Request: message is too long'));
    expect(logged).toEqual({ method: 'sendMessage', code: 400, description: 'Bad Request: message is too long' });
    expect(JSON.stringify(logged)).not.toContain('Dorfstraße');
  });

  it('tells blocked and vanished chats from other refusals', () => {
    expect(isUnreachableChat(refusal(403, 'Forbidden: bot was blocked by the user'))).toBe(true);
    expect(isUnreachableChat(refusal(400, 'Bad Request: chat not found'))).toBe(true);
    expect(isUnreachableChat(refusal(400, 'Bad Request: message is too long'))).toBe(false);
    expect(isUnreachableChat(new Error('x'))).toBe(false);
  });

  it('counts a Bot API refusal as a send failure and anything else as a turn failure', () => {
    expect(failureKind(refusal(400, 'Bad Request'))).toBe('send');
    expect(failureKind(new TypeError('engine bug'))).toBe('turn');
  });
});
