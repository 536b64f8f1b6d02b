/**
 * POST /telegram: the webhook. Thin: secret check, shape check, hand the update
 * to grammY. Replies go out through the Bot API, never as the webhook response.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { BotError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { TurnUnavailable, type ChannelMetrics, type Logger } from '../../types.ts';
import { loggable } from './errors.ts';

export const TELEGRAM_WEBHOOK_PATH = '/telegram';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Real updates are a few KB; a photo caption album stays far below this. */
const BODY_LIMIT_BYTES = 256 * 1024;

export interface TelegramRouteDependencies {
  bot: Bot;
  /** Without a secret every request is refused: an open webhook would let anyone speak as any user. */
  webhookSecret?: string;
  log: Logger;
  metrics: ChannelMetrics;
}

/** Constant-time comparison; hashing first makes both sides the same length. */
export function secretMatches(expected: string | undefined, given: unknown): boolean {
  if (!expected || typeof given !== 'string') return false;
  return timingSafeEqual(expectedDigest(expected), digest(given));
}

const digest = (value: string) => createHash('sha256').update(value).digest();
// The configured secret is hashed once, not on every update.
const expectedDigests = new Map<string, Buffer>();
function expectedDigest(secret: string): Buffer {
  let hashed = expectedDigests.get(secret);
  if (!hashed) {
    hashed = digest(secret);
    expectedDigests.set(secret, hashed);
  }
  return hashed;
}

function isUpdate(body: unknown): body is Update {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    && Number.isSafeInteger((body as { update_id?: unknown }).update_id);
}

/** The fastify plugin that mounts `POST /telegram`. */
export function telegramRoutes({ bot, webhookSecret, log, metrics }: TelegramRouteDependencies): FastifyPluginAsync {
  let initialising: Promise<void> | null = null;
  // Without botInfo grammY must ask getMe once before it can handle updates.
  const ensureInitialised = () => {
    if (bot.isInited()) return Promise.resolve();
    initialising ??= bot.init().finally(() => { initialising = null; });
    return initialising;
  };

  // onRequest runs before the body is read, so a caller without the secret costs us no parsing.
  const checkSecret = async (request: FastifyRequest, reply: FastifyReply) => {
    if (secretMatches(webhookSecret, request.headers[SECRET_HEADER])) return;
    metrics.error('telegram', 'webhook_unauthorized');
    return reply.code(401).send({ error: 'unauthorized' });
  };

  return async (app) => {
    app.post(TELEGRAM_WEBHOOK_PATH, { bodyLimit: BODY_LIMIT_BYTES, onRequest: checkSecret }, async (request, reply) => {
      if (!isUpdate(request.body)) {
        metrics.error('telegram', 'webhook_malformed');
        return reply.code(400).send({ error: 'not a Telegram update' });
      }
      try {
        await ensureInitialised();
      } catch (err) {
        log.error(loggable(err), 'telegram: getMe failed; Telegram will redeliver');
        return reply.code(503).send({ error: 'not ready' });
      }
      try {
        await bot.handleUpdate(request.body);
      } catch (err) {
        // The database is away: refused, so that Telegram re-delivers the update and it gets its real answer later.
        if (err instanceof BotError && err.error instanceof TurnUnavailable) {
          return reply.code(503).send({ error: 'unavailable' });
        }
        // The update handler has its own error boundary; reaching here is a bug, and a redelivery would repeat it.
        metrics.error('telegram', 'update');
        log.error({ ...loggable(err), updateId: request.body.update_id }, 'telegram: update failed');
      }
      return reply.code(200).send({ ok: true });
    });
  };
}
