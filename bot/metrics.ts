/**
 * Prometheus metrics on a registry of our own, so tests and several app
 * instances in one process never collide in prom-client's global registry.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboxBacklog } from '../catalog/outbox.ts';
import type { DatabaseFault } from '../catalog/ports.ts';
import type { Channel } from '../catalog/types.ts';
import { within } from './deadline.ts';
import type { ChannelMetrics, OutboundChannel, OutboundKind, Provider } from './types.ts';

export interface Metrics {
  registry: Registry;
}

/** What the database reports to the metrics: each fault where it happened (storage's `onFault`). */
export interface DatabaseMetrics {
  databaseFault(fault: DatabaseFault): void;
}

export interface MetricsOptions {
  /** The outbox's backlog, read at every scrape; without it the outbox gauges are not shown. */
  outboxBacklog?: () => Promise<OutboxBacklog>;
  now?: () => Date;
}

/** A scrape waits no longer for the database: the process metrics matter most while it does not answer. */
const BACKLOG_TIMEOUT_MS = 1_000;

/** A fresh registry with the turn, error, outbound, provider, database and outbox series and the process defaults. */
export function createMetrics(options: MetricsOptions = {}): Metrics & ChannelMetrics & DatabaseMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const turns = new Counter({ name: 'turns_total', help: 'Turns handled, each once, on its channel', labelNames: ['channel'], registers });
  const errors = new Counter({
    name: 'errors_total',
    help: 'Failures while handling a turn or sending, by channel and kind',
    labelNames: ['channel', 'kind'],
    registers,
  });
  const outbound = new Counter({
    name: 'outbound_total',
    help: 'Messages sent, by channel, kind (reply: an answer within a turn; otherwise the outbox kind, e.g. '
      + 'pickup_reminder, picklist, handout_list, weekly_offer, no_pickup) and outcome (sent, failed, skipped)',
    labelNames: ['channel', 'kind', 'outcome'],
    registers,
  });
  const providerFailures = new Counter({
    name: 'provider_failures_total',
    help: 'Bot API and Twilio REST calls that failed, by provider and status (the HTTP status or Bot API error code; '
      + 'network when no answer came), each attempt counted',
    labelNames: ['provider', 'status'],
    registers,
  });
  const databaseFaults = new Counter({
    name: 'database_errors_total',
    help: 'Statements, connection attempts and connections that failed because of the database itself, by fault: '
      + 'connection_lost (a connection broke) or unavailable (not reachable, or busy or locked past its timeout)',
    labelNames: ['fault'],
    registers,
  });
  const turnDuration = new Histogram({
    name: 'turn_duration_seconds',
    help: 'Time from an inbound event to its rendered replies, including a wait for an earlier turn of the same sender',
    labelNames: ['channel'],
    // The voice line must answer well within Twilio's 15 s webhook timeout; chat users notice > 1 s.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  const { outboxBacklog } = options;
  if (outboxBacklog) {
    const now = options.now ?? (() => new Date());
    // One read serves both gauges, which a scrape collects together.
    let reading: Promise<OutboxBacklog | undefined> | null = null;
    const read = () => {
      reading ??= within(outboxBacklog(), BACKLOG_TIMEOUT_MS)
        .catch(() => undefined)
        .finally(() => setImmediate(() => { reading = null; }));
      return reading;
    };
    // Unknown (the database did not answer in time) is NaN, not a zero that would read as "all sent".
    const readInto = (gauge: () => Gauge, value: (found: OutboxBacklog) => number) => async () => {
      const found = await read();
      gauge().set(found ? value(found) : Number.NaN);
    };
    const backlog: Gauge = new Gauge({
      name: 'outbox_backlog_messages',
      help: 'Outbox messages due and not yet settled (pending, or being sent), read at scrape; NaN when the database did not answer',
      registers,
      collect: readInto(() => backlog, (found) => found.messages),
    });
    const oldest: Gauge = new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'How long the longest-waiting of those messages has been due (0 when none), read at scrape; NaN when unknown',
      registers,
      collect: readInto(() => oldest, (found) =>
        (found.oldestDueAt ? Math.max(0, (now().getTime() - found.oldestDueAt.getTime()) / 1000) : 0)),
    });
  }

  // Every turn counts: the per-channel series are looked up once, not by their labels each time.
  const perChannel = new Map<Channel, { count: ReturnType<typeof turns.labels>; time: ReturnType<typeof turnDuration.labels> }>();
  const seriesOf = (channel: Channel) => {
    let series = perChannel.get(channel);
    if (!series) {
      series = { count: turns.labels({ channel }), time: turnDuration.labels({ channel }) };
      perChannel.set(channel, series);
    }
    return series;
  };
  return {
    registry,
    turn(channel: Channel, seconds: number) {
      const series = seriesOf(channel);
      series.count.inc();
      series.time.observe(seconds);
    },
    error(channel: Channel, kind: string) {
      errors.inc({ channel, kind });
    },
    outbound(channel: OutboundChannel, kind: OutboundKind, outcome: 'sent' | 'failed' | 'skipped', messages = 1) {
      outbound.inc({ channel, kind, outcome }, messages);
    },
    providerFailure(provider: Provider, status: string) {
      providerFailures.inc({ provider, status });
    },
    databaseFault(fault: DatabaseFault) {
      databaseFaults.inc({ fault });
    },
  };
}
