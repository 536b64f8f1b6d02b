import { describe, expect, it } from 'vitest';
import type { Repositories } from '../../catalog/ports.ts';
import { rememberedInTurn, turnReadsOver } from '../../catalog/turn-reads.ts';

/** Repositories that count their calls; each read answers with a fresh list. */
function countingRepositories() {
  const calls: string[] = [];
  let stock = 10;
  const repos = {
    cycles: {
      current: async (at: Date) => { calls.push(`current ${at.toISOString()}`); return { id: 1 }; },
      slots: async (cycleId: number) => { calls.push(`slots ${cycleId}`); return [{ cycleId, at: 'Fr' }]; },
    },
    offers: {
      list: async (cycleId: number, filter: object = {}) => { calls.push(`list ${cycleId} ${JSON.stringify(filter)}`); return [{ id: 7, available: stock }]; },
      get: async (id: number) => { calls.push(`get ${id}`); return { id, available: stock }; },
    },
    orders: {
      listByCustomer: async () => { calls.push('listByCustomer'); return []; },
      place: async () => { calls.push('place'); stock -= 3; return { id: 1 }; },
    },
  };
  return { calls, repos: repos as unknown as Repositories };
}

describe('the reads of one turn', () => {
  const monday = new Date('2026-11-30T09:00:00Z');

  it('reads the week and its offer once, and gives each caller its own list', async () => {
    const { calls, repos } = countingRepositories();
    const turn = turnReadsOver(repos)();
    await turn.cycles.current(monday);
    const first = await turn.offers.list(1, { inStock: true });
    first.pop();
    expect(await turn.offers.list(1, { inStock: true })).toEqual([{ id: 7, available: 10 }]);
    await turn.cycles.current(monday);
    await turn.offers.list(1, { inStock: false });
    expect(calls).toEqual([`current ${monday.toISOString()}`, 'list 1 {"inStock":true}', 'list 1 {"inStock":false}']);
  });

  it('forgets them at a write, so the turn sees its own order in the stock', async () => {
    const { calls, repos } = countingRepositories();
    const turn = turnReadsOver(repos)();
    expect((await turn.offers.get(7))!.available).toBe(10);
    await turn.orders.listByCustomer(1);
    expect((await turn.offers.get(7))!.available).toBe(10);
    await turn.orders.place({} as never);
    expect((await turn.offers.get(7))!.available).toBe(7);
    expect(calls).toEqual(['get 7', 'listByCustomer', 'place', 'get 7']);
  });

  it('keeps nothing from one turn to the next', async () => {
    const { calls, repos } = countingRepositories();
    const turns = turnReadsOver(repos);
    await turns().cycles.slots(1);
    await turns().cycles.slots(1);
    expect(calls).toEqual(['slots 1', 'slots 1']);
  });

  it('does not remember a failed read', async () => {
    const { repos } = countingRepositories();
    let fail = true;
    (repos.offers as unknown as { get: (id: number) => Promise<unknown> }).get = async (id: number) => {
      if (fail) throw new Error('database busy');
      return { id };
    };
    const turn = turnReadsOver(repos)();
    await expect(turn.offers.get(7)).rejects.toThrow('database busy');
    fail = false;
    expect(await turn.offers.get(7)).toEqual({ id: 7 });
  });

  it('works a value out of the reads once per turn until a write, and every time outside a turn', async () => {
    const { repos } = countingRepositories();
    let worked = 0;
    const work = async () => ({ time: (worked += 1) });
    const turn = turnReadsOver(repos)();
    expect(await rememberedInTurn(turn, 'week', work)).toEqual({ time: 1 });
    expect(await rememberedInTurn(turn, 'week', work)).toEqual({ time: 1 });
    await turn.orders.place({} as never);
    expect(await rememberedInTurn(turn, 'week', work)).toEqual({ time: 2 });
    expect(await rememberedInTurn(turnReadsOver(repos)(), 'week', work)).toEqual({ time: 3 });
    expect(await rememberedInTurn(repos, 'week', work)).toEqual({ time: 4 });
    expect(await rememberedInTurn(repos, 'week', work)).toEqual({ time: 5 });
  });
});
