import { describe, expect, it } from 'vitest';
import { voicePlugin } from '../../../../bot/channels/voice/plugin.ts';
import { loadConfig } from '../../../../bot/config.ts';
import { createFloodLimiter } from '../../../../bot/flood.ts';
import { BODY_LIMIT_BYTES, buildServer } from '../../../../bot/server.ts';
import type { FloodLimiter, RenderedTurn } from '../../../../bot/types.ts';
import type { InboundEvent } from '../../../../flows/types.ts';
import { child, parseXml, spokenTexts, type XmlElement } from '../../../helpers/twiml.ts';
import {
  TEST_AUTH_TOKEN,
  TEST_PUBLIC_URL,
  fakeTurn,
  renderedTurn,
  signedTwilioForm,
  signedTwilioRequest,
  testChannelContext,
} from '../../../helpers/twilio.ts';

const CALLER = '+4935461234567';
const CALL_SID = 'CA0123456789abcdef0123456789abcdef';
const MONDAY_10_BERLIN = new Date('2025-06-02T08:00:00Z');
const SUNDAY_10_BERLIN = new Date('2025-06-08T08:00:00Z');
const HOURS = 'Montag bis Freitag von 8 bis 16 Uhr';

const menu = renderedTurn({
  messages: ['Willkommen beim Marktplatz Spreewald. Was möchten Sie bestellen?'],
  choices: [
    { id: 'offer:1', label: 'Senfgurken' },
    { id: 'offer:2', label: 'Leinöl' },
  ],
  speechHints: ['Senfgurken', 'Leinöl'],
});
const howMany = renderedTurn({ messages: ['Wie viele Gläser Senfgurken möchten Sie?'], expect: 'number' });
const confirm = renderedTurn({
  messages: ['Zwei Gläser Senfgurken. Ist das richtig?'],
  choices: [
    { id: 'yes', label: 'Ja' },
    { id: 'no', label: 'Nein' },
  ],
  expect: 'yes_no',
});
/** The engine's handoff: it decides whether the office is open and says so. */
const handoff = (open: boolean) =>
  renderedTurn({
    status: 'handoff',
    messages: [
      open
        ? 'Ich verbinde Sie mit dem Marktplatz-Büro. Einen Moment bitte.'
        : `Das Marktplatz-Büro ist gerade nicht besetzt. Sie erreichen es ${HOURS}.`,
    ],
    expect: open ? 'none' : 'choice',
    handoff: { phone: '+4935461999999', hours: HOURS, open },
  });

/** A small stand-in for the engine: a menu, a quantity, a confirmation; 9 and silence repeat, 0 hands off (00: office closed). */
function scriptedEngine() {
  let last = menu;
  return (event: InboundEvent): RenderedTurn => {
    const payload = event.payload;
    if (payload.type === 'start') last = menu;
    else if (payload.type === 'digits' && (payload.digits === '0' || payload.digits === '00')) return handoff(payload.digits === '0');
    else if (payload.type === 'digits' && payload.digits === '1' && last === menu) last = howMany;
    else if (payload.type === 'speech' && last === howMany) last = confirm;
    else if (payload.type === 'speech' && payload.transcript === 'tschüss') {
      return renderedTurn({ status: 'ended', messages: ['Auf Wiederhören!'], expect: 'none' });
    }
    return last;
  };
}

