import { describe, expect, it } from 'vitest';
import { whatsappPlugin } from '../../../../bot/channels/whatsapp/plugin.ts';
import { loadConfig } from '../../../../bot/config.ts';
import { createFloodLimiter } from '../../../../bot/flood.ts';
import { BODY_LIMIT_BYTES, buildServer } from '../../../../bot/server.ts';
import type { FloodLimiter, RenderedTurn } from '../../../../bot/types.ts';
import type { InboundEvent } from '../../../../flows/types.ts';
import { childrenNamed, parseXml } from '../../../helpers/twiml.ts';
import {
  TEST_AUTH_TOKEN,
  TEST_PUBLIC_URL,
  fakeTurn,
  renderedTurn,
  signedTwilioForm,
  signedTwilioRequest,
  testChannelContext,
} from '../../../helpers/twilio.ts';

const OUR_NUMBER = 'whatsapp:+4935461000000';
const CUSTOMER = '+4915112345678';
let messageCounter = 0;

/** A fresh MessageSid, as Twilio gives each inbound message. */
function messageSid(): string {
  messageCounter += 1;
  return `SM${messageCounter.toString(16).padStart(32, '0')}`;
}

function inbound(params: Record<string, string>) {
  return { From: `whatsapp:${CUSTOMER}`, To: OUR_NUMBER, MessageSid: messageSid(), ...params };
}

function whatsappApp(
  respond: (event: InboundEvent, index: number) => RenderedTurn | Promise<RenderedTurn>,
  options: { limiter?: FloodLimiter; onInbound?: (e164: string, at: Date) => void } = {},
) {
  const turn = fakeTurn(respond);
  const { ctx, log, metrics } = testChannelContext(turn.handler, { limiter: options.limiter });
  const now = new Date('2025-06-03T08:00:00Z');
  const plugin = whatsappPlugin(ctx, {
    authToken: TEST_AUTH_TOKEN,
    publicUrl: TEST_PUBLIC_URL,
    from: OUR_NUMBER,
    onInbound: options.onInbound,
    now: () => now,
  });
  const app = buildServer({ config: loadConfig({}), metrics, plugins: [plugin] });
  const send = (params: Record<string, string>) => signedTwilioRequest(app, { url: '/twilio/whatsapp', params });
  return { app, turn, log, send, now };
}

function messagesOf(body: string): string[] {
  return childrenNamed(parseXml(body), 'Message').map((message) => message.text);
}

const offers = [
  { id: 'offer:1', label: 'Senfgurken, 3,50 €' },
  { id: 'offer:2', label: 'Leinöl, 6,90 €' },
];

