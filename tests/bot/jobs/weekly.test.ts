/**
 * The weekly rhythm driven by `runDueJobs` at chosen instants: the offer
 * announced when the week opens, the nudge the evening before the cutoff, the
 * lists at the cutoff, the next week opened on Monday; and two instances
 * running it at once on one database, sending nothing twice.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs, type DueJobsResult } from '../../../bot/jobs/index.ts';
import { loadConfig } from '../../../bot/config.ts';
import { createApp, type App } from '../../../bot/main.ts';
import type { Repositories } from '../../../catalog/ports.ts';
import { DEMO_STAFF_IDENTITY } from '../../../catalog/demo-week.ts';
import { startBotApiDouble, type BotApiDouble } from '../../doubles/telegram-bot-api.ts';
import { startHarness, TestClock, TUESDAY_MORNING, type Harness } from '../../helpers/conversation.ts';
import { forEachDatabase, openTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import nock, { onlyLocalNetwork, restoreNetwork } from '../../helpers/nock.ts';
import { addCustomer, jobsEnv, MESSAGES_PATH, placeOrder, TWILIO_ORIGIN } from './fixtures.ts';
import type { InstanceTask } from './instance-worker.ts';

/** Tuesday 1 December 2026, 18:00 in Berlin: the evening before Wednesday's cutoff. */
const TUESDAY_EVENING = new Date('2026-12-01T17:00:00Z');
const WEDNESDAY_CUTOFF = new Date('2026-12-02T17:00:00Z');
/** Monday 7 December 2026, 06:00 in Berlin: the next week opens. */
const NEXT_MONDAY = new Date('2026-12-07T05:00:00Z');

let api: BotApiDouble;

beforeEach(async () => {
  api = await startBotApiDouble();
  onlyLocalNetwork();
  // Producers without Telegram get their pick lists by SMS.
  nock(TWILIO_ORIGIN).post(MESSAGES_PATH).reply(201, { sid: `SM${'1'.repeat(32)}`, status: 'queued' }).persist();
});
afterEach(async () => {
  restoreNetwork();
  await api.close();
});

describe('the weekly rhythm', () => {
  let harness: Harness;
  let repos: Repositories;
  beforeEach(async () => {
    harness = await startHarness(TUESDAY_MORNING, jobsEnv(api));
    repos = harness.app.database.repositories;
  });
  afterEach(() => harness.dispose());

  const keys = async (kind: string) =>
    (await repos.outbox.list()).filter((message) => message.kind === kind).map((message) => message.key).sort();

  it('announces, nudges, closes with lists and opens the next week, each once', async () => {
    const cycle = (await repos.cycles.current(TUESDAY_MORNING))!;
    const subscriber = await addCustomer(repos, { identity: { kind: 'telegram', value: '5001' }, reminderChannel: 'telegram', weeklyNews: true });
    const buyer = await addCustomer(repos, { identity: { kind: 'telegram', value: '5002' }, reminderChannel: 'telegram', weeklyNews: true });
    await addCustomer(repos, { identity: { kind: 'telegram', value: '5003' }, reminderChannel: 'telegram', weeklyNews: false });
    await addCustomer(repos, { identity: { kind: 'telegram', value: '5004' }, reminderChannel: null, weeklyNews: true });
    const { order } = await placeOrder(repos, buyer, TUESDAY_MORNING);

    expect(await runDueJobs(harness.app, TUESDAY_MORNING)).toMatchObject({ cycle: cycle.label, offers: 2, nudges: 0, closed: false, lists: 0 });
    expect(await keys('weekly_offer')).toEqual([`weekly_offer:${cycle.id}:${subscriber.id}`, `weekly_offer:${cycle.id}:${buyer.id}`].sort());
    expect(api.sent(5001)).toEqual([expect.stringMatching(/Das Angebot der Woche ist da! .* bis Mittwoch, 02\.12\., 18:00 Uhr/)]);
    expect(api.sent(5003)).toEqual([]);
    expect(await runDueJobs(harness.app, new Date(TUESDAY_MORNING.getTime() + 60_000))).toMatchObject({ offers: 0, sent: 0 });

    expect(await runDueJobs(harness.app, new Date(TUESDAY_EVENING.getTime() - 60_000))).toMatchObject({ nudges: 0 });
    expect(await runDueJobs(harness.app, TUESDAY_EVENING)).toMatchObject({ nudges: 1 });
    expect(await keys('order_nudge')).toEqual([`order_nudge:${cycle.id}:${subscriber.id}`]);
    expect(api.sent(5001)[1]).toMatch(/Nur noch bis morgen, Mittwoch, 18:00 Uhr/);
    expect(api.sent(5002)).toHaveLength(1);

    const closing = await runDueJobs(harness.app, WEDNESDAY_CUTOFF);
    expect(closing).toMatchObject({ closed: true, nudges: 0 });
    expect(closing.lists).toBeGreaterThanOrEqual(1);
    expect((await repos.cycles.get(cycle.id))?.status).toBe('closed');
    const staff = await repos.staff.findByTelegramId(DEMO_STAFF_IDENTITY.telegramId);
    const picklists = (await repos.outbox.list()).filter((message) => message.kind === 'picklist');
    const producer = (await repos.producers.list()).find((candidate) => candidate.name === order.items[0].producerName)!;
    expect(picklists.map((message) => message.key)).toEqual([`picklist:${cycle.id}:${producer.id}`]);
    expect(picklists.every((message) => message.recipient.channel === 'telegram' || message.recipient.channel === 'sms')).toBe(true);
    expect(await keys('handout_list')).toEqual(staff && (await repos.orders.handoutList(cycle.id, staff.pickupPointId)).length > 0
      ? [`handout_list:${cycle.id}:${staff.id}`]
      : []);
    expect((await runDueJobs(harness.app, new Date(WEDNESDAY_CUTOFF.getTime() + 60_000))).lists).toBe(0);

    const next = await runDueJobs(harness.app, NEXT_MONDAY);
    expect(next).toMatchObject({ cycle: '2026-W50', offers: 2 });
    const opened = (await repos.cycles.current(NEXT_MONDAY))!;
    expect(await keys('weekly_offer')).toContain(`weekly_offer:${opened.id}:${subscriber.id}`);
  });

  it('sends a producer the pick list of what was ordered from them, in German', async () => {
    const buyer = await addCustomer(repos, { identity: { kind: 'telegram', value: '5002' } });
    const { order } = await placeOrder(repos, buyer, TUESDAY_MORNING);
    const producer = (await repos.producers.list()).find((candidate) => candidate.name === order.items[0].producerName)!;
    await runDueJobs(harness.app, WEDNESDAY_CUTOFF);
    const [picklist] = (await repos.outbox.list()).filter((message) => message.key.endsWith(`:${producer.id}`) && message.kind === 'picklist');
    expect(picklist).toMatchObject({
      state: 'sent', language: 'de',
      recipient: producer.telegramId ? { channel: 'telegram', address: producer.telegramId } : { channel: 'sms', address: producer.phone },
    });
    expect(String(picklist.payload.params.lines)).toContain(order.items[0].productName);
  });
});

