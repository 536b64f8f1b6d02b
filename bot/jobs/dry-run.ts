/**
 * Repositories that remember writes instead of making them, for `marktbote
 * jobs run --dry-run`: the week's steps run unchanged over them and report
 * what they would do. A cycle they would open or close is seen as opened or
 * closed by the later steps; messages are counted when their key is new.
 */
import type { NewOutboxMessage } from '../../catalog/outbox.ts';
import type { NewCycle, Repositories } from '../../catalog/ports.ts';
import type { OrderCycle } from '../../catalog/types.ts';

export interface DryRun {
  repos: Repositories;
  /** The label of the cycle the steps would have created. */
  opened(): string | null;
  /** Messages already waiting or newly planned that would be due at `now` and not too late. */
  dueAt(now: Date): number;
}

export async function dryRun(real: Repositories): Promise<DryRun> {
  const stored = await real.outbox.list();
  const keys = new Set(stored.map((message) => message.key));
  const planned: NewOutboxMessage[] = [];
  let created: (OrderCycle & { plan: NewCycle }) | null = null;
  const statuses = new Map<number, OrderCycle['status']>();
  const seen = (cycle: OrderCycle | null): OrderCycle | null => (cycle ? { ...cycle, status: statuses.get(cycle.id) ?? cycle.status } : null);
  const isCreated = (id: number) => created !== null && id === created.id;

  const cycles: Repositories['cycles'] = {
    ...real.cycles,
    async create(input) {
      created = { id: -1, label: input.label, opensAt: input.opensAt, cutoffAt: input.cutoffAt, status: 'open', plan: input };
      return { id: created.id, label: created.label, opensAt: created.opensAt, cutoffAt: created.cutoffAt, status: created.status };
    },
    async get(id) {
      return isCreated(id) ? seen(created) : seen(await real.cycles.get(id));
    },
    async current(at) {
      if (created && created.opensAt <= at) return seen(created);
      return seen(await real.cycles.current(at));
    },
    async list() {
      const list = (await real.cycles.list()).map((cycle) => seen(cycle)!);
      return created ? [...list, seen(created)!] : list;
    },
    async setStatus(id, status) {
      statuses.set(id, status);
    },
    async slots(cycleId) {
      if (created && isCreated(cycleId)) return created.plan.slots.map((slot) => ({ cycleId, ...slot }));
      return real.cycles.slots(cycleId);
    },
  };
  const repos: Repositories = {
    ...real,
    cycles,
    offers: {
      ...real.offers,
      list: async (cycleId, filter) => (isCreated(cycleId) ? [] : real.offers.list(cycleId, filter)),
      upsert: async (cycleId, productId, input) => ({ id: -1, cycleId, productId, ...input }),
    },
    orders: { ...real.orders, listByCycle: async (cycleId) => (isCreated(cycleId) ? [] : real.orders.listByCycle(cycleId)) },
    outbox: {
      ...real.outbox,
      async enqueue(messages) {
        const fresh = messages.filter((message) => !keys.has(message.key));
        for (const message of fresh) keys.add(message.key);
        planned.push(...fresh);
        return fresh.length;
      },
    },
  };
  const due = (message: { dueAt: Date; notAfter: Date | null }, now: Date) => message.dueAt <= now && (message.notAfter === null || now < message.notAfter);
  return {
    repos,
    opened: () => created?.label ?? null,
    dueAt: (now) => stored.filter((message) => message.state === 'pending' && due(message, now)).length + planned.filter((message) => due(message, now)).length,
  };
}
