/**
 * The whole bot for end-to-end tests: the real app (SQLite file, demo week,
 * engine, channels) with every channel switched on, driven over HTTP exactly
 * as Telegram and Twilio would drive it, and the Bot API double for replies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { createApp, type App } from '../../bot/main.ts';
import type { Identity, Order } from '../../catalog/types.ts';
import { startBotApiDouble, type BotApiDouble } from '../doubles/telegram-bot-api.ts';
import { TestClock, TUESDAY_MORNING } from '../helpers/conversation.ts';
import { signedTwilioRequest, TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from '../helpers/twilio.ts';
import { childrenNamed, parseXml, spokenTexts, type XmlElement } from '../helpers/twiml.ts';

export const WEBHOOK_SECRET = 'spreewald-e2e-geheim';
export const WHATSAPP_NUMBER = 'whatsapp:+4935460000000';
export const VOICE_NUMBER = '+4935460000000';

export interface E2e {
  app: App;
  clock: TestClock;
  api: BotApiDouble;
  /** The orders of the open cycle, oldest first. */
  orders(): Promise<Order[]>;
  /** The orders of the customer behind `identity`. */
  ordersOf(identity: Identity): Promise<Order[]>;
  dispose(): Promise<void>;
}

export interface E2eOptions {
  /** Another database than the temp SQLite file, e.g. a PostgreSQL database of the test's own. */
  databaseUrl?: string;
  /** More environment, e.g. a provider's API root. */
  env?: Record<string, string>;
  /** How long SQLite waits for another connection's lock. */
  sqliteBusyTimeoutMs?: number;
}

/** The real app on a temp SQLite file (or `databaseUrl`) with the demo week, Telegram pointed at a fresh Bot API double. */
export async function startE2e(at: Date = TUESDAY_MORNING, options: E2eOptions = {}): Promise<E2e> {
  const dir = mkdtempSync(join(tmpdir(), 'marktbote-e2e-'));
  const api = await startBotApiDouble();
  const config = loadConfig({
    DATABASE_URL: options.databaseUrl ?? join(dir, 'e2e.sqlite'),
    LOG_LEVEL: 'silent',
    DEMO: 'off',
    PUBLIC_URL: TEST_PUBLIC_URL,
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: api.apiRoot,
    TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_WHATSAPP_FROM: WHATSAPP_NUMBER,
    TWILIO_VOICE_FROM: VOICE_NUMBER,
    ...options.env,
  });
  const clock = new TestClock(at);
  const app = await createApp(config, { clock, seedDemo: true, sqliteBusyTimeoutMs: options.sqliteBusyTimeoutMs });
  const repos = app.database.repositories;
  return {
    app,
    clock,
    api,
    async orders() {
      const cycle = await repos.cycles.current(clock.now());
      if (!cycle) throw new Error('no open cycle');
      return repos.orders.listByCycle(cycle.id);
    },
    async ordersOf(identity) {
      const customer = await repos.customers.findByIdentity(identity);
      return customer ? repos.orders.listByCustomer(customer.id) : [];
    },
    async dispose() {
      await app.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The order code (digits) in a text, or null. */
export function orderCodeIn(text: string): string | null {
  const match = /Bestellnummer\D{0,20}((?:\d ?){4,6})/.exec(text);
  return match ? match[1].replace(/ /g, '') : null;
}

/** Fails with the whole conversation when `condition` does not hold. */
export function expectInConversation(transcript: string[], actual: string, pattern: RegExp): void {
  expect(actual, `conversation so far:\n${transcript.join('\n')}`).toMatch(pattern);
}

/** A Twilio SID of the given kind ("CA", "SM") whose hex part counts up. */
export function sid(prefix: string, n: number): string {
  return prefix + n.toString(16).padStart(32, '0');
}

/** Sends a signed Twilio webhook and parses the TwiML answer. */
export async function postTwilio(e2e: E2e, url: string, params: Record<string, string>): Promise<{ response: LightMyRequestResponse; twiml: XmlElement }> {
  const response = await signedTwilioRequest(e2e.app.server, { url, params });
  expect(response.statusCode, response.body).toBe(200);
  return { response, twiml: parseXml(response.body) };
}

export { childrenNamed, spokenTexts };
