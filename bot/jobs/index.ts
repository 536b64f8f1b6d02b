/**
 * The scheduled work of the bot. Cron only decides when `runDueJobs` runs;
 * what is due lives in the database, so a missed or repeated run costs nothing.
 */
import { planPickupReminders } from '../../catalog/reminders.ts';
import type { CycleRhythm } from '../../catalog/rhythm.ts';
import { closeDueCycle, openDueCycle, planOrderNudges, planWeeklyOffers } from '../../catalog/weekly.ts';
import type { Renderer } from '../../flows/index.ts';
import type { Database } from '../../storage/database.ts';
import type { Config } from '../config.ts';
import type { ChannelMetrics, JobText, Logger } from '../types.ts';
import type { Repositories } from '../../catalog/ports.ts';
import { rescueReplies, type ReplyLedger } from '../replies.ts';
import { dryRun } from './dry-run.ts';
import { planCutoffLists, type ListText } from './lists.ts';
import { createPacing, type Pace } from './rate.ts';
import { telegramSender, twilioSenders } from './senders.ts';
import { sweepOutbox, type Senders, type SweepDependencies, type SweepResult } from './sweep.ts';

/** What the scheduled work needs of the app; the app of bot/main.ts has all of it. */
export interface JobsApp {
  config: Config;
  renderer: Renderer;
  database: Database;
  /** The metrics count what goes out and what the providers refuse; without them nothing is counted. */
  ctx: { log: Logger; metrics?: ChannelMetrics };
  rhythm: CycleRhythm;
  /** This process's replies sent but not yet recorded so: recorded before looking for replies left unsent. */
  replies?: Pick<ReplyLedger, 'flush'>;
}

/**
 * How long a provider delivery is remembered. Telegram gives up re-delivering an
 * update after 24 hours and Twilio retries within minutes, so a week is ample.
 */
export const DELIVERY_MEMORY_MS = 7 * 24 * 60 * 60 * 1000;

/** The senders the configured channels allow, pacing each provider's rate; WhatsApp's 24-hour window is judged at `now`. */
export function sendersFor(
  app: Pick<JobsApp, 'config' | 'renderer' | 'database'> & { ctx?: JobsApp['ctx'] }, now: () => Date,
  pacing: Record<keyof Senders, Pace> = createPacing({ twilioPerSecond: app.config.twilioSendsPerSecond }),
): Senders {
  const text: JobText = (language, medium, key, params) => app.renderer.text(language, medium, key, params);
  const { telegram, twilio, publicUrl } = app.config;
  const customers = app.database.repositories.customers;
  const metrics = app.ctx?.metrics;
  const failures = (provider: 'telegram' | 'twilio') => metrics && ((status: string) => metrics.providerFailure(provider, status));
  return {
    // Config requires PUBLIC_URL with any Twilio sender number, and the call's keys are posted there.
    ...(twilio && publicUrl
      ? twilioSenders({
          ...twilio, publicUrl, text, templates: twilio.templates, pace: pacing.sms, onFailure: failures('twilio'),
          window: { lastInboundAt: (id) => customers.lastInboundAt(id), now },
        })
      : {}),
    ...(telegram
      ? { telegram: telegramSender({ token: telegram.token, apiRoot: telegram.apiRoot, text, pace: pacing.telegram, onFailure: failures('telegram') }) }
      : {}),
  };
}

export interface DueJobsResult extends SweepResult {
  /** Label of the current cycle, or null before the first one. */
  cycle: string | null;
  /** "Angebot der Woche" messages newly written to the outbox. */
  offers: number;
  nudges: number;
  /** Whether this run closed the cycle. */
  closed: boolean;
  /** Pick and handout lists newly written. */
  lists: number;
  /** Reminders newly written. */
  planned: number;
  /** Old delivery records forgotten. */
  pruned: number;
}

/** The steps before sending: open, announce, nudge, close, lists, reminders. */
async function dueSteps(repos: Repositories, app: JobsApp, now: Date) {
  const listText: ListText = (key, params) => app.renderer.text('de', 'written', key, params);
  await openDueCycle(repos, app.rhythm, now);
  const found = await repos.cycles.current(now);
  const steps = { cycle: found?.label ?? null, offers: 0, nudges: 0, closed: false, lists: 0, planned: 0 };
  if (found) {
    steps.offers = await planWeeklyOffers(repos, found, now);
    steps.nudges = await planOrderNudges(repos, found, now, app.config.weekly);
    steps.closed = await closeDueCycle(repos, found, now);
    const cycle = steps.closed ? { ...found, status: 'closed' as const } : found;
    steps.lists = await planCutoffLists(repos, cycle, now, listText);
    steps.planned = await planPickupReminders(repos, cycle.id);
  }
  return steps;
}

/**
 * Everything due at `now`, each step safe to repeat and to run in two
 * processes at once: open the week's cycle and announce it, nudge those who
 * have not ordered the evening before the cutoff, close at the cutoff and
 * hand out the lists, plan pickup reminders, forget old deliveries, take up
 * replies a stopped process left unsent, then send what is due.
 */
export async function runDueJobs(app: JobsApp, now: Date, senders: Senders = sendersFor(app, () => now)): Promise<DueJobsResult> {
  const repos = app.database.repositories;
  const steps = await dueSteps(repos, app, now);
  const pruned = await repos.deliveries.prune(new Date(now.getTime() - DELIVERY_MEMORY_MS));
  await app.replies?.flush();
  await rescueReplies({ deliveries: repos.deliveries, outbox: repos.outbox, log: app.ctx.log }, now);
  const swept = await sweepOutbox({ outbox: repos.outbox, senders, clock: { now: () => now }, log: app.ctx.log, metrics: app.ctx.metrics });
  return { ...steps, pruned, ...swept };
}

/** What `runDueJobs` would do at `now`, with nothing written and nothing sent. */
export interface DueJobsPreview {
  /** The cycle the run would open, if any. */
  opened: string | null;
  /** The current cycle then (the one opened, if so). */
  cycle: string | null;
  closed: boolean;
  offers: number;
  nudges: number;
  lists: number;
  planned: number;
  /** Messages that would be due to send at `now`, already waiting or newly planned. */
  due: number;
}

export async function previewDueJobs(app: JobsApp, now: Date): Promise<DueJobsPreview> {
  const dry = await dryRun(app.database.repositories);
  const steps = await dueSteps(dry.repos, app, now);
  return { ...steps, opened: dry.opened(), due: dry.dueAt(now) };
}

export interface OutboxKick {
  /** Sweeps the outbox now; asked while a sweep runs, it sweeps once more after it. */
  kick(): void;
  /** Resolves when no sweep runs, so the database can close after it. */
  idle(): Promise<void>;
}

/**
 * Sweeps between the minute's runs, for a message someone waits for on the
 * line (a code, a callback). Only the sweep: what is due is still decided by
 * `runDueJobs`, and claims stay atomic, so this adds nothing twice.
 */
export function createOutboxKick(dependencies: SweepDependencies): OutboxKick {
  let running: Promise<void> | null = null;
  let again = false;
  async function sweepUntilQuiet(): Promise<void> {
    do {
      again = false;
      await sweepOutbox(dependencies).catch((error: unknown) => dependencies.log.error({ err: error }, 'outbox sweep failed'));
    } while (again);
  }
  return {
    kick() {
      if (running) {
        again = true;
        return;
      }
      running = sweepUntilQuiet().finally(() => {
        running = null;
      });
    },
    async idle() {
      await running;
    },
  };
}
