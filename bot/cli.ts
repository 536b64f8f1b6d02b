/**
 * Operator commands: `marktbote <command>`. Bad input → one clear line on
 * stderr and a non-zero exit, nothing half-written.
 */
import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { closeCycle, openCycle } from '../catalog/cycles.ts';
import { DomainError } from '../catalog/errors.ts';
import { exportOrders, ordersToCsv } from '../catalog/exports.ts';
import { createMarketplace } from '../catalog/marketplace.ts';
import type { PinHolder, Repositories } from '../catalog/ports.ts';
import type { Producer } from '../catalog/types.ts';
import { pinProblem } from '../catalog/use-cases/phone-identity.ts';
import { DEFAULT_RHYTHM, parseRhythm } from '../catalog/rhythm.ts';
import { seedDemoWeek } from '../catalog/seed.ts';
import { isoWithOffset } from '../catalog/time.ts';
import { OUTBOX_STATES, type OutboxMessage } from '../catalog/outbox.ts';
import { normalizePhone } from '../catalog/phone.ts';
import { runDueJobs } from './jobs/index.ts';
import { openDatabase, type Database } from '../storage/database.ts';
import { DEMO_ROLES } from './channels/demo/identity.ts';
import { runTerminalChat } from './channels/terminal/chat.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createApp, createLogger } from './main.ts';

/** A mistake in how the command was called: printed as one line, exit 2. */
class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

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

async function producerFrom(repos: Repositories, value: string): Promise<Producer> {
  const producer = (await repos.producers.list()).find((p) => String(p.id) === value || p.name.toLowerCase() === value.toLowerCase());
  if (!producer) throw new UsageError(`no producer "${value}"`);
  return producer;
}

/** Sets a phone PIN, refusing one that is no PIN or too easy to guess with a line the operator can act on. */
async function setPin(repos: Repositories, holder: PinHolder, pin: string): Promise<void> {
  const problem = pinProblem(pin);
  if (problem === 'format') throw new UsageError(`--pin must be 4 to 6 digits, got "${pin}"`);
  if (problem === 'too_simple') throw new UsageError('--pin is too easy to guess: no repeated digit and no run such as 1234');
  await createMarketplace({ repos, clock: { now: () => new Date() } }).setPin(holder, pin);
}

async function cycleIdFrom(repos: Repositories, value: string): Promise<number> {
  if (value === 'current') {
    const cycle = await repos.cycles.current(new Date());
    if (!cycle) throw new UsageError('there is no current cycle yet (marktbote cycle open)');
    return cycle.id;
  }
  const byLabel = (await repos.cycles.list()).find((c) => c.label === value || String(c.id) === value);
  if (!byLabel) throw new UsageError(`no cycle "${value}" (use current, an id or a label such as 2026-W49)`);
  return byLabel.id;
}

