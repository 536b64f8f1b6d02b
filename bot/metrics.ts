/**
 * Prometheus metrics on a registry of our own, so tests and several app
 * instances in one process never collide in prom-client's global registry.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Channel } from '../catalog/types.ts';
import type { ChannelMetrics } from './types.ts';

export interface Metrics {
  registry: Registry;
}

/** A fresh registry with the turn, error and outbound series and the process defaults. */
export function createMetrics(): Metrics & ChannelMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const turns = new Counter({ name: 'turns_total', help: 'Turns handled', labelNames: ['channel'], registers: [registry] });
  const errors = new Counter({
    name: 'errors_total',
    help: 'Failures while handling a turn or sending, by kind',
    labelNames: ['channel', 'kind'],
    registers: [registry],
  });
  const outbound = new Counter({
    name: 'outbound_total',
    help: 'Messages sent on our own initiative (reminders, notices)',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  const turnDuration = new Histogram({
    name: 'turn_duration_seconds',
    help: 'Time from an inbound event to its rendered replies, including a wait for an earlier turn of the same sender',
    labelNames: ['channel'],
    // The voice line must answer well within Twilio's 15 s webhook timeout; chat users notice > 1 s.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
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
    outbound(channel: Channel, outcome: 'sent' | 'failed') {
      outbound.inc({ channel, outcome });
    },
  };
}
