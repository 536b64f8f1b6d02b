/**
 * What works at every point: "abbrechen", "zurück", "Hilfe", "wiederholen"; a helpful re-ask for
 * what was not understood, the choices and then a person after repeated misses; odd input.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';
import { register } from '../helpers/customers.ts';

/** Every answer leaves a way on: choices to tap, or an open question to answer. */
function leavesAWayOn(p: Person): void {
  expect(p.last!.messages.length, p.transcript.join('\n')).toBeGreaterThan(0);
  expect(p.last!.choices.length > 0 || p.last!.expect !== 'none', p.transcript.join('\n')).toBe(true);
}

describe('commands that work everywhere, and odd input', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('in German: "wiederholen", "Hilfe", "abbrechen" and "zurück" at several points', async () => {
    const anna = h.person('telegram', '6801');
    await anna.says('Hallo');
    const welcome = anna.text;
    await anna.says('wiederholen');
    expect(anna.text).toBe(welcome);
    await anna.says('ja');
    await anna.says('Anna Schulz');
    anna.hears(/Wo möchten Sie abholen\?/);
    await anna.says('zurück');
    anna.hears(/Zurück zum Anfang/);
    anna.offers(/Angebot der Woche/);
    leavesAWayOn(anna);

    await anna.says('Senfgurken');
    anna.hears(/Wie viele möchten Sie\?/);
    await anna.says('abbrechen');
    anna.hears(/Gut, abgebrochen/);
    leavesAWayOn(anna);
    await anna.says('Warenkorb');
    anna.hears(/Ihr Korb ist leer/);

    await anna.says('2 Gläser Senfgurken');
    await anna.says('bestellen');
    anna.hears(/Wo möchten Sie abholen\?/);
    await anna.says('Dorfladen Straupitz');
    anna.hears(/Soll ich so bestellen\?/);
    await anna.says('Hilfe');
    anna.hears(/Sie können zum Beispiel schreiben/);
    anna.hears(/Soll ich so bestellen\?/);
    await anna.says('wiederholen');
    anna.hears(/Soll ich so bestellen\?/);
    await anna.says('ja');
    anna.hears(/Ihre Bestellung ist aufgegeben/);
  });

  it('in English: "repeat", "help", "cancel" and "back" at several points', async () => {
    const emma = h.person('telegram', '6802');
    await emma.says('Hello');
    const welcome = emma.text;
    await emma.says('repeat');
    expect(emma.text).toBe(welcome);
    await emma.says('yes');
    await emma.says('Emma Brown');
    await emma.says('back');
    emma.hears(/Back to the start/);
    leavesAWayOn(emma);

    await emma.says('Senfgurken');
    emma.hears(/How many would you like\?/);
    await emma.says('cancel');
    emma.hears(/All right, I've cancelled that/);
    leavesAWayOn(emma);

    await emma.says('2 jars of Senfgurken');
    await emma.says('checkout');
    await emma.says('Dorfladen Straupitz');
    emma.hears(/Shall I place the order like this\?/);
    await emma.says('help');
    emma.hears(/You can write, for example/);
    emma.hears(/Shall I place the order like this\?/);
    await emma.says('yes');
    emma.hears(/your order has been placed/);
  });

  it('in German: re-asks what was not understood, then offers the choices, then a person', async () => {
    const anna = h.person('telegram', '6803');
    await register(anna, 'de');
    await anna.says('Gurken');
    const choices = anna.last!.choices.map((c) => c.id);
    await anna.says('Wetter morgen');
    anna.hears(/Das habe ich leider nicht verstanden\.\nWas darf es sein\?/);
    expect(anna.last!.choices.map((c) => c.id)).toEqual(choices);
    await anna.says('Wetter übermorgen');
    anna.hears(/nicht verstanden/);
    expect(anna.last!.choices.map((c) => c.id)).toEqual(choices);
    await anna.says('Wetter nächste Woche');
    anna.hears(/Ich verstehe Sie leider immer noch nicht/);
    anna.hears(/Möchten Sie mit einem Menschen sprechen\? Das Marktplatz-Büro erreichen Sie unter \+4935461999999/);
    await anna.taps(/Ja, bitte verbinden/);
    anna.hears(/\+4935461999999/);
    leavesAWayOn(anna);
    await anna.says('2 Gläser Senfgurken');
    anna.hears(/2 Gläser Senfgurken in den Korb gelegt/);
  });

  it('in English: re-asks what was not understood, then offers the choices, then a person', async () => {
    const emma = h.person('telegram', '6804');
    await register(emma, 'en');
    await emma.says('gherkins');
    await emma.says('weather tomorrow');
    emma.hears(/Sorry, I didn't understand that\.\nWhat would you like\?/);
    emma.offers(/Senfgurken/);
    await emma.says('weather on Sunday');
    await emma.says('weather next week');
    emma.hears(/I'm sorry, I still can't understand you/);
    emma.hears(/Would you like to talk to a person\?/);
    emma.offers(/Yes, please put me through \| Back to the main menu/);
    await emma.taps(/Back to the main menu/);
    emma.offers(/This week's offers/);
  });

  it('answers a 3,000-character message and control characters kindly (German)', async () => {
    const anna = h.person('telegram', '6805');
    await anna.says('Hallo');
    await anna.says('Bitte '.repeat(500));
    anna.hears(/Das habe ich leider nicht verstanden/);
    anna.hears(/Sind Sie einverstanden\?/);
    await anna.says('\u0000\u0007\u001b');
    anna.hears(/Ihre Nachricht war leer\. Schreiben Sie mir einfach, was Sie möchten\./);
    anna.hears(/Sind Sie einverstanden\?/);
    await anna.says('j\u0000a');
    anna.hears(/Unter welchem Namen/);
  });

  it('answers a 3,000-character message and control characters kindly (English)', async () => {
    const emma = h.person('telegram', '6806');
    await emma.says('Hello');
    await emma.says('x'.repeat(3000));
    emma.hears(/Sorry, I didn't understand that/);
    emma.hears(/Do you agree\?/);
    await emma.says('yes');
    emma.hears(/What name should we put your order under\?/);
    await emma.says('Emma Brown');
    await emma.says('Dorfladen Straupitz');
    await emma.says('\u0001\u0002');
    emma.hears(/Your message was empty/);
    await emma.says('2 jars\u0007 of Senfgurken\u001b');
    emma.hears(/I've put 2 jars of Senfgurken in your basket/);
  });
});
