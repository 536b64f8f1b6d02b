/**
 * Webhook throughput of our Telegram route against a bare grammY echo bot, both
 * served over real HTTP and replying to the same Bot API double; the double and
 * the load generator run in a worker thread (bench/telegram-peer.ts), so the
 * measured server has its event loop to itself.
 */
import { Worker } from 'node:worker_threads';
import fastify, { type FastifyInstance } from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createTelegramChannel } from '../bot/channels/telegram/channel.ts';
import type { ChannelContext, TurnHandler } from '../bot/types.ts';
import type { LoadRequest, LoadResult } from './telegram-peer.ts';

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

const echoTurn: TurnHandler = async (event) => ({
  status: 'waiting',
  language: 'de',
  messages: [event.payload.type === 'text' ? event.payload.text : 'Hallo'],
  choices: [],
  expect: 'text',
  speechHints: [],
});

/** The peer worker (bench/telegram-peer.ts): the Bot API double and the load generator. */
async function startPeer() {
  // A worker does not take over the main thread's TypeScript loader: it registers tsx itself first.
  const entry = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./telegram-peer.ts', import.meta.url).href)}); })`;
  const worker = new Worker(entry, { eval: true });
  // One answer at a time: each request waits for the worker's next message (or its failure).
  let waiting: { resolve: (value: unknown) => void; reject: (error: unknown) => void } | null = null;
  worker.on('message', (message) => waiting?.resolve(message));
  worker.on('error', (error) => waiting?.reject(error));
  const next = <T>() => new Promise<T>((resolve, reject) => {
    waiting = { resolve: resolve as (value: unknown) => void, reject };
  });
  const api = await next<{ apiRoot: string; token: string; botInfo: UserFromGetMe }>();
  return {
    ...api,
    async load(app: FastifyInstance, request: Omit<LoadRequest, 'url'>): Promise<LoadResult> {
      const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/telegram`;
      try {
        worker.postMessage({ load: { ...request, url } });
        const answer = await next<{ result?: LoadResult; error?: string }>();
        if (answer.error) throw new Error(answer.error);
        return answer.result!;
      } finally {
        await app.close();
      }
    },
    async close() {
      worker.postMessage({ close: true });
      await next();
      await worker.terminate();
    },
  };
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
  const peer = await startPeer();
  const servers = {
    ours: {
      app: () => ourChannelApp(turn ?? echoTurn, peer.apiRoot, peer.token, peer.botInfo),
      headers: { 'x-telegram-bot-api-secret-token': SECRET },
    },
    bare: { app: () => bareGrammyApp(peer.apiRoot, peer.token, peer.botInfo), headers: {} },
  };
  // Unique across rounds and runs: an engine keeps delivery keys, and a repeated one would be a cheap no-op.
  let updateId = Date.now() * 1000;
  const totals = { ours: { completed: 0, seconds: 0 }, bare: { completed: 0, seconds: 0 } };
  try {
    // Alternating short rounds spread a busy machine's noise over both; the first round only warms up.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const name of ['ours', 'bare'] as const) {
        const span = await peer.load(servers[name].app(), {
          headers: servers[name].headers,
          warmupMs: WARMUP_MS,
          measureMs: round === 0 ? COLD_ROUND_MS : MEASURE_MS / ROUNDS,
          concurrency: CONCURRENCY,
          firstUpdateId: updateId,
        });
        updateId = span.nextUpdateId;
        if (round > 0) {
          totals[name].completed += span.completed;
          totals[name].seconds += span.seconds;
        }
      }
    }
  } finally {
    await peer.close();
  }
  const ours = totals.ours.completed / totals.ours.seconds;
  const bare = totals.bare.completed / totals.bare.seconds;
  return [
    { name: `telegram webhook turns/s (${turn ? 'engine' : 'echo'})`, value: ours, unit: 'turns/s' },
    { name: 'telegram webhook turns/s (bare grammY echo)', value: bare, unit: 'turns/s' },
    { name: 'telegram webhook ours / bare grammY', value: ours / bare, unit: 'ratio', goal: 0.5 },
  ];
}
