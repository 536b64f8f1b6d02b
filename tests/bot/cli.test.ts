/**
 * The operator's commands protect the week: each protection, its exit code and
 * its one line on stderr, run in-process at a fixed time (Tuesday of the demo
 * week, cutoff Wednesday 18:00), and two through the real executable. The
 * webhook commands talk HTTP to the Bot API double.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../../bot/cli.ts';
import { loadConfig } from '../../bot/config.ts';
import type { Repositories } from '../../catalog/ports.ts';
import { openDatabase, type Database } from '../../storage/database.ts';
import { startBotApiDouble, type BotApiDouble } from '../doubles/telegram-bot-api.ts';

const TUESDAY = new Date('2026-12-01T09:00:00Z');
const THURSDAY = new Date('2026-12-03T09:00:00Z');
const BIN = new URL('../../bin/marktbote.js', import.meta.url).pathname;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command in-process with `env` at `now`; returns its exit code and what it printed. */
async function runMarktbote(argv: string[], env: Record<string, string>, now: Date): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, now: () => now }, env);
  return { code, stdout, stderr };
}

/** Runs the real executable with only `env`, as an operator's shell would. */
function runExecutable(argv: string[], env: Record<string, string>): Promise<Ran> {
  return promisify(execFile)(process.execPath, [BIN, ...argv], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }));
}

/** One line, ending the way every refusal or failure ends: on stderr, prefixed. */
function oneLine(text: string): string {
  expect(text.split('\n').filter(Boolean)).toHaveLength(1);
  expect(text).toMatch(/^marktbote: /);
  return text;
}

