/**
 * Scripted conversations against the real engine, recogniser and a real SQLite
 * file with the demo week, in the style of botbuilder's TestAdapter:
 *
 *   const anna = harness.person('telegram', '5001');
 *   await anna.says('Hallo');
 *   anna.hears(/Willkommen/);
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Clock } from '../../catalog/ports.ts';
import type { Channel, Identity } from '../../catalog/types.ts';
import { createApp, type App, type AppOptions } from '../../bot/main.ts';
import { loadConfig } from '../../bot/config.ts';
import type { RenderedTurn } from '../../bot/types.ts';
import type { InboundPayload } from '../../flows/types.ts';

/** Tuesday 1 December 2026, 10:00 in Berlin: the demo cycle is open, pickups on Friday and Saturday. */
export const TUESDAY_MORNING = new Date('2026-12-01T09:00:00Z');

export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Harness {
  app: App;
  clock: TestClock;
  databaseUrl: string;
  person(channel: Channel, id: string, options?: { identity?: Identity | null; profileName?: string }): Person;
  dispose(): Promise<void>;
}

/** A fresh app on a temp SQLite file with the demo week, at a fixed time. */
export async function startHarness(
  at: Date = TUESDAY_MORNING,
  env: Record<string, string> = {},
  options: Pick<AppOptions, 'dialogs'> = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'marktbote-conv-'));
  const databaseUrl = join(dir, 'test.sqlite');
  const clock = new TestClock(at);
  // The harness never serves the network, and some tests add a channel to the demo week.
  const config = loadConfig({ DATABASE_URL: databaseUrl, DEMO: 'on', DEMO_PUBLIC: 'yes-i-know', LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config, { clock, seedDemo: true, ...options });
  return {
    app,
    clock,
    databaseUrl,
    person: (channel, id, options = {}) => new Person(app, channel, id, options.identity, options.profileName ?? null),
    async dispose() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function defaultIdentity(channel: Channel, id: string): Identity | null {
  if (channel === 'telegram') return { kind: 'telegram', value: id };
  if (channel === 'whatsapp') return { kind: 'whatsapp', value: id };
  return { kind: 'phone', value: id };
}

export class Person {
  last: RenderedTurn | null = null;
  readonly transcript: string[] = [];
  private counter = 0;
  private readonly identity: Identity | null;

  constructor(
    private readonly app: App,
    readonly channel: Channel,
    readonly id: string,
    identity: Identity | null | undefined,
    private readonly profileName: string | null,
  ) {
    this.identity = identity === undefined ? defaultIdentity(channel, id) : identity;
  }

  private async send(payload: InboundPayload, label: string): Promise<RenderedTurn> {
    this.counter += 1;
    const result = await this.app.turn(
      {
        channel: this.channel,
        conversationKey: `${this.channel}:${this.id}`,
        identity: this.identity,
        profileName: this.profileName,
        payload,
        receivedAt: this.app.clock.now(),
      },
      { deliveryKey: `${this.channel}:${this.id}:${this.counter}`, medium: this.channel === 'voice' ? 'spoken' : 'written' },
    );
    if (!result) throw new Error(`turn "${label}" was treated as a duplicate`);
    this.last = result;
    this.transcript.push(`> ${label}`, ...result.messages.map((m) => `< ${m}`), ...result.choices.map((c, i) => `  [${i + 1}] ${c.label} (${c.id})`));
    return result;
  }

  says(text: string) { return this.send({ type: 'text', text }, text); }
  starts() { return this.send({ type: 'start' }, '/start'); }
  presses(digits: string) { return this.send({ type: 'digits', digits }, `keypad ${digits}`); }
  speaks(transcript: string, confidence = 0.9) { return this.send({ type: 'speech', transcript, confidence }, `speech "${transcript}" (${confidence})`); }
  staysSilent() { return this.send({ type: 'silence' }, '(silence)'); }
  sharesLocation(lat: number, lon: number) { return this.send({ type: 'location', lat, lon }, `location ${lat},${lon}`); }
  sharesContact(phone: string, own = true) { return this.send({ type: 'contact', phone, own }, `contact ${phone}`); }

  /** Sends button data as a client could: a stale, forged or foreign button. */
  pressesRaw(data: string) { return this.send({ type: 'choice', id: data }, `[raw ${data}]`); }

  /** Taps the choice whose label matches. */
  async taps(label: RegExp): Promise<RenderedTurn> {
    const found = this.last?.choices.find((c) => label.test(c.label));
    if (!found) throw new Error(`no choice matching ${label}; conversation so far:\n${this.transcript.join('\n')}`);
    return this.send({ type: 'choice', id: found.id }, `[${found.label}]`);
  }

  /** The last answer, all messages as one text. */
  get text(): string {
    return this.last?.messages.join('\n') ?? '';
  }

  hears(pattern: RegExp): void {
    expect(this.text, `conversation so far:\n${this.transcript.join('\n')}`).toMatch(pattern);
  }

  doesNotHear(pattern: RegExp): void {
    expect(this.text, `conversation so far:\n${this.transcript.join('\n')}`).not.toMatch(pattern);
  }

  offers(pattern: RegExp): void {
    const labels = (this.last?.choices ?? []).map((c) => c.label).join(' | ');
    expect(labels, `conversation so far:\n${this.transcript.join('\n')}`).toMatch(pattern);
  }

  doesNotOffer(pattern: RegExp): void {
    const labels = (this.last?.choices ?? []).map((c) => c.label).join(' | ');
    expect(labels, `conversation so far:\n${this.transcript.join('\n')}`).not.toMatch(pattern);
  }

  /** The order code in the last answer (digits only). */
  orderCode(): string {
    const match = /(?:Bestellnummer|order number)\D{0,20}((?:\d ?){4,6})/i.exec(this.text);
    if (!match) throw new Error(`no order code in:\n${this.transcript.join('\n')}`);
    return match[1].replace(/ /g, '');
  }
}
