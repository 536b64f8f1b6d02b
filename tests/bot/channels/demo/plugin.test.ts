import { describe, expect, it } from 'vitest';
import {
  DEMO_CALL_SID_HEADER,
  DEMO_GATHER_PATH,
  DEMO_VOICE_BASE,
  demoPlugin,
} from '../../../../bot/channels/demo/plugin.ts';
import { renderVoice } from '../../../../bot/channels/voice/render.ts';
import { loadConfig } from '../../../../bot/config.ts';
import { createFloodLimiter } from '../../../../bot/flood.ts';
import { buildServer } from '../../../../bot/server.ts';
import type { FloodLimiter, RenderedTurn } from '../../../../bot/types.ts';
import { DEMO_CUSTOMER_PHONE, DEMO_PRODUCER_IDENTITY, DEMO_STAFF_IDENTITY } from '../../../../catalog/demo-week.ts';
import type { InboundEvent } from '../../../../flows/types.ts';
import { child, parseXml } from '../../../helpers/twiml.ts';
import { channelText, fakeTurn, renderedTurn, testChannelContext } from '../../../helpers/twilio.ts';

const SESSION = 'demo-session-0001';
const VOICES = { de: 'Polly.Vicki-Neural', en: 'Polly.Amy-Neural' };
const MONDAY_10_BERLIN = new Date('2025-06-02T08:00:00Z');

const menu = renderedTurn({
  messages: ['Was möchten Sie tun?'],
  choices: [
    { id: 'browse', label: 'Angebot der Woche' },
    { id: 'orders', label: 'Meine Bestellungen' },
  ],
  speechHints: ['Angebot der Woche'],
});