function voiceApp(
  options: { now?: Date; limiter?: FloodLimiter; respond?: (event: InboundEvent) => RenderedTurn } = {},
) {
  const turn = fakeTurn(options.respond ?? scriptedEngine());
  const { ctx, log, metrics } = testChannelContext(turn.handler, { limiter: options.limiter });
  const plugin = voicePlugin(ctx, {
    authToken: TEST_AUTH_TOKEN,
    publicUrl: TEST_PUBLIC_URL,
    voice: { de: 'Polly.Vicki-Neural', en: 'Polly.Amy-Neural' },
    now: () => options.now ?? MONDAY_10_BERLIN,
  });
  const app = buildServer({ config: loadConfig({}), metrics, plugins: [plugin] });
  const post = async (url: string, params: Record<string, string>) => {
    const response = await signedTwilioRequest(app, { url, params: { CallSid: CALL_SID, From: CALLER, ...params } });
    return { response, twiml: response.statusCode === 200 ? parseXml(response.body) : null };
  };
  const call = (params: Record<string, string> = {}) => post('/twilio/voice', { To: '+4935461000000', ...params });
  /** Follows a URL from our own TwiML the way Twilio does: POST to it, signed over the full URL. */
  const follow = (absoluteUrl: string, params: Record<string, string> = {}) => {
    expect(absoluteUrl.startsWith(TEST_PUBLIC_URL)).toBe(true);
    return post(absoluteUrl.slice(TEST_PUBLIC_URL.length), params);
  };
  return { app, turn, log, call, follow, post };
}

function actionOf(twiml: XmlElement | null): string {
  if (!twiml) throw new Error('no TwiML');
  return child(twiml, 'Gather').attributes.action;
}

