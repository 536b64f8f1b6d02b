import { describe, expect, it } from 'vitest';
import { createFloodGate, createFloodLimiter } from '../../bot/flood.ts';

const at = (seconds: number) => new Date(Date.UTC(2025, 5, 2, 8, 0, seconds));

describe('createFloodLimiter', () => {
  it('lets a sender burst up to the limit, then refuses until tokens come back', () => {
    const limiter = createFloodLimiter({ perMinute: 3 });
    expect([1, 2, 3, 4].map(() => limiter.allow('whatsapp:+4915100000001', at(0)))).toEqual([true, true, true, false]);
    // 3 per minute: one turn comes back every 20 seconds.
    expect(limiter.allow('whatsapp:+4915100000001', at(19))).toBe(false);
    expect(limiter.allow('whatsapp:+4915100000001', at(21))).toBe(true);
    expect(limiter.allow('whatsapp:+4915100000001', at(22))).toBe(false);
  });

  it('gives back a refunded turn, so a re-delivery of a refused update is no flood', () => {
    const limiter = createFloodLimiter({ perMinute: 2 });
    expect(limiter.allow('telegram:7', at(0))).toBe(true);
    expect(limiter.allow('telegram:7', at(0))).toBe(true);
    limiter.refund('telegram:7');
    expect(limiter.allow('telegram:7', at(0))).toBe(true);
    expect(limiter.allow('telegram:7', at(0))).toBe(false);
    // Never more than a full bucket.
    limiter.refund('telegram:7');
    limiter.refund('telegram:7');
    limiter.refund('telegram:7');
    expect([1, 2, 3].map(() => limiter.allow('telegram:7', at(0)))).toEqual([true, true, false]);
  });

  it('never slows one sender for another', () => {
    const limiter = createFloodLimiter({ perMinute: 1 });
    expect(limiter.allow('a', at(0))).toBe(true);
    expect(limiter.allow('a', at(0))).toBe(false);
    expect(limiter.allow('b', at(0))).toBe(true);
  });

  it('forgets the least recently active sender beyond maxSenders', () => {
    const limiter = createFloodLimiter({ perMinute: 1, maxSenders: 2 });
    limiter.allow('a', at(0));
    limiter.allow('b', at(0));
    limiter.allow('c', at(0));
    expect(limiter.trackedSenders()).toBe(2);
    // 'a' was evicted, so it starts again with a full bucket; 'c' is still remembered.
    expect(limiter.allow('a', at(1))).toBe(true);
    expect(limiter.allow('c', at(1))).toBe(false);
  });

  it('evicts idle senders, whose bucket would be full anyway', () => {
    const limiter = createFloodLimiter({ perMinute: 1, maxSenders: 1_000 });
    for (let sender = 0; sender < 500; sender += 1) limiter.allow(`idle-${sender}`, at(0));
    expect(limiter.trackedSenders()).toBe(500);
    // A minute later the next call sweeps them out; refusals for a fresh flood still work.
    expect(limiter.allow('fresh', at(61))).toBe(true);
    expect(limiter.trackedSenders()).toBe(1);
    expect(limiter.allow('fresh', at(61))).toBe(false);
  });
});

describe('createFloodGate', () => {
  it('notifies once per flood, drops the rest, and resets after an allowed turn', () => {
    const gate = createFloodGate(createFloodLimiter({ perMinute: 1 }));
    expect([gate('a', at(0)), gate('a', at(1)), gate('a', at(2))]).toEqual(['allow', 'notify', 'drop']);
    expect(gate('a', at(70))).toBe('allow');
    expect(gate('a', at(71))).toBe('notify');
  });
});
