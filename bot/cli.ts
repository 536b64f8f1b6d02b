/**
 * Operator commands: `marktbote <command>`. Every failure is one readable line
 * on stderr and a non-zero exit, nothing half-written:
 *   0  done
 *   1  a command or job failed (or the configuration is wrong)
 *   2  the command was called wrongly
 *   3  refused, to protect the week or the registry: nothing changed (some refusals give way to --force)
 */
import { Command, CommanderError, Option } from 'commander';
import { Api, GrammyError, HttpError } from 'grammy';
import pino from 'pino';
import { closeCycle, openCycle } from '../catalog/cycles.ts';
import { DomainError } from '../catalog/errors.ts';
import { exportOrders, ordersToCsv } from '../catalog/exports.ts';
import { createMarketplace } from '../catalog/marketplace.ts';
import type { PinHolder, Repositories } from '../catalog/ports.ts';
import { pinProblem } from '../catalog/use-cases/phone-identity.ts';
import { DEFAULT_RHYTHM, parseRhythm, planCycle, type CycleRhythm } from '../catalog/rhythm.ts';
import { seedDemoWeek } from '../catalog/seed.ts';
import { isoWithOffset } from '../catalog/time.ts';
import { OUTBOX_STATES, type OutboxMessage } from '../catalog/outbox.ts';
import { normalizePhone } from '../catalog/phone.ts';
import type { OrderCycle } from '../catalog/types.ts';
import { previewDueJobs, runDueJobs, type DueJobsPreview } from './jobs/index.ts';
import { openDatabase, type Database } from '../storage/database.ts';
import { DEMO_ROLES } from './channels/demo/identity.ts';
import { describeWebhook, registerWebhook } from './channels/telegram/registration.ts';
import { runTerminalChat } from './channels/terminal/chat.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { createApp } from './main.ts';

/** A mistake in how the command was called: exit 2. */
class UsageError extends Error {}
/** Refused to protect the week or the registry; nothing changed: exit 3. */
class Refusal extends Error {}
/** The command ran and something in it failed: exit 1. */
class CommandFailed extends Error {}

/** Where the commands write and what time they take as now; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  now(): Date;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
};

/** `jobs run --now` this far ahead of the clock is a replay of the future, refused without --force. */
const FUTURE_TOLERANCE_MS = 60_000;
const EMPTY = 'keine Einträge';

async function withDatabase<T>(config: Config, work: (repos: Repositories, database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config.databaseUrl);
  try {
    await database.migrate();
    return await work(database.repositories, database);
  } finally {
    await database.close();
  }
}

function phoneOption(value: string, name: string): string {
  const phone = normalizePhone(value);
  if (!phone) throw new UsageError(`${name} must be a phone number such as +4935461234567, got "${value}"`);
  return phone;
}

function telegramIdOption(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!/^\d{1,20}$/.test(value)) throw new UsageError(`--telegram-id must be a numeric Telegram user id, got "${value}"`);
  return value;
}

function rhythmOf(config: Config): CycleRhythm {
  return config.cycleRhythm ? parseRhythm(config.cycleRhythm) : DEFAULT_RHYTHM;
}

/** An operator waits for a Bot API answer this long at most (grammY's own default is minutes). */
const BOT_API_TIMEOUT_SECONDS = 30;

/** The configured bot's Bot API for `marktbote webhook <command>`, or a ConfigError naming every variable it lacks. */
function webhookApi(cfg: Config, command: string, needsPublicUrl = false): { api: Api; apiRoot: string } {
  const problems: string[] = [];
  if (!cfg.telegram) problems.push(`TELEGRAM_BOT_TOKEN is required for marktbote webhook ${command}`);
  if (needsPublicUrl && !cfg.publicUrl) problems.push(`PUBLIC_URL is required for marktbote webhook ${command}: Telegram posts updates to PUBLIC_URL/telegram`);
  if (!cfg.telegram || problems.length > 0) throw new ConfigError(problems);
  return { api: new Api(cfg.telegram.token, { apiRoot: cfg.telegram.apiRoot, timeoutSeconds: BOT_API_TIMEOUT_SECONDS }), apiRoot: cfg.telegram.apiRoot };
}