describe('the phone line, followed as Twilio follows it', () => {
  it('answers, takes keys, speech and silence, each step with its own delivery key', async () => {
    const { call, follow, turn } = voiceApp();

    const greeting = await call();
    expect(greeting.response.statusCode).toBe(200);
    expect(greeting.response.headers['content-type']).toContain('text/xml');
    const gather = child(greeting.twiml as XmlElement, 'Gather');
    expect(gather.attributes).toMatchObject({
      input: 'speech dtmf',
      language: 'de-DE',
      actionOnEmptyResult: 'true',
      hints: 'Senfgurken, Leinöl',
      action: `${TEST_PUBLIC_URL}/twilio/voice/gather?step=1`,
    });
    expect(spokenTexts(gather)).toContain('Senfgurken: die 1.');
    expect(child(greeting.twiml as XmlElement, 'Redirect').text).toBe(`${TEST_PUBLIC_URL}/twilio/voice/gather?step=1&silence=1`);

    const quantity = await follow(actionOf(greeting.twiml), { Digits: '1' });
    expect(spokenTexts(quantity.twiml as XmlElement)).toEqual([
      'Wie viele Gläser Senfgurken möchten Sie?',
      'Drücken Sie zum Schluss die Raute.',
    ]);
    expect(child(quantity.twiml as XmlElement, 'Gather').attributes.finishOnKey).toBe('#');

    const confirmation = await follow(actionOf(quantity.twiml), { SpeechResult: 'zwei', Confidence: '0.91' });
    expect(spokenTexts(confirmation.twiml as XmlElement)[0]).toBe('Zwei Gläser Senfgurken. Ist das richtig?');

    const silence = await follow(actionOf(confirmation.twiml));
    const redirect = child(silence.twiml as XmlElement, 'Redirect').text;
    const silenceAgain = await follow(redirect);
    expect(actionOf(silenceAgain.twiml)).toBe(`${TEST_PUBLIC_URL}/twilio/voice/gather?step=5`);

    expect(turn.calls.map((entry) => entry.event.payload)).toEqual([
      { type: 'start' },
      { type: 'digits', digits: '1' },
      { type: 'speech', transcript: 'zwei', confidence: 0.91 },
      { type: 'silence' },
      { type: 'silence' },
    ]);
    expect(turn.calls.map((entry) => entry.options.deliveryKey)).toEqual([0, 1, 2, 3, 4].map((step) => `voice:${CALL_SID}:${step}`));
    for (const { event, options } of turn.calls) {
      expect(event).toMatchObject({ channel: 'voice', conversationKey: `voice:${CALL_SID}`, identity: { kind: 'phone', value: CALLER } });
      expect(options.medium).toBe('spoken');
    }
  });

  it('replays the last prompt for a re-delivered step, without a second effect', async () => {
    const { call, follow, turn } = voiceApp();
    const greeting = await call();
    const first = await follow(actionOf(greeting.twiml), { Digits: '1' });
    const again = await follow(actionOf(greeting.twiml), { Digits: '1' });
    expect(again.twiml?.children.map((element) => element.name)).toEqual(['Redirect']);
    const replayUrl = child(again.twiml as XmlElement, 'Redirect').text;
    expect(replayUrl).toBe(`${TEST_PUBLIC_URL}/twilio/voice/gather?step=1&replay=1`);

    const replayed = await follow(replayUrl);
    expect(spokenTexts(replayed.twiml as XmlElement)).toEqual(spokenTexts(first.twiml as XmlElement));
    expect(actionOf(replayed.twiml)).toBe(actionOf(first.twiml));
    expect(turn.calls.map((entry) => [entry.event.payload, entry.options.deliveryKey])).toEqual([
      [{ type: 'start' }, `voice:${CALL_SID}:0`],
      [{ type: 'digits', digits: '1' }, `voice:${CALL_SID}:1`],
      [{ type: 'repeat' }, null],
    ]);
  });

  it('puts the caller through when the turn says the office is open, saying so once, whatever its own clock says', async () => {
    const { call, follow } = voiceApp({ now: SUNDAY_10_BERLIN });
    const person = await follow(actionOf((await call()).twiml), { Digits: '0' });
    const response = person.twiml as XmlElement;
    expect(response.children.map((element) => element.name)).toEqual(['Say', 'Dial', 'Say', 'Hangup']);
    expect(child(response, 'Dial').text).toBe('+4935461999999');
    expect(spokenTexts(response).filter((text) => text.includes('verbinde'))).toEqual([
      'Ich verbinde Sie mit dem Marktplatz-Büro. Einen Moment bitte.',
    ]);
  });

  it('keeps listening when the turn says the office is closed, telling the hours once', async () => {
    const { call, follow } = voiceApp({ now: MONDAY_10_BERLIN });
    const person = await follow(actionOf((await call()).twiml), { Digits: '00' });
    const response = person.twiml as XmlElement;
    expect(response.children.map((element) => element.name)).toEqual(['Gather', 'Redirect']);
    expect(spokenTexts(response).filter((text) => text.includes('nicht besetzt'))).toEqual([
      'Das Marktplatz-Büro ist gerade nicht besetzt. Sie erreichen es Montag bis Freitag von 8 bis 16 Uhr.',
    ]);
    expect(actionOf(response)).toBe(`${TEST_PUBLIC_URL}/twilio/voice/gather?step=2`);
  });

  it('says goodbye and hangs up at the end', async () => {
    const { call, follow } = voiceApp();
    const end = await follow(actionOf((await call()).twiml), { SpeechResult: 'tschüss', Confidence: '0.8' });
    expect(end.twiml?.children.map((element) => element.name)).toEqual(['Say', 'Hangup']);
  });

  it.each(['anonymous', '+266696687', '', 'client:oma-erika', 'sip:caller@example.com'])(
    'treats caller ID %j as withheld',
    async (from) => {
      const { call, turn } = voiceApp();
      const { response } = await call({ From: from });
      expect(response.statusCode).toBe(200);
      expect(turn.calls[0].event.identity).toBeNull();
    },
  );
});

