/**
 * The real race: separate processes, each with its own connection, competing
 * for the last units of an offer, for one request key, for one conversation
 * version. Run on the SQLite file and on PostgreSQL.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { forEachDatabase, openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { line, orderOf, seedWeek, type Week } from './fixtures.ts';
import type { RaceResult, RaceTask } from './race-worker.ts';

const WORKER = fileURLToPath(new URL('./race-worker.ts', import.meta.url));
const PROCESSES = 8;
const RACE_TIMEOUT_MS = 120_000;

interface Competitor {
  child: ChildProcessByStdio<Writable, Readable, null>;
  lines: AsyncIterator<string>;
}

function startCompetitor(): Competitor {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['pipe', 'pipe', 'inherit'] });
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
}

async function nextLine(competitor: Competitor): Promise<string> {
  const { value, done } = await competitor.lines.next();
  if (done) throw new Error(`race worker ${competitor.child.pid} ended early (exit code ${competitor.child.exitCode})`);
  return value;
}

/** Hands one task to each competitor, lets them all go at once, and collects their results. */
async function race(competitors: Competitor[], tasks: RaceTask[]): Promise<RaceResult[]> {
  tasks.forEach((task, index) => competitors[index].child.stdin.write(`${JSON.stringify(task)}\n`));
  for (const competitor of competitors.slice(0, tasks.length)) expect(await nextLine(competitor)).toBe('ready');
  for (const competitor of competitors.slice(0, tasks.length)) competitor.child.stdin.write('go\n');
  const results: RaceResult[] = [];
  for (const competitor of competitors.slice(0, tasks.length)) {
    results.push(JSON.parse(await nextLine(competitor)) as RaceResult);
  }
  return results;
}

forEachDatabase('storage race between processes', (target) => {
  let competitors: Competitor[];
  let database: TestDatabase;
  let week: Week;

  beforeAll(() => {
    competitors = Array.from({ length: PROCESSES }, startCompetitor);
  });
  afterAll(async () => {
    await Promise.all(competitors.map(({ child }) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      return exited;
    }));
  });

  beforeEach(async () => {
    database = await openTestDatabase(target);
    week = await seedWeek(database.repositories);
    await database.repositories.offers.update(week.offers.senfgurken.id, { available: 10 });
  });
  afterEach(() => database.dispose());

  it(`sells exactly the 10 jars in stock to ${PROCESSES} processes ordering one at a time`, async () => {
    const record = orderOf(week, [line(week.offers.senfgurken, 1)]);
    const results = await race(competitors, Array.from({ length: PROCESSES }, () => ({ kind: 'place', url: database.url, attempts: 3, record })));

    const placed = results.flatMap((result) => result.placed);
    expect(placed).toHaveLength(10);
    expect(results.reduce((sum, result) => sum + result.outOfStock, 0)).toBe(PROCESSES * 3 - 10);
    expect(new Set(placed.map((order) => order.code)).size).toBe(10);
    expect((await database.repositories.offers.get(week.offers.senfgurken.id))?.available).toBe(0);
    const stored = await database.repositories.orders.listByCycle(week.cycle.id);
    expect(stored.map((order) => order.id).sort()).toEqual(placed.map((order) => order.id).sort());
  }, RACE_TIMEOUT_MS);

  it('places one order for one request key, however many processes send it', async () => {
    const record = orderOf(week, [line(week.offers.senfgurken, 2)], { requestKey: 'whatsapp:SM-race' });
    const results = await race(competitors, Array.from({ length: PROCESSES }, () => ({ kind: 'place', url: database.url, attempts: 1, record })));

    const ids = new Set(results.flatMap((result) => result.placed.map((order) => order.id)));
    expect(ids.size).toBe(1);
    expect(results.every((result) => result.placed.length === 1)).toBe(true);
    expect((await database.repositories.offers.get(week.offers.senfgurken.id))?.available).toBe(8);
    expect(await database.repositories.orders.listByCycle(week.cycle.id)).toHaveLength(1);
  }, RACE_TIMEOUT_MS);

  it('lets exactly one process save a conversation on the version all of them read', async () => {
    const key = 'voice:+4935421999';
    await database.repositories.conversations.save(key, { step: 'start' }, null, new Date());
    const results = await race(competitors, Array.from({ length: PROCESSES }, (_, index) => ({
      kind: 'save-conversation', url: database.url, key, expectedVersion: 1, state: { step: index },
    })));

    const versions = results.map((result) => result.savedVersion);
    expect(versions.filter((version) => version === 2)).toHaveLength(1);
    expect(versions.filter((version) => version === null)).toHaveLength(PROCESSES - 1);
    expect(await database.repositories.conversations.load(key)).toMatchObject({
      state: { step: versions.indexOf(2) }, version: 2,
    });
  }, RACE_TIMEOUT_MS);

  it(`hands each outbox message to one of ${PROCESSES} processes sweeping at once`, async () => {
    const now = new Date('2026-12-03T17:00:00Z');
    await database.repositories.outbox.enqueue(Array.from({ length: 400 }, (_, index) => ({
      key: `reminder:${index}:day_before`, kind: 'pickup_reminder' as const, customerId: null,
      recipient: { channel: 'telegram' as const, address: String(9000 + index) }, language: 'de' as const,
      payload: { key: 'reminder.dayBefore', params: {} }, dueAt: now, notAfter: null,
    })));
    const results = await race(competitors, Array.from({ length: PROCESSES }, () => ({
      kind: 'claim-outbox', url: database.url, now: now.toISOString(), batch: 7,
    })));

    const claimed = results.flatMap((result) => result.claimed);
    expect(claimed).toHaveLength(400);
    expect(new Set(claimed).size).toBe(400);
    expect(await database.repositories.outbox.list('pending')).toEqual([]);
  }, RACE_TIMEOUT_MS);
});
