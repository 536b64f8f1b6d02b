/**
 * A strict local double of the Telegram Bot API for tests.
 *
 * It speaks the same HTTP as api.telegram.org (`POST /bot<token>/<method>`), checks every call
 * against the machine-readable API in /work/shared/data/telegram-bot-api.json, and refuses what
 * the real server refuses, so that a test fails where production would. Where the real server is
 * lenient (bare `>` or `&` in HTML, a number where a String is expected) the double is stricter
 * on purpose: our bot should never rely on the server repairing its output.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update, UserFromGetMe } from 'grammy/types';

/** A chat as the bot addresses it: numeric id, or `@username`. */
export type ChatId = number | string;

/** What the double answers instead of a result when a test programs a failure. */
export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** One HTTP call the double received, accepted or refused. */
export interface RecordedCall {
  /** The method name as the spec spells it (`sendMessage`), or as requested when unknown. */
  method: string;
  /** Parameters after decoding; form and query values are converted to the spec's types. */
  params: Record<string, unknown>;
  ok: boolean;
  status: number;
  /** Arrival time in milliseconds since the epoch. */
  at: number;
  chatId?: ChatId;
  /** Why the call was refused. */
  description?: string;
  /** For accepted calls with a text or caption: what the user sees, after entity parsing. */
  text?: string;
}

/** One of the bot's messages as the server keeps it. */
export interface StoredMessage {
  message_id: number;
  /** The text or caption after entity parsing. */
  text?: string;
  /** Only an inline keyboard belongs to a message; a reply keyboard belongs to the chat. */
  reply_markup?: { inline_keyboard: unknown[][] };
}

/** Timestamps of send attempts, to assert Telegram's flood limits (30 msg/s overall, 1/s per chat). */
export interface SendRate {
  /** Arrival times (ms) of every attempt to send a message, optionally to one chat. */
  timestamps(chatId?: ChatId): number[];
  /** The largest number of send attempts that fell into any window of `windowMs` (default 1000). */
  peak(options?: { chatId?: ChatId; windowMs?: number }): number;
}

export interface BotApiDoubleOptions {
  token?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Where the machine-readable Bot API lives; defaults to the shared data folder. */
  specPath?: string | URL;
  /** Larger request bodies are answered with 413. */
  maxBodyBytes?: number;
}

export interface BotApiDouble {
  /** Give this to grammY as `client.apiRoot`. */
  apiRoot: string;
  token: string;
  /** What `getMe` answers; pass it to `new Bot(token, { botInfo })` to skip `init()`. */
  botInfo: UserFromGetMe;
  /** Every call received so far, oldest first. */
  readonly calls: readonly RecordedCall[];
  rate: SendRate;
  /** Texts of accepted sendMessage/editMessageText calls as the user sees them, optionally for one chat. */
  sent(chatId?: ChatId): string[];
  /** The bot's messages in a chat as they stand now, after edits, oldest first: what the user's screen shows. */
  messages(chatId: ChatId): StoredMessage[];
  /** Callback query ids the bot answered, oldest first. */
  answeredCallbackQueries(): string[];
  /** Makes the next call of `method` fail with `failure`; repeated calls queue further failures. */
  failNext(method: string, failure: ApiFailure): void;
  /** Every call addressed to this chat answers 403 "bot was blocked by the user". */
  blockChat(chatId: ChatId): void;
  /** Hands an update to the next getUpdates; returns its update_id. */
  queueUpdate(update: Omit<Update, 'update_id'>): number;
  /** Forgets recorded calls, the chats' messages, programmed failures, blocked chats and queued updates. */
  clear(): void;
  close(): Promise<void>;
}

interface FieldSpec {
  name: string;
  types: string[];
  required: boolean;
}

interface MethodSpec {
  name: string;
  returns: string[];
  fields?: FieldSpec[];
}

interface TypeSpec {
  name: string;
  fields?: FieldSpec[];
  subtypes?: string[];
}

interface BotApiSpec {
  methods: Record<string, MethodSpec>;
  types: Record<string, TypeSpec>;
}

