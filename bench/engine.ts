/** A full engine turn (load state, understand, act, save state) on a SQLite file, through the real turn handler. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../bot/config.ts';
import { createApp, type App } from '../bot/main.ts';
import type { BenchResult } from './telegram.ts';

/** A realistic customer mix: browse, ask, add, look at the cart, change, go back. */
const SCRIPT = ['Was gibt es diese Woche?', 'Habt ihr Eier?', '2 Gläser Senfgurken', 'Warenkorb', 'doch lieber 3', 'zurück'];
const CONVERSATIONS = 200;
const IN_FLIGHT = 8;
const MEASURE_MS = 3000;
/**
 * Turns run before the clock starts: a server answers for hours, so the figure is the warmed-up
 * engine's, not the JIT compiling it (a cold 3 s window moved with the amount of code, not its speed).
 */
const WARMUP_TURNS = 2 * CONVERSATIONS * SCRIPT.length;

/** Starts an app on a fresh SQLite file with the demo week; the caller closes it. */
export async function benchApp(): Promise<{ app: App; dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'marktbote-bench-'));
  const app = await createApp(loadConfig({ DATABASE_URL: join(dir, 'bench.sqlite'), DEMO: 'on', LOG_LEVEL: 'silent' }), { seedDemo: true });
  return { app, dispose: async () => { await app.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function benchEngine(): Promise<BenchResult[]> {
  const { app, dispose } = await benchApp();
  try {
    let turns = 0;
    let next = 0;
    let until = Number.POSITIVE_INFINITY;
    let warming = true;
    const worker = async () => {
      while (warming ? next < WARMUP_TURNS : performance.now() < until) {
        const n = next++;
        const person = n % CONVERSATIONS;
        const text = SCRIPT[Math.floor(n / CONVERSATIONS) % SCRIPT.length];
        await app.turn(
          {
            channel: 'telegram',
            conversationKey: `telegram:${900_000 + person}`,
            identity: { kind: 'telegram', value: String(900_000 + person) },
            payload: { type: 'text', text },
            receivedAt: new Date(),
          },
          { deliveryKey: `bench:${n}`, medium: 'written' },
        );
        turns += 1;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    warming = false;
    turns = 0;
    const started = performance.now();
    until = started + MEASURE_MS;
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - started) / 1000;
    return [{ name: 'engine turn (load, understand, act, save; SQLite file)', value: Math.round(turns / seconds), unit: 'turns/s', goal: 3000 }];
  } finally {
    await dispose();
  }
}
