import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { element, response } from '../../../../bot/channels/twilio/twiml.ts';
import { child, parseXml, spokenTexts } from '../../../helpers/twiml.ts';

// What people and producers type ends up in <Say>: every character XML treats specially, and some it does not.
const AWKWARD = [
  'Eier & Speck',
  'Milch "frisch" <neu>',
  "Hof's Beste > alles",
  'Zeile eins\nZeile zwei\r\n\tEingerückt',
  'Größe ß, Äpfel, 😀 Bio',
  '&amp; schon maskiert',
  ']]> Ende',
  '',
];

describe('TwiML writer', () => {
  it('writes the same bytes as Twilio’s builder for text, attributes, lists, numbers, booleans and nesting', () => {
    for (const text of AWKWARD) {
      const ours = response(
        element(
          'Gather',
          { input: ['speech', 'dtmf'], action: `https://x.example/g?step=1&silence=1&t=${text}`, numDigits: 1, actionOnEmptyResult: true, hints: text },
          element('Say', { voice: 'Polly.Vicki-Neural', language: 'de-DE' }, text),
          element('Say', { voice: 'Polly.Vicki-Neural', language: 'de-DE' }, element('prosody', { rate: 'slow' }, text)),
          element('Pause', { length: 1 }),
        ),
        element('Redirect', { method: 'POST' }, `https://x.example/g?a=1&b=${text}`),
        element('Hangup', null),
      );
      const theirs = new twilio.twiml.VoiceResponse();
      const gather = theirs.gather({
        input: ['speech', 'dtmf'], action: `https://x.example/g?step=1&silence=1&t=${text}`, numDigits: 1, actionOnEmptyResult: true, hints: text,
      });
      gather.say({ voice: 'Polly.Vicki-Neural', language: 'de-DE' }, text);
      gather.say({ voice: 'Polly.Vicki-Neural', language: 'de-DE' }, '').prosody({ rate: 'slow' }, text);
      gather.pause({ length: 1 });
      theirs.redirect({ method: 'POST' }, `https://x.example/g?a=1&b=${text}`);
      theirs.hangup();
      expect(ours, JSON.stringify(text)).toBe(theirs.toString());
    }
  });

  it('writes WhatsApp replies as Twilio’s MessagingResponse does, and an empty response for no reply', () => {
    const theirs = new twilio.twiml.MessagingResponse();
    for (const text of AWKWARD.filter(Boolean)) theirs.message(text);
    expect(response(...AWKWARD.filter(Boolean).map((text) => element('Message', null, text)))).toBe(theirs.toString());
    expect(response()).toBe(new twilio.twiml.MessagingResponse().toString());
  });

  it('leaves out attributes without a value', () => {
    expect(response(element('Gather', { hints: undefined, timeout: 8 }))).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Gather timeout="8"/></Response>',
    );
  });

  it('never lets text open a tag', () => {
    const said = spokenTexts(parseXml(response(element('Say', null, '</Say><Hangup/><Say>'))));
    expect(said).toEqual(['</Say><Hangup/><Say>']);
  });

  it('drops characters XML cannot carry instead of failing the call', () => {
    // Twilio's builder throws on these; a bell character pasted into a product name must not end a call.
    const text = 'Honig\u0007 vom\u0000 Hof \uD800';
    expect(() => new twilio.twiml.VoiceResponse().say(text).toString()).toThrow();
    const document = parseXml(response(element('Say', { language: 'de-DE' }, text)));
    expect(child(document, 'Say').text).toBe('Honig vom Hof ');
  });
});
