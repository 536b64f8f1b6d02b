/**
 * The scheduled work of the bot. Cron only decides when `runDueJobs` runs;
 * what is due lives in the database, so a missed or repeated run costs nothing.
 */
import { planPickupReminders } from '../../catalog/reminders.ts';
import type { App } from '../main.ts';
import { telegramSender, twilioSenders, type JobText } from './senders.ts';
import { sweepOutbox, type Senders, type SweepResult } from './sweep.ts';

/** The senders the configured channels allow. */
export function sendersFor(app: Pick<App, 'config' | 'renderer'>): Senders {
  const text: JobText = (language, medium, key, params) => app.renderer.text(language, medium, key, params);
  const { telegram, twilio } = app.config;
  return {
    ...(twilio ? twilioSenders({ ...twilio, text }) : {}),
    ...(telegram ? { telegram: telegramSender({ token: telegram.token, apiRoot: telegram.apiRoot, text }) } : {}),
  };
}

export interface DueJobsResult extends SweepResult {
  /** Reminders newly written to the outbox. */
  planned: number;
}

/** Plans the current cycle's reminders and sends what is due at `now`. */
export async function runDueJobs(app: Pick<App, 'config' | 'renderer' | 'database' | 'ctx'>, now: Date, senders: Senders = sendersFor(app)): Promise<DueJobsResult> {
  const repos = app.database.repositories;
  const cycle = await repos.cycles.current(now);
  const planned = cycle ? await planPickupReminders(repos, cycle.id) : 0;
  const swept = await sweepOutbox({ outbox: repos.outbox, senders, clock: { now: () => now }, log: app.ctx.log });
  return { planned, ...swept };
}
