import { describe, expect, it } from 'vitest';
import { renderFailure, renderReplay, renderUnavailable, renderVoice, type VoiceRenderOptions } from '../../../../bot/channels/voice/render.ts';
import { child, childrenNamed, parseXml, spokenTexts } from '../../../helpers/twiml.ts';
import { channelText, renderedTurn } from '../../../helpers/twilio.ts';

const BASE = 'https://marktbote.example.de';
const HOURS = 'Montag bis Freitag von 8 bis 16 Uhr';

const options: VoiceRenderOptions = {
  baseUrl: BASE,
  nextStep: 3,
  voice: { de: 'Polly.Vicki-Neural', en: 'Polly.Amy-Neural' },
  text: channelText,
};

const menu = renderedTurn({
  messages: ['Diese Woche gibt es *zwei* Sachen.'],
  choices: [
    { id: 'offer:1', label: 'Senfgurken' },
    { id: 'offer:2', label: 'Leinöl' },
  ],
  speechHints: ['Senfgurken', 'Leinöl', 'Gurken, sauer', 'Senfgurken'],
  menu: true,
  reachable: true,
});

describe('renderVoice', () => {
  it('says everything inside a Gather that listens for keys and speech, then redirects on silence', () => {
    const response = parseXml(renderVoice(menu, options));
    const gather = child(response, 'Gather');
    expect(gather.attributes).toEqual({
      input: 'speech dtmf',
      action: `${BASE}/twilio/voice/gather?step=3`,
      method: 'POST',
      actionOnEmptyResult: 'true',
      language: 'de-DE',
      timeout: '8',
      speechTimeout: 'auto',
      hints: 'Senfgurken, Leinöl, Gurken sauer',
      numDigits: '1',
    });
    expect(spokenTexts(gather)).toEqual([
      'Diese Woche gibt es zwei Sachen.',
      'Senfgurken: die 1.',
      'Leinöl: die 2.',
      'Zum Wiederholen drücken Sie die 9, zurück geht es mit der Sterntaste, und mit der 0 erreichen Sie einen Menschen.',
    ]);
    for (const say of childrenNamed(gather, 'Say')) {
      expect(say.attributes).toEqual({ voice: 'Polly.Vicki-Neural', language: 'de-DE' });
    }
    expect(response.children.map((element) => element.name)).toEqual(['Gather', 'Redirect']);
    const redirect = child(response, 'Redirect');
    expect(redirect.attributes).toEqual({ method: 'POST' });
    expect(redirect.text).toBe(`${BASE}/twilio/voice/gather?step=3&silence=1`);
  });

  it('says it again more slowly after repeated misunderstanding', () => {
    const gather = child(parseXml(renderVoice({ ...menu, slow: true }, options)), 'Gather');
    const says = childrenNamed(gather, 'Say');
    expect(says.length).toBe(4);
    for (const say of says) expect(child(say, 'prosody').attributes).toEqual({ rate: 'slow' });
    expect(says.map((say) => child(say, 'prosody').text)).toEqual([
      'Diese Woche gibt es zwei Sachen.',
      'Senfgurken: die 1.',
      'Leinöl: die 2.',
      'Zum Wiederholen drücken Sie die 9, zurück geht es mit der Sterntaste, und mit der 0 erreichen Sie einen Menschen.',
    ]);
  });

  it('speaks English with the English voice', () => {
    const gather = child(parseXml(renderVoice({ ...menu, language: 'en' }, options)), 'Gather');
    expect(gather.attributes.language).toBe('en-GB');
    expect(child(gather, 'Say').attributes).toEqual({ voice: 'Polly.Amy-Neural', language: 'en-GB' });
    expect(spokenTexts(gather)).toContain('Leinöl: press 2.');
  });

  it('names at most four choices', () => {
    const many = renderedTurn({ choices: ['A', 'B', 'C', 'D', 'E'].map((label) => ({ id: label, label })) });
    const spoken = spokenTexts(parseXml(renderVoice(many, options)));
    expect(spoken.filter((text) => /: die \d\.$/.test(text))).toHaveLength(4);
  });

  it.each(['number', 'phone'] as const)('lets a %s be keyed in up to the hash key, without the 9/0 help', (expect_) => {
    const turn = renderedTurn({ messages: ['Bitte tippen Sie Ihre Telefonnummer ein.'], expect: expect_ });
    const gather = child(parseXml(renderVoice(turn, { ...options, speechModel: 'phone_call' })), 'Gather');
    expect(gather.attributes.finishOnKey).toBe('#');
    expect(gather.attributes.numDigits).toBeUndefined();
    expect(gather.attributes.speechModel).toBe('phone_call');
    expect(gather.attributes.hints).toBeUndefined();
    expect(spokenTexts(gather)).toEqual(['Bitte tippen Sie Ihre Telefonnummer ein.', 'Drücken Sie zum Schluss die Raute.']);
  });

  it('says goodbye and hangs up when the call has ended', () => {
    const response = parseXml(renderVoice(renderedTurn({ status: 'ended', messages: ['Auf Wiederhören!'] }), options));
    expect(response.children.map((element) => element.name)).toEqual(['Say', 'Hangup']);
    expect(spokenTexts(response)).toEqual(['Auf Wiederhören!']);
  });

  it('dials the number of an open handoff, having said only what the turn says', () => {
    const handoff = renderedTurn({
      status: 'handoff',
      messages: ['Ich verbinde Sie mit dem Marktplatz-Büro. Einen Moment bitte.'],
      handoff: { phone: '+4935461999999', hours: HOURS, open: true },
    });
    const response = parseXml(renderVoice(handoff, options));
    expect(response.children.map((element) => element.name)).toEqual(['Say', 'Dial', 'Say', 'Hangup']);
    expect(child(response, 'Dial').text).toBe('+4935461999999');
    expect(spokenTexts(response)).toEqual([
      'Ich verbinde Sie mit dem Marktplatz-Büro. Einen Moment bitte.',
      // Reached only when nobody in the office picks up.
      'Leider ist gerade niemand erreichbar. Bitte rufen Sie später noch einmal an. Auf Wiederhören.',
    ]);
  });

  it('keeps listening after a closed handoff, saying the hours only as the turn says them', () => {
    const handoff = renderedTurn({
      status: 'handoff',
      messages: [`Das Marktplatz-Büro ist gerade nicht besetzt. Sie erreichen es ${HOURS}.`],
      handoff: { phone: '+4935461999999', hours: HOURS, open: false },
    });
    const response = parseXml(renderVoice(handoff, options));
    expect(response.children.map((element) => element.name)).toEqual(['Gather', 'Redirect']);
    expect(spokenTexts(response)).toEqual([
      'Das Marktplatz-Büro ist gerade nicht besetzt. Sie erreichen es Montag bis Freitag von 8 bis 16 Uhr.',
    ]);
  });

  it('says the 9/0 help once per menu, not after every list, and 0 only while someone can answer', () => {
    const list = { ...menu, menu: false };
    expect(spokenTexts(parseXml(renderVoice(list, options))).some((text) => text.startsWith('Zum Wiederholen'))).toBe(false);
    const night = spokenTexts(parseXml(renderVoice({ ...menu, reachable: false }, options)));
    expect(night).toContain('Zum Wiederholen drücken Sie die 9, zurück geht es mit der Sterntaste.');
    expect(night.join(' ')).not.toMatch(/die 0/);
  });
});

