/** The turn handler's outcome as a channel sees it: a saved turn, or a reply to a turn of which nothing was saved. */
import { describe, expect, it } from 'vitest';
import type { ConversationRepository, DeliveryLog } from '../../catalog/ports.ts';
import { createTurnHandler } from '../../bot/turn.ts';
import { createRenderer, type Engine, type InboundEvent, type TurnResult } from '../../flows/index.ts';
import { TestClock, TUESDAY_MORNING } from '../helpers/conversation.ts';

const event: InboundEvent = {
  channel: 'telegram', conversationKey: 'telegram:1', identity: { kind: 'telegram', value: '1' },
  payload: { type: 'text', text: 'Hallo' }, receivedAt: TUESDAY_MORNING,
};

function handler(engineTurn: Engine['turn'], saveTurn: ConversationRepository['saveTurn']) {
  const quiet = () => undefined;
  const conversations: ConversationRepository = { load: async () => null, save: async () => 1, saveTurn, delete: async () => undefined };
  const deliveries: DeliveryLog = {
    claim: async () => true, seen: async () => false, prune: async () => 0, settleReplies: async () => undefined, unsettledReplies: async () => [],
  };
  return createTurnHandler({
    engine: { registry: undefined, turn: engineTurn } as unknown as Engine,
    conversations, deliveries, renderer: createRenderer(), clock: new TestClock(TUESDAY_MORNING),
    log: { info: quiet, warn: quiet, error: quiet, debug: quiet },
    metrics: { turn: quiet, error: quiet, outbound: quiet, providerFailure: quiet },
  });
}

/** An engine whose every turn says "nicht mehr aktuell". */
const engineSays: Engine['turn'] = async () => ({
  state: {} as never,
  result: { status: 'waiting', language: 'de', replies: [{ key: 'common.staleButton' }], choices: [], expect: 'text', speechHints: [] } satisfies TurnResult,
});

describe('the turn handler', () => {
  it('answers a saved turn as the engine said', async () => {
    const turn = handler(engineSays, async () => 2);
    const rendered = await turn(event, { deliveryKey: 'telegram:update:1', medium: 'written' });
    expect(rendered).toMatchObject({ messages: ['Diese Auswahl ist nicht mehr aktuell.'] });
    expect(rendered).not.toHaveProperty('unsaved');
  });

  it('marks its apology for a failed turn as unsaved, so a channel keeps the buttons that may be pressed again', async () => {
    const turn = handler(async () => { throw new Error('engine exploded'); }, async () => 2);
    expect(await turn(event, { deliveryKey: 'telegram:update:1', medium: 'written' })).toMatchObject({
      messages: [expect.stringContaining('Entschuldigung')], unsaved: true,
    });
  });

  it('marks "busy" as unsaved when the conversation kept changing', async () => {
    const turn = handler(engineSays, async () => null);
    expect(await turn(event, { deliveryKey: 'telegram:update:1', medium: 'written' })).toMatchObject({ unsaved: true });
  });
});