/** A Bot API call whose refusal, or the network's failure, becomes one line naming it; never the token. */
async function askTelegram<T>(apiRoot: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GrammyError) {
      const hint = error.error_code === 401 ? '; check TELEGRAM_BOT_TOKEN' : '';
      throw new CommandFailed(`Telegram refused ${error.method}: ${error.description}${hint}`);
    }
    if (error instanceof HttpError) {
      // The cause may quote the request URL, which holds the token: only its code is shown.
      const code = (error.error as { code?: unknown } | undefined)?.code;
      throw new CommandFailed(`the Telegram Bot API at ${apiRoot} did not answer (${typeof code === 'string' ? code : error.message})`);
    }
    throw error;
  }
}

/** Rows under a header, columns aligned; an empty list says so. */
export function table(headers: string[], rows: string[][]): string[] {
  if (rows.length === 0) return [EMPTY];
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** Sets a phone PIN, refusing one that is no PIN or too easy to guess with a line the operator can act on. */
async function setPin(repos: Repositories, holder: PinHolder, pin: string): Promise<void> {
  const problem = pinProblem(pin);
  if (problem === 'format') throw new UsageError(`--pin must be 4 to 6 digits, got "${pin}"`);
  if (problem === 'too_simple') throw new UsageError('--pin is too easy to guess: no repeated digit and no run such as 1234');
  await createMarketplace({ repos, clock: { now: () => new Date() } }).setPin(holder, pin);
}

/** Who already answers to a phone number or Telegram id: a producer and a staff member may not share one. */
async function registeredAs(repos: Repositories, phone: string | null, telegramId: string | null): Promise<string | null> {
  if (phone) {
    const producer = await repos.producers.findByPhone(phone);
    if (producer) return `${phone} is already registered as producer ${producer.id} (${producer.name})`;
    const staff = await repos.staff.findByPhone(phone);
    if (staff) return `${phone} is already registered as staff ${staff.id} (${staff.name})`;
  }
  if (telegramId) {
    const producer = await repos.producers.findByTelegramId(telegramId);
    if (producer) return `Telegram id ${telegramId} is already registered as producer ${producer.id} (${producer.name})`;
    const staff = await repos.staff.findByTelegramId(telegramId);
    if (staff) return `Telegram id ${telegramId} is already registered as staff ${staff.id} (${staff.name})`;
  }
  return null;
}

async function cycleIdFrom(repos: Repositories, value: string, now: Date): Promise<number> {
  if (value === 'current') {
    const cycle = await repos.cycles.current(now);
    if (!cycle) throw new UsageError('there is no current cycle yet (marktbote cycle open)');
    return cycle.id;
  }
  const byLabel = (await repos.cycles.list()).find((c) => c.label === value || String(c.id) === value);
  if (!byLabel) throw new UsageError(`no cycle "${value}" (use current, an id or a label such as 2026-W49)`);
  return byLabel.id;
}

const takingOrders = (cycle: OrderCycle, now: Date) => cycle.status === 'open' && cycle.opensAt <= now && now < cycle.cutoffAt;

/** The current cycle and any opened for a later week, as a table: what `cycle status` shows after every cycle command. */
async function cycleTable(repos: Repositories, now: Date): Promise<string[]> {
  const current = await repos.cycles.current(now);
  const shown = (await repos.cycles.list()).filter((cycle) => cycle.id === current?.id || cycle.opensAt > now);
  const rows = [];
  for (const cycle of shown) {
    const orders = (await repos.orders.listByCycle(cycle.id)).filter((o) => o.status !== 'cancelled').length;
    rows.push([cycle.label, cycle.status, takingOrders(cycle, now) ? 'yes' : 'no', isoWithOffset(cycle.opensAt), isoWithOffset(cycle.cutoffAt), String(orders)]);
  }
  return table(['cycle', 'status', 'taking orders', 'opens', 'cutoff', 'orders'], rows);
}

/** The lists a closed cycle already wrote: reopening would leave them wrong. */
async function listsWritten(repos: Repositories, cycle: OrderCycle): Promise<OutboxMessage[]> {
  return (await repos.outbox.list()).filter((m) => m.key.startsWith(`picklist:${cycle.id}:`) || m.key.startsWith(`handout_list:${cycle.id}:`));
}

function describeAhead(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

/** What a run would do, in words. */
function describePreview(preview: DueJobsPreview): string {
  const parts: string[] = [];
  if (preview.opened) parts.push(`open cycle ${preview.opened}`);
  if (preview.closed) parts.push(`close cycle ${preview.cycle} (ordering stops)`);
  if (preview.offers) parts.push(`announce the week to ${preview.offers} customers`);
  if (preview.nudges) parts.push(`nudge ${preview.nudges} customers`);
  if (preview.lists) parts.push(`write ${preview.lists} pick and handout lists`);
  if (preview.planned) parts.push(`plan ${preview.planned} pickup reminders`);
  parts.push(`send ${preview.due} messages due by then`);
  return parts.join(', ');
}

export function buildCli(config: () => Config, io: CliIo = processIo): Command {
  const out = (line: string) => io.stdout(`${line}\n`);
  const program = new Command('marktbote')
    .description('Marktbote — ordering bot of the Digitaler Marktplatz Spreewald')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(marktbote --help lists the commands)');
  // Every command created below inherits these: errors come back here instead of ending the process.
  const command = (parent: Command, name: string, description: string) =>
    parent.command(name).description(description).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  command(program, 'migrate', 'apply database migrations (also done at start)').action(async () => {
    await withDatabase(config(), async () => out('migrations applied'));
  });

  command(program, 'seed', 'write demo data into an empty database').requiredOption('--demo', 'the demo Spreewald week').action(async () => {
    const cfg = config();
    await withDatabase(cfg, async (repos) => {
      const { cycleId } = await seedDemoWeek(repos, io.now(), rhythmOf(cfg));
      out(`demo week seeded (cycle ${cycleId})`);
    });
  });

  command(program, 'serve', 'run the bot server (npm start)').action(async () => {
    const cfg = config();
    const log = createLogger(cfg);
    const app = await createApp(cfg, { log });
    const url = await app.listen();
    out(`Marktbote läuft auf ${url}`);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        log.info({ signal }, 'shutting down');
        void app.close().then(() => process.exit(0));
      });
    }
  });

  command(program, 'chat', 'chat with the bot in the terminal, without any account; paste a block, a blank line or Ctrl-D sends it')
    .option('--as <role>', `who you are: ${DEMO_ROLES.join(', ')}`, 'customer')
    .option('--phone <e164>', 'the customer\'s phone number (default: the demo customer)')
    .action(async (o: { as: string; phone?: string }) => {
      const role = DEMO_ROLES.find((candidate) => candidate === o.as);
      if (!role) throw new UsageError(`--as must be one of ${DEMO_ROLES.join(', ')}, not "${o.as}"`);
      const phone = o.phone === undefined ? undefined : phoneOption(o.phone, '--phone');
      const cfg = config();
      // Only problems reach the terminal, on stderr, so they never mix with the conversation.
      const app = await createApp(cfg, { log: pino({ level: 'error' }, pino.destination(2)) });
      try {
        await runTerminalChat(app, { as: role, phone }, { input: process.stdin, output: process.stdout });
      } finally {
        await app.close();
      }
    });

  const producer = command(program, 'producer', 'producers: who may post stock');
  command(producer, 'add', 'register a producer; a phone number or Telegram id already registered is refused')
    .requiredOption('--name <name>', 'the farm or producer as customers see it')
    .requiredOption('--phone <e164>', 'the number they write or call from, e.g. +4935461234567')
    .option('--village <village>', 'village or town', '')
    .option('--telegram-id <id>', 'their numeric Telegram user id')
    .action(async (o: { name: string; phone: string; village: string; telegramId?: string }) => {
      const input = { name: o.name.trim(), village: o.village.trim(), phone: phoneOption(o.phone, '--phone'), telegramId: telegramIdOption(o.telegramId) };
      if (!input.name) throw new UsageError('--name must not be empty');
      await withDatabase(config(), async (repos) => {
        const taken = await registeredAs(repos, input.phone, input.telegramId);
        if (taken) throw new Refusal(`${taken}; nothing added`);
        const created = await repos.producers.add(input);
        out(`producer ${created.id} added: ${created.name}`);
      });
    });
  command(producer, 'list', 'the registered producers').action(async () => {
    await withDatabase(config(), async (repos) => {
      const rows = (await repos.producers.list()).map((p) => [String(p.id), p.name, p.village, p.phone, p.telegramId ?? '']);
      for (const line of table(['id', 'name', 'village', 'phone', 'telegram id'], rows)) out(line);
    });
  });

  command(producer, 'pin', 'set the PIN a producer keys in on the phone (4 to 6 digits, not 1234 or 1111)')
    .requiredOption('--producer <id or name>', 'the producer (see marktbote producer list)')
    .requiredOption('--pin <digits>', '4 to 6 digits')
    .action(async (o: { producer: string; pin: string }) => {
      await withDatabase(config(), async (repos) => {
        const found = (await repos.producers.list()).find((p) => String(p.id) === o.producer || p.name.toLowerCase() === o.producer.toLowerCase());
        if (!found) throw new UsageError(`no producer "${o.producer}" (see marktbote producer list)`);
        await setPin(repos, { kind: 'producer', id: found.id }, o.pin);
        out(`phone PIN set for producer ${found.id}: ${found.name}`);
      });
    });

  const staff = command(program, 'staff', 'pickup point staff: who may hand out orders');
  command(staff, 'add', 'register a staff member of a pickup point; a phone number or Telegram id already registered is refused')
    .requiredOption('--pickup-point <id or name>', 'the pickup point (see marktbote pickup-point list)')
    .option('--phone <e164>', 'the number they write or call from')
    .option('--telegram-id <id>', 'their numeric Telegram user id')
    .option('--name <name>', 'how the bot greets them', 'Team')
    .action(async (o: { pickupPoint: string; phone?: string; telegramId?: string; name: string }) => {
      const phone = o.phone === undefined ? null : phoneOption(o.phone, '--phone');
      const telegramId = telegramIdOption(o.telegramId);
      if (!phone && !telegramId) throw new UsageError('give --phone or --telegram-id (or both)');
      await withDatabase(config(), async (repos) => {
        const point = (await repos.pickupPoints.list()).find((p) => String(p.id) === o.pickupPoint || p.name.toLowerCase() === o.pickupPoint.toLowerCase());
        if (!point) throw new UsageError(`no pickup point "${o.pickupPoint}" (see marktbote pickup-point list)`);
        const taken = await registeredAs(repos, phone, telegramId);
        if (taken) throw new Refusal(`${taken}; nothing added`);
        const created = await repos.staff.add({ pickupPointId: point.id, name: o.name, phone, telegramId });
        out(`staff ${created.id} added to ${point.name}`);
      });
    });

  command(staff, 'pin', 'set the PIN a staff member keys in on the phone (4 to 6 digits, not 1234 or 1111)')
    .requiredOption('--phone <e164>', "the staff member's phone number")
    .requiredOption('--pin <digits>', '4 to 6 digits')
    .action(async (o: { phone: string; pin: string }) => {
      const phone = phoneOption(o.phone, '--phone');
      await withDatabase(config(), async (repos) => {
        const member = await repos.staff.findByPhone(phone);
        if (!member) throw new UsageError(`no staff member with the phone number ${phone}`);
        await setPin(repos, { kind: 'staff', id: member.id }, o.pin);
        out(`phone PIN set for staff ${member.id}: ${member.name}`);
      });
    });

  command(command(program, 'pickup-point', 'pickup points'), 'list', 'the pickup points with their weekly windows').action(async () => {
    await withDatabase(config(), async (repos) => {
      const rows = (await repos.pickupPoints.list()).map((p) => {
        const windows = p.windows.map((w) => `${['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'][w.weekday - 1]} ${w.from}-${w.to}`).join(', ');
        return [String(p.id), p.kind, p.name, `${p.postcode} ${p.place}`, windows];
      });
      for (const line of table(['id', 'kind', 'name', 'place', 'windows'], rows)) out(line);
    });
  });

  const cycle = command(program, 'cycle', 'the weekly order cycle');
  command(cycle, 'status', 'the current cycle (and one opened for a later week)').action(async () => {
    await withDatabase(config(), async (repos) => {
      for (const line of await cycleTable(repos, io.now())) out(line);
    });
  });
  command(cycle, 'open', 'open this week\'s cycle, or reopen it after an early close while its cutoff has not passed').action(async () => {
    const cfg = config();
    await withDatabase(cfg, async (repos) => {
      const now = io.now();
      const label = planCycle(rhythmOf(cfg), now, []).label;
      const existing = (await repos.cycles.list()).find((c) => c.label === label);
      if (!existing) {
        const { cycle: opened } = await openCycle(repos, rhythmOf(cfg), now);
        out(`opened: ${opened.label}, taking orders until ${isoWithOffset(opened.cutoffAt)}`);
      } else if (existing.status === 'open') {
        out(takingOrders(existing, now)
          ? `already open: ${existing.label}, taking orders until ${isoWithOffset(existing.cutoffAt)}`
          : `${existing.label} is open, but its cutoff ${isoWithOffset(existing.cutoffAt)} has passed: the next jobs run closes it`);
      } else {
        if (now >= existing.cutoffAt) {
          throw new Refusal(`cannot reopen ${existing.label}: its cutoff ${isoWithOffset(existing.cutoffAt)} has passed; ordering is over for this week`);
        }
        const lists = await listsWritten(repos, existing);
        if (lists.length > 0) {
          const sent = lists.filter((m) => m.state === 'sent').length;
          throw new Refusal(`cannot reopen ${existing.label}: ${lists.length} pick and handout lists of it were already written (${sent} sent); with more orders they would be wrong`);
        }
        await repos.cycles.setStatus(existing.id, 'open');
        out(`reopened: ${existing.label}, taking orders until ${isoWithOffset(existing.cutoffAt)}`);
      }
      for (const line of await cycleTable(repos, now)) out(line);
    });
  });
  command(cycle, 'close', 'close the current cycle; before its cutoff only with --force')
    .option('--force', 'close even though the cutoff has not passed: ordering stops at once for everyone')
    .action(async (o: { force?: boolean }) => {
      await withDatabase(config(), async (repos) => {
        const now = io.now();
        const current = await repos.cycles.current(now);
        if (!current) throw new Refusal('there is no cycle to close (marktbote cycle open)');
        if (current.status === 'closed') {
          out(`already closed: ${current.label}`);
        } else {
          if (now < current.cutoffAt && !o.force) {
            throw new Refusal(`${current.label} takes orders until ${isoWithOffset(current.cutoffAt)}; closing it now stops ordering for everyone and the next jobs run sends the pick and handout lists early. Add --force to close it anyway`);
          }
          const closed = await closeCycle(repos, now);
          out(`closed: ${closed?.label ?? current.label}`);
        }
        for (const line of await cycleTable(repos, now)) out(line);
      });
    });

  command(command(program, 'orders', 'orders of a cycle'), 'export', 'the cycle\'s orders as JSON, or CSV with one row per item')
    .option('--cycle <cycle>', 'current, an id or a label', 'current')
    .addOption(new Option('--format <format>', 'json or csv').choices(['json', 'csv']).default('json'))
    .action(async (o: { cycle: string; format: string }) => {
      await withDatabase(config(), async (repos) => {
        const rows = await exportOrders(repos, await cycleIdFrom(repos, o.cycle, io.now()));
        io.stdout(o.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : ordersToCsv(rows));
      });
    });

  command(program, 'picklist', 'what was ordered from a producer, per pickup point')
    .requiredOption('--producer <id or name>', 'the producer (see marktbote producer list)')
    .option('--cycle <cycle>', 'current, an id or a label', 'current')
    .action(async (o: { producer: string; cycle: string }) => {
      await withDatabase(config(), async (repos) => {
        const producers = (await repos.producers.list()).filter((p) => String(p.id) === o.producer || p.name.toLowerCase() === o.producer.toLowerCase());
        if (producers.length === 0) throw new UsageError(`no producer "${o.producer}" (see marktbote producer list)`);
        if (producers.length > 1) throw new UsageError(`${producers.length} producers are called "${o.producer}" (ids ${producers.map((p) => p.id).join(', ')}); give --producer <id>`);
        const rows = await repos.orders.pickList(await cycleIdFrom(repos, o.cycle, io.now()), producers[0].id);
        for (const line of table(['pickup point', 'quantity', 'product'], rows.map((r) => [r.pickupPointName, `${r.quantity} ${r.unit}`, r.productName]))) out(line);
      });
    });

  command(command(program, 'jobs', 'the scheduled work'), 'run', 'run every due job once, as if it were --now (replays a missed window)')
    .requiredOption('--now <iso>', 'the instant to run at, ISO 8601 such as 2026-12-02T18:00:00+01:00')
    .option('--dry-run', 'only say what would be done: nothing is written or sent')
    .option('--force', 'run even though --now is more than a minute ahead of the clock')
    .action(async (o: { now: string; dryRun?: boolean; force?: boolean }) => {
      const now = new Date(o.now);
      if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO time such as 2026-12-03T18:00:00+01:00, got "${o.now}"`);
      // The summary line below says what went wrong; the log would only repeat it as JSON.
      // Not in demo mode: a demo start opens the week of `now`, which is exactly what a refusal must not do.
      const app = await createApp({ ...config(), demo: false }, { log: pino({ level: 'silent' }), clock: { now: () => now } });
      try {
        const ahead = now.getTime() - io.now().getTime();
        if (o.dryRun || (ahead > FUTURE_TOLERANCE_MS && !o.force)) {
          const preview = await previewDueJobs(app, now);
          if (o.dryRun) {
            out(`dry run at ${isoWithOffset(now)}, nothing written or sent: would ${describePreview(preview)}`);
            return;
          }
          throw new Refusal(`--now is ${describeAhead(ahead)} ahead of the clock; running then would ${describePreview(preview)}. Add --dry-run to see this without running, or --force to run it`);
        }
        const result = await runDueJobs(app, now);
        out(`cycle ${result.cycle ?? '-'}${result.closed ? ' (closed now)' : ''}: offers ${result.offers}, nudges ${result.nudges}, lists ${result.lists}, reminders ${result.planned}; sent ${result.sent}, skipped ${result.skipped}, retried ${result.retried}, failed ${result.failed}`);
        if (result.failed > 0) {
          const failed = (await app.database.repositories.outbox.list('failed')).filter((m) => m.attempts > 0);
          const last = failed[failed.length - 1];
          const why = last ? ` (last: ${last.recipient.channel} ${last.recipient.address}: ${(last.lastError ?? '').split('\n')[0]})` : '';
          throw new CommandFailed(`jobs run: ${result.failed} messages failed for good${why}; see marktbote outbox list --state failed`);
        }
      } finally {
        await app.close();
      }
    });

  const webhook = command(program, 'webhook', "Telegram's webhook: where Telegram posts the bot's updates");
  command(webhook, 'set', 'register PUBLIC_URL/telegram with the webhook secret and the updates the bot serves, as an instance does at start')
    .action(async () => {
      const cfg = config();
      const { api, apiRoot } = webhookApi(cfg, 'set', true);
      const { publicUrl } = cfg;
      const secret = cfg.telegram?.webhookSecret;
      // Unreachable past webhookApi and loadConfig (which requires the secret once the token and PUBLIC_URL are set); the types cannot see that.
      if (!publicUrl || !secret) throw new ConfigError(['TELEGRAM_WEBHOOK_SECRET is required for marktbote webhook set']);
      out(`webhook set: ${await askTelegram(apiRoot, () => registerWebhook(api, publicUrl, secret))}`);
    });
  command(webhook, 'info', 'what Telegram has registered: url, pending updates, last delivery error, max connections, allowed updates')
    .action(async () => {
      const { api, apiRoot } = webhookApi(config(), 'info');
      for (const line of describeWebhook(await askTelegram(apiRoot, () => api.getWebhookInfo()), (at) => isoWithOffset(at))) out(line);
    });
  command(webhook, 'delete', 'stop Telegram posting updates (an instance started with PUBLIC_URL registers the webhook again)')
    .option('--drop-pending-updates', 'also discard the updates Telegram holds for the bot')
    .action(async (o: { dropPendingUpdates?: boolean }) => {
      const { api, apiRoot } = webhookApi(config(), 'delete');
      await askTelegram(apiRoot, () => api.deleteWebhook({ drop_pending_updates: o.dropPendingUpdates === true }));
      out(o.dropPendingUpdates ? 'webhook deleted, pending updates dropped' : 'webhook deleted');
    });

  command(command(program, 'outbox', 'outbound messages'), 'list', 'the outbound messages and what became of them')
    .addOption(new Option('--state <state>', 'only messages in this state').choices([...OUTBOX_STATES]))
    .action(async (o: { state?: OutboxMessage['state'] }) => {
      await withDatabase(config(), async (repos) => {
        const rows = (await repos.outbox.list(o.state)).map((m) => [
          String(m.id), m.state, m.kind, `${m.recipient.channel}:${m.recipient.address}`, isoWithOffset(m.dueAt), String(m.attempts), m.lastError ?? '',
        ]);
        for (const line of table(['id', 'state', 'kind', 'recipient', 'due', 'attempts', 'last error'], rows)) out(line);
      });
    });

  return program;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  let cached: Config | undefined;
  const config = () => (cached ??= loadConfig(env));
  const fail = (code: number, message: string) => {
    io.stderr(`marktbote: ${message.split('\n')[0]}\n`);
    return code;
  };
  try {
    await buildCli(config, io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    if (error instanceof Refusal) return fail(3, error.message);
    if (error instanceof UsageError || error instanceof DomainError) return fail(2, error.message);
    return fail(1, error instanceof Error ? error.message : String(error));
  }
}

if (process.argv[1] && /marktbote(\.js)?$|cli\.ts$/.test(process.argv[1])) {
  // `marktbote outbox list | head`: a reader that stopped reading is no failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
  const code = await runCli(process.argv.slice(2));
  // `serve` keeps running; everything else ends here.
  if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
}
