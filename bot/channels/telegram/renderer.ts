/**
 * RenderedTurn → Telegram sendMessage parameters. Pure: no Bot API, no clock,
 * so every layout rule is tested without HTTP.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { RenderedTurn } from '../../types.ts';

/** Telegram refuses messages above 4,096 characters after entity parsing; the HTML source is never shorter. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;
/** Telegram's limit for callback_data, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;
/** Labels up to this length fit two buttons side by side on a phone screen. */
const SHORT_LABEL = 18;
const BOLD_OPEN = '<b>';
const BOLD_CLOSE = '</b>';

export type TelegramReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

export interface TelegramMessage {
  text: string;
  parse_mode: 'HTML';
  reply_markup?: TelegramReplyMarkup;
}

export interface TelegramRendering {
  messages: TelegramMessage[];
  /** Choice ids that cannot be callback data (empty or over 64 bytes); the caller logs them. */
  droppedChoiceIds: string[];
}

export interface RenderOptions {
  /** Channel chrome in the turn's language, e.g. `telegram:sharePhone`. */
  text: (key: string, params?: Record<string, string | number>) => string;
  /** The user just answered a share-phone or share-location keyboard, which should now go away. */
  removeReplyKeyboard: boolean;
}

/** Escapes the three characters Telegram's HTML parse mode reserves. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Plain text with our `*bold*` spans → Telegram HTML. Escaping comes first, so no
 * tag can come from the text itself; spans stay on one line so splitting at line
 * breaks never cuts one in two.
 */
export function toTelegramHtml(text: string): string {
  return escapeHtml(text).replace(/\*([^*\n]+)\*/g, `${BOLD_OPEN}$1${BOLD_CLOSE}`);
}

/** One tag, one entity or one code point: the units a message may not be cut inside. */
const ATOM = /<\/?b>|&(?:amp|lt|gt);|[\s\S]/gu;

/** The longest prefix of `html` no longer than `max` that ends between atoms. */
function safePrefixLength(html: string, max: number): number {
  let length = 0;
  for (const match of html.matchAll(ATOM)) {
    if (length + match[0].length > max) break;
    length += match[0].length;
  }
  return length;
}

/** Where to cut `html` within `max` characters: after a paragraph, else a line, else a word, else anywhere safe. */
function cutPoint(html: string, max: number): { end: number; skip: number } {
  const window = html.slice(0, safePrefixLength(html, max));
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at > 0) return { end: at, skip: separator.length };
  }
  return { end: window.length, skip: 0 };
}

/** Closes a bold span cut by a word-level split and reopens it in the next part. */
function balanceBold(parts: string[]): string[] {
  let open = false;
  return parts.map((part) => {
    const prefixed = open ? BOLD_OPEN + part : part;
    open = prefixed.lastIndexOf(BOLD_OPEN) > prefixed.lastIndexOf(BOLD_CLOSE);
    return open ? prefixed + BOLD_CLOSE : prefixed;
  });
}

/** Splits Telegram HTML into parts of at most `limit` characters, never inside a tag or entity. */
export function splitHtml(html: string, limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  // Room for the <b></b> that balanceBold may add around a later part; the whole text is balanced, so one part never needs it.
  const room = limit - BOLD_OPEN.length - BOLD_CLOSE.length;
  const parts: string[] = [];
  let rest = html;
  while (rest.length > (parts.length === 0 ? limit : room)) {
    const { end, skip } = cutPoint(rest, room);
    parts.push(rest.slice(0, end));
    rest = rest.slice(end + skip);
  }
  parts.push(rest);
  return balanceBold(parts.filter((part) => part.trim() !== ''));
}

function fitsCallbackData(id: string): boolean {
  const bytes = Buffer.byteLength(id, 'utf8');
  return bytes > 0 && bytes <= CALLBACK_DATA_MAX_BYTES;
}

