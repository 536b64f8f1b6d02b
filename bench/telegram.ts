/**
 * Webhook throughput of our Telegram route against a bare grammY echo bot, both
 * served over real HTTP and replying to the same Bot API double; the double and
 * the load generator run in a worker thread (bench/telegram-peer.ts), so the
 * measured server has its event loop to itself.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
const MEASURE_MS = 4000;
/** One untimed round of both servers first (3 s: the engine has far more code for the JIT to warm than an echo), so neither pays for warming up. */
const COLD_ROUND_MS = 3000;
const ROUNDS = 8;

const echoTurn: TurnHandler = async (event) => ({
  status: 'waiting',
  language: 'de',
  messages: [event.payload.type === 'text' ? event.payload.text : 'Hallo'],
  choices: [],
  expect: 'text',
  speechHints: [],
});

/**
 * CPU seconds this thread (the servers' event loop) has used, from Linux's
 * /proc; null elsewhere. Unlike the rate, it does not depend on how fast the
 * peer worker, which shares the machine, can keep up.
 */
function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const [utime, stime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 13).map(Number);
    return (utime + stime) / clockTicks();
  } catch {
    return null;
  }
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

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
    limiter: { allow: () => true, refund: quiet },
    metrics: { turn: quiet, error: quiet, outbound: quiet, providerFailure: quiet },
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
  // The least a bot does for a press: stop the client's spinner and answer.
  bot.on('callback_query:data', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.callbackQuery.data);
  });
  const app = fastify();
  app.post('/telegram', webhookCallback(bot, 'fastify'));
  return app;
}

/** Turns per second through our route (`turn`, or an echo when null) and through bare grammY, and their ratio, for messages and for button presses. */
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
  let cpuKnown = threadCpuSeconds() !== null;

  async function measure(kind: LoadRequest['kind']) {
    const totals = { ours: { completed: 0, seconds: 0, cpu: 0, served: 0 }, bare: { completed: 0, seconds: 0, cpu: 0, served: 0 } };
    // Alternating short rounds spread a busy machine's noise over both; the first round only warms up.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const name of ['ours', 'bare'] as const) {
        const app = servers[name].app();
        const cpuBefore = threadCpuSeconds();
        const span = await peer.load(app, {
          kind,
          headers: servers[name].headers,
          warmupMs: WARMUP_MS,
          measureMs: round === 0 ? COLD_ROUND_MS : MEASURE_MS / ROUNDS,
          concurrency: CONCURRENCY,
          firstUpdateId: updateId,
        });
        const cpuAfter = threadCpuSeconds();
        updateId = span.nextUpdateId;
        if (round > 0) {
          totals[name].completed += span.completed;
          totals[name].seconds += span.seconds;
          // The CPU spans the whole round, warm-up included, so it is divided by every update the round served.
          totals[name].served += span.served;
          if (cpuBefore !== null && cpuAfter !== null) totals[name].cpu += cpuAfter - cpuBefore;
          else cpuKnown = false;
        }
      }
    }
    return totals;
  }

  let texts: Awaited<ReturnType<typeof measure>>;
  let presses: Awaited<ReturnType<typeof measure>>;
  try {
    texts = await measure('text');
    presses = await measure('press');
  } finally {
    await peer.close();
  }
  const what = turn ? 'engine' : 'echo';
  const rows = (totals: typeof texts, names: { rate: string; each: string; ratio: string }, goal?: number): BenchResult[] => {
    const ours = totals.ours.completed / totals.ours.seconds;
    const bare = totals.bare.completed / totals.bare.seconds;
    const cpuPer = (name: 'ours' | 'bare') => (totals[name].cpu / totals[name].served) * 1000;
    return [
      { name: `telegram webhook ${names.rate} (${what})`, value: ours, unit: names.rate },
      { name: `telegram webhook ${names.rate} (bare grammY echo)`, value: bare, unit: names.rate },
      { name: `telegram webhook ${names.ratio}`, value: ours / bare, unit: 'ratio', ...(goal ? { goal } : {}) },
      ...(cpuKnown
        ? [
          { name: `  server thread CPU per ${names.each} (${what})`, value: cpuPer('ours'), unit: 'ms' },
          { name: `  server thread CPU per ${names.each} (bare grammY echo)`, value: cpuPer('bare'), unit: 'ms' },
        ]
        : []),
    ];
  };
  return [
    ...rows(texts, { rate: 'turns/s', each: 'update', ratio: 'ours / bare grammY' }, 0.5),
    // A press costs one request more than a message: the answered keyboard is taken off its message.
    ...rows(presses, { rate: 'presses/s', each: 'press', ratio: 'presses, ours / bare grammY' }),
  ];
}
