/**
 * The turn handler when the database fails under it: a broken connection is
 * tried once more, a save whose answer was lost is not run twice, and a
 * database that stays away makes the turn throw `TurnUnavailable` with nothing
 * saved, while a bug of ours is still an apology.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRepository } from '../../catalog/ports.ts';
import { createMetrics } from '../../bot/metrics.ts';
import { createTurnHandler } from '../../bot/turn.ts';
import { TurnUnavailable, type TurnHandler } from '../../bot/types.ts';
import { createRenderer, type Engine, type InboundEvent } from '../../flows/index.ts';
import { databaseFault } from '../../storage/faults.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { recordingLogger } from '../helpers/twilio.ts';

const lost = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

const EVENT: InboundEvent = {
  channel: 'telegram', conversationKey: 'telegram:42', identity: { kind: 'telegram', value: '42' },
  payload: { type: 'text', text: 'Hallo' }, receivedAt: new Date('2026-12-01T09:00:00Z'),
};
const OPTIONS = { deliveryKey: 'telegram:update:1', medium: 'written' } as const;

/** Counts its turns and answers each with the number of turns the saved state has seen. */
function countingEngine(fail?: () => Error | null): Engine & { turns: number } {
  const engine = {
    turns: 0,
    async turn(stored: unknown) {
      const error = fail?.();
      if (error) throw error;
      engine.turns += 1;
      const seen = ((stored as { seen?: number } | null)?.seen ?? 0) + 1;
      return {
        state: { seen },
        result: { status: 'waiting', language: 'de', replies: [{ key: 'cart.empty' }], choices: [], expect: 'text', speechHints: [] },
      };
    },
  };
  return engine as unknown as Engine & { turns: number };
}

describe('a turn when the database fails under it', () => {
  let database: TestDatabase;
  beforeEach(async () => { database = await openTestDatabase({ dialect: 'sqlite', label: 'SQLite', available: true }); });
  afterEach(() => database.dispose());

  function handler(engine: Engine, conversations: ConversationRepository = database.repositories.conversations): TurnHandler {
    return createTurnHandler({
      engine, conversations, deliveries: database.repositories.deliveries, renderer: createRenderer(),
      clock: { now: () => EVENT.receivedAt }, log: recordingLogger(), metrics: createMetrics(), databaseFault,
    });
  }

  it('runs the turn once more when its connection broke, and the person notices nothing', async () => {
    let failures = 1;
    const engine = countingEngine(() => (failures-- > 0 ? lost() : null));
    const turn = await handler(engine)(EVENT, OPTIONS);
    expect(turn?.messages.join()).not.toBe('');
    expect(engine.turns).toBe(1);
    expect(await database.repositories.deliveries.seen(OPTIONS.deliveryKey)).toBe(true);
  });

  it('answers with the first try when its save committed but the answer was lost with the connection', async () => {
    const real = database.repositories.conversations;
    let breakOnce = true;
    const committedThenLost: ConversationRepository = {
      ...real,
      async saveTurn(...args) {
        const saved = await real.saveTurn(...args);
        if (breakOnce) {
          breakOnce = false;
          throw lost();
        }
        return saved;
      },
    };
    const engine = countingEngine();
    const turn = await handler(engine, committedThenLost)(EVENT, OPTIONS);
    expect(turn).not.toBeNull();
    expect(engine.turns).toBe(1);
    expect((await real.load(EVENT.conversationKey))?.state).toEqual({ seen: 1 });
  });

  it('throws TurnUnavailable when the database stays away, with nothing saved and the delivery not recorded', async () => {
    const engine = countingEngine(refused);
    const failed = handler(engine)(EVENT, OPTIONS);
    await expect(failed).rejects.toBeInstanceOf(TurnUnavailable);
    await expect(failed).rejects.toMatchObject({ fault: 'unavailable' });
    expect(await database.repositories.deliveries.seen(OPTIONS.deliveryKey)).toBe(false);
    expect(await database.repositories.conversations.load(EVENT.conversationKey)).toBeNull();
  });

  it('still answers a bug of ours with an apology, not with a refusal', async () => {
    const turn = await handler(countingEngine(() => new TypeError('x is undefined')))(EVENT, OPTIONS);
    expect(turn?.messages.join()).toMatch(/etwas schiefgegangen/);
  });
});
