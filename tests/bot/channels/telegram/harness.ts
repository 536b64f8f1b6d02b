/**
 * The Telegram channel wired to doubles: a fake turn handler, a counting flood
 * limiter, recording metrics, the real locale files, and the Bot API double.
 */
import { readFileSync } from 'node:fs';
import fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import i18next from 'i18next';
import type { Update } from 'grammy/types';
import type { InboundEvent } from '../../../../flows/types.ts';
import type { ChannelContext, FloodLimiter, RenderedTurn, TurnHandler, TurnOptions } from '../../../../bot/types.ts';
import { createTelegramChannel } from '../../../../bot/channels/telegram/channel.ts';
import { startBotApiDouble, type BotApiDouble } from '../../../doubles/telegram-bot-api.ts';

export const SECRET = 'geheim-4711-spreewald';

/** The real locale files through i18next, as the composition root loads them. */
export async function localeText(): Promise<ChannelContext['text']> {
  const load = (language: string) => JSON.parse(readFileSync(new URL(`../../../../locales/${language}/telegram.json`, import.meta.url), 'utf8'));
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { de: { telegram: load('de') }, en: { telegram: load('en') } },
    ns: ['telegram'],
    fallbackLng: 'de',
    // Renderers escape for their medium; escaping here as well would double it.
    interpolation: { escapeValue: false },
  });
  return (language, key, params) => i18n.t(key, { lng: language, ...params });
}

/** Allows `perWindow` turns per sender; the window only ends when the test says so. */
export function countingLimiter(perWindow: number): FloodLimiter & { nextWindow(): void } {
  const counts = new Map<string, number>();
  return {
    allow(sender) {
      const count = (counts.get(sender) ?? 0) + 1;
      counts.set(sender, count);
      return count <= perWindow;
    },
    refund(sender) {
      counts.set(sender, Math.max(0, (counts.get(sender) ?? 0) - 1));
    },
    nextWindow: () => counts.clear(),
  };
}

function reply(messages: string[], extra: Partial<RenderedTurn> = {}): RenderedTurn {
  return { status: 'waiting', language: 'de', messages, choices: [], expect: 'text', speechHints: [], ...extra };
}

/**
 * A stand-in for the engine: echoes text, answers a few magic words with
 * buttons, a phone prompt, a long list or an error (the button "kaputt" with
 * the apology of a turn that saved nothing), and returns null for a delivery
 * key it has seen (as the real turn does).
 */
export function fakeTurn(): TurnHandler & { calls: Array<{ event: InboundEvent; options: TurnOptions }> } {
  const seen = new Set<string>();
  const calls: Array<{ event: InboundEvent; options: TurnOptions }> = [];
  const handler = async (event: InboundEvent, options: TurnOptions): Promise<RenderedTurn | null> => {
    calls.push({ event, options });
    if (options.deliveryKey !== null) {
      if (seen.has(options.deliveryKey)) return null;
      seen.add(options.deliveryKey);
    }
    const { payload } = event;
    switch (payload.type) {
      case 'start': return reply(['Willkommen beim *Marktboten*!']);
      case 'choice':
        // As the real turn handler answers a turn that failed: an apology, nothing saved.
        if (payload.id === 'kaputt') return reply(['Entschuldigung, da ist etwas schiefgegangen.'], { unsaved: true });
        return reply([`Gewählt: ${payload.id}`]);
      case 'contact': return reply([`Danke, ${payload.phone}${payload.own ? '' : ' (fremd)'}`]);
      case 'location': return reply([`Standort ${payload.lat}, ${payload.lon}`]);
      case 'text': break;
      default: return reply(['?']);
    }
    switch (payload.text) {
      case 'wahl': return reply(['Was darf es sein?'], { expect: 'choice', choices: [{ id: 'offer:1', label: 'Gurken' }, { id: 'offer:2', label: 'Leinöl' }] });
      case 'nummer': return reply(['Wie ist Ihre Telefonnummer?'], { expect: 'phone' });
      case 'liste': return reply([Array.from({ length: 400 }, (_, i) => `${i + 1}. *Senfgurken* aus Lübbenau & Umgebung`).join('\n')]);
      case 'kaputt': throw new Error('engine exploded');
      default: return reply([`Sie schrieben: ${payload.text}`]);
    }
  };
  return Object.assign(handler, { calls });
}

export interface RecordedMetrics {
  turns: number[];
  errors: string[];
  outbound: string[];
  providerFailures: string[];
}


export interface TelegramHarness {
  app: FastifyInstance;
  api: BotApiDouble;
  turn: ReturnType<typeof fakeTurn>;
  limiter: ReturnType<typeof countingLimiter>;
  metrics: RecordedMetrics;
  /** POSTs an update (or any body) to the webhook with the right secret unless headers say otherwise. */
  post(body: Update | string | object, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A channel context around `turn` that records metrics, logs nothing and uses the real locale files. */
export async function testChannelContext(turn: TurnHandler, limiter: FloodLimiter): Promise<{ ctx: ChannelContext; metrics: RecordedMetrics }> {
  const metrics: RecordedMetrics = { turns: [], errors: [], outbound: [], providerFailures: [] };
  const silent = () => undefined;
  const ctx: ChannelContext = {
    turn,
    limiter,
    metrics: {
      turn: (_channel, seconds) => metrics.turns.push(seconds),
      error: (_channel, kind) => metrics.errors.push(kind),
      outbound: (_channel, _kind, outcome) => metrics.outbound.push(outcome),
      providerFailure: (_provider, status) => metrics.providerFailures.push(status),
    },
    log: { info: silent, warn: silent, error: silent, debug: silent },
    text: await localeText(),
  };
  return { ctx, metrics };
}

export async function startTelegramHarness(options: { turnsPerWindow?: number } = {}): Promise<TelegramHarness> {
  const api = await startBotApiDouble();
  const turn = fakeTurn();
  const limiter = countingLimiter(options.turnsPerWindow ?? 20);
  const { ctx, metrics } = await testChannelContext(turn, limiter);
  const channel = createTelegramChannel(ctx, { token: api.token, apiRoot: api.apiRoot, webhookSecret: SECRET, botInfo: api.botInfo });
  const app = fastify();
  await app.register(channel.plugin);
  await app.ready();
  return {
    app, api, turn, limiter, metrics,
    post: (body, headers = { 'x-telegram-bot-api-secret-token': SECRET }) => app.inject({
      method: 'POST',
      url: '/telegram',
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    async close() {
      await app.close();
      await api.close();
    },
  };
}