type Refusal = { ok: false } & ApiFailure;
type Outcome = { ok: true; result: unknown } | Refusal;

// A copy ships beside this file (see README.md), so a clone without ../shared still runs the tests.
const DEFAULT_SPEC = new URL('./telegram-bot-api.json', import.meta.url);
const DEFAULT_TOKEN = '7000000001:AAHmarktboteTestTokenSpreewald0000000';
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const PRIMITIVES = new Set(['Integer', 'Float', 'String', 'Boolean']);
const MESSAGE_TEXT_MAX = 4096;
const CAPTION_MAX = 1024;
const CALLBACK_DATA_MAX_BYTES = 64;
/** Long polls never hold a test longer than this, whatever timeout the bot asks for. */
const LONG_POLL_CAP_MS = 2000;

function readSpec(location: string | URL): BotApiSpec {
  let raw: string;
  try {
    raw = readFileSync(location, 'utf8');
  } catch (error) {
    throw new Error(
      `Telegram Bot API spec not found at ${String(location)}: the double needs the machine-readable ` +
        `API (see /work/shared/data/README.md) or a specPath option pointing to it`,
      { cause: error },
    );
  }
  const spec = JSON.parse(raw) as Partial<BotApiSpec>;
  if (!spec.methods || !spec.types) {
    throw new Error(`${String(location)} is not a Bot API spec: it lacks "methods" or "types"`);
  }
  return spec as BotApiSpec;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function parseJsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Whether a field may travel as a plain string, so that no decoding applies to it. */
function acceptsString(types: string[]): boolean {
  return types.includes('String') || types.includes('InputFile');
}

/**
 * Brings a parameter into the shape the spec describes. Form and query values are always strings,
 * so they are parsed by type; complex values may be JSON-serialized even inside a JSON body.
 */
function decodeField(value: unknown, types: string[], fromForm: boolean): unknown {
  if (typeof value !== 'string') return value;
  if (fromForm && types.includes('Integer') && /^-?\d+$/.test(value)) return Number(value);
  if (acceptsString(types)) return value;
  if (!types.some((type) => PRIMITIVES.has(type))) return parseJsonOr(value);
  if (!fromForm) return value;
  if (types.includes('Float') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (types.includes('Boolean') && /^(true|1)$/i.test(value)) return true;
  if (types.includes('Boolean') && /^(false|0)$/i.test(value)) return false;
  return value;
}

function isPrimitive(value: unknown, type: string): boolean {
  switch (type) {
    case 'Integer':
      return Number.isSafeInteger(value);
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return typeof value === 'string';
    default:
      return typeof value === 'boolean';
  }
}

const BUTTON_DECORATIONS = new Set(['text', 'icon_custom_emoji_id', 'style']);

/** Rules the spec states only in prose, per type; each returns why a value is refused, or undefined. */
const TYPE_RULES: Record<string, (value: Record<string, unknown>, path: string, spec: BotApiSpec) => string | undefined> = {
  InlineKeyboardButton(button, path, spec) {
    const actions = actionFields(spec, 'InlineKeyboardButton', button);
    if (actions.length !== 1) {
      return `can't parse inline keyboard button: ${path} needs exactly one action field besides text, has ${actions.length ? actions.join(', ') : 'none'}`;
    }
    if (button.callback_data !== undefined) {
      const bytes = Buffer.byteLength(String(button.callback_data), 'utf8');
      if (bytes < 1 || bytes > CALLBACK_DATA_MAX_BYTES) {
        return `BUTTON_DATA_INVALID: ${path}.callback_data has ${bytes} bytes, 1-${CALLBACK_DATA_MAX_BYTES} allowed`;
      }
    }
    if (button.url !== undefined && !/^(https?|tg):\/\/\S+$/i.test(String(button.url))) {
      return `BUTTON_URL_INVALID: ${path}.url must be an http(s) or tg:// URL`;
    }
    return undefined;
  },
  KeyboardButton(button, path, spec) {
    const actions = actionFields(spec, 'KeyboardButton', button);
    return actions.length > 1 ? `${path} may use at most one of ${actions.join(', ')}` : undefined;
  },
};

function actionFields(spec: BotApiSpec, typeName: string, button: Record<string, unknown>): string[] {
  return (spec.types[typeName]?.fields ?? [])
    .map((field) => field.name)
    .filter((name) => !BUTTON_DECORATIONS.has(name) && button[name] !== undefined);
}

/** Whether `value` looks meant as `typeName`, so a union reports that branch's problem. */
function claims(spec: BotApiSpec, typeName: string, value: unknown): boolean {
  const fields = spec.types[typeName]?.fields ?? [];
  return isPlainObject(value) && fields.some((field) => field.required && value[field.name] !== undefined);
}

/** Checks a value against one of several type expressions; returns the first problem found. */
function checkUnion(spec: BotApiSpec, value: unknown, types: string[], path: string): string | undefined {
  const problems = types.map((type) => checkType(spec, value, type, path));
  if (problems.some((problem) => problem === undefined)) return undefined;
  if (types.length === 1) return problems[0];
  const intended = types.findIndex((type) => claims(spec, type, value));
  return intended >= 0 ? problems[intended] : `${path} must be of type ${types.join(' or ')}`;
}

function checkType(spec: BotApiSpec, value: unknown, type: string, path: string): string | undefined {
  if (type.startsWith('Array of ')) {
    if (!Array.isArray(value)) return `${path} must be an ${type}`;
    const element = type.slice('Array of '.length);
    for (const [index, item] of value.entries()) {
      const problem = checkType(spec, item, element, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (PRIMITIVES.has(type)) return isPrimitive(value, type) ? undefined : `${path} must be of type ${type}`;
  // Uploads need multipart/form-data, which the double does not take; a file_id or URL is a string.
  if (type === 'InputFile') return typeof value === 'string' ? undefined : `${path} must be a file_id or URL`;
  // The spec allows a plain string for a reply keyboard's text-only button.
  if (type === 'KeyboardButton' && typeof value === 'string') return undefined;
  const typeSpec = spec.types[type];
  if (!typeSpec) throw new Error(`The Bot API spec names an unknown type ${type}`);
  if (typeSpec.subtypes) return checkUnion(spec, value, typeSpec.subtypes, path);
  if (!isPlainObject(value)) return `${path} must be an object of type ${type}`;
  for (const field of typeSpec.fields ?? []) {
    const fieldValue = value[field.name];
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required) return `${path}.${field.name} is required in ${type}`;
      continue;
    }
    const problem = checkUnion(spec, fieldValue, field.types, `${path}.${field.name}`);
    if (problem) return problem;
  }
  return TYPE_RULES[type]?.(value, path, spec);
}

const HTML_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'span', 'tg-spoiler', 'tg-emoji', 'blockquote',
]);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const START_TAG = /^<([a-zA-Z][\w-]*)((?:\s+[a-zA-Z][\w-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*)\s*>/;
const ATTRIBUTE = /([a-zA-Z][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?/g;
const END_TAG = /^<\/([a-zA-Z][\w-]*)\s*>/;
const ENTITY = /^&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([a-zA-Z]+));/;

type Parsed = { text: string } | { error: string };

function attributesOf(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    attributes.set(match[1].toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function missingAttribute(tag: string, attributes: Map<string, string>): string | undefined {
  if (tag === 'a' && !attributes.get('href')) return `Tag "a" must have attribute "href"`;
  if (tag === 'span' && attributes.get('class') !== 'tg-spoiler') return `Tag "span" must have class "tg-spoiler"`;
  if (tag === 'tg-emoji' && !attributes.get('emoji-id')) return `Tag "tg-emoji" must have attribute "emoji-id"`;
  return undefined;
}

function decodeEntity(match: RegExpMatchArray): string | undefined {
  const [, decimal, hex, name] = match;
  if (name !== undefined) return NAMED_ENTITIES[name];
  const codePoint = decimal !== undefined ? Number(decimal) : parseInt(hex, 16);
  const valid = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
  return valid ? String.fromCodePoint(codePoint) : undefined;
}

/** Parses Telegram's HTML dialect the way the server does and returns the visible text. */
function parseTelegramHtml(source: string): Parsed {
  const open: string[] = [];
  let text = '';
  let index = 0;
  // The server reports positions in UTF-8 bytes.
  const at = (position: number) => `at byte offset ${Buffer.byteLength(source.slice(0, position), 'utf8')}`;
  while (index < source.length) {
    const rest = source.slice(index);
    const char = source[index];
    if (char === '&') {
      const match = rest.match(ENTITY);
      if (!match) return { error: `Character "&" must be escaped as &amp; ${at(index)}` };
      const decoded = decodeEntity(match);
      if (decoded === undefined) return { error: `Unsupported HTML entity "${match[0]}" ${at(index)}` };
      text += decoded;
      index += match[0].length;
    } else if (char === '>') {
      return { error: `Character ">" must be escaped as &gt; ${at(index)}` };
    } else if (char === '<' && rest.startsWith('</')) {
      const match = rest.match(END_TAG);
      if (!match) return { error: `Unexpected end tag ${at(index)}` };
      const tag = match[1].toLowerCase();
      const expected = open.pop();
      if (expected === undefined) return { error: `Unexpected end tag "${tag}" ${at(index)}` };
      if (expected !== tag) return { error: `Unmatched end tag ${at(index)}, expected "</${expected}>", found "</${tag}>"` };
      index += match[0].length;
    } else if (char === '<') {
      const match = rest.match(START_TAG);
      if (!match) return { error: `Character "<" must be escaped as &lt; or start a tag ${at(index)}` };
      const tag = match[1].toLowerCase();
      if (!HTML_TAGS.has(tag)) return { error: `Unsupported start tag "${tag}" ${at(index)}` };
      const missing = missingAttribute(tag, attributesOf(match[2]));
      if (missing) return { error: `${missing} ${at(index)}` };
      open.push(tag);
      index += match[0].length;
    } else {
      text += char;
      index += 1;
    }
  }
  const unclosed = open.pop();
  return unclosed === undefined ? { text } : { error: `Can't find end tag corresponding to start tag "${unclosed}"` };
}

interface TextRule {
  field: string;
  max: number;
  /** Set when an empty text is refused; holds the refusal. */
  emptyDescription?: string;
  tooLongDescription: string;
}

function textRulesFor(method: MethodSpec): TextRule[] {
  const fields = new Set((method.fields ?? []).map((field) => field.name));
  const rules: TextRule[] = [];
  if (method.name === 'sendMessage' || method.name === 'editMessageText') {
    rules.push({ field: 'text', max: MESSAGE_TEXT_MAX, emptyDescription: 'message text is empty', tooLongDescription: 'message is too long' });
  }
  if (fields.has('caption')) {
    rules.push({ field: 'caption', max: CAPTION_MAX, tooLongDescription: 'message caption is too long' });
  }
  return rules;
}

/** Returns the text the user would see, or why the server refuses it. */
function visibleText(params: Record<string, unknown>, rule: TextRule): Parsed {
  const source = params[rule.field];
  if (typeof source !== 'string') return { text: '' };
  const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : '';
  if (parseMode === '' || params.entities !== undefined) return { text: source };
  if (parseMode.toLowerCase() === 'html') {
    const parsed = parseTelegramHtml(source);
    return 'error' in parsed ? { error: `can't parse entities: ${parsed.error}` } : parsed;
  }
  if (/^markdown(v2)?$/i.test(parseMode)) {
    return { error: `the Bot API double parses only parse_mode HTML, not ${parseMode}` };
  }
  return { error: 'unsupported parse_mode' };
}

function checkText(params: Record<string, unknown>, rule: TextRule): Parsed {
  const parsed = visibleText(params, rule);
  if ('error' in parsed) return parsed;
  // The server trims surrounding whitespace and counts Unicode characters, not bytes.
  const length = [...parsed.text.trim()].length;
  if (length === 0 && rule.emptyDescription) return { error: rule.emptyDescription };
  if (length > rule.max) return { error: `${rule.tooLongDescription} (${length} characters, at most ${rule.max})` };
  return parsed;
}

function normalizeChatId(value: unknown): ChatId | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value === '') return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

function chatType(id: number): string {
  if (id > 0) return 'private';
  // Supergroups and channels carry the -100 prefix.
  return id <= -1_000_000_000_000 ? 'supergroup' : 'group';
}

/** What Telegram posts to when setWebhook leaves max_connections out. */
const DEFAULT_MAX_CONNECTIONS = 40;
/** The only ports Telegram delivers webhooks to. */
const WEBHOOK_PORTS = new Set(['80', '88', '443', '8443']);

/** Why Telegram would refuse to post updates to `url`, in its words; undefined when it would accept it. */
function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'bad webhook: An HTTPS URL must be provided for webhook';
  }
  if (parsed.protocol !== 'https:') return 'bad webhook: An HTTPS URL must be provided for webhook';
  if (!WEBHOOK_PORTS.has(parsed.port || '443')) return 'bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443';
  return undefined;
}

const refusal = (error_code: number, description: string): Refusal => ({ ok: false, error_code, description });
const badRequest = (description: string): Refusal => refusal(400, `Bad Request: ${description}`);

/** Starts the double on 127.0.0.1; close it in afterAll/afterEach. */
export async function startBotApiDouble(options: BotApiDoubleOptions = {}): Promise<BotApiDouble> {
  const spec = readSpec(options.specPath ?? DEFAULT_SPEC);
  const methods = new Map(Object.values(spec.methods).map((method) => [method.name.toLowerCase(), method]));
  const token = options.token ?? DEFAULT_TOKEN;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const botInfo: UserFromGetMe = {
    id: Number(token.split(':')[0]) || 7000000001,
    is_bot: true,
    first_name: 'Marktbote',
    username: 'marktbote_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };

  const calls: RecordedCall[] = [];
  const failures = new Map<string, ApiFailure[]>();
  const blocked = new Set<ChatId>();
  let updates: Update[] = [];
  let pollers: Array<() => void> = [];
  let nextMessageId = 1;
  /** The bot's messages per chat, as edits left them. */
  let stored = new Map<number, Map<number, StoredMessage>>();
  let nextUpdateId = 1;
  let webhookUrl = '';
  /** What setWebhook asked for beyond the URL; Telegram keeps allowed_updates when a later call leaves them out. */
  let webhookSettings: { max_connections: number; allowed_updates?: unknown } = { max_connections: DEFAULT_MAX_CONNECTIONS };
  // Calls still in flight when clear() runs (a long poll) belong to the previous test.
  let generation = 0;

  const wakePollers = () => {
    const waiting = pollers;
    pollers = [];
    waiting.forEach((wake) => wake());
  };

  const isSending = (method: MethodSpec) =>
    /^(send|copy|forward)/.test(method.name) && method.returns.some((type) => /^(Array of )?Message(Id)?$/.test(type));

  const inlineMarkup = (markup: unknown): StoredMessage['reply_markup'] =>
    isPlainObject(markup) && Array.isArray(markup.inline_keyboard) ? { inline_keyboard: markup.inline_keyboard as unknown[][] } : undefined;

  /** A Message as the server returns it; `visible` is the text or caption after entity parsing. */
  const buildMessage = (params: Record<string, unknown>, chatId: number, messageId: number, visible?: string) => {
    const markup = inlineMarkup(params.reply_markup);
    return {
      message_id: messageId,
      from: botInfo,
      chat: { id: chatId, type: chatType(chatId) },
      date: Math.floor(Date.now() / 1000),
      ...(typeof params.text === 'string' ? { text: visible } : {}),
      ...(typeof params.caption === 'string' ? { caption: visible } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    };
  };

  /** Keeps a message the bot sent, so that edits find it. */
  const keep = (chatId: number, message: ReturnType<typeof buildMessage>) => {
    const chat = stored.get(chatId) ?? new Map<number, StoredMessage>();
    stored.set(chatId, chat);
    chat.set(message.message_id, {
      message_id: message.message_id,
      ...(message.text ?? message.caption ? { text: message.text ?? message.caption } : {}),
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    });
    return message;
  };

  /**
   * editMessageText and editMessageReplyMarkup of a message in a chat, as the server does them: a message
   * it does not hold is "not found"; an edit that changes nothing is refused. An edit without reply_markup
   * takes the inline keyboard away.
   */
  const edit = (method: MethodSpec, params: Record<string, unknown>, chatId: number, visible: string | undefined): Outcome => {
    const message = stored.get(chatId)?.get(Number(params.message_id));
    if (!message) return badRequest('message to edit not found');
    const markup = inlineMarkup(params.reply_markup);
    const text = method.name === 'editMessageText' ? visible : message.text;
    if (text === message.text && JSON.stringify(markup) === JSON.stringify(message.reply_markup)) {
      return badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const edited: StoredMessage = { message_id: message.message_id, ...(text !== undefined ? { text } : {}), ...(markup ? { reply_markup: markup } : {}) };
    stored.get(chatId)!.set(message.message_id, edited);
    return {
      ok: true,
      result: {
        ...buildMessage({ text, reply_markup: markup }, chatId, message.message_id, text),
        edit_date: Math.floor(Date.now() / 1000),
      },
    };
  };

  const takeUpdates = async (params: Record<string, unknown>, abandoned: Promise<void>): Promise<Update[]> => {
    if (typeof params.offset === 'number') {
      const offset = params.offset;
      updates = updates.filter((update) => update.update_id >= offset);
    }
    const timeoutMs = typeof params.timeout === 'number' ? Math.min(params.timeout * 1000, LONG_POLL_CAP_MS) : 0;
    if (updates.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        pollers.push(wake);
        void abandoned.then(wake);
      });
    }
    return updates.slice(0, typeof params.limit === 'number' ? params.limit : 100);
  };

  /** The result a successful call returns; shaped like the real one where our code reads it. */
  const resultOf = async (
    method: MethodSpec,
    params: Record<string, unknown>,
    chatId: ChatId | undefined,
    visible: string | undefined,
    abandoned: Promise<void>,
  ): Promise<Outcome> => {
    const numericChat = typeof chatId === 'number' ? chatId : 0;
    switch (method.name) {
      case 'getMe':
        return { ok: true, result: botInfo };
      case 'getUpdates':
        if (webhookUrl) {
          return refusal(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }
        return { ok: true, result: await takeUpdates(params, abandoned) };
      case 'setWebhook': {
        const refused = webhookUrlProblem(String(params.url));
        if (refused) return badRequest(refused);
        webhookUrl = String(params.url);
        webhookSettings = {
          max_connections: typeof params.max_connections === 'number' ? params.max_connections : DEFAULT_MAX_CONNECTIONS,
          allowed_updates: params.allowed_updates ?? webhookSettings.allowed_updates,
        };
        return { ok: true, result: true };
      }
      case 'deleteWebhook':
        webhookUrl = '';
        if (params.drop_pending_updates === true) updates = [];
        return { ok: true, result: true };
      case 'getWebhookInfo':
        return {
          ok: true,
          result: {
            url: webhookUrl,
            has_custom_certificate: false,
            pending_update_count: webhookUrl ? 0 : updates.length,
            ...(webhookUrl ? webhookSettings : {}),
          },
        };
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        if (params.inline_message_id !== undefined) return { ok: true, result: true };
        return edit(method, params, numericChat, visible);
    }
    const [returns] = method.returns;
    if (returns === 'Message') return { ok: true, result: keep(numericChat, buildMessage(params, numericChat, nextMessageId++, visible)) };
    if (returns === 'MessageId') return { ok: true, result: { message_id: nextMessageId++ } };
    if (returns === 'User') return { ok: true, result: botInfo };
    return { ok: true, result: returns.startsWith('Array of ') ? [] : true };
  };

  /** Runs the server's checks in its order: rate limits, parameters, then the addressed chat. */
  const answer = async (
    method: MethodSpec,
    params: Record<string, unknown>,
    chatId: ChatId | undefined,
    abandoned: Promise<void>,
  ): Promise<{ outcome: Outcome; text?: string }> => {
    const failure = failures.get(method.name)?.shift();
    if (failure) return { outcome: { ok: false, ...failure } };
    const checked = validate(method, params);
    if ('error' in checked) return { outcome: checked.error };
    if (typeof chatId === 'string') return { outcome: badRequest('chat not found') };
    if (chatId !== undefined && blocked.has(chatId)) return { outcome: refusal(403, 'Forbidden: bot was blocked by the user') };
    return { outcome: await resultOf(method, params, chatId, checked.text, abandoned), text: checked.text };
  };

  /** Checks parameters against the spec and the limits it states in prose; returns the visible text. */
  const validate = (method: MethodSpec, params: Record<string, unknown>): { text?: string } | { error: Refusal } => {
    for (const field of method.fields ?? []) {
      const value = params[field.name];
      if (isMissing(value)) {
        if (field.required) return { error: badRequest(field.name === 'text' ? 'message text is empty' : `${field.name} is empty`) };
        continue;
      }
      const problem = checkUnion(spec, value, field.types, field.name);
      if (problem) return { error: badRequest(problem) };
    }
    const fields = new Set((method.fields ?? []).map((field) => field.name));
    if (fields.has('inline_message_id') && isMissing(params.inline_message_id) && (isMissing(params.chat_id) || isMissing(params.message_id))) {
      return { error: badRequest('message identifier is not specified') };
    }
    let text: string | undefined;
    for (const rule of textRulesFor(method)) {
      // editMessageText may carry a rich message instead of text.
      if (isMissing(params[rule.field]) && (!rule.emptyDescription || params.rich_message !== undefined)) continue;
      const checked = checkText(params, rule);
      if ('error' in checked) return { error: badRequest(checked.error) };
      text ??= checked.text;
    }
    return { text };
  };

  const handle = async (request: IncomingMessage, abandoned: Promise<void>): Promise<{ call: RecordedCall; outcome: Outcome }> => {
    const at = Date.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = url.pathname.match(/^\/bot([^/]+)\/([^/]+)$/);
    const refuse = (method: string, params: Record<string, unknown>, outcome: Refusal) => ({
      call: { method, params, ok: false, status: outcome.error_code, at, description: outcome.description },
      outcome,
    });
    const body = await readBody(request, maxBodyBytes);
    if (!route) return refuse(url.pathname, {}, refusal(404, 'Not Found'));
    // Clients may percent-encode the colon inside the token.
    if (route[1].replace(/%3A/gi, ':') !== token) return refuse(route[2], {}, refusal(401, 'Unauthorized'));
    // The real server matches method names case-insensitively.
    const method = methods.get(route[2].toLowerCase());
    if (!method) return refuse(route[2], {}, refusal(404, 'Not Found'));
    if (body === 'too large') return refuse(method.name, {}, refusal(413, 'Request Entity Too Large'));
    const decoded = decodeParams(request.headers['content-type'] ?? '', body, url.searchParams);
    if ('error' in decoded) return refuse(method.name, {}, badRequest(decoded.error));
    const params: Record<string, unknown> = { ...decoded.params };
    for (const field of method.fields ?? []) {
      if (params[field.name] !== undefined) {
        params[field.name] = decodeField(params[field.name], field.types, decoded.fromForm.has(field.name));
      }
    }
    const chatId = normalizeChatId(params.chat_id);
    const { outcome, text } = await answer(method, params, chatId, abandoned);
    const call: RecordedCall = {
      method: method.name,
      params,
      ok: outcome.ok,
      status: outcome.ok ? 200 : outcome.error_code,
      at,
      ...(chatId !== undefined ? { chatId } : {}),
      ...(outcome.ok ? {} : { description: outcome.description }),
      ...(outcome.ok && text !== undefined ? { text } : {}),
    };
    return { call, outcome };
  };

  const sendingCalls = (chatId?: ChatId) =>
    calls.filter((call) => {
      const method = methods.get(call.method.toLowerCase());
      return method !== undefined && isSending(method) && (chatId === undefined || call.chatId === chatId);
    });

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const startedIn = generation;
    // A client that gives up (grammY's bot.stop() aborts its long poll) ends the wait early.
    const abandoned = new Promise<void>((resolve) => response.once('close', () => resolve()));
    handle(request, abandoned).then(
      ({ call, outcome }) => {
        if (startedIn === generation) calls.push(call);
        respond(response, call.status, outcome);
      },
      (error: unknown) => respond(response, 500, refusal(500, `Internal Server Error: ${String(error)}`)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    calls,
    rate: {
      timestamps: (chatId) => sendingCalls(chatId).map((call) => call.at),
      peak: ({ chatId, windowMs = 1000 } = {}) => {
        const times = sendingCalls(chatId).map((call) => call.at).sort((a, b) => a - b);
        let peak = 0;
        let first = 0;
        for (const [last, time] of times.entries()) {
          while (times[first] <= time - windowMs) first += 1;
          peak = Math.max(peak, last - first + 1);
        }
        return peak;
      },
    },
    sent: (chatId) =>
      calls
        .filter((call) => call.ok && call.text !== undefined && (chatId === undefined || call.chatId === chatId))
        .filter((call) => call.method === 'sendMessage' || call.method === 'editMessageText')
        .map((call) => call.text as string),
    messages: (chatId) => [...(stored.get(Number(normalizeChatId(chatId))) ?? new Map<number, StoredMessage>()).values()],
    answeredCallbackQueries: () =>
      calls.filter((call) => call.ok && call.method === 'answerCallbackQuery').map((call) => String(call.params.callback_query_id)),
    failNext: (method, failure) => {
      const canonical = methods.get(method.toLowerCase());
      if (!canonical) throw new Error(`failNext: ${method} is not a Bot API method`);
      failures.set(canonical.name, [...(failures.get(canonical.name) ?? []), failure]);
    },
    blockChat: (chatId) => {
      blocked.add(normalizeChatId(chatId) ?? chatId);
    },
    queueUpdate: (update) => {
      const updateId = nextUpdateId++;
      updates.push({ ...update, update_id: updateId } as Update);
      wakePollers();
      return updateId;
    },
    clear: () => {
      generation += 1;
      calls.length = 0;
      stored = new Map();
      failures.clear();
      blocked.clear();
      updates = [];
    },
    close: async () => {
      wakePollers();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function respond(response: ServerResponse, status: number, outcome: Outcome): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(outcome));
}

/** Reads the whole body; past the limit it keeps draining so the client sees an answer, not a reset. */
async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes ? 'too large' : Buffer.concat(chunks);
}

interface DecodedParams {
  params: Record<string, unknown>;
  /** Names whose values came as strings from a query or form and still need typing. */
  fromForm: Set<string>;
}

/** Merges query and body parameters the way the real server does; the body wins. */
function decodeParams(contentType: string, body: Buffer, query: URLSearchParams): DecodedParams | { error: string } {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const fromForm = new Set(query.keys());
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (body.length === 0) return { params, fromForm };
  if (mediaType === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { error: "can't parse JSON encoded request body" };
    }
    if (!isPlainObject(parsed)) return { error: 'the JSON request body must be an object' };
    for (const [name, value] of Object.entries(parsed)) {
      params[name] = value;
      fromForm.delete(name);
    }
    return { params, fromForm };
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
      params[name] = value;
      fromForm.add(name);
    }
    return { params, fromForm };
  }
  if (mediaType === 'multipart/form-data') return { error: 'the Bot API double does not accept multipart/form-data uploads' };
  return { error: `unsupported content type "${mediaType}"` };
}
