/**
 * A second instance of the bot for tests/bot/jobs/weekly.test.ts, in its own
 * process as in production (two SQLite connections in one thread would block
 * each other). Reads one JSON line {env, times}; opens the app; then for each
 * time prints "ready", waits for "go", runs the due jobs and prints the result.
 */
import { createInterface } from 'node:readline';
import { runDueJobs } from '../../../bot/jobs/index.ts';
import { loadConfig } from '../../../bot/config.ts';
import { createApp } from '../../../bot/main.ts';
import nock, { onlyLocalNetwork } from '../../helpers/nock.ts';
import { MESSAGES_PATH, TWILIO_ORIGIN } from './fixtures.ts';

export interface InstanceTask {
  env: Record<string, string>;
  times: string[];
}

onlyLocalNetwork();
nock(TWILIO_ORIGIN).post(MESSAGES_PATH).reply(201, { sid: `SM${'1'.repeat(32)}`, status: 'queued' }).persist();

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const task = JSON.parse((await lines.next()).value as string) as InstanceTask;
const app = await createApp(loadConfig(task.env), { seedDemo: false, clock: { now: () => new Date(task.times[0]) } });
try {
  for (const time of task.times) {
    process.stdout.write('ready\n');
    await lines.next();
    process.stdout.write(`${JSON.stringify(await runDueJobs(app, new Date(time)))}\n`);
  }
} finally {
  await app.close();
}