describe('marktbote (operator commands)', () => {
  let dir: string;
  let env: Record<string, string>;
  let now: Date;

  const marktbote = (...argv: string[]) => runMarktbote(argv, env, now);

  async function withRepos<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    const database: Database = await openDatabase(env.DATABASE_URL);
    try {
      return await work(database.repositories);
    } finally {
      await database.close();
    }
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'marktbote-cli-'));
    env = { DATABASE_URL: join(dir, 'db.sqlite'), LOG_LEVEL: 'silent' };
    now = TUESDAY;
    expect((await marktbote('seed', '--demo')).code).toBe(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('cycle', () => {
    it('close before the cutoff is refused without --force, says what would happen, and changes nothing (exit 3)', async () => {
      const refused = await marktbote('cycle', 'close');
      expect(refused.code).toBe(3);
      expect(oneLine(refused.stderr)).toMatch(/2026-W49 takes orders until 2026-12-02T18:00:00\+01:00; closing it now stops ordering for everyone .* Add --force/);
      expect((await marktbote('cycle', 'status')).stdout).toMatch(/^2026-W49 +open +yes /m);

      const forced = await marktbote('cycle', 'close', '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/^closed: 2026-W49$/m);
      expect((await marktbote('cycle', 'status')).stdout).toMatch(/^2026-W49 +closed +no /m);
    });

    it('close after the cutoff needs no --force', async () => {
      now = THURSDAY;
      const closed = await marktbote('cycle', 'close');
      expect(closed).toMatchObject({ code: 0, stderr: '' });
      expect(closed.stdout).toMatch(/^closed: 2026-W49$/m);
    });

    it('open after an early close reopens the week, and status agrees', async () => {
      await marktbote('cycle', 'close', '--force');
      const reopened = await marktbote('cycle', 'open');
      expect(reopened.code).toBe(0);
      expect(reopened.stdout).toMatch(/^reopened: 2026-W49, taking orders until 2026-12-02T18:00:00\+01:00$/m);
      expect((await marktbote('cycle', 'status')).stdout).toMatch(/^cycle +status +taking orders +opens +cutoff +orders\n2026-W49 +open +yes /m);
      expect((await marktbote('cycle', 'open')).stdout).toMatch(/^already open: 2026-W49/m);
    });

    it('open explains why not when the lists went out or the cutoff has passed (exit 3), and status agrees', async () => {
      await marktbote('cycle', 'close', '--force');
      await withRepos((repos) => repos.outbox.enqueue([{
        key: 'picklist:1:1', kind: 'picklist', customerId: null, recipient: { channel: 'telegram', address: '100001' }, language: 'de',
        payload: { key: 'picklist.message', params: {} }, dueAt: TUESDAY, notAfter: null,
      }]));
      const refused = await marktbote('cycle', 'open');
      expect(refused.code).toBe(3);
      expect(oneLine(refused.stderr)).toMatch(/cannot reopen 2026-W49: 1 pick and handout lists of it were already written \(0 sent\)/);
      expect((await marktbote('cycle', 'status')).stdout).toMatch(/^2026-W49 +closed +no /m);

      now = THURSDAY;
      const late = await marktbote('cycle', 'open');
      expect(late.code).toBe(3);
      expect(oneLine(late.stderr)).toMatch(/cannot reopen 2026-W49: its cutoff 2026-12-02T18:00:00\+01:00 has passed/);
    });
  });

  describe('jobs run', () => {
    it('refuses a --now more than a minute ahead, saying what it would do, and changes nothing (exit 3)', async () => {
      const refused = await marktbote('jobs', 'run', '--now', '2026-12-03T10:00:00+01:00');
      expect(refused.code).toBe(3);
      expect(oneLine(refused.stderr)).toMatch(/--now is 2 days ahead of the clock; running then would close cycle 2026-W49 \(ordering stops\), send 0 messages due by then\. Add --dry-run .* or --force/);
      expect((await marktbote('cycle', 'status')).stdout).toMatch(/^2026-W49 +open +yes /m);
      expect(await withRepos((repos) => repos.cycles.list())).toHaveLength(1);
    });

    it('--dry-run shows what would be done and writes nothing (exit 0)', async () => {
      const dry = await marktbote('jobs', 'run', '--now', '2026-12-08T10:00:00+01:00', '--dry-run');
      expect(dry).toMatchObject({ code: 0, stderr: '' });
      expect(dry.stdout).toMatch(/^dry run at 2026-12-08T10:00:00\+01:00, nothing written or sent: would open cycle 2026-W50, .*send 0 messages due by then$/m);
      expect((await withRepos((repos) => repos.cycles.list())).map((cycle) => [cycle.label, cycle.status])).toEqual([['2026-W49', 'open']]);
    });

    it('runs at once within a minute of the clock, and with --force further ahead', async () => {
      expect((await marktbote('jobs', 'run', '--now', '2026-12-01T10:00:30+01:00')).code).toBe(0);
      const forced = await marktbote('jobs', 'run', '--now', '2026-12-03T10:00:00+01:00', '--force');
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/^cycle 2026-W49 \(closed now\)/m);
      expect((await marktbote('cycle', 'status')).stdout).toMatch(/^2026-W49 +closed +no /m);
    });

    it('exits 1 with one readable line when a message failed, and no raw log on stderr', async () => {
      await withRepos((repos) => repos.outbox.enqueue([{
        key: 'reminder:1:day_before', kind: 'pickup_reminder', customerId: null, recipient: { channel: 'sms', address: '+4915100000099' }, language: 'de',
        payload: { key: 'reminder.dayBefore', params: {} }, dueAt: TUESDAY, notAfter: null,
      }]));
      const failed = await marktbote('jobs', 'run', '--now', '2026-12-01T10:00:00+01:00');
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/failed 1$/m);
      expect(oneLine(failed.stderr)).toBe('marktbote: jobs run: 1 messages failed for good (last: sms +4915100000099: no sender for sms); see marktbote outbox list --state failed\n');
    });
  });

  describe('registrations', () => {
    it('refuses a producer whose phone or Telegram id is already registered (exit 3), and adds a new one', async () => {
      const twice = await marktbote('producer', 'add', '--name', 'Gurkenhof Krüger', '--phone', '+4915100000001');
      expect(twice.code).toBe(3);
      expect(oneLine(twice.stderr)).toMatch(/\+4915100000001 is already registered as producer \d+ \(Gurkenhof Krüger\); nothing added/);
      const staffsPhone = await marktbote('producer', 'add', '--name', 'Hof Petrick', '--phone', '+4915100000002');
      expect(staffsPhone.code).toBe(3);
      expect(staffsPhone.stderr).toMatch(/already registered as staff \d+ \(Heike Petrick\)/);
      const telegram = await marktbote('producer', 'add', '--name', 'Neuer Hof', '--phone', '+4935460000999', '--telegram-id', '100001');
      expect(telegram.code).toBe(3);
      expect(telegram.stderr).toMatch(/Telegram id 100001 is already registered as producer/);
      expect((await marktbote('producer', 'add', '--name', 'Neuer Hof', '--phone', '+4935460000999')).code).toBe(0);
      expect((await marktbote('producer', 'add', '--name', 'Neuer Hof', '--phone', '+4935460000999')).code).toBe(3);
      expect((await withRepos((repos) => repos.producers.list())).filter((p) => p.name === 'Neuer Hof')).toHaveLength(1);
    });

    it('refuses staff whose phone or Telegram id is already registered (exit 3)', async () => {
      const twice = await marktbote('staff', 'add', '--pickup-point', 'Dorfladen Straupitz', '--telegram-id', '100002');
      expect(twice.code).toBe(3);
      expect(oneLine(twice.stderr)).toMatch(/Telegram id 100002 is already registered as staff \d+ \(Heike Petrick\)/);
      expect((await marktbote('staff', 'add', '--pickup-point', 'Dorfladen Straupitz', '--phone', '+4915100000001')).code).toBe(3);
      expect((await marktbote('staff', 'add', '--pickup-point', 'Dorfladen Straupitz', '--phone', '+4915100000077', '--name', 'Uwe')).code).toBe(0);
    });

    it('picklist refuses a name two producers share instead of picking one (exit 2)', async () => {
      await withRepos((repos) => repos.producers.add({ name: 'Gurkenhof Krüger', village: 'Lehde', phone: '+4935420000555' }));
      const ambiguous = await marktbote('picklist', '--producer', 'Gurkenhof Krüger');
      expect(ambiguous.code).toBe(2);
      expect(oneLine(ambiguous.stderr)).toMatch(/2 producers are called "Gurkenhof Krüger" \(ids \d+, \d+\); give --producer <id>/);
    });
  });

  describe('output', () => {
    it('describes every command and option in --help', () => {
      const program = buildCli(() => loadConfig(env));
      const undescribed: string[] = [];
      const visit = (command: Command, path: string) => {
        if (!command.description()) undescribed.push(path);
        for (const option of command.options) if (!option.description) undescribed.push(`${path} ${option.flags}`);
        for (const sub of command.commands) visit(sub, `${path} ${sub.name()}`);
      };
      visit(program, 'marktbote');
      expect(undescribed).toEqual([]);
    });

    it('lists have headers, and an empty list says so', async () => {
      expect((await marktbote('outbox', 'list')).stdout).toBe('keine Einträge\n');
      expect((await marktbote('picklist', '--producer', 'Gurkenhof Krüger')).stdout).toBe('keine Einträge\n');
      expect((await marktbote('pickup-point', 'list')).stdout).toMatch(/^id +kind +name +place +windows\n5 +village_store +Dorfladen Lieberose/m);
      expect((await marktbote('producer', 'list')).stdout).toMatch(/^id +name +village +phone +telegram id\n/);
    });

    it('bad usage exits 2 with one line', async () => {
      const badTime = await marktbote('jobs', 'run', '--now', 'tomorrow');
      expect(badTime.code).toBe(2);
      expect(oneLine(badTime.stderr)).toMatch(/--now must be an ISO time/);
      expect((await marktbote('cycle', 'frobnicate')).code).toBe(2);
      expect((await marktbote('outbox', 'list', '--state', 'lost')).code).toBe(2);
    });
  });

  describe('through the executable', () => {
    const bin = (...argv: string[]) => runExecutable(argv, env);

    it('exits 3 for a far-future --now and for a phone registered twice, with one line each', async () => {
      const future = await bin('jobs', 'run', '--now', '2099-01-01T10:00:00+01:00');
      expect(future.code).toBe(3);
      expect(oneLine(future.stderr)).toMatch(/ahead of the clock/);
      const twice = await bin('producer', 'add', '--name', 'Gurkenhof Krüger', '--phone', '+4915100000001');
      expect(twice.code).toBe(3);
      expect(oneLine(twice.stderr)).toMatch(/already registered as producer/);
    }, 30_000);
  });
});