describe('POST /twilio/whatsapp', () => {
  it('holds a conversation: numbered choices out, the customer answers by number', async () => {
    const { send, turn } = whatsappApp((event) => {
      if (event.payload.type === 'text' && event.payload.text === 'Hallo') {
        return renderedTurn({ messages: ['Guten Tag! Das gibt es diese Woche:'], choices: offers });
      }
      return renderedTurn({ messages: ['Wie viele Gläser Senfgurken?'], expect: 'number' });
    });

    const greeting = await send(inbound({ Body: 'Hallo', ProfileName: 'Erika' }));
    expect(greeting.statusCode).toBe(200);
    expect(greeting.headers['content-type']).toContain('text/xml');
    expect(messagesOf(greeting.body)).toEqual([
      'Guten Tag! Das gibt es diese Woche:\n\n1) Senfgurken, 3,50 €\n2) Leinöl, 6,90 €\nAntworten Sie mit 1 oder 2.',
    ]);

    const answer = await send(inbound({ Body: '1' }));
    expect(messagesOf(answer.body)).toEqual(['Wie viele Gläser Senfgurken?']);

    const [first, second] = turn.calls;
    expect(first.event).toMatchObject({
      channel: 'whatsapp',
      conversationKey: `whatsapp:${CUSTOMER}`,
      identity: { kind: 'whatsapp', value: CUSTOMER },
      profileName: 'Erika',
      payload: { type: 'text', text: 'Hallo' },
    });
    expect(first.options).toEqual({ deliveryKey: expect.stringMatching(/^whatsapp:SM[0-9a-f]{32}$/), medium: 'written' });
    expect(second.event.payload).toEqual({ type: 'text', text: '1' });
  });

  it('answers a re-delivered MessageSid with an empty response and no second turn', async () => {
    const { send, turn } = whatsappApp(() => renderedTurn({ messages: ['Bestellung aufgenommen.'] }));
    const params = inbound({ Body: 'Ja' });
    expect(messagesOf((await send(params)).body)).toEqual(['Bestellung aufgenommen.']);
    const again = await send(params);
    expect(again.statusCode).toBe(200);
    expect(messagesOf(again.body)).toEqual([]);
    expect(turn.calls).toHaveLength(1);
  });

  it('turns a shared location into a location payload', async () => {
    const { send, turn } = whatsappApp(() => renderedTurn());
    await send(inbound({ Body: '', Latitude: '51.8706', Longitude: '14.0314' }));
    expect(turn.calls[0].event.payload).toEqual({ type: 'location', lat: 51.8706, lon: 14.0314 });
  });

  it('reports every signed inbound message for the 24-hour window', async () => {
    const seen: Array<[string, Date]> = [];
    const { send, now } = whatsappApp(() => renderedTurn(), { onInbound: (e164, at) => void seen.push([e164, at]) });
    await send(inbound({ Body: 'Hallo' }));
    expect(seen).toEqual([[CUSTOMER, now]]);
  });

  it.each([
    ['a forged signature', { signature: 'bm90IGEgc2lnbmF0dXJl' }],
    ['no signature', { signature: null }],
    ['a signature over another host', { publicUrl: 'https://evil.example.com' }],
    ['a signature with another auth token', { authToken: 'fedcba9876543210fedcba9876543210' }],
  ])('refuses %s with 403 and no turn', async (_case, forgery) => {
    const { app, turn } = whatsappApp(() => renderedTurn({ messages: ['never'] }));
    const response = await signedTwilioRequest(app, { url: '/twilio/whatsapp', params: inbound({ Body: 'Hallo' }), ...forgery });
    expect(response.statusCode).toBe(403);
    expect(turn.attempts).toBe(0);
  });

  it('refuses a body altered after signing', async () => {
    const { app, turn } = whatsappApp(() => renderedTurn());
    const { headers } = signedTwilioForm({ url: '/twilio/whatsapp', params: inbound({ Body: '1' }) });
    const tampered = new URLSearchParams(inbound({ Body: '2' })).toString();
    const response = await app.inject({ method: 'POST', url: '/twilio/whatsapp', payload: tampered, headers });
    expect(response.statusCode).toBe(403);
    expect(turn.attempts).toBe(0);
  });

  it.each([
    ['no From', { From: '' }],
    ['a From that is not WhatsApp', { From: '+4915112345678' }],
    ['no MessageSid', { MessageSid: '' }],
    ['a malformed MessageSid', { MessageSid: 'SM-not-hex' }],
  ])('answers %s with 400 and no turn', async (_case, override) => {
    const { send, turn } = whatsappApp(() => renderedTurn());
    const params = Object.fromEntries(Object.entries(inbound({ Body: 'Hallo', ...override })).filter(([, value]) => value !== ''));
    const response = await send(params);
    expect(response.statusCode).toBe(400);
    expect(turn.attempts).toBe(0);
  });

  it('answers a repeated field (not a single string) with 400', async () => {
    const { app, turn } = whatsappApp(() => renderedTurn());
    // Twilio's own signer accepts a repeated field as an array, so the signature is valid.
    const response = await signedTwilioRequest(app, { url: '/twilio/whatsapp', params: { ...inbound({}), Body: ['a', 'b'] } });
    expect(response.statusCode).toBe(400);
    expect(turn.attempts).toBe(0);
  });

  it('answers a body over the limit with 413 before any turn', async () => {
    const { send, turn } = whatsappApp(() => renderedTurn());
    const response = await send(inbound({ Body: 'x'.repeat(BODY_LIMIT_BYTES) }));
    expect(response.statusCode).toBe(413);
    expect(turn.attempts).toBe(0);
  });

  it('cleans odd text before the engine sees it: control and bidi characters, broken UTF-8, 10,000 characters', async () => {
    const { app, send, turn } = whatsappApp(() => renderedTurn({ messages: ['Wie bitte?'] }));
    const controls = await send(inbound({ Body: 'Gur\u0000ken\u0007\r\nbitte\u202e' }));
    expect(controls.statusCode).toBe(200);
    // A bidi override would let a note shown to staff read differently from what it says; Telegram already dropped it.
    expect(turn.calls[0].event.payload).toEqual({ type: 'text', text: 'Gurken\nbitte' });

    const long = await send(inbound({ Body: 'ä'.repeat(10_000) }));
    expect(messagesOf(long.body)).toEqual(['Wie bitte?']);
    const longPayload = turn.calls[1].event.payload;
    expect(longPayload.type === 'text' && longPayload.text.length).toBe(1600);

    // %FF%FE is not UTF-8; Twilio never sends it, but a signed request with it must not reach the 500 handler.
    const params = inbound({});
    const payload = `${new URLSearchParams(params).toString()}&Body=%FF%FEGurken`;
    const { headers } = signedTwilioForm({ url: '/twilio/whatsapp', params: { ...params, Body: '%FF%FEGurken' } });
    const broken = await app.inject({ method: 'POST', url: '/twilio/whatsapp', payload, headers });
    expect(broken.statusCode).toBeLessThan(500);
  });

  it('tells a flooding customer once, then stays quiet, without turns', async () => {
    const { send, turn } = whatsappApp(() => renderedTurn({ messages: ['ok'] }), { limiter: createFloodLimiter({ perMinute: 2 }) });
    const replies = [];
    for (let message = 0; message < 5; message += 1) replies.push(messagesOf((await send(inbound({ Body: 'Hallo' }))).body));
    expect(replies).toEqual([
      ['ok'],
      ['ok'],
      ['Sie schreiben gerade sehr schnell. Bitte warten Sie eine Minute, dann geht es weiter.'],
      [],
      [],
    ]);
    expect(turn.calls).toHaveLength(2);
  });

  it('apologises in a message, not with a 500, when the turn fails on our side', async () => {
    const { send, log } = whatsappApp(() => {
      throw new Error('database is locked');
    });
    const response = await send(inbound({ Body: 'Hallo' }));
    expect(response.statusCode).toBe(200);
    expect(messagesOf(response.body)).toEqual([
      'Entschuldigung, bei uns ist gerade etwas schiefgegangen. Bitte versuchen Sie es in ein paar Minuten noch einmal.',
    ]);
    expect(log.entries.some((entry) => entry.level === 'error')).toBe(true);
  });

  it('leaves messages to another of our senders unanswered', async () => {
    const { send, turn } = whatsappApp(() => renderedTurn({ messages: ['ok'] }));
    const response = await send(inbound({ Body: 'Hallo', To: 'whatsapp:+4930000000' }));
    expect(messagesOf(response.body)).toEqual([]);
    expect(turn.attempts).toBe(0);
  });
});
