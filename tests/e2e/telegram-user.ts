/**
 * One Telegram user talking to the real app through its webhook, as Telegram
 * would: updates POSTed, answers read back from the Bot API double, buttons
 * pressed with the callback_data of the keyboards the bot actually sent, on the
 * message they sit on.
 */
import type { Update, User } from 'grammy/types';
import { expect } from 'vitest';
import type { StoredMessage } from '../doubles/telegram-bot-api.ts';
import { expectInConversation, WEBHOOK_SECRET, type E2e } from './app.ts';

interface Button { text: string; callback_data?: string }

function buttonsOf(message: StoredMessage): Button[] {
  return (message.reply_markup?.inline_keyboard.flat() ?? []) as Button[];
}

/** Telegram numbers the updates of all chats with a bot in one sequence. */
let sharedNextUpdateId = 1;

export interface TelegramUserOptions {
  /** The first update_id this user's updates get (a range of its own); without it, one sequence for every user of the file. */
  firstUpdateId?: number;
  /**
   * Re-send an update while the webhook answers 503, after this pause, as Telegram does
   * with a webhook that failed; without it one answer is taken as it comes.
   */
  redeliverAfterMs?: number;
}

/** Telegram gives up on an update after a day; a test gives up much sooner. */
const MAX_DELIVERIES = 200;

/** One Telegram user talking to the bot through the webhook. */
export class TelegramUser {
  readonly transcript: string[] = [];
  /** What the bot sent in answer to the last update posted. */
  last: string[] = [];
  /** How many of the bot's calls to this chat are already in the transcript. */
  private seenCalls = 0;
  /** The id of the user's last message, which an edit changes. */
  private lastMessageId: number | null = null;
  private ownNextUpdateId: number | null;

  constructor(private readonly e2e: E2e, readonly user: User, private readonly options: TelegramUserOptions = {}) {
    this.ownNextUpdateId = options.firstUpdateId ?? null;
  }

  private nextUpdateId(): number {
    if (this.ownNextUpdateId === null) return sharedNextUpdateId++;
    return this.ownNextUpdateId++;
  }

  private calls() {
    return this.e2e.api.calls.filter((call) => call.ok && call.chatId === this.user.id && call.method === 'sendMessage');
  }

  /** POSTs an update as Telegram would; re-sending an update_id models Telegram's redelivery. */
  async post(update: Update, secret: string = WEBHOOK_SECRET) {
    const send = () => this.e2e.app.server.inject({
      method: 'POST',
      url: '/telegram',
      headers: { 'x-telegram-bot-api-secret-token': secret },
      payload: update,
    });
    let response = await send();
    for (let delivery = 1; this.options.redeliverAfterMs !== undefined && response.statusCode === 503; delivery += 1) {
      if (delivery >= MAX_DELIVERIES) throw new Error(`update ${update.update_id} still refused after ${delivery} deliveries`);
      await new Promise((resolve) => setTimeout(resolve, this.options.redeliverAfterMs));
      response = await send();
    }
    this.last = this.calls().slice(this.seenCalls).map((call) => String(call.text));
    this.transcript.push(...this.last.map((text) => `< ${text}`));
    this.seenCalls = this.calls().length;
    return response;
  }

