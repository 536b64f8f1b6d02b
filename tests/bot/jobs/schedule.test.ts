/** The minute timer: runs the due jobs, never twice at once, starts with `listen` unless JOBS=off, stops on close. */
import { createServer } from 'node:net';
import cron from 'node-cron';
import { afterEach, describe, expect, it } from 'vitest';
import { DUE_JOBS_TASK, scheduleDueJobs, type JobSchedule } from '../../../bot/jobs/schedule.ts';
import { startHarness, TUESDAY_MORNING, type Harness } from '../../helpers/conversation.ts';
import { recordingLogger } from '../../helpers/twilio.ts';

const scheduled = () => [...cron.getTasks().values()].filter((task) => task.name === DUE_JOBS_TASK);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('scheduleDueJobs', () => {
  let schedule: JobSchedule | null = null;
  afterEach(async () => {
    await schedule?.stop();
    schedule = null;
  });

  it('joins a run in progress instead of starting a second, and logs a failed run', async () => {
    const log = recordingLogger();
    let runs = 0;
    let finish!: () => void;
    schedule = scheduleDueJobs(() => {
      runs += 1;
      return runs === 1 ? new Promise<void>((resolve) => { finish = resolve; }) : Promise.reject(new Error('database gone'));
    }, log);
    const first = schedule.runNow();
    const second = schedule.runNow();
    finish();
    await Promise.all([first, second]);
    expect(runs).toBe(1);
    await schedule.runNow();
    expect(runs).toBe(2);
    expect(log.entries).toEqual([expect.objectContaining({ level: 'error', msg: 'scheduled jobs failed' })]);
  });

  it('registers one task on the Berlin clock every minute and removes it when stopped', async () => {
    schedule = scheduleDueJobs(async () => undefined, recordingLogger());
    const [task] = scheduled();
    expect(task.getPattern()).toBe('* * * * *');
    expect(task.getNextRun()!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    await schedule.stop();
    schedule = null;
    expect(scheduled()).toEqual([]);
  });
});

describe('marktbote serve', () => {
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.dispose();
    harness = null;
  });

  it('starts the schedule with the server and stops it on close', async () => {
    harness = await startHarness(TUESDAY_MORNING, { HOST: '127.0.0.1', PORT: String(await freePort()) });
    expect(scheduled()).toEqual([]);
    await harness.app.listen();
    expect(scheduled()).toHaveLength(1);
    await harness.app.close();
    expect(scheduled()).toEqual([]);
  });

  it('leaves the jobs to another process with JOBS=off', async () => {
    harness = await startHarness(TUESDAY_MORNING, { HOST: '127.0.0.1', PORT: String(await freePort()), JOBS: 'off' });
    await harness.app.listen();
    expect(scheduled()).toEqual([]);
  });
});
