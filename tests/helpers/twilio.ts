/**
 * Doubles for testing the Twilio channels over HTTP: requests signed exactly
 * as Twilio signs them, a channel context with the real locale texts, and a
 * scripted turn handler that behaves like the engine on re-delivery.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import i18next from 'i18next';
import twilio from 'twilio';
import { LANGUAGES, type Language } from '../../catalog/types.ts';
import type { InboundEvent } from '../../flows/types.ts';
import { createFloodLimiter } from '../../bot/flood.ts';
import { createMetrics } from '../../bot/metrics.ts';
import type { ChannelContext, FloodLimiter, Logger, RenderedTurn, TurnHandler, TurnOptions } from '../../bot/types.ts';

export const TEST_AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const TEST_PUBLIC_URL = 'https://marktbote.example.de';

export interface SignedRequest {
  url: string;
  /** A repeated field is an array, as Twilio's signer and the form parser see it. */
  params: Record<string, string | string[]>;
  authToken?: string;
  publicUrl?: string;
  /** Replaces the computed signature, e.g. to forge one; null sends no header. */
  signature?: string | null;
}

/** The form body and headers Twilio would send for `request`. */
export function signedTwilioForm(request: SignedRequest): { body: string; headers: Record<string, string> } {
  const signature =
    request.signature === undefined
      ? twilio.getExpectedTwilioSignature(
          request.authToken ?? TEST_AUTH_TOKEN,
          (request.publicUrl ?? TEST_PUBLIC_URL) + request.url,
          request.params,
        )
      : request.signature;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  const fields = Object.entries(request.params).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((single) => [name, single]),
  );
  return { body: new URLSearchParams(fields).toString(), headers };
}

/** POSTs a form to `app` signed as Twilio would sign it. */
export function signedTwilioRequest(app: FastifyInstance, request: SignedRequest): Promise<LightMyRequestResponse> {
  const { body, headers } = signedTwilioForm(request);
  return app.inject({ method: 'POST', url: request.url, payload: body, headers });
}

const i18n = i18next.createInstance();
await i18n.init({
  resources: Object.fromEntries(
    LANGUAGES.map((language) => [
      language,
      { channels: JSON.parse(readFileSync(new URL(`../../locales/${language}/channels.json`, import.meta.url), 'utf8')) },
    ]),
  ),
  ns: ['channels'],
  fallbackLng: false,
  interpolation: { escapeValue: false },
});

/** The channel texts from locales/<language>/channels.json, as the lead's i18next set-up renders them. */
export function channelText(language: Language, key: string, params?: Record<string, string | number>): string {
  if (!i18n.exists(key, { lng: language })) throw new Error(`missing text ${key} for ${language}`);
  return i18n.t(key, { ...params, lng: language });
}

export interface RecordedLog extends Logger {
  entries: Array<{ level: string; entry: object | string; msg?: string }>;
}

/** A logger that keeps what it was told. */
export function recordingLogger(): RecordedLog {
  const entries: RecordedLog['entries'] = [];
  const at = (level: string) => (entry: object | string, msg?: string) => {
    entries.push({ level, entry, msg });
  };
  return { entries, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

/** A turn's result with sensible defaults: German, waiting for a choice. */
export function renderedTurn(overrides: Partial<RenderedTurn> = {}): RenderedTurn {
  return {
    status: 'waiting',
    language: 'de',
    messages: [],
    choices: [],
    expect: 'choice',
    speechHints: [],
    ...overrides,
  };
}

export interface FakeTurn {
  handler: TurnHandler;
  /** Every call that had an effect, in order (duplicates are not recorded). */
  calls: Array<{ event: InboundEvent; options: TurnOptions }>;
  /** Every call, duplicates included. */
  attempts: number;
}

/**
 * A turn handler answering from `respond`; like the engine, it returns null
 * without effect for a delivery key it has seen.
 */
export function fakeTurn(respond: (event: InboundEvent, index: number) => RenderedTurn | Promise<RenderedTurn>): FakeTurn {
  const seen = new Set<string>();
  const fake: FakeTurn = {
    calls: [],
    attempts: 0,
    handler: async (event, options) => {
      fake.attempts += 1;
      if (options.deliveryKey !== null) {
        if (seen.has(options.deliveryKey)) return null;
        seen.add(options.deliveryKey);
      }
      fake.calls.push({ event, options });
      return respond(event, fake.calls.length - 1);
    },
  };
  return fake;
}

/** A channel context around `turn` with real texts and metrics and a generous flood limit. */
export function testChannelContext(turn: TurnHandler, overrides: { limiter?: FloodLimiter } = {}) {
  const log = recordingLogger();
  const metrics = createMetrics();
  const ctx: ChannelContext = {
    turn,
    limiter: overrides.limiter ?? createFloodLimiter({ perMinute: 1000 }),
    metrics,
    log,
    text: channelText,
  };
  return { ctx, log, metrics };
}
