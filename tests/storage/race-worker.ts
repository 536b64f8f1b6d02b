/**
 * One competitor in tests/storage/race.test.ts, run as its own process with its
 * own connection. Lives for many races, since starting a process costs more
 * than a race: for each task line on stdin it opens the task's database,
 * prints "ready", waits for a "go" line so that all competitors start
 * together, runs the task and prints one JSON result line.
 */
import { createInterface } from 'node:readline';
import { isDomainError } from '../../catalog/errors.ts';
import type { OrderRecord } from '../../catalog/ports.ts';
import { openDatabase } from '../../storage/database.ts';

export type RaceTask =
  | { kind: 'place'; url: string; attempts: number; record: OrderRecord }
  | { kind: 'save-conversation'; url: string; key: string; expectedVersion: number; state: unknown }
  | { kind: 'claim-outbox'; url: string; now: string; batch: number };

export interface RaceResult {
  placed: Array<{ id: number; code: string }>;
  outOfStock: number;
  savedVersion: number | null;
  /** Outbox keys this process claimed. */
  claimed: string[];
}

async function run(task: RaceTask, database: Awaited<ReturnType<typeof openDatabase>>): Promise<RaceResult> {
  const result: RaceResult = { placed: [], outOfStock: 0, savedVersion: null, claimed: [] };
  if (task.kind === 'save-conversation') {
    result.savedVersion = await database.repositories.conversations.save(task.key, task.state, task.expectedVersion, new Date());
    return result;
  }
  if (task.kind === 'claim-outbox') {
    // Claim batches until none is left, as a sweep does.
    for (let batch = await database.repositories.outbox.claimDue(new Date(task.now), task.batch); batch.length > 0;
      batch = await database.repositories.outbox.claimDue(new Date(task.now), task.batch)) {
      result.claimed.push(...batch.map((message) => message.key));
    }
    return result;
  }
  // JSON carried the dates as text.
  const record: OrderRecord = {
    ...task.record,
    pickupFrom: new Date(task.record.pickupFrom),
    pickupTo: new Date(task.record.pickupTo),
    createdAt: new Date(task.record.createdAt),
  };
  for (let attempt = 0; attempt < task.attempts; attempt += 1) {
    try {
      const order = await database.repositories.orders.place(record);
      result.placed.push({ id: order.id, code: order.code });
    } catch (error) {
      if (!isDomainError(error, 'OUT_OF_STOCK')) throw error;
      result.outOfStock += 1;
    }
  }
  return result;
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
for (let next = await lines.next(); !next.done; next = await lines.next()) {
  const task = JSON.parse(next.value) as RaceTask;
  const database = await openDatabase(task.url);
  try {
    process.stdout.write('ready\n');
    await lines.next();
    process.stdout.write(`${JSON.stringify(await run(task, database))}\n`);
  } finally {
    await database.close();
  }
}
