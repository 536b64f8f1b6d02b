/**
 * The clock of the scheduled work: `runDueJobs` once a minute on the Berlin
 * wall clock, never two runs at once in this process. Everything due lives in
 * the database, so a minute missed while the process was down is caught up by
 * the next run, and other processes running the same schedule send nothing twice.
 */
import cron from 'node-cron';
import { BERLIN } from '../../catalog/time.ts';
import type { Logger } from '../types.ts';

export const EVERY_MINUTE = '* * * * *';
/** The task's name in node-cron's registry. */
export const DUE_JOBS_TASK = 'marktbote:due-jobs';

export interface JobSchedule {
  /** Runs the work now, or joins the run in progress. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a run in progress, so the database can close after it. */
  stop(): Promise<void>;
}

/** Runs `work` on every tick of `expression` until stopped; a failed run is logged and the next tick tries again. */
export function scheduleDueJobs(work: () => Promise<void>, log: Logger, expression: string = EVERY_MINUTE): JobSchedule {
  let running: Promise<void> | null = null;
  const runNow = () => {
    running ??= work()
      .catch((error: unknown) => log.error({ err: error }, 'scheduled jobs failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const task = cron.createTask(expression, runNow, { timezone: BERLIN, noOverlap: true, name: DUE_JOBS_TASK });
  void task.start();
  return {
    runNow,
    async stop() {
      await task.destroy();
      await running;
    },
  };
}