/** Buttons in rows: two per row when every label is short, else one per row. */
function inRows<Button>(choices: RenderedTurn['choices'], button: (choice: RenderedTurn['choices'][number]) => Button): Button[][] {
  const buttons = choices.map(button);
  const perRow = choices.every((choice) => [...choice.label].length <= SHORT_LABEL) ? 2 : 1;
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}

/** Choices → inline keyboard rows. */
export function inlineKeyboard(choices: RenderedTurn['choices']): InlineKeyboardButton[][] {
  return inRows(choices, (choice) => ({ text: choice.label, callback_data: choice.id }));
}

/**
 * The main menu as a reply keyboard: it hides once pressed and stays at hand
 * behind the keyboard icon, so the menu is one tap away from anywhere in the
 * chat. A press sends the label as text, which the turn matches to the choice.
 */
export function menuKeyboard(choices: RenderedTurn['choices']): ReplyKeyboardMarkup {
  return { keyboard: inRows(choices, (choice) => ({ text: choice.label })), resize_keyboard: true, one_time_keyboard: true };
}

function shareKeyboard(label: string, request: 'request_contact' | 'request_location'): ReplyKeyboardMarkup {
  return { keyboard: [[{ text: label, [request]: true }]], one_time_keyboard: true, resize_keyboard: true };
}

/** The reply keyboard a turn asks for, with the hint text that carries it when the last message holds buttons. */
function requestedShare(turn: RenderedTurn, options: RenderOptions): { markup: ReplyKeyboardMarkup; hint: string } | null {
  if (turn.expect === 'phone') {
    return { markup: shareKeyboard(options.text('telegram:sharePhone'), 'request_contact'), hint: options.text('telegram:sharePhoneHint') };
  }
  if (turn.expect === 'location') {
    return { markup: shareKeyboard(options.text('telegram:shareLocation'), 'request_location'), hint: options.text('telegram:shareLocationHint') };
  }
  return null;
}

function handoffText(turn: RenderedTurn, options: RenderOptions): string[] {
  if (turn.status !== 'handoff' || !turn.handoff) return [];
  const { phone, hours, open } = turn.handoff;
  return [options.text(open ? 'telegram:handoff.open' : 'telegram:handoff.closed', { phone, hours })];
}

/**
 * A turn → the messages to send, in order: its texts as one message, split only
 * where Telegram's limit demands. Inline buttons go on the last text
 * message; a share keyboard goes on that message too unless it already holds
 * buttons, in which case a short hint message carries it (Telegram allows one
 * markup per message).
 */
export function renderTurn(turn: RenderedTurn, options: RenderOptions): TelegramRendering {
  const droppedChoiceIds = turn.choices.filter((choice) => !fitsCallbackData(choice.id)).map((choice) => choice.id);
  const choices = turn.choices.filter((choice) => fitsCallbackData(choice.id));
  const texts = [...turn.messages, ...handoffText(turn, options)];
  if (texts.every((text) => text.trim() === '') && choices.length > 0) texts.push(options.text('telegram:chooseOne'));

  // One turn is one message (split only at Telegram's limit): fewer notifications, fewer API calls.
  const joined = texts.filter((text) => text.trim() !== '').join('\n\n');
  const messages: TelegramMessage[] = (joined === '' ? [] : splitHtml(toTelegramHtml(joined)))
    .map((text) => ({ text, parse_mode: 'HTML' }));
  const last = messages.at(-1);
  if (last && turn.menu && turn.choices.length > 0) last.reply_markup = menuKeyboard(turn.choices);
  else if (last && choices.length > 0) last.reply_markup = { inline_keyboard: inlineKeyboard(choices) };

  const share = requestedShare(turn, options);
  if (share) {
    if (last && !last.reply_markup) last.reply_markup = share.markup;
    else messages.push({ text: escapeHtml(share.hint), parse_mode: 'HTML', reply_markup: share.markup });
  } else if (options.removeReplyKeyboard && messages[0] && !messages[0].reply_markup) {
    // When the only message holds buttons, the one-time keyboard has already hidden itself.
    messages[0].reply_markup = { remove_keyboard: true };
  }
  return { messages, droppedChoiceIds };
}
