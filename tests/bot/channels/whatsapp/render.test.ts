import { describe, expect, it } from 'vitest';
import { renderWhatsApp, splitMessage, whatsappMessages, WHATSAPP_MESSAGE_LIMIT } from '../../../../bot/channels/whatsapp/render.ts';
import { childrenNamed, parseXml } from '../../../helpers/twiml.ts';
import { channelText, renderedTurn } from '../../../helpers/twilio.ts';

const offers = [
  { id: 'offer:1', label: 'Senfgurken vom Hof Lehmann, 3,50 €' },
  { id: 'offer:2', label: 'Leinöl aus Burg, 6,90 €' },
  { id: 'offer:3', label: 'Spreewälder Meerrettich, 2,80 €' },
];

describe('whatsappMessages', () => {
  it('sends a turn as one message with the numbered choices at its end and how to answer', () => {
    const messages = whatsappMessages(
      renderedTurn({ messages: ['Guten Tag!', 'Das gibt es diese Woche:'], choices: offers }),
      channelText,
    );
    expect(messages).toEqual([
      'Guten Tag!\n\nDas gibt es diese Woche:\n\n' +
        '1) Senfgurken vom Hof Lehmann, 3,50 €\n2) Leinöl aus Burg, 6,90 €\n3) Spreewälder Meerrettich, 2,80 €\n' +
        'Antworten Sie mit 1, 2 oder 3.',
    ]);
  });

  it('speaks English when the turn does, and renders choices without a message', () => {
    expect(whatsappMessages(renderedTurn({ language: 'en', choices: offers.slice(0, 2) }), channelText)).toEqual([
      '1) Senfgurken vom Hof Lehmann, 3,50 €\n2) Leinöl aus Burg, 6,90 €\nReply with 1 or 2.',
    ]);
  });

  it('passes *bold* through, because WhatsApp renders it', () => {
    expect(whatsappMessages(renderedTurn({ messages: ['Ihre Bestellung *Nr. 17* ist da.'] }), channelText)).toEqual([
      'Ihre Bestellung *Nr. 17* ist da.',
    ]);
  });
});

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('Hallo')).toEqual(['Hallo']);
  });

  it('splits long text at line breaks, every part within the limit, nothing lost', () => {
    const line = 'Gurken aus dem Spreewald, frisch vom Feld. '.repeat(5).trim();
    const text = Array.from({ length: 60 }, () => line).join('\n');
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(WHATSAPP_MESSAGE_LIMIT);
    expect(parts.join('\n')).toBe(text);
  });

  it('cuts a text without spaces hard and never inside an emoji', () => {
    const parts = splitMessage(`${'x'.repeat(9)}🥒🥒`, 10);
    expect(parts).toEqual(['x'.repeat(9), '🥒🥒']);
  });
});

describe('renderWhatsApp', () => {
  it('renders the turn as one <Message>, escaped by the builder', () => {
    const xml = renderWhatsApp(renderedTurn({ messages: ['Müller & Söhne <Hof>', 'Danke!'] }), channelText);
    const response = parseXml(xml);
    expect(response.name).toBe('Response');
    expect(childrenNamed(response, 'Message').map((message) => message.text)).toEqual(['Müller & Söhne <Hof>\n\nDanke!']);
  });

  it('splits only where a turn exceeds the 1,600-character limit', () => {
    const long = 'Gurke '.repeat(200).trim();
    const messages = whatsappMessages(renderedTurn({ messages: [long, long] }), channelText);
    expect(messages.length).toBe(2);
    expect(messages.every((message) => message.length <= 1600)).toBe(true);
  });

  it('renders an empty <Response/> when there is nothing to say', () => {
    expect(parseXml(renderWhatsApp(renderedTurn(), channelText)).children).toEqual([]);
  });
});
