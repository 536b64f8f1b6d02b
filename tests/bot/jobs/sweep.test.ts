import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryAt } from '../../../bot/jobs/sweep.ts';

describe('retryAt', () => {
  const now = new Date('2026-12-03T17:00:00Z');
  const delayMinutes = (attempts: number) => (retryAt(attempts, now)!.getTime() - now.getTime()) / 60_000;

  it('waits 1, 2, 4 … minutes, at most an hour, and gives up after the last attempt', () => {
    expect([1, 2, 3, 4, 5].map(delayMinutes)).toEqual([1, 2, 4, 8, 16]);
    expect(retryAt(MAX_ATTEMPTS, now)).toBeNull();
  });
});