function demoApp(options: { respond?: (event: InboundEvent) => RenderedTurn; limiter?: FloodLimiter } = {}) {
  const turn = fakeTurn(options.respond ?? (() => menu));
  const { ctx, metrics } = testChannelContext(turn.handler, { limiter: options.limiter });
  const plugin = demoPlugin(ctx, { voice: VOICES, now: () => MONDAY_10_BERLIN });
  const app = buildServer({ config: loadConfig({}), metrics, plugins: [plugin] });
  const chat = (payload: unknown) => app.inject({ method: 'POST', url: '/demo/chat', payload: payload as object });
  const form = (url: string, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  return { app, turn, chat, form };
}

/** The TwiML the real phone line renders for `turn` at `nextStep`, with the demo's base URL. */
function realLineTwiml(turn: RenderedTurn, nextStep: number): string {
  return renderVoice(turn, {
    baseUrl: DEMO_VOICE_BASE,
    nextStep,
    voice: VOICES,
    text: channelText,
  });
}

describe('demo page', () => {
  it('serves the page in German with the demo customer number and nothing from elsewhere', async () => {
    const { app } = demoApp();
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<html lang="de">');
    expect(page.body).toContain(`value="${DEMO_CUSTOMER_PHONE}"`);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).not.toMatch(/https?:\/\//);

    const script = await app.inject({ method: 'GET', url: '/demo/app.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    const style = await app.inject({ method: 'GET', url: '/demo/style.css' });
    expect(style.headers['content-type']).toMatch(/^text\/css/);
    expect((await app.inject({ method: 'GET', url: '/demo/plugin.ts' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/demo/..%2fplugin.ts' })).statusCode).toBe(404);
  });
});

describe('POST /demo/chat', () => {
  it('starts a written demo conversation for the customer with the given number', async () => {
    const { chat, turn } = demoApp();
    const response = await chat({ session: SESSION, seq: 0, as: 'customer', phone: '0151 00000009', start: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(menu);
    const [{ event, options }] = turn.calls;
    expect(event).toMatchObject({
      channel: 'demo',
      conversationKey: `demo:customer:${SESSION}`,
      identity: { kind: 'phone', value: '+4915100000009' },
      payload: { type: 'start' },
    });
    expect(options).toEqual({ deliveryKey: `demo:${SESSION}:0`, medium: 'written' });
  });

  it('speaks as the demo producer or the demo pickup-point staff', async () => {
    const { chat, turn } = demoApp();
    await chat({ session: SESSION, seq: 0, as: 'producer', text: 'Senfgurken 40 Glas 3,50' });
    await chat({ session: SESSION, seq: 1, as: 'staff', choice: 'handout' });
    expect(turn.calls.map((call) => [call.event.conversationKey, call.event.identity, call.event.payload])).toEqual([
      [`demo:producer:${SESSION}`, { kind: 'telegram', value: DEMO_PRODUCER_IDENTITY.telegramId }, { type: 'text', text: 'Senfgurken 40 Glas 3,50' }],
      [`demo:staff:${SESSION}`, { kind: 'telegram', value: DEMO_STAFF_IDENTITY.telegramId }, { type: 'choice', id: 'handout' }],
    ]);
  });

  it('defaults to the demo customer number', async () => {
    const { chat, turn } = demoApp();
    await chat({ session: SESSION, seq: 0, as: 'customer', text: 'Hallo' });
    expect(turn.calls[0].event.identity).toEqual({ kind: 'phone', value: DEMO_CUSTOMER_PHONE });
  });

  it('answers a message sent twice only once', async () => {
    const { chat, turn } = demoApp();
    const message = { session: SESSION, seq: 3, as: 'customer', text: 'Hallo' };
    expect((await chat(message)).statusCode).toBe(200);
    expect((await chat(message)).statusCode).toBe(204);
    expect(turn.calls).toHaveLength(1);
  });

  it.each([
    ['a session id that is too short', { session: 'abc', seq: 0, as: 'customer', start: true }],
    ['a session id with odd characters', { session: 'demo/../../etc', seq: 0, as: 'customer', start: true }],
    ['an unknown role', { session: SESSION, seq: 0, as: 'admin', start: true }],
    ['no message at all', { session: SESSION, seq: 0, as: 'customer' }],
    ['text and a choice at once', { session: SESSION, seq: 0, as: 'customer', text: 'ja', choice: 'yes' }],
    ['a text of only spaces', { session: SESSION, seq: 0, as: 'customer', text: '   ' }],
    ['a text over 2000 characters', { session: SESSION, seq: 0, as: 'customer', text: 'a'.repeat(2001) }],
    ['a choice id over 64 characters', { session: SESSION, seq: 0, as: 'customer', choice: 'x'.repeat(65) }],
    ['a phone field that is no number', { session: SESSION, seq: 0, as: 'customer', phone: 'Anna', start: true }],
    ['a missing counter', { session: SESSION, as: 'customer', start: true }],
    ['an unknown field', { session: SESSION, seq: 0, as: 'customer', start: true, admin: true }],
    ['a JSON array', [1, 2, 3]],
  ])('rejects %s with 400 JSON and no turn', async (_name, payload) => {
    const { chat, turn } = demoApp();
    const response = await chat(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toHaveProperty('error');
    expect(turn.attempts).toBe(0);
  });

  it('rejects broken JSON, other content types and large bodies without a 500', async () => {
    const { app, turn } = demoApp();
    const broken = await app.inject({ method: 'POST', url: '/demo/chat', payload: '{"session":', headers: { 'content-type': 'application/json' } });
    expect(broken.statusCode).toBe(400);
    const plain = await app.inject({ method: 'POST', url: '/demo/chat', payload: 'Hallo', headers: { 'content-type': 'text/plain' } });
    expect(plain.statusCode).toBe(400);
    const large = await app.inject({
      method: 'POST',
      url: '/demo/chat',
      payload: JSON.stringify({ session: SESSION, seq: 0, as: 'customer', text: 'a'.repeat(20_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(large.statusCode).toBe(413);
    expect(turn.attempts).toBe(0);
  });

  it('tells a flooding tester to wait', async () => {
    const { chat, turn } = demoApp({ limiter: createFloodLimiter({ perMinute: 1 }) });
    expect((await chat({ session: SESSION, seq: 0, as: 'customer', text: 'eins' })).statusCode).toBe(200);
    expect((await chat({ session: SESSION, seq: 1, as: 'customer', text: 'zwei' })).statusCode).toBe(429);
    expect(turn.calls).toHaveLength(1);
  });
});

describe('demo phone line', () => {
  it('answers a call with the TwiML of the real line, its Gather pointing back to the demo', async () => {
    const { app, turn } = demoApp();
    const response = await app.inject({ method: 'POST', url: '/demo/voice', payload: { from: '+4915100000009' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    expect(response.body).toBe(realLineTwiml(menu, 1));
    expect(child(parseXml(response.body), 'Gather').attributes.action).toBe(`${DEMO_GATHER_PATH}?step=1`);

    const callSid = String(response.headers[DEMO_CALL_SID_HEADER]);
    expect(callSid).toMatch(/^CA[0-9a-f]{32}$/);
    const [{ event, options }] = turn.calls;
    expect(event).toMatchObject({
      channel: 'voice',
      conversationKey: `demo-voice:${callSid}`,
      identity: { kind: 'phone', value: '+4915100000009' },
      payload: { type: 'start' },
    });
    expect(options).toEqual({ deliveryKey: `demo-voice:${callSid}:0`, medium: 'spoken' });
  });

  it('gives each call its own CallSid and calls as the demo customer by default', async () => {
    const { app, turn } = demoApp();
    const first = await app.inject({ method: 'POST', url: '/demo/voice' });
    const second = await app.inject({ method: 'POST', url: '/demo/voice', payload: {} });
    expect(first.headers[DEMO_CALL_SID_HEADER]).not.toBe(second.headers[DEMO_CALL_SID_HEADER]);
    expect(turn.calls.map((call) => call.event.identity)).toEqual([
      { kind: 'phone', value: DEMO_CUSTOMER_PHONE },
      { kind: 'phone', value: DEMO_CUSTOMER_PHONE },
    ]);
  });

  it('calls with a withheld number when the tester says so, as the real line reports one', async () => {
    const { app, form, turn } = demoApp();
    const start = await app.inject({ method: 'POST', url: '/demo/voice', payload: { from: 'anonym' } });
    expect(start.statusCode).toBe(200);
    const CallSid = String(start.headers[DEMO_CALL_SID_HEADER]);
    const keyed = await form(`${DEMO_GATHER_PATH}?step=1`, { CallSid, From: 'anonymous', Digits: '1' });
    expect(keyed.statusCode).toBe(200);
    // No identity: the engine treats the caller exactly as a withheld caller on the real line.
    expect(turn.calls.map((call) => call.event.identity)).toEqual([null, null]);
  });

  it('takes keys, speech and silence like the real line, each step once', async () => {
    const { app, form, turn } = demoApp();
    const start = await app.inject({ method: 'POST', url: '/demo/voice', payload: { from: DEMO_CUSTOMER_PHONE } });
    const CallSid = String(start.headers[DEMO_CALL_SID_HEADER]);
    const From = DEMO_CUSTOMER_PHONE;

    const keyed = await form(`${DEMO_GATHER_PATH}?step=1`, { CallSid, From, Digits: '1' });
    expect(keyed.body).toBe(realLineTwiml(menu, 2));
    const spoken = await app.inject({
      method: 'POST',
      url: `${DEMO_GATHER_PATH}?step=2`,
      payload: { CallSid, From, SpeechResult: 'zwei Gläser Senfgurken', Confidence: 0.9 },
    });
    expect(spoken.statusCode).toBe(200);
    await form(`${DEMO_GATHER_PATH}?step=3&silence=1`, { CallSid, From });
    const again = await form(`${DEMO_GATHER_PATH}?step=3`, { CallSid, From, Digits: '2' });
    expect(child(parseXml(again.body), 'Redirect').text).toBe(`${DEMO_GATHER_PATH}?step=3&replay=1`);

    expect(turn.calls.slice(1).map((call) => [call.event.payload, call.options.deliveryKey])).toEqual([
      [{ type: 'digits', digits: '1' }, `demo-voice:${CallSid}:1`],
      [{ type: 'speech', transcript: 'zwei Gläser Senfgurken', confidence: 0.9 }, `demo-voice:${CallSid}:2`],
      [{ type: 'silence' }, `demo-voice:${CallSid}:3`],
    ]);
  });

  it('replays the last prompt with the side-effect-free repeat', async () => {
    const { form, turn } = demoApp();
    const CallSid = 'CA0123456789abcdef0123456789abcdef';
    await form(`${DEMO_GATHER_PATH}?step=4&replay=1`, { CallSid, From: DEMO_CUSTOMER_PHONE });
    expect(turn.calls[0]).toMatchObject({ event: { payload: { type: 'repeat' } }, options: { deliveryKey: null } });
  });

  it('hangs up at the end of a conversation and connects to the office on a handoff', async () => {
    const ended = renderedTurn({ status: 'ended', messages: ['Auf Wiederhören!'], expect: 'none' });
    const { app } = demoApp({ respond: () => ended });
    const response = await app.inject({ method: 'POST', url: '/demo/voice' });
    expect(response.body).toBe(realLineTwiml(ended, 1));
    expect(child(parseXml(response.body), 'Hangup')).toBeDefined();

    const handoff = renderedTurn({
      status: 'handoff',
      messages: ['Ich verbinde Sie mit dem Marktplatz-Büro. Einen Moment bitte.'],
      expect: 'none',
      handoff: { phone: '+4935461999999', hours: 'Montag bis Freitag von 8 bis 16 Uhr', open: true },
    });
    const connected = await demoApp({ respond: () => handoff }).app.inject({ method: 'POST', url: '/demo/voice' });
    expect(connected.body).toBe(realLineTwiml(handoff, 1));
    expect(child(parseXml(connected.body), 'Dial').text).toBe('+4935461999999');
  });

  it.each([
    ['a caller number that is no number', '/demo/voice', { From: 'anonymous caller' }],
    ['an answer without CallSid', `${DEMO_GATHER_PATH}?step=1`, { Digits: '1' }],
    ['an answer with a forged CallSid', `${DEMO_GATHER_PATH}?step=1`, { CallSid: 'CA../../x', Digits: '1' }],
    ['an answer without step', DEMO_GATHER_PATH, { CallSid: 'CA0123456789abcdef0123456789abcdef', Digits: '1' }],
    ['an answer with a nonsense step', `${DEMO_GATHER_PATH}?step=-1`, { CallSid: 'CA0123456789abcdef0123456789abcdef' }],
  ])('rejects %s with 400 JSON', async (_name, url, fields) => {
    const { form, turn } = demoApp();
    const response = await form(url, fields);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toHaveProperty('error');
    expect(turn.attempts).toBe(0);
  });

  it('rejects a repeated field and a nested JSON value without a 500', async () => {
    const { app, turn } = demoApp();
    const repeated = await app.inject({
      method: 'POST',
      url: `${DEMO_GATHER_PATH}?step=1`,
      payload: 'CallSid=CA0123456789abcdef0123456789abcdef&Digits=1&Digits=2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(repeated.statusCode).toBe(400);
    const nested = await app.inject({ method: 'POST', url: '/demo/voice', payload: { from: { value: '+49' } } });
    expect(nested.statusCode).toBe(400);
    expect(turn.attempts).toBe(0);
  });
});
