/**
 * One turn: skip a delivery already done → load state → engine → save the state
 * and record the delivery in one transaction (optimistically versioned) → render.
 * The error boundary: a failure becomes an apology, never a 500 — and, not being
 * recorded, a re-delivery of it is tried again.
 */
import type { Clock, ConversationRepository, DeliveryLog } from '../catalog/ports.ts';
import type { Engine } from '../flows/engine.ts';
import { foldUmlauts, normalizeText } from '../flows/nlu/normalize.ts';
import type { Renderer } from '../flows/render.ts';
import type { ConversationState } from '../flows/state.ts';
import type { Choice, InboundEvent, Medium, TurnResult } from '../flows/types.ts';
import type { ChannelMetrics, Logger, RenderedTurn, TurnHandler } from './types.ts';

/** How often a turn is re-run when another instance saved the same conversation first. */
const SAVE_ATTEMPTS = 3;
/** An answer longer than this is a sentence, not a choice's label. */
const MAX_CHOICE_ANSWER = 120;
/** Normalised labels kept for matching answers to choices. */
const MATCH_FORMS_KEPT = 2000;

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
    };
  }

  const matchForms = new Map<string, string>();
  const matchForm = (text: string): string => {
    let form = matchForms.get(text);
    if (form === undefined) {
      form = foldUmlauts(normalizeText(text));
      if (matchForms.size >= MATCH_FORMS_KEPT) matchForms.clear();
      matchForms.set(text, form);
    }
    return form;
  };

  /** A typed or spoken answer that is one of the offered choices' labels, as the medium showed them, is that choice. */
  function asChoice(stored: unknown, event: InboundEvent, medium: Medium): InboundEvent {
    const { payload } = event;
    const said = payload.type === 'text' ? payload.text : payload.type === 'speech' && payload.confidence >= 0.5 ? payload.transcript : null;
    const state = stored as Partial<ConversationState> | null;
    if (!said || said.length > MAX_CHOICE_ANSWER || !state?.language) return event;
    const language = state.language;
    const key = foldUmlauts(normalizeText(said));
    const labelOf = (c: Choice) => matchForm(renderer.text(language, medium, c.label.key, c.label.params));
    const hits = (state.last?.choices ?? []).filter((c) => {
      const label = labelOf(c);
      return label.length >= 3 && (key === label || (label.length >= 6 && ` ${key} `.includes(` ${label} `)));
    });
    if (hits.length === 1) return { ...event, payload: { type: 'choice', id: hits[0].id } };
    // A main-menu button a chat kept on screen, pressed turns later: only its exact label counts.
    const menuHit = medium === 'written' && hits.length === 0 ? state.menu?.find((c) => labelOf(c) === key) : undefined;
    return menuHit ? { ...event, payload: { type: 'choice', id: menuHit.id } } : event;
  }

  /** The turn's result, or null when the delivery turned out to be a duplicate (nothing was saved). */
  async function run(event: InboundEvent, medium: Medium, deliveryKey: string | null): Promise<TurnResult | null> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await conversations.load(event.conversationKey);
      const { state, result } = await engine.turn(stored?.state ?? null, asChoice(stored?.state ?? null, event, medium));
      const expected = stored?.version ?? null;
      const saved = deliveryKey
        ? await conversations.saveTurn(event.conversationKey, state, expected, clock.now(), deliveryKey)
        : await conversations.save(event.conversationKey, state, expected, clock.now());
      if (saved === 'duplicate') return null;
      if (saved !== null) return result;
      if (attempt >= SAVE_ATTEMPTS) {
        log.warn({ conversation: event.conversationKey }, 'conversation kept changing; turn dropped');
        return { status: 'waiting', language: result.language, replies: [{ key: 'common.busy' }], choices: [], expect: 'text', speechHints: [] };
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
        const result = await run(event, options.medium, options.deliveryKey);
        return result && render(result, options.medium);
      } catch (error) {
        metrics.error(event.channel, 'turn');
        log.error({ err: error, conversation: event.conversationKey, channel: event.channel }, 'turn failed');
        return render(
          { status: 'waiting', language: 'de', replies: [{ key: 'common.error' }], choices: [], expect: 'text', speechHints: [] },
          options.medium,
        );
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
