/**
 * The Telegram channel: a grammY bot that turns updates into turns and sends the
 * rendered replies through the Bot API, fed by the webhook route or by long polling.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Bot, type Api, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { FastifyPluginAsync } from 'fastify';
import type { Language } from '../../../catalog/types.ts';
import { createFloodGate } from '../../flood.ts';
import type { InboundEvent } from '../../../flows/index.ts';
import type { ReplyLedger } from '../../replies.ts';
import { TurnUnavailable, type ChannelContext, type KeptReply, type RenderedTurn } from '../../types.ts';
import { clientLanguage, deliveryKey, senderKey, senderOf, toInboundEvent } from './adapter.ts';
import { countingFailures, failureKind, isSpentEdit, isUnreachableChat, loggable } from './errors.ts';
import { escapeHtml, renderTurn, type TelegramMessage } from './renderer.ts';
import { telegramRoutes } from './routes.ts';
import { ALLOWED_UPDATES, registerWebhook } from './registration.ts';

export interface TelegramChannelOptions {
  token: string;
  /** Bot API root without trailing slash; a local double in tests. Default: the official one. */
  apiRoot?: string;
  webhookSecret?: string;
  /** Public base URL; when set, `start` registers the webhook, otherwise it long-polls. */
  publicUrl?: string;
  /** Skips the getMe call at start when known. */
  botInfo?: UserFromGetMe;
  /** The app's clock, for when an update arrived. */
  now?: () => Date;
  /** Keeps each reply with its turn and takes over what the Bot API did not accept (bot/replies.ts); without it a failed reply is apologised for. */
  replies?: ReplyLedger;
}

