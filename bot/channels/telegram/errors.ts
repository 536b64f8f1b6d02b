/** How Telegram errors are told apart, counted and logged. */
import { BotError, GrammyError, HttpError, type Transformer } from 'grammy';

/**
 * A Bot API transformer that tells `count` of every call that failed: the Bot
 * API's error code (400, 403, 429 …), or 'network' when no answer came. Install
 * it before auto-retry, so that each attempt is counted.
 */
export function countingFailures(count: (status: string) => void): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const response = await prev(method, payload, signal);
      if (!response.ok) count(String(response.error_code));
      return response;
    } catch (error) {
      count('network');
      throw error;
    }
  };
}

/** Bot API refusals that will repeat for this chat: the user blocked us or the chat is gone. */
export function isUnreachableChat(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 403 || (err.error_code === 400 && /chat not found/i.test(err.description)));
}

/**
 * Bot API refusals of an edit with nothing left to do: the keyboard is already gone (a second press of it was
 * answered first), or so is the message.
 */
export function isSpentEdit(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400
    && /message is not modified|message to edit not found|message can't be edited/i.test(err.description);
}

/** The metrics kind of a failed turn: the Bot API or the network said no, or our own code failed. */
export function failureKind(err: unknown): 'send' | 'turn' {
  return err instanceof GrammyError || err instanceof HttpError ? 'send' : 'turn';
}

/**
 * What to log about an error. grammY attaches the request payload or the whole
 * update, which hold what the user wrote; those stay out of the logs.
 */
export function loggable(err: unknown): object {
  const cause = err instanceof BotError ? err.error : err;
  if (cause instanceof GrammyError) return { method: cause.method, code: cause.error_code, description: cause.description };
  if (cause instanceof Error) return { name: cause.name, message: cause.message, stack: cause.stack };
  return { error: String(cause) };
}