const WORKER = fileURLToPath(new URL('./instance-worker.ts', import.meta.url));

/** The second instance: a process of its own on the same database. */
function startInstance(task: InstanceTask) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`instance ${child.pid} ended early (exit code ${child.exitCode})`);
    return value;
  };
  child.stdin.write(`${JSON.stringify(task)}\n`);
  return {
    /** Waits until the instance is ready, starts its run and resolves when it is done. */
    async run(): Promise<DueJobsResult> {
      expect(await next()).toBe('ready');
      child.stdin.write('go\n');
      return JSON.parse(await next()) as DueJobsResult;
    },
    /** Lets the instance close its app and end. */
    finish(): Promise<unknown> {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      return exited;
    },
  };
}

forEachDatabase('two instances running the jobs at once', (target) => {
  let database: TestDatabase;
  let app: App | null = null;
  beforeEach(async () => {
    database = await openTestDatabase(target);
  });
  afterEach(async () => {
    await app?.close();
    app = null;
    await database.dispose();
  });

  it('send every message once', async () => {
    const env = { DATABASE_URL: database.url, DEMO: 'on', DEMO_PUBLIC: 'yes-i-know', LOG_LEVEL: 'silent', ...jobsEnv(api) };
    app = await createApp(loadConfig(env), { clock: new TestClock(TUESDAY_MORNING), seedDemo: true });
    const repos = app.database.repositories;
    const customers = [];
    for (let index = 0; index < 12; index += 1) {
      const customer = await addCustomer(repos, { identity: { kind: 'telegram', value: String(6000 + index) }, reminderChannel: 'telegram', weeklyNews: true });
      if (index % 2 === 0) await placeOrder(repos, customer, TUESDAY_MORNING);
      customers.push(customer);
    }
    const times = [TUESDAY_MORNING, TUESDAY_EVENING, WEDNESDAY_CUTOFF, new Date('2026-12-03T17:00:00Z')];
    const other = startInstance({ env, times: times.map((at) => at.toISOString()) });
    for (const at of times) await Promise.all([other.run(), runDueJobs(app, at)]);
    await other.finish();

    const sent = api.calls.filter((call) => call.method === 'sendMessage' && call.ok).map((call) => `${call.chatId}|${call.text}`);
    expect(new Set(sent).size).toBe(sent.length);
    // Each customer: the offer; those without an order: the nudge; those with one: the reminder.
    for (const customer of customers) expect(api.sent(Number(customer.identities[0].value))).toHaveLength(2);
    expect(await repos.outbox.list('sending')).toEqual([]);
  }, 60_000);
});
