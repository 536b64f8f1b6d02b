/**
 * One turn: skip a delivery already done → load state → engine → save the state
 * and record the delivery in one transaction (optimistically versioned) → render.
 * The error boundary: a failure becomes an apology, never a 500 — and, not being
 * recorded, a re-delivery of it is tried again.
 */
import type { Clock, ConversationRepository, DeliveryLog } from '../catalog/ports.ts';
import type { Language } from '../catalog/types.ts';
import type { Engine, InboundEvent, Medium, Renderer, TurnResult } from '../flows/index.ts';
import type { ChannelMetrics, Logger, RenderedTurn, TurnHandler } from './types.ts';

/** How often a turn is re-run when another instance saved the same conversation first. */
const SAVE_ATTEMPTS = 3;

export interface TurnDeps {
  engine: Engine;
  conversations: ConversationRepository;
  deliveries: DeliveryLog;
  renderer: Renderer;
  clock: Clock;
  log: Logger;
  metrics: ChannelMetrics;
}

export function createTurnHandler(deps: TurnDeps): TurnHandler {
  const { engine, conversations, deliveries, renderer, clock, log, metrics } = deps;
  // Turns of one sender on this instance run one after another; across instances the version decides.
  const queues = new Map<string, Promise<unknown>>();

  function render(result: TurnResult, medium: 'written' | 'spoken'): RenderedTurn {
    const text = renderer.turn(result, medium);
    const hints = medium === 'spoken' ? [...result.speechHints, ...text.choices.map((c) => c.label)] : result.speechHints;
    return {
      status: result.status,
      language: result.language,
      messages: text.messages,
      choices: text.choices,
      expect: result.expect,
      speechHints: [...new Set(hints)].slice(0, 100),
      ...(result.handoff ? { handoff: result.handoff } : {}),
      ...(result.slow ? { slow: true } : {}),
      ...(result.menu ? { menu: true } : {}),
      ...(result.reachable !== undefined ? { reachable: result.reachable } : {}),
    };
  }

  /** A reply to a turn of which nothing was saved (our error, or the conversation kept changing): the same may be sent again. */
  function nothingDone(key: string, language: Language, medium: Medium): RenderedTurn {
    return { ...render({ status: 'waiting', language, replies: [{ key }], choices: [], expect: 'text', speechHints: [] }, medium), unsaved: true };
  }

  /** The turn's rendered result, or null when the delivery turned out to be a duplicate (nothing was saved). */
  async function run(event: InboundEvent, medium: Medium, deliveryKey: string | null): Promise<RenderedTurn | null> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await conversations.load(event.conversationKey);
      const { state, result } = await engine.turn(stored?.state ?? null, event, medium);
      const expected = stored?.version ?? null;
      const saved = deliveryKey
        ? await conversations.saveTurn(event.conversationKey, state, expected, clock.now(), deliveryKey)
        : await conversations.save(event.conversationKey, state, expected, clock.now());
      if (saved === 'duplicate') return null;
      if (saved !== null) return render(result, medium);
      if (attempt >= SAVE_ATTEMPTS) {
        log.warn({ conversation: event.conversationKey }, 'conversation kept changing; turn dropped');
        return nothingDone('common.busy', result.language, medium);
      }
    }
  }

  return async (event, options) => {
    const started = performance.now();
    const previous = queues.get(event.conversationKey) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(async () => {
      // A delivery already done is dropped at once; one racing this turn is caught when it saves.
      if (options.deliveryKey && (await deliveries.seen(options.deliveryKey))) return null;
      try {
        return await run(event, options.medium, options.deliveryKey);
      } catch (error) {
        metrics.error(event.channel, 'turn');
        log.error({ err: error, conversation: event.conversationKey, channel: event.channel }, 'turn failed');
        return nothingDone('common.error', 'de', options.medium);
      }
    });
    queues.set(event.conversationKey, current);
    try {
      return await current;
    } finally {
      if (queues.get(event.conversationKey) === current) queues.delete(event.conversationKey);
      metrics.turn(event.channel, (performance.now() - started) / 1000);
    }
  };
}
