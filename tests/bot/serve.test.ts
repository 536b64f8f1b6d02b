/**
 * `marktbote serve` as an operator runs it: a fresh SQLite file, the demo week,
 * the URL printed, /healthz within 10 s, and a clean exit on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/marktbote.js', import.meta.url).pathname;

describe('marktbote serve', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts on an empty database with the demo week, answers /healthz, and exits cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marktbote-serve-'));
    dirs.push(dir);
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: join(dir, 'db.sqlite'), LOG_LEVEL: 'warn', JOBS: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    while (!/läuft auf (http:\/\/\S+)/.test(output)) {
      if (Date.now() - started > 10_000) throw new Error(`no URL printed within 10 s:\n${output}`);
      if (child.exitCode !== null) throw new Error(`serve exited early:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /läuft auf (http:\/\/\S+)/.exec(output)![1];
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 20_000);
});
