/**
 * One turn: skip a delivery already done → load state → engine → save the state
 * and record the delivery in one transaction (optimistically versioned) → render.
 * The error boundary: a failure of ours becomes an apology, never a 500 — and,
 * not being recorded, a re-delivery of it is tried again. A turn that failed
 * because the database is gone throws `TurnUnavailable`, so the channel can ask
 * the provider to re-deliver it.
 */
import type { Clock, ConversationRepository, DatabaseFault, DeliveryLog } from '../catalog/ports.ts';
import type { Language } from '../catalog/types.ts';
import type { Engine, InboundEvent, Medium, Renderer, TurnResult } from '../flows/index.ts';
import { TurnUnavailable, type ChannelMetrics, type Logger, type RenderedTurn, type TurnHandler, type TurnOptions } from './types.ts';

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
  /** What a failure says about the database (storage's `Database.fault`); without it every failure is our own. */
  databaseFault?: (error: unknown) => DatabaseFault | null;
}

/** Thrown by `run` when saving failed: whether that save committed is unknown, and the result it would have answered. */
class SaveFailed extends Error {
  constructor(readonly result: RenderedTurn, cause: unknown) {
    super('saving the turn failed', { cause });
  }
}

export function createTurnHandler(deps: TurnDeps): TurnHandler {
  const { engine, conversations, deliveries, renderer, clock, log, metrics } = deps;
  const faultOf = (error: unknown) => deps.databaseFault?.(error instanceof SaveFailed ? error.cause : error) ?? null;
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
  async function run(event: InboundEvent, options: TurnOptions): Promise<RenderedTurn | null> {
    const { medium, deliveryKey } = options;
    for (let attempt = 1; ; attempt += 1) {
      const stored = await conversations.load(event.conversationKey);
      const { state, result } = await engine.turn(stored?.state ?? null, event, medium);
      const expected = stored?.version ?? null;
      const rendered = render(result, medium);
      let saved: Awaited<ReturnType<ConversationRepository['saveTurn']>>;
      try {
        saved = deliveryKey
          ? await conversations.saveTurn(
            event.conversationKey, state, expected, clock.now(), deliveryKey, options.keep ? JSON.stringify(options.keep(rendered)) : null,
          )
          : await conversations.save(event.conversationKey, state, expected, clock.now());
      } catch (error) {
        throw new SaveFailed(rendered, error);
      }
      if (saved === 'duplicate') return null;
      if (saved !== null) return rendered;
      if (attempt >= SAVE_ATTEMPTS) {
        log.warn({ conversation: event.conversationKey }, 'conversation kept changing; turn dropped');
        return nothingDone('common.busy', result.language, medium);
      }
    }
  }

  /**
   * The turn, run once more at once when a connection broke under it: the pool
   * has a fresh one, and the person should not notice. A save that broke may
   * have committed; if the second try finds the delivery recorded, it was that
   * save, and its result is the answer.
   */
  async function runOnce(event: InboundEvent, options: TurnOptions): Promise<RenderedTurn | null> {
    const { deliveryKey } = options;
    let unsure: RenderedTurn | null = null;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A delivery already done is dropped at once; one racing this turn is caught when it saves.
        if (deliveryKey && (await deliveries.seen(deliveryKey))) return unsure;
        return await run(event, options);
      } catch (error) {
        if (attempt > 1 || faultOf(error) !== 'connection_lost') throw error;
        unsure = error instanceof SaveFailed ? error.result : null;
        log.warn({ conversation: event.conversationKey, channel: event.channel }, 'database connection lost during a turn; running it again');
      }
    }
  }

  return async (event, options) => {
    const started = performance.now();
    const previous = queues.get(event.conversationKey) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(async () => {
      try {
        return await runOnce(event, options);
      } catch (error) {
        const fault = faultOf(error);
        const cause = error instanceof SaveFailed ? error.cause : error;
        if (fault) {
          metrics.error(event.channel, 'database_unavailable');
          log.warn({ err: cause, fault, conversation: event.conversationKey, channel: event.channel }, 'turn failed: database unavailable');
          throw new TurnUnavailable(fault, { cause });
        }
        metrics.error(event.channel, 'turn');
        log.error({ err: cause, conversation: event.conversationKey, channel: event.channel }, 'turn failed');
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
