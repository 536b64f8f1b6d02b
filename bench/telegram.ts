/**
 * Webhook throughput of our Telegram route against a bare grammY echo bot, both
 * served over real HTTP and replying to the same Bot API double.
 */
import fastify, { type FastifyInstance } from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { createTelegramChannel } from '../bot/channels/telegram/channel.ts';
import type { ChannelContext, TurnHandler } from '../bot/types.ts';
import { startBotApiDouble } from '../tests/doubles/telegram-bot-api.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal?: number;
}

const SECRET = 'bench-secret';
const CONCURRENCY = 8;
/** Untimed start of every round: connections opened, the server's first requests served. */
const WARMUP_MS = 100;
const MEASURE_MS = 2000;
/** One untimed round of both servers first, so neither pays for the JIT warming up the shared code. */
const COLD_ROUND_MS = 500;
const ROUNDS = 4;
/** Enough distinct senders that grammY's per-sender ordering does not serialise the load. */
const SENDERS = 64;

const echoTurn: TurnHandler = async (event) => ({
  status: 'waiting',
  language: 'de',
  messages: [event.payload.type === 'text' ? event.payload.text : 'Hallo'],
  choices: [],
  expect: 'text',
  speechHints: [],
});

function textUpdate(updateId: number): Update {
  const sender = 10_000 + (updateId % SENDERS);
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: sender, type: 'private', first_name: 'Bench' },
      from: { id: sender, is_bot: false, first_name: 'Bench', language_code: 'de' },
      text: 'Gurken bitte',
    },
  };
}

/** Posts updates with `CONCURRENCY` requests in flight for a short warm-up plus `measureMs`; counts the 200s of the measured span. */
async function loadFor(
  app: FastifyInstance, headers: Record<string, string>, measureMs: number, nextUpdateId: () => number,
): Promise<{ completed: number; seconds: number }> {
  const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/telegram`;
  let completed = 0;
  let measuring = false;
  let stopAt = Infinity;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(textUpdate(nextUpdateId())),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
      if (measuring) completed++;
    }
  };
  const started = performance.now();
  stopAt = started + WARMUP_MS + measureMs;
  const workers = Array.from({ length: CONCURRENCY }, worker);
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  measuring = true;
  const measuredFrom = performance.now();
  try {
    await Promise.all(workers);
    return { completed, seconds: (performance.now() - measuredFrom) / 1000 };
  } finally {
    await app.close();
  }
}

function ourChannelApp(turn: TurnHandler, apiRoot: string, token: string, botInfo: UserFromGetMe): FastifyInstance {
  const quiet = () => undefined;
  const ctx: ChannelContext = {
    turn,
    limiter: { allow: () => true },
    metrics: { turn: quiet, error: quiet, outbound: quiet },
    log: { info: quiet, warn: quiet, error: quiet, debug: quiet },
    text: (_language, key) => key,
  };
  const channel = createTelegramChannel(ctx, { token, apiRoot, webhookSecret: SECRET, botInfo });
  const app = fastify();
  app.register(channel.plugin);
  return app;
}

function bareGrammyApp(apiRoot: string, token: string, botInfo: UserFromGetMe): FastifyInstance {
  const bot = new Bot(token, { botInfo, client: { apiRoot } });
  bot.on('message:text', (ctx) => ctx.reply(ctx.msg.text));
  const app = fastify();
  app.post('/telegram', webhookCallback(bot, 'fastify'));
  return app;
}

/** Turns per second through our route (`turn`, or an echo when null) and through bare grammY, and their ratio. */
export async function benchTelegram(turn: TurnHandler | null): Promise<BenchResult[]> {
  const api = await startBotApiDouble();
  const servers = {
    ours: {
      app: () => ourChannelApp(turn ?? echoTurn, api.apiRoot, api.token, api.botInfo),
      headers: { 'x-telegram-bot-api-secret-token': SECRET },
    },
    bare: { app: () => bareGrammyApp(api.apiRoot, api.token, api.botInfo), headers: {} },
  };
  // Unique across rounds and runs: an engine keeps delivery keys, and a repeated one would be a cheap no-op.
  let updateId = Date.now() * 1000;
  const nextUpdateId = () => ++updateId;
  const totals = { ours: { completed: 0, seconds: 0 }, bare: { completed: 0, seconds: 0 } };
  try {
    // Alternating short rounds spread a busy machine's noise over both; the first round only warms up.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const name of ['ours', 'bare'] as const) {
        const span = await loadFor(servers[name].app(), servers[name].headers, round === 0 ? COLD_ROUND_MS : MEASURE_MS / ROUNDS, nextUpdateId);
        api.clear();
        if (round > 0) {
          totals[name].completed += span.completed;
          totals[name].seconds += span.seconds;
        }
      }
    }
  } finally {
    await api.close();
  }
  const ours = totals.ours.completed / totals.ours.seconds;
  const bare = totals.bare.completed / totals.bare.seconds;
  return [
    { name: `telegram webhook turns/s (${turn ? 'engine' : 'echo'})`, value: ours, unit: 'turns/s' },
    { name: 'telegram webhook turns/s (bare grammY echo)', value: bare, unit: 'turns/s' },
    { name: 'telegram webhook ours / bare grammY', value: ours / bare, unit: 'ratio', goal: 0.5 },
  ];
}