  private message(content: Record<string, unknown>, label: string): Update {
    this.transcript.push(`> ${label}`);
    const id = this.nextUpdateId();
    this.lastMessageId = id;
    return {
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(this.e2e.clock.now().getTime() / 1000),
        chat: { id: this.user.id, type: 'private', first_name: this.user.first_name },
        from: this.user,
        ...content,
      },
    } as Update;
  }

  says(text: string) { return this.post(this.message({ text }, text)); }

  /** Sends a message of any other kind (a voice note, a photo with or without caption, a sticker …). */
  sends(content: Record<string, unknown>, label: string) { return this.post(this.message(content, label)); }

  /** Changes the text of the user's last message, as Telegram reports an edit: a new update with `edited_message`. */
  edits(text: string) {
    if (this.lastMessageId === null) throw new Error('nothing sent yet to edit');
    this.transcript.push(`> (edits last message to) ${text}`);
    const id = this.nextUpdateId();
    const date = Math.floor(this.e2e.clock.now().getTime() / 1000);
    return this.post({
      update_id: id,
      edited_message: {
        message_id: this.lastMessageId,
        date,
        edit_date: date,
        chat: { id: this.user.id, type: 'private', first_name: this.user.first_name },
        from: this.user,
        text,
      },
    } as Update);
  }

  sharesLocation(latitude: number, longitude: number) {
    return this.post(this.message({ location: { latitude, longitude } }, `location ${latitude},${longitude}`));
  }

  /** The bot's newest message in this chat that still shows inline buttons, as the chat shows it now. */
  keyboardMessage(): StoredMessage {
    const message = this.e2e.api.messages(this.user.id).filter((candidate) => candidate.reply_markup).at(-1);
    if (!message) throw new Error(`no message with buttons; conversation so far:\n${this.transcript.join('\n')}`);
    return message;
  }

  /** The buttons of the newest message that still shows some. */
  buttons(): Button[] {
    return buttonsOf(this.keyboardMessage());
  }

  /** Presses the button whose text matches, sending its callback_data back as Telegram does. */
  presses(label: RegExp) {
    return this.pressesOn(this.keyboardMessage(), label);
  }

  /** Presses a button of `message`, however old: Telegram sends the button's data with the message it sits on. */
  pressesOn(message: StoredMessage, label: RegExp) {
    return this.post(this.press(message, label));
  }

  /** The update a press on a button of `message` makes, with the next update_id; several can be made before any is sent. */
  press(message: StoredMessage, label: RegExp): Update {
    const button = buttonsOf(message).find((candidate) => label.test(candidate.text));
    if (!button?.callback_data) throw new Error(`no button ${label}; conversation so far:\n${this.transcript.join('\n')}`);
    this.transcript.push(`> [${button.text}]`);
    const id = this.nextUpdateId();
    return {
      update_id: id,
      callback_query: {
        id: `cq-${id}`,
        from: this.user,
        chat_instance: 'e2e',
        data: button.callback_data,
        message: {
          message_id: message.message_id,
          date: Math.floor(this.e2e.clock.now().getTime() / 1000),
          chat: { id: this.user.id, type: 'private', first_name: this.user.first_name },
          from: { id: 1, is_bot: true, first_name: 'Marktbote' },
          text: message.text,
          reply_markup: message.reply_markup,
        },
      },
    } as Update;
  }

  /** The buttons of the newest reply keyboard (the main menu) the bot sent to this chat. */
  keyboard(): Array<{ text: string }> {
    const withKeyboard = this.calls().filter((call) => (call.params.reply_markup as { keyboard?: unknown })?.keyboard);
    const markup = withKeyboard.at(-1)?.params.reply_markup as { keyboard: Array<Array<{ text: string }>> } | undefined;
    return markup?.keyboard.flat() ?? [];
  }

  /** Taps a reply-keyboard button: Telegram sends its text as the user's message. */
  async taps(label: RegExp) {
    const button = this.keyboard().find((candidate) => label.test(candidate.text));
    if (!button) throw new Error(`no keyboard button ${label}; conversation so far:\n${this.transcript.join('\n')}`);
    return this.post(this.message({ text: button.text }, `[${button.text}]`));
  }

  /** Every text the bot sent to this chat, as the user sees it. */
  received(): string[] {
    return this.e2e.api.sent(this.user.id);
  }

  hears(pattern: RegExp) {
    expectInConversation(this.transcript, this.received().join('\n'), pattern);
  }

  /** The answer to the last update, all its messages as one text, matches. */
  hearsNow(pattern: RegExp) {
    expectInConversation(this.transcript, this.last.join('\n'), pattern);
  }

  doesNotHear(pattern: RegExp) {
    expect(this.received().join('\n'), `conversation so far:\n${this.transcript.join('\n')}`).not.toMatch(pattern);
  }

  /** `message` as the chat shows it now. */
  messageNow(message: StoredMessage): StoredMessage {
    return this.e2e.api.messages(this.user.id).find((candidate) => candidate.message_id === message.message_id)!;
  }
}
