/** First contact: a short welcome, the privacy note with consent, a name and a usual pickup point; help. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';

describe('first contact', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function customerOf(telegramId: string) {
    return h.app.database.repositories.customers.findByIdentity({ kind: 'telegram', value: telegramId });
  }

  it('welcomes in German, asks consent, a name and a pickup point', async () => {
    const anna = h.person('telegram', '6001');
    await anna.says('Hallo');
    anna.hears(/^Willkommen beim Marktboten/);
    anna.hears(/speichern wir Ihren Namen, Ihre Nummer und Ihre Bestellungen/);
    anna.hears(/Sind Sie einverstanden\?/);
    anna.offers(/Ja, einverstanden \| Nein/);
    expect(anna.last!.messages.join(' ').length).toBeLessThan(400);
    await anna.says('ja');
    anna.hears(/Unter welchem Namen/);
    await anna.says('Anna Schulz');
    anna.hears(/Schön, Sie kennenzulernen, Anna Schulz/);
    anna.hears(/Wo möchten Sie abholen\?/);
    await anna.taps(/Dorfladen Straupitz/);
    anna.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
    anna.offers(/Angebot der Woche/);
    const customer = await customerOf('6001');
    expect(customer?.name).toBe('Anna Schulz');
    expect(customer?.consentAt).not.toBeNull();
    expect(customer?.language).toBe('de');
  });

  it('welcomes in English when the first message is English', async () => {
    const emma = h.person('telegram', '6002');
    await emma.says('Hello');
    emma.hears(/^Welcome to the Marktbote/);
    emma.hears(/we store your name, your number and your orders/);
    emma.hears(/Do you agree\?/);
    await emma.says('yes');
    emma.hears(/What name should we put your order under\?/);
    await emma.says('Emma Brown');
    emma.hears(/Nice to meet you, Emma Brown/);
    emma.hears(/Where would you like to collect your order\?/);
    await emma.taps(/Spreewaldladen Lübben/);
    emma.hears(/Your pick-up point is now Spreewaldladen Lübben/);
    const customer = await customerOf('6002');
    expect(customer?.language).toBe('en');
    expect(customer?.name).toBe('Emma Brown');
  });

  it('lets someone who declines browse, and asks again at checkout (German)', async () => {
    const kurt = h.person('telegram', '6003');
    await kurt.says('Hallo');
    await kurt.says('nein');
    kurt.hears(/Ohne Ihr Einverständnis kann ich keine Bestellung annehmen/);
    kurt.hears(/das Angebot können Sie sich gern ansehen/);
    expect(await customerOf('6003')).toBeNull();
    await kurt.says('Was gibt es diese Woche?');
    kurt.hears(/Diese Woche gibt es \d+ Angebote/);
    await kurt.says('2 Gläser Senfgurken');
    kurt.hears(/2 Gläser Senfgurken in den Korb gelegt/);
    await kurt.says('bestellen');
    kurt.hears(/Bevor ich bestellen kann, brauche ich Ihr Einverständnis/);
    kurt.hears(/Sind Sie einverstanden\?/);
    await kurt.says('ja');
    kurt.hears(/Unter welchem Namen/);
    await kurt.says('Kurt Weber');
    kurt.hears(/Wo möchten Sie abholen\?/);
    await kurt.taps(/Dorfladen Straupitz/);
    kurt.hears(/Ihre Bestellung:\n• 2 Gläser Senfgurken/);
    await kurt.says('ja');
    kurt.hears(/Ihre Bestellung ist aufgegeben/);
  });

  it('lets someone who declines browse, and asks again at checkout (English)', async () => {
    const jack = h.person('telegram', '6004');
    await jack.says('Hello');
    await jack.says('no');
    jack.hears(/Without your consent I can't take an order/);
    jack.hears(/welcome to look at what's on offer/);
    await jack.says('Do you have eggs?');
    jack.hears(/Eier 10 Stück: €3\.90 for 1 pack/);
    await jack.says('2 jars of Senfgurken');
    await jack.says('checkout');
    jack.hears(/Before I can place an order, I need your consent/);
    await jack.says('yes');
    jack.hears(/What name should we put your order under\?/);
    expect(await customerOf('6004')).not.toBeNull();
  });

  it('"Hilfe" says what one can say and keeps the open question (German)', async () => {
    const anna = h.person('telegram', '6005');
    await anna.says('Hallo');
    await anna.says('ja');
    await anna.says('Hilfe');
    anna.hears(/Sie können zum Beispiel schreiben: „Was gibt es diese Woche\?“/);
    anna.hears(/„wie letzte Woche“/);
    anna.hears(/Unter welchem Namen/);
    await anna.says('Anna Schulz');
    anna.hears(/Schön, Sie kennenzulernen, Anna Schulz/);
  });

  it('"help" says what one can say and keeps the open question (English)', async () => {
    const emma = h.person('telegram', '6006');
    await emma.says('Hello');
    await emma.says('help');
    emma.hears(/You can write, for example: “What's on offer this week\?”/);
    emma.hears(/Do you agree\?/);
    emma.offers(/Yes, I agree/);
    await emma.says('yes');
    emma.hears(/What name should we put your order under\?/);
  });
});
