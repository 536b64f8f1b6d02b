/** Telegram updates as the Bot API sends them, for adapter and webhook tests. */
import type { Update, User } from 'grammy/types';

export const ANNA: User = { id: 4711, is_bot: false, first_name: 'Anna', language_code: 'de' };
export const PAUL: User = { id: 4712, is_bot: false, first_name: 'Paul', language_code: 'en' };

/** A private message from `from` with the given content (text, contact, location …). */
export function messageUpdate(updateId: number, content: Record<string, unknown>, overrides: Record<string, unknown> = {}, from: User = ANNA): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_772_442_000,
      chat: { id: from.id, type: 'private', first_name: from.first_name },
      from,
      ...content,
      ...overrides,
    },
  } as Update;
}

/**
 * A press on an inline button of one of our messages; `data` undefined models a game button. `message` is the
 * message the button sits on, as Telegram sends it along (its id and keyboard at the time of the press).
 */
export function callbackUpdate(
  updateId: number,
  data: string | undefined,
  from: User = ANNA,
  message: { message_id: number; text?: string; reply_markup?: unknown } = { message_id: 1, text: 'Was darf es sein?' },
): Update {
  return {
    update_id: updateId,
    callback_query: {
      id: `cq-${updateId}`,
      from,
      chat_instance: 'ci',
      data,
      message: {
        date: 1_772_442_000,
        chat: { id: from.id, type: 'private', first_name: from.first_name },
        from: { id: 1, is_bot: true, first_name: 'Marktbote' },
        ...message,
      },
    },
  } as Update;
}
