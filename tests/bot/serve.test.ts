/**
 * `marktbote serve` as an operator runs it: a fresh SQLite file, the demo week,
 * the URL printed, /healthz within 10 s, and a clean exit on SIGTERM; the test
 * page only on this machine, and never next to a real channel unless asked.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/marktbote.js', import.meta.url).pathname;

/** This process's environment without our variables, so the test decides the configuration alone. */
function withoutConfig(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(HOST|PORT|DEMO|DEMO_PUBLIC|TELEGRAM_|TWILIO_|DATABASE_URL)/.test(name)));
}

describe('marktbote serve', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts on an empty database with the demo week on 127.0.0.1, answers /healthz, and exits cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marktbote-serve-'));
    dirs.push(dir);
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...withoutConfig(), PORT: String(port), DATABASE_URL: join(dir, 'db.sqlite'), LOG_LEVEL: 'warn', JOBS: 'off' },
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
    // Without HOST the demo listens on the loopback address only (0.0.0.0 would be printed as localhost).
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 20_000);

  it('refuses the test page next to a configured channel with one line on stderr, unless DEMO_PUBLIC says yes-i-know', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marktbote-serve-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...withoutConfig(), DEMO: 'on', TELEGRAM_BOT_TOKEN: '123456:ABC-DEF', DATABASE_URL: join(dir, 'db.sqlite'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: DEMO is on next to a configured channel \(TELEGRAM_BOT_TOKEN\).*DEMO_PUBLIC=yes-i-know/)]);
  }, 20_000);
});