export function buildCli(config: () => Config): Command {
  const program = new Command('marktbote').description('Marktbote — ordering bot of the Digitaler Marktplatz Spreewald').exitOverride();

  program.command('migrate').description('apply database migrations').action(async () => {
    await withDatabase(config(), async () => out('migrations applied'));
  });

  program.command('seed').description('write demo data').requiredOption('--demo', 'the demo Spreewald week').action(async () => {
    const cfg = config();
    await withDatabase(cfg, async (repos) => {
      const { cycleId } = await seedDemoWeek(repos, new Date(), cfg.cycleRhythm ? parseRhythm(cfg.cycleRhythm) : DEFAULT_RHYTHM);
      out(`demo week seeded (cycle ${cycleId})`);
    });
  });

  program.command('serve').description('run the bot server').action(async () => {
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

  program
    .command('chat')
    .description('chat with the bot in the terminal, without any account')
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

  const producer = program.command('producer').description('producers');
  producer
    .command('add')
    .requiredOption('--name <name>')
    .requiredOption('--phone <e164>')
    .option('--village <village>', 'village or town', '')
    .option('--telegram-id <id>')
    .action(async (o: { name: string; phone: string; village: string; telegramId?: string }) => {
      const input = { name: o.name.trim(), village: o.village.trim(), phone: phoneOption(o.phone, '--phone'), telegramId: telegramIdOption(o.telegramId) };
      if (!input.name) throw new UsageError('--name must not be empty');
      await withDatabase(config(), async (repos) => {
        const created = await repos.producers.add(input);
        out(`producer ${created.id} added: ${created.name}`);
      });
    });

  producer
    .command('pin')
    .description('set the PIN a producer keys in on the phone')
    .requiredOption('--producer <id or name>')
    .requiredOption('--pin <digits>', '4 to 6 digits')
    .action(async (o: { producer: string; pin: string }) => {
      await withDatabase(config(), async (repos) => {
        const found = await producerFrom(repos, o.producer);
        await setPin(repos, { kind: 'producer', id: found.id }, o.pin);
        out(`phone PIN set for producer ${found.id}: ${found.name}`);
      });
    });

  const staff = program.command('staff').description('pickup point staff');
  staff
    .command('add')
    .requiredOption('--pickup-point <id or name>')
    .option('--phone <e164>')
    .option('--telegram-id <id>')
    .option('--name <name>', 'name', 'Team')
    .action(async (o: { pickupPoint: string; phone?: string; telegramId?: string; name: string }) => {
      const phone = o.phone === undefined ? null : phoneOption(o.phone, '--phone');
      const telegramId = telegramIdOption(o.telegramId);
      if (!phone && !telegramId) throw new UsageError('give --phone or --telegram-id (or both)');
      await withDatabase(config(), async (repos) => {
        const point = (await repos.pickupPoints.list()).find((p) => String(p.id) === o.pickupPoint || p.name.toLowerCase() === o.pickupPoint.toLowerCase());
        if (!point) throw new UsageError(`no pickup point "${o.pickupPoint}" (see marktbote pickup-point list)`);
        const created = await repos.staff.add({ pickupPointId: point.id, name: o.name, phone, telegramId });
        out(`staff ${created.id} added to ${point.name}`);
      });
    });

  staff
    .command('pin')
    .description('set the PIN a staff member keys in on the phone')
    .requiredOption('--phone <e164>', 'the staff member\'s phone number')
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

  program
    .command('pickup-point')
    .description('pickup points')
    .command('list')
    .action(async () => {
      await withDatabase(config(), async (repos) => {
        for (const p of await repos.pickupPoints.list()) {
          const windows = p.windows.map((w) => `${['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'][w.weekday - 1]} ${w.from}-${w.to}`).join(', ');
          out(`${p.id}\t${p.kind}\t${p.name}\t${p.postcode} ${p.place}\t${windows}`);
        }
      });
    });

  program
    .command('cycle')
    .description('weekly order cycle')
    .argument('<action>', 'status | open | close')
    .action(async (action: string) => {
      if (!['status', 'open', 'close'].includes(action)) throw new UsageError(`cycle takes status, open or close, not "${action}"`);
      const cfg = config();
      await withDatabase(cfg, async (repos) => {
        const now = new Date();
        if (action === 'open') {
          const { cycle, created } = await openCycle(repos, cfg.cycleRhythm ? parseRhythm(cfg.cycleRhythm) : DEFAULT_RHYTHM, now);
          out(`${created ? 'opened' : 'already open'}: ${cycle.label}`);
        } else if (action === 'close') {
          const closed = await closeCycle(repos, now);
          out(closed ? `closed: ${closed.label}` : 'no open cycle');
        }
        const cycle = await repos.cycles.current(now);
        if (!cycle) return out('no cycle yet');
        const orders = await repos.orders.listByCycle(cycle.id);
        out(`${cycle.label}\t${cycle.status}\topens ${isoWithOffset(cycle.opensAt)}\tcutoff ${isoWithOffset(cycle.cutoffAt)}\t${orders.filter((o) => o.status !== 'cancelled').length} orders`);
      });
    });

  program
    .command('orders')
    .command('export')
    .option('--cycle <cycle>', 'current, an id or a label', 'current')
    .option('--format <format>', 'json or csv', 'json')
    .action(async (o: { cycle: string; format: string }) => {
      if (o.format !== 'json' && o.format !== 'csv') throw new UsageError(`--format must be json or csv, not "${o.format}"`);
      await withDatabase(config(), async (repos) => {
        const rows = await exportOrders(repos, await cycleIdFrom(repos, o.cycle));
        process.stdout.write(o.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : ordersToCsv(rows));
      });
    });

  program
    .command('picklist')
    .requiredOption('--producer <id or name>')
    .option('--cycle <cycle>', 'current, an id or a label', 'current')
    .action(async (o: { producer: string; cycle: string }) => {
      await withDatabase(config(), async (repos) => {
        const producer = await producerFrom(repos, o.producer);
        const rows = await repos.orders.pickList(await cycleIdFrom(repos, o.cycle), producer.id);
        if (rows.length === 0) out(`nothing ordered from ${producer.name} yet`);
        for (const r of rows) out(`${r.pickupPointName}\t${r.quantity} ${r.unit}\t${r.productName}`);
      });
    });

  program
    .command('jobs')
    .command('run')
    .requiredOption('--now <iso>', 'run every due job once, as if it were this time (ISO 8601)')
    .action(async (o: { now: string }) => {
      const now = new Date(o.now);
      if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO time such as 2026-12-03T18:00:00+01:00, got "${o.now}"`);
      const app = await createApp(config(), { log: pino({ level: 'error' }, pino.destination(2)), clock: { now: () => now } });
      try {
        const result = await runDueJobs(app, now);
        out(`cycle ${result.cycle ?? '-'}${result.closed ? ' (closed now)' : ''}: offers ${result.offers}, nudges ${result.nudges}, lists ${result.lists}, reminders ${result.planned}; sent ${result.sent}, skipped ${result.skipped}, retried ${result.retried}, failed ${result.failed}`);
      } finally {
        await app.close();
      }
    });

  program
    .command('outbox')
    .command('list')
    .option('--state <state>', OUTBOX_STATES.join(' | '))
    .action(async (o: { state?: string }) => {
      if (o.state !== undefined && !(OUTBOX_STATES as readonly string[]).includes(o.state)) {
        throw new UsageError(`--state must be one of ${OUTBOX_STATES.join(', ')}, not "${o.state}"`);
      }
      await withDatabase(config(), async (repos) => {
        for (const m of await repos.outbox.list(o.state as OutboxMessage['state'] | undefined)) {
          out(`${m.id}\t${m.state}\t${m.kind}\t${m.recipient.channel}:${m.recipient.address}\tdue ${isoWithOffset(m.dueAt)}\tattempts ${m.attempts}${m.lastError ? `\t${m.lastError}` : ''}`);
        }
      });
    });

  return program;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let cached: Config | undefined;
  const config = () => (cached ??= loadConfig());
  try {
    await buildCli(config).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError || error instanceof DomainError) {
      process.stderr.write(`marktbote: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`marktbote: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (process.argv[1] && /marktbote(\.js)?$|cli\.ts$/.test(process.argv[1])) {
  const code = await runCli(process.argv.slice(2));
  // `serve` keeps running; everything else ends here.
  if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
}