export interface TelegramChannel {
  bot: Bot;
  /** Mounts POST /telegram. */
  plugin: FastifyPluginAsync;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Updates remembered as apologised for while the database is away; Telegram re-delivers each a few times. */
const APOLOGIES_KEPT = 1000;

/** Builds the bot and its webhook plugin; nothing touches the network until `start` or a request. */
export function createTelegramChannel(ctx: ChannelContext, options: TelegramChannelOptions): TelegramChannel {
  const bot = new Bot(options.token, { botInfo: options.botInfo, client: { apiRoot: options.apiRoot } });
  bot.api.config.use(countingFailures((status) => ctx.metrics.providerFailure('telegram', status)));
  // Only a short "retry after" is waited for here: the webhook answers within seconds, and a reply the Bot API
  // refuses (5xx) or never answers goes to the outbox's patient retries. auto-retry would otherwise back off
  // 3, 6, 12 … seconds on a 5xx, and without end on a network error.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 1, maxDelaySeconds: 5, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
  const floodGate = createFloodGate(ctx.limiter);
  const now = options.now ?? (() => new Date());

  /** Sends the messages in order; `progress.sent` counts those the Bot API took, for when a later one fails. */
  async function send(api: Api, chatId: number, messages: TelegramMessage[], progress = { sent: 0 }): Promise<void> {
    for (const { text, ...other } of messages) {
      try {
        await api.sendMessage(chatId, text, other);
        progress.sent += 1;
        ctx.metrics.outbound('telegram', 'reply', 'sent');
      } catch (err) {
        ctx.metrics.outbound('telegram', 'reply', 'failed');
        throw err;
      }
    }
  }

  /** Sends one chrome text; failing to send it is logged, not thrown, as nothing else depends on it. */
  async function sendChrome(api: Api, chatId: number, language: Language, key: string): Promise<void> {
    try {
      await send(api, chatId, [{ text: escapeHtml(ctx.text(language, key)), parse_mode: 'HTML' }]);
    } catch (err) {
      ctx.log.warn({ ...loggable(err), key }, 'telegram: chrome text not sent');
    }
  }

  // Telegram re-delivers an update the webhook refused, perhaps many times while the database is away: one apology each.
  const apologised = new Set<number>();
  async function apologiseOnce(gctx: Context, chatId: number, language: Language): Promise<void> {
    const updateId = gctx.update.update_id;
    if (apologised.has(updateId)) return;
    if (apologised.size >= APOLOGIES_KEPT) apologised.clear();
    apologised.add(updateId);
    await sendChrome(gctx.api, chatId, language, 'channels:unavailable');
  }

  /** Always answers a button press, so the client stops its spinner; a press without data is a stale button. */
  async function answerButton(gctx: Context): Promise<void> {
    const query = gctx.callbackQuery;
    if (!query) return;
    const text = query.data ? undefined : ctx.text(clientLanguage(query.from), 'telegram:staleButton');
    try {
      await gctx.answerCallbackQuery(text ? { text } : undefined);
    } catch (err) {
      // Telegram refuses answers to presses older than a few minutes; the turn still runs.
      ctx.metrics.error('telegram', 'callback_answer');
      ctx.log.warn({ ...loggable(err), updateId: gctx.update.update_id }, 'telegram: answerCallbackQuery failed');
    }
  }

  /**
   * Takes the inline keyboard off the message whose button was just answered, so that it cannot be pressed
   * again. A second press that reached us before, answered already, finds it gone: nothing to do then.
   */
  async function retireKeyboard(gctx: Context): Promise<void> {
    const message = gctx.callbackQuery?.message;
    // An inaccessible message (date 0) has no keyboard to take away.
    if (!message || message.date === 0 || !message.reply_markup) return;
    try {
      await gctx.api.editMessageReplyMarkup(message.chat.id, message.message_id);
    } catch (err) {
      if (isSpentEdit(err)) return;
      ctx.metrics.error('telegram', 'keyboard_retire');
      ctx.log.warn({ ...loggable(err), updateId: gctx.update.update_id }, 'telegram: answered keyboard not taken away');
    }
  }

  async function handleUpdate(gctx: Context): Promise<void> {
    await answerButton(gctx);
    const sender = senderOf(gctx.update);
    const event = toInboundEvent(gctx.update, now());
    if (!sender || !event) return;
    const { from, chatId } = sender;
    const key = senderKey(from);
    const verdict = floodGate(key);
    if (verdict !== 'allow') {
      if (verdict === 'notify') await sendChrome(gctx.api, chatId, clientLanguage(from), 'telegram:flood');
      return;
    }

    const delivery = deliveryKey(gctx.update);
    const progress = { sent: 0 };
    // The reply as it will be sent, kept with the turn's commit; the last one kept is the one saved.
    let kept: KeptReply | null = null;
    const keep = options.replies
      ? (turn: RenderedTurn): KeptReply => {
        kept = { recipient: { channel: 'telegram', address: String(chatId) }, language: turn.language, messages: render(turn, event).messages };
        return kept;
      }
      : undefined;
    let turn: RenderedTurn | null = null;
    try {
      turn = await ctx.turn(event, { deliveryKey: delivery, medium: 'written', keep });
      if (!turn) return;
      const { messages, droppedChoiceIds } = render(turn, event);
      if (droppedChoiceIds.length > 0) ctx.log.warn({ droppedChoiceIds }, 'telegram: choice ids too long for callback data, buttons dropped');
      // Only an answered press retires its keyboard: after a turn that did nothing the person may press again.
      await Promise.all([turn.unsaved ? undefined : retireKeyboard(gctx), send(gctx.api, chatId, messages, progress)]);
      if (kept && !turn.unsaved) options.replies?.sent(delivery);
    } catch (err) {
      if (err instanceof TurnUnavailable) {
        // Not answered: the webhook refuses the update (routes.ts), so Telegram sends it again and it gets its real answer.
        ctx.limiter.refund(key);
        await apologiseOnce(gctx, chatId, clientLanguage(from));
        throw err;
      }
      if (isUnreachableChat(err)) {
        if (kept) options.replies?.sent(delivery);
        ctx.log.info({ ...loggable(err), chatId }, 'telegram: chat unreachable');
        return;
      }
      ctx.metrics.error('telegram', failureKind(err));
      ctx.log.error({ ...loggable(err), updateId: gctx.update.update_id }, 'telegram: turn failed');
      if (kept && turn && !turn.unsaved && options.replies) {
        // The turn is done (an order may be placed): no apology, the rest of its reply comes through the outbox.
        await handOver(options.replies, delivery, kept, progress.sent);
        return;
      }
      await sendChrome(gctx.api, chatId, clientLanguage(from), 'telegram:apology');
    }
  }

  /** The turn's reply as Telegram messages; pure, so the kept reply and the one sent are the same. */
  function render(turn: RenderedTurn, event: InboundEvent) {
    return renderTurn(turn, {
      text: (textKey, params) => ctx.text(turn.language, textKey, params),
      removeReplyKeyboard: event.payload.type === 'contact' || event.payload.type === 'location',
    });
  }

  async function handOver(replies: ReplyLedger, delivery: string, reply: KeptReply, sent: number): Promise<void> {
    try {
      await replies.later(delivery, reply, sent);
    } catch (err) {
      // Still kept beside the delivery: the minute's jobs take it up (bot/replies.ts).
      ctx.log.warn({ err, delivery }, 'telegram: reply not handed to the outbox yet');
    }
  }

  // One sender's updates in order, different senders in parallel (long polling handles updates concurrently).
  bot.use(sequentialize((gctx: Context) => gctx.from?.id.toString()));
  bot.on([...ALLOWED_UPDATES], handleUpdate);
  bot.catch((error) => {
    // Long polling: the update is taken and will not come again; the apology is all the person gets.
    if (error.error instanceof TurnUnavailable) return;
    ctx.metrics.error('telegram', 'update');
    ctx.log.error({ ...loggable(error), updateId: error.ctx.update.update_id }, 'telegram: update failed');
  });

  let runner: RunnerHandle | null = null;
  return {
    bot,
    plugin: telegramRoutes({ bot, webhookSecret: options.webhookSecret, log: ctx.log, metrics: ctx.metrics }),
    async start() {
      await bot.init();
      if (options.publicUrl) {
        if (!options.webhookSecret) throw new Error('Telegram webhook mode needs a webhook secret');
        await registerWebhook(bot.api, options.publicUrl, options.webhookSecret);
        return;
      }
      // getUpdates is refused while a webhook is set.
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: ALLOWED_UPDATES } } });
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
      runner = null;
    },
  };
}
