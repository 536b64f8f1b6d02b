import { describe, expect, it } from 'vitest';
import { child, parseXml, spokenTexts } from '../../../helpers/twiml.ts';

describe('parseXml (the test helper that reads TwiML)', () => {
  it('reads nested elements, attributes in either quote, entities and self-closing tags', () => {
    const root = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Gather action="/a?x=1&amp;y=2" input='speech dtmf'>` +
        `<Say>Müller &amp; S&#246;hne &lt;Hof&gt; &#x1F952;</Say><Pause length="1"/></Gather><Hangup/></Response>`,
    );
    expect(root.name).toBe('Response');
    const gather = child(root, 'Gather');
    expect(gather.attributes).toEqual({ action: '/a?x=1&y=2', input: 'speech dtmf' });
    expect(spokenTexts(root)).toEqual(['Müller & Söhne <Hof> 🥒']);
    expect(child(gather, 'Pause').attributes).toEqual({ length: '1' });
    expect(root.children.map((element) => element.name)).toEqual(['Gather', 'Hangup']);
  });

  it.each([
    ['a mismatched closing tag', '<Response><Say>hi</Gather></Response>'],
    ['an unclosed element', '<Response><Say>hi</Say>'],
    ['two roots', '<Response/><Response/>'],
    ['a stray angle bracket', '<Response><</Response>'],
  ])('refuses %s', (_case, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});