describe('marktbote webhook (Telegram, against the Bot API double over HTTP)', () => {
  const PUBLIC = 'https://marktbote.example.de';
  let api: BotApiDouble;
  let env: Record<string, string>;

  const webhook = (...argv: string[]) => runMarktbote(['webhook', ...argv], env, new Date());
  /** The value `webhook info` prints after a label, such as "url". */
  const shown = (info: Ran, label: string) => info.stdout.match(new RegExp(`^${label} +(.*)$`, 'm'))?.[1];

  beforeEach(async () => {
    api = await startBotApiDouble();
    env = {
      TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, TELEGRAM_WEBHOOK_SECRET: 'geheim', PUBLIC_URL: `${PUBLIC}/`, LOG_LEVEL: 'silent',
    };
  });
  afterEach(() => api.close());

  it('set registers PUBLIC_URL/telegram as a starting instance does, and info shows it', async () => {
    expect(await webhook('set')).toEqual({ code: 0, stdout: `webhook set: ${PUBLIC}/telegram\n`, stderr: '' });
    expect(api.calls.find((call) => call.method === 'setWebhook')?.params).toEqual({
      url: `${PUBLIC}/telegram`, secret_token: 'geheim', allowed_updates: ['message', 'edited_message', 'callback_query'],
    });

    const info = await webhook('info');
    expect(info).toMatchObject({ code: 0, stderr: '' });
    expect(shown(info, 'url')).toBe(`${PUBLIC}/telegram`);
    expect(shown(info, 'pending updates')).toBe('0');
    expect(shown(info, 'last error')).toBe('none');
    expect(shown(info, 'max connections')).toBe('40');
    expect(shown(info, 'allowed updates')).toBe('message, edited_message, callback_query');
  });

  it('delete takes the webhook away, and with --drop-pending-updates the updates Telegram holds', async () => {
    await webhook('set');
    expect(await webhook('delete')).toEqual({ code: 0, stdout: 'webhook deleted\n', stderr: '' });
    const erna = { id: 4711, is_bot: false, first_name: 'Erna' };
    api.queueUpdate({ message: { message_id: 1, date: 0, chat: { id: erna.id, type: 'private', first_name: erna.first_name }, from: erna, text: 'Hallo' } });
    const deleted = await webhook('info');
    expect(shown(deleted, 'url')).toBe('(none: no webhook is set)');
    expect(shown(deleted, 'pending updates')).toBe('1');

    expect((await webhook('delete', '--drop-pending-updates')).stdout).toBe('webhook deleted, pending updates dropped\n');
    expect(shown(await webhook('info'), 'pending updates')).toBe('0');
  });

  it('says in one line which variable is missing (exit 1), and asks Telegram nothing', async () => {
    const { TELEGRAM_BOT_TOKEN: _token, ...withoutToken } = env;
    env = withoutToken;
    expect(await webhook('info')).toEqual({
      code: 1, stdout: '', stderr: 'Invalid configuration: TELEGRAM_BOT_TOKEN is required for marktbote webhook info\n',
    });
    const { PUBLIC_URL: _url, ...withoutPublicUrl } = env;
    env = { ...withoutPublicUrl, TELEGRAM_BOT_TOKEN: api.token };
    expect(await webhook('set')).toEqual({
      code: 1, stdout: '', stderr: 'Invalid configuration: PUBLIC_URL is required for marktbote webhook set: Telegram posts updates to PUBLIC_URL/telegram\n',
    });
    expect(api.calls).toEqual([]);
  });

  it('a refusal of the Bot API is one line naming the call and Telegram\'s reason (exit 1)', async () => {
    env.PUBLIC_URL = 'http://marktbote.example.de';
    const refused = await webhook('set');
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toBe('marktbote: Telegram refused setWebhook: Bad Request: bad webhook: An HTTPS URL must be provided for webhook\n');

    env.TELEGRAM_BOT_TOKEN = '7000000001:AAHsomeoneElsesToken';
    const unauthorised = await webhook('info');
    expect(unauthorised.code).toBe(1);
    expect(oneLine(unauthorised.stderr)).toBe('marktbote: Telegram refused getWebhookInfo: Unauthorized; check TELEGRAM_BOT_TOKEN\n');
    expect(shown(await runMarktbote(['webhook', 'info'], { ...env, TELEGRAM_BOT_TOKEN: api.token }, new Date()), 'url')).toBe('(none: no webhook is set)');
  });

  it('a Bot API that does not answer is one line naming where it was asked, without the token (exit 1)', async () => {
    const gone = await startBotApiDouble();
    await gone.close();
    env.TELEGRAM_API_ROOT = gone.apiRoot;
    const failed = await webhook('delete');
    expect(failed.code).toBe(1);
    expect(oneLine(failed.stderr)).toBe(`marktbote: the Telegram Bot API at ${gone.apiRoot} did not answer (ECONNREFUSED)\n`);
  });

  it('through the executable: the refusal is the only line on stderr, no stack trace', async () => {
    const refused = await runExecutable(['webhook', 'set'], { ...env, PUBLIC_URL: 'http://marktbote.example.de' });
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toMatch(/^marktbote: Telegram refused setWebhook: Bad Request: bad webhook: An HTTPS URL/);
    expect(refused.stdout).toBe('');
  }, 30_000);
});
