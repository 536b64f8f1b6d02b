/**
 * The composition root: config → database + migrations → marketplace → engine →
 * channels → server. Everything is built here and handed down; nothing is global.
 */
import type { FastifyPluginAsync } from 'fastify';
import pino from 'pino';
import { loadGazetteer, locate } from '../catalog/geo.ts';
import { createMarketplace } from '../catalog/marketplace.ts';
import { describeOfficeHours, nextOpening, officeOpen } from '../catalog/office.ts';
import { createHandout } from '../catalog/handout.ts';
import { createProducerStock } from '../catalog/producer-stock.ts';
import type { Clock } from '../catalog/ports.ts';
import { DEFAULT_RHYTHM, parseRhythm, type CycleRhythm } from '../catalog/rhythm.ts';
import { isEmpty, seedDemoWeek } from '../catalog/seed.ts';
import { openCycle } from '../catalog/cycles.ts';
import { createEmbeddedRecogniser, createEngine, createRenderer, type Dialog, type Office, type Renderer } from '../flows/index.ts';
import { openDatabase, type Database } from '../storage/database.ts';
import { demoPlugin } from './channels/demo/plugin.ts';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram/channel.ts';
import { voicePlugin } from './channels/voice/plugin.ts';
import { reminderAnswer } from './channels/voice/reminder.ts';
import { whatsappPlugin } from './channels/whatsapp/plugin.ts';
import type { Config } from './config.ts';
import { createFloodLimiter } from './flood.ts';
import { createOutboxKick, runDueJobs, sendersFor, type OutboxKick } from './jobs/index.ts';
import { scheduleDueJobs, type JobSchedule } from './jobs/schedule.ts';
import { createLogger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { buildServer } from './server.ts';
import { createReplyLedger, type ReplyLedger } from './replies.ts';
import { createTurnHandler } from './turn.ts';
import type { ChannelContext, Logger, TurnHandler } from './types.ts';

export const systemClock: Clock = { now: () => new Date() };

export interface AppOptions {
  clock?: Clock;
  log?: pino.Logger;
  /** Seed the demo week into an empty database (default: in demo mode). */
  seedDemo?: boolean;
  /** The dialogs the engine dispatches through (default: the service's own, `DIALOGS`). */
  dialogs?: readonly Dialog[];
  /** How long a SQLite statement waits for another process's lock (default 5 s); tests shorten it. */
  sqliteBusyTimeoutMs?: number;
  /** Extra routes, e.g. the local test page. */
  plugins?: (ctx: ChannelContext, app: Omit<App, 'server' | 'listen' | 'close'>) => FastifyPluginAsync[];
}

export interface App {
  config: Config;
  database: Database;
  renderer: Renderer;
  turn: TurnHandler;
  ctx: ChannelContext;
  clock: Clock;
  rhythm: CycleRhythm;
  server: ReturnType<typeof buildServer>;
  telegram: TelegramChannel | null;
  /** Replies kept with their turns until the provider took them (bot/replies.ts). */
  replies: ReplyLedger;
  /** Listens and starts channel background work; returns the URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}


/** Builds the whole bot from its config. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config);
  const rhythm = config.cycleRhythm ? parseRhythm(config.cycleRhythm) : DEFAULT_RHYTHM;
  // Before the database, which reports its faults to them; the outbox gauges read the database only at a scrape.
  const metrics = createMetrics({ outboxBacklog: () => database.repositories.outbox.backlog(clock.now()), now: () => clock.now() });
  const database = await openDatabase(config.databaseUrl, {
    clock,
    sqliteBusyTimeoutMs: options.sqliteBusyTimeoutMs,
    // The call that met the fault fails and says so where it is handled; this is the database's side of it.
    onFault: (fault, error) => {
      metrics.databaseFault(fault);
      log.warn({ fault, error: error instanceof Error ? error.message : String(error) }, 'database fault');
    },
  });
  try {
    await database.migrate();
    const repos = database.repositories;
    if ((options.seedDemo ?? config.demo) && (await isEmpty(repos))) {
      await seedDemoWeek(repos, clock.now(), rhythm);
      log.info('seeded the demo Spreewald week');
    } else if (config.demo) {
      await openCycle(repos, rhythm, clock.now());
    }
  } catch (error) {
    await database.close();
    throw error;
  }

  const repos = database.repositories;
  // Set once the process sweeps the outbox (listen with JOBS on); until then the next minute's run sends.
  let outboxKick: OutboxKick | null = null;
  const market = createMarketplace({ repos, clock, wake: () => outboxKick?.kick() });
  const gazetteer = loadGazetteer();
  const placeNames = gazetteer.placeNames();
  const renderer = createRenderer();
  const text: ChannelContext['text'] = (language, key, params) => renderer.text(language, 'written', key, params);
  const office: Office = {
    phone: config.office.phone,
    hours: (language) => describeOfficeHours(config.office.hours, language, text),
    isOpen: (at) => officeOpen(config.office.hours, at),
    nextOpening: (at) => nextOpening(config.office.hours, at),
  };
  const embedded = createEmbeddedRecogniser();
  // Loaded only when configured: the Google client library takes about a second to load.
  const recogniser = config.dialogflow
    ? (await import('./nlu/dialogflow.ts')).createDialogflowRecogniser({ ...config.dialogflow, fallback: embedded, log: log as Logger })
    : embedded;
  const engine = createEngine({
    market,
    stock: createProducerStock({ repos, clock }),
    handout: createHandout({ repos, clock }),
    recogniser,
    clock,
    office,
    renderer,
    dialogs: options.dialogs,
    // One array for the process: the recogniser caches its place index per array.
    locator: { locate: (query) => locate(query, gazetteer), placeNames: () => placeNames },
  });
  const turn = createTurnHandler({
    engine, conversations: repos.conversations, deliveries: repos.deliveries, renderer, clock, log: log as Logger, metrics,
    databaseFault: database.fault,
  });
  const ctx: ChannelContext = {
    turn, limiter: createFloodLimiter({ perMinute: config.floodPerMinute }), metrics, log: log as Logger, text,
  };

  const plugins: FastifyPluginAsync[] = [];
  let telegram: TelegramChannel | null = null;
  const replies = createReplyLedger({
    deliveries: repos.deliveries, outbox: repos.outbox, clock, log: log as Logger, sweepSoon: () => outboxKick?.kick(),
  });
  if (config.telegram) {
    telegram = createTelegramChannel(ctx, {
      replies,
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      webhookSecret: config.telegram.webhookSecret ?? undefined,
      publicUrl: config.publicUrl ?? undefined,
      now: () => clock.now(),
    });
    plugins.push(telegram.plugin);
  }
  if (config.twilio && config.publicUrl) {
    if (config.channels.whatsapp) {
      plugins.push(whatsappPlugin(ctx, {
        authToken: config.twilio.authToken, publicUrl: config.publicUrl, from: config.twilio.whatsappFrom!, now: () => clock.now(),
        // Opens WhatsApp's 24-hour window for the outbox's free-text messages.
        onInbound: (e164, at) => repos.customers.recordInbound({ kind: 'whatsapp', value: e164 }, at),
      }));
    }
    if (config.channels.voice) {
      const reminderCall = reminderAnswer({
        repos, clock, publicUrl: config.publicUrl, voice: config.twilio.voice,
        text: (language, medium, key, params) => renderer.text(language, medium, key, params),
        cancelOrder: (orderId, customerId) => market.cancelOrder(orderId, customerId),
      });
      plugins.push(voicePlugin(ctx, { authToken: config.twilio.authToken, publicUrl: config.publicUrl, voice: config.twilio.voice, now: () => clock.now(), reminderCall }));
    }
  }
  if (config.demo) {
    plugins.push(demoPlugin(ctx, { voice: config.twilio?.voice }));
  }
  const partial = { config, database, renderer, turn, ctx, clock, rhythm, telegram, replies };
  plugins.push(...(options.plugins?.(ctx, partial) ?? []));

  const server = buildServer({
    config, metrics, plugins, log,
    health: async () => {
      await repos.cycles.current(clock.now());
      return true;
    },
  });

  let closing: Promise<void> | null = null;
  let jobs: JobSchedule | null = null;
  return {
    ...partial,
    server,
    async listen() {
      const address = await server.listen({ port: config.port, host: config.host });
      await telegram?.start();
      if (config.jobs) {
        jobs = scheduleDueJobs(async () => {
          const result = await runDueJobs(partial, clock.now());
          log.debug({ jobs: result }, 'scheduled jobs ran');
        }, log as Logger);
        outboxKick = createOutboxKick({
          outbox: repos.outbox, senders: sendersFor(partial, () => clock.now()), clock, log: log as Logger, metrics,
        });
      }
      return address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
    },
    close() {
      // Stop the schedule and taking requests, let in-flight work finish, then close the database.
      closing ??= (async () => {
        await jobs?.stop();
        await telegram?.stop().catch(() => undefined);
        await server.close();
        await replies.flush();
        // A turn's code or callback may have started a sweep; it ends before the database does.
        await outboxKick?.idle();
        await database.close();
      })();
      return closing;
    },
  };
}