describe('the phone line refuses what Twilio did not send', () => {
  it.each([
    ['/twilio/voice', { signature: 'Zm9yZ2Vk' }],
    ['/twilio/voice', { signature: null }],
    ['/twilio/voice', { publicUrl: 'https://evil.example.com' }],
    ['/twilio/voice/gather?step=1', { signature: 'Zm9yZ2Vk' }],
    ['/twilio/voice/gather?step=1', { signature: null }],
    ['/twilio/voice/gather?step=1', { publicUrl: 'http://marktbote.example.de' }],
  ])('POST %s with %j → 403 and no turn', async (url, forgery) => {
    const { app, turn } = voiceApp();
    const response = await signedTwilioRequest(app, { url, params: { CallSid: CALL_SID, From: CALLER, Digits: '1' }, ...forgery });
    expect(response.statusCode).toBe(403);
    expect(turn.attempts).toBe(0);
  });

  it('refuses a signed request replayed to another step (the query is signed too)', async () => {
    const { app, turn } = voiceApp();
    const { headers, body } = signedTwilioForm({ url: '/twilio/voice/gather?step=1', params: { CallSid: CALL_SID, Digits: '1' } });
    const response = await app.inject({ method: 'POST', url: '/twilio/voice/gather?step=2', payload: body, headers });
    expect(response.statusCode).toBe(403);
    expect(turn.attempts).toBe(0);
  });

  it.each([
    ['/twilio/voice', { CallSid: '' }],
    ['/twilio/voice', { CallSid: 'not-a-call' }],
    ['/twilio/voice/gather', {}],
    ['/twilio/voice/gather?step=abc', {}],
    ['/twilio/voice/gather?step=-1', {}],
    ['/twilio/voice/gather?step=99999999', {}],
    ['/twilio/voice/gather?step=1', { CallSid: '' }],
  ])('POST %s with %j → 400 and no turn', async (url, params) => {
    const { post, turn } = voiceApp();
    const { response } = await post(url, params);
    expect(response.statusCode).toBe(400);
    expect(turn.attempts).toBe(0);
  });

  it('answers a body over the limit with 413', async () => {
    const { post, turn } = voiceApp();
    const { response } = await post('/twilio/voice/gather?step=1', { SpeechResult: 'x'.repeat(BODY_LIMIT_BYTES) });
    expect(response.statusCode).toBe(413);
    expect(turn.attempts).toBe(0);
  });

  it('reads odd values kindly: unsure confidence, junk digits, control characters, 10,000 characters', async () => {
    const { post, turn } = voiceApp();
    await post('/twilio/voice/gather?step=1', { SpeechResult: 'Senf\u0000gurken\u0007', Confidence: 'high' });
    await post('/twilio/voice/gather?step=2', { Digits: 'abc' });
    const long = await post('/twilio/voice/gather?step=3', { SpeechResult: 'ö'.repeat(10_000), Confidence: '0.7' });
    expect(long.response.statusCode).toBe(200);
    const payloads = turn.calls.map((entry) => entry.event.payload);
    expect(payloads[0]).toEqual({ type: 'speech', transcript: 'Senfgurken', confidence: 0 });
    expect(payloads[1]).toEqual({ type: 'silence' });
    expect(payloads[2].type === 'speech' && payloads[2].transcript.length).toBe(500);
  });

  it('apologises and hangs up, not a 500, when the turn fails on our side', async () => {
    const { call, log } = voiceApp({
      respond: () => {
        throw new Error('database is locked');
      },
    });
    const { response, twiml } = await call();
    expect(response.statusCode).toBe(200);
    expect(twiml?.children.map((element) => element.name)).toEqual(['Say', 'Hangup']);
    expect(log.entries.some((entry) => entry.level === 'error')).toBe(true);
  });

  it('holds a flooding call with a pause and the last prompt, not a turn', async () => {
    const { call, follow, post, turn } = voiceApp({ limiter: createFloodLimiter({ perMinute: 2 }) });
    const greeting = await call();
    await follow(actionOf(greeting.twiml), { Digits: '1' });
    const flooded = await post('/twilio/voice/gather?step=2', { Digits: '5' });
    expect(flooded.twiml?.children.map((element) => element.name)).toEqual(['Say', 'Pause', 'Redirect']);
    expect(child(flooded.twiml as XmlElement, 'Redirect').text).toBe(`${TEST_PUBLIC_URL}/twilio/voice/gather?step=2&replay=1`);
    const stillFlooded = await post('/twilio/voice/gather?step=2', { Digits: '5' });
    expect(stillFlooded.twiml?.children.map((element) => element.name)).toEqual(['Pause', 'Redirect']);
    expect(turn.calls).toHaveLength(2);
  });
});
