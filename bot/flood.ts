/**
 * Per-sender flood limit as a token bucket: each sender may burst up to
 * `perMinute` turns and earns them back evenly over a minute. One Map entry per
 * recently active sender; idle senders (whose bucket would be full again) are
 * evicted, so memory stays bounded by the senders of the last minute, and by
 * `maxSenders` at worst.
 */
import type { FloodLimiter } from './types.ts';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MINUTE_MS = 60_000;

/** A token-bucket limiter; `allow` is O(1) amortised. `trackedSenders` shows the memory bound at work. */
export function createFloodLimiter(options: {
  perMinute: number;
  maxSenders?: number;
}): FloodLimiter & { trackedSenders(): number } {
  const capacity = options.perMinute;
  const maxSenders = options.maxSenders ?? 100_000;
  const refillPerMs = capacity / MINUTE_MS;
  // Map iteration follows insertion order; re-inserting on every use keeps the least recently active first.
  const buckets = new Map<string, Bucket>();

  const evictIdle = (now: number) => {
    for (const [key, bucket] of buckets) {
      const idle = now - bucket.updatedAt >= MINUTE_MS;
      if (!idle && buckets.size <= maxSenders) return;
      buckets.delete(key);
    }
  };

  return {
    trackedSenders: () => buckets.size,
    allow(senderKey: string, at: Date = new Date()): boolean {
      const now = at.getTime();
      const previous = buckets.get(senderKey);
      const tokens = previous
        ? Math.min(capacity, previous.tokens + Math.max(0, now - previous.updatedAt) * refillPerMs)
        : capacity;
      buckets.delete(senderKey);
      const allowed = tokens >= 1;
      buckets.set(senderKey, { tokens: allowed ? tokens - 1 : tokens, updatedAt: now });
      evictIdle(now);
      return allowed;
    },
    refund(senderKey: string): void {
      const bucket = buckets.get(senderKey);
      if (bucket) bucket.tokens = Math.min(capacity, bucket.tokens + 1);
    },
  };
}

export type FloodVerdict = 'allow' | 'notify' | 'drop';

/**
 * Tells a flooding sender once per flood, not on every refused message:
 * 'notify' on the first refusal, 'drop' after that, until a turn is allowed again.
 */
export function createFloodGate(limiter: FloodLimiter, maxTracked = 10_000): (senderKey: string, at?: Date) => FloodVerdict {
  const notified = new Set<string>();
  return (senderKey, at) => {
    if (limiter.allow(senderKey, at)) {
      notified.delete(senderKey);
      return 'allow';
    }
    if (notified.has(senderKey)) return 'drop';
    if (notified.size >= maxTracked) {
      // Forgetting the oldest only means that sender is told once more.
      notified.delete(notified.values().next().value as string);
    }
    notified.add(senderKey);
    return 'notify';
  };
}