describe('renderReplay and renderFailure', () => {
  it('sends Twilio back for the last prompt, with a notice and pause when asked', () => {
    const plain = parseXml(renderReplay({ baseUrl: BASE, step: 4 }));
    expect(plain.children.map((element) => [element.name, element.text])).toEqual([
      ['Redirect', `${BASE}/twilio/voice/gather?step=4&replay=1`],
    ]);
    const notice = { text: 'Einen Moment bitte.', language: 'de' as const, voice: options.voice };
    const flooded = parseXml(renderReplay({ baseUrl: BASE, step: 4, notice, pauseSeconds: 3 }));
    expect(flooded.children.map((element) => element.name)).toEqual(['Say', 'Pause', 'Redirect']);
    expect(child(flooded, 'Pause').attributes).toEqual({ length: '3' });
  });

  it('apologises and hangs up', () => {
    const response = parseXml(renderFailure('Entschuldigung.', 'de', options.voice));
    expect(response.children.map((element) => element.name)).toEqual(['Say', 'Hangup']);
  });
});

describe('renderUnavailable', () => {
  it('asks to try again and listens for the same step; silence ends the call with the apology', () => {
    const response = parseXml(renderUnavailable({ baseUrl: BASE, step: 4, language: 'de', voice: options.voice, text: channelText }));
    expect(response.children.map((element) => element.name)).toEqual(['Gather', 'Say', 'Hangup']);
    const gather = child(response, 'Gather');
    expect(gather.attributes.action).toBe(`${BASE}/twilio/voice/gather?step=4`);
    expect(spokenTexts(gather)).toEqual(['Da klemmt gerade etwas — bitte gleich nochmal versuchen.']);
    expect(child(response, 'Say').text).toMatch(/technische Störung/);
  });
});
