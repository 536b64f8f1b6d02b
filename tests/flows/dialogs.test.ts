/**
 * The dialog registry from the person's side: a dialog added in one file is reachable by its own words,
 * by button, by WhatsApp number and by keypad; buttons that are unknown, forged or stale get one clear answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry, declareDialog, MAX_CHOICE_BYTES, int } from '../../flows/dialog.ts';
import { DIALOGS } from '../../flows/dialogs.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { register } from '../helpers/customers.ts';
import { weather } from './fixtures/weather-dialog.ts';

describe('a dialog added in one file', () => {
  let h: Harness;
  afterEach(async () => { await h.dispose(); });

  it('is reached by its own words and answered by button on Telegram', async () => {
    h = await startHarness(undefined, {}, { dialogs: [...DIALOGS, weather] });
    const anna = h.person('telegram', '9101');
    await anna.says('Wie wird das Wetter?');
    anna.hears(/Wettervorhersage: für wann\?/);
    anna.offers(/Heute \| Morgen/);
    await anna.taps(/Morgen/);
    anna.hears(/Für welchen Ort, morgen\?/);
    await anna.says('Lübbenau');
    anna.hears(/Vorhersage für Lübbenau morgen: sonnig\./);
  });

  it('takes a WhatsApp number for the choice it offered', async () => {
    h = await startHarness(undefined, {}, { dialogs: [...DIALOGS, weather] });
    const bernd = h.person('whatsapp', '+4915111110001');
    await bernd.says('wetter');
    await bernd.says('1');
    bernd.hears(/Für welchen Ort, heute\?/);
    await bernd.says('Burg');
    bernd.hears(/Vorhersage für Burg heute: sonnig\./);
  });

  it('takes a keypad digit for the choice it offered on the phone', async () => {
    h = await startHarness(undefined, {}, { dialogs: [...DIALOGS, weather] });
    const clara = h.person('voice', '+4935461110002');
    await clara.starts();
    await clara.speaks('wetter');
    clara.hears(/Wettervorhersage: für wann\?/);
    await clara.presses('2');
    clara.hears(/Für welchen Ort, morgen\?/);
  });

  it('is not there without being registered: the same words are not understood', async () => {
    h = await startHarness();
    const anna = h.person('telegram', '9102');
    await register(anna, 'de');
    await anna.says('Wie wird das Wetter?');
    anna.doesNotHear(/Wettervorhersage/);
  });
});

describe('buttons', () => {
  let h: Harness;
  afterEach(async () => { await h.dispose(); });

  for (const [what, data] of [
    ['an unknown tag', 'explode:1'],
    ['a known tag with a forged payload', 'add:abc:2'],
    ['a known tag with too many fields', 'add:1:2:3'],
    ['a category that does not exist', 'cat:weapons'],
    ['data longer than Telegram allows', `offer:${'1'.repeat(70)}`],
  ] as const) {
    it(`${what} gets one clear "no longer valid" and the menu, and changes nothing`, async () => {
      h = await startHarness();
      const anna = h.person('telegram', '9201');
      await register(anna, 'de');
      await anna.says('2 Gläser Senfgurken');
      const before = await h.app.database.repositories.conversations.load('telegram:9201');
      const cart = (before?.state as { cart: unknown }).cart;
      await anna.pressesRaw(data);
      anna.hears(/nicht mehr aktuell/);
      const after = await h.app.database.repositories.conversations.load('telegram:9201');
      expect((after?.state as { cart: unknown }).cart).toEqual(cart);
    });
  }

  it('a stale button while a question is open gets "no longer valid" and that question again, not the menu', async () => {
    h = await startHarness();
    const anna = h.person('telegram', '9203');
    await register(anna, 'de');
    await anna.says('Senfgurken');
    anna.hears(/Wie viele möchten Sie\?/);
    await anna.pressesRaw('explode:1');
    anna.hears(/^Diese Auswahl ist nicht mehr aktuell\.\n[\s\S]*Wie viele möchten Sie\?/);
    await anna.says('2');
    anna.hears(/2 Gläser Senfgurken in den Korb gelegt/);
  });

  it('a producer button pressed by a customer is stale, not obeyed', async () => {
    h = await startHarness();
    const anna = h.person('telegram', '9202');
    await register(anna, 'de');
    await anna.pressesRaw('picklist');
    anna.hears(/nicht mehr aktuell/);
    anna.doesNotHear(/Packliste|Bestellt wurde/);
  });
});

describe('the registry', () => {
  it('refuses two choices under one tag, so a button can only ever mean one thing', () => {
    const a = declareDialog('a', { choices: { go: { id: int } } }).define({ choices: { go: { handle: () => undefined } }, questions: {} });
    const b = declareDialog('b', { choices: { go: { id: int } } }).define({ choices: { go: { handle: () => undefined } }, questions: {} });
    expect(() => createRegistry([a, b])).toThrow(/two things are called "go"/);
  });

  it('refuses a choice named like a dialog, whose button begins it', () => {
    expect(() => createRegistry([...DIALOGS, declareDialog('x', { choices: { cart: {} } }).define({ choices: { cart: { handle: () => undefined } }, questions: {} })]))
      .toThrow(/two things are called "cart"/);
  });

  it('keeps every choice of the service within Telegram\'s 64 bytes', () => {
    const kind = declareDialog('long', { choices: { pick: { id: int, other: int, third: int, fourth: int } } }).choice.pick;
    expect(() => kind.make({ id: 1e14, other: 1e14, third: 1e14, fourth: 1e14 }, { key: 'x' })).toThrow(new RegExp(`${MAX_CHOICE_BYTES} bytes`));
    expect(kind.make({ id: 12, other: 3, third: 4, fourth: 5 }, { key: 'x' }).id).toBe('pick:12:3:4:5');
  });
});
