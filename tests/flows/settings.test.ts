/** Reminders, language, a person, "Meine Daten" and "Daten löschen" with orders kept anonymised. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Identity } from '../../catalog/types.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { placeOrder, register } from '../helpers/customers.ts';

describe('settings', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  const customerOf = (identity: Identity) => h.app.database.repositories.customers.findByIdentity(identity);

  it('in German: reminders on and off, language, a person', async () => {
    const anna = h.person('telegram', '6701');
    await register(anna, 'de');
    await anna.says('Erinnerung an');
    anna.hears(/Gut, ich erinnere Sie hier auf Telegram am Vortag an die Abholung/);
    expect((await customerOf({ kind: 'telegram', value: '6701' }))?.reminderChannel).toBe('telegram');
    await anna.says('keine Erinnerungen mehr');
    anna.hears(/Gut, Sie bekommen keine Erinnerungen mehr/);
    expect((await customerOf({ kind: 'telegram', value: '6701' }))?.reminderChannel).toBeNull();

    await anna.says('English please');
    anna.hears(/From now on I'll speak English with you/);
    anna.offers(/This week's offers/);
    expect((await customerOf({ kind: 'telegram', value: '6701' }))?.language).toBe('en');
    await anna.says('auf Deutsch');
    anna.hears(/Ab jetzt spreche ich Deutsch mit Ihnen/);

    await anna.says('Ich möchte mit einem Mitarbeiter sprechen');
    anna.hears(/Das Marktplatz-Büro hilft gern: \+4935461999999 \(Montag bis Freitag von 8 bis 16 Uhr\)/);
    anna.offers(/Angebot der Woche/);
  });

  it('in English: reminders on and off, language, a person', async () => {
    const emma = h.person('whatsapp', '+4915100000702');
    await register(emma, 'en');
    await emma.says('remind me');
    emma.hears(/I'll remind you here on WhatsApp the day before pick-up/);
    expect((await customerOf({ kind: 'whatsapp', value: '+4915100000702' }))?.reminderChannel).toBe('whatsapp');
    await emma.says('no more reminders');
    emma.hears(/you won't get any more reminders/);

    await emma.says('auf Deutsch');
    emma.hears(/Ab jetzt spreche ich Deutsch mit Ihnen/);
    await emma.says('English please');
    emma.hears(/From now on I'll speak English with you/);

    await emma.says('talk to a person');
    emma.hears(/The marketplace office is happy to help: \+4935461999999/);
  });

  it('on the phone, a customer chooses a call or an SMS as reminder (German and English)', async () => {
    const gerda = h.person('voice', '+4915100000703');
    await gerda.speaks('Hallo');
    await gerda.speaks('ja');
    await gerda.speaks('Gerda Lehmann');
    await gerda.speaks('Straupitz');
    await gerda.presses('1');
    await gerda.speaks('Erinnerung an');
    gerda.hears(/Wie sollen wir Sie erinnern: mit einem Anruf oder per SMS\?/);
    await gerda.speaks('per Anruf bitte');
    gerda.hears(/Gut, wir rufen Sie am Vortag an und erinnern Sie an die Abholung/);
    expect((await customerOf({ kind: 'phone', value: '+4915100000703' }))?.reminderChannel).toBe('call');

    const george = h.person('voice', '+4915100000704');
    await george.speaks('Hello');
    await george.speaks('yes');
    await george.speaks('George Miller');
    await george.speaks('Straupitz');
    await george.presses('1');
    await george.speaks('remind me');
    george.hears(/How should we remind you: with a phone call or by text message\?/);
    await george.speaks('by SMS');
    george.hears(/you'll get a text message about your pick-up the day before/);
    expect((await customerOf({ kind: 'phone', value: '+4915100000704' }))?.reminderChannel).toBe('sms');
  });

  it('in German: "Meine Daten" and "Daten löschen" erase the person and keep the order anonymised', async () => {
    const anna = h.person('telegram', '6705');
    await register(anna, 'de');
    const code = await placeOrder(anna, 'de', '2 Gläser Senfgurken');
    const customer = (await customerOf({ kind: 'telegram', value: '6705' }))!;

    await anna.says('Meine Daten');
    anna.hears(/Das haben wir über Sie gespeichert:\nName: Anna Schulz\nKontakt: telegram: 6705\nAbholstelle: Dorfladen Straupitz\nErinnerungen: aus\nEinverständnis seit: Di\., 1\.12\.\nBestellungen: 1/);
    await anna.says('Daten löschen');
    anna.hears(/Soll ich Ihre persönlichen Daten wirklich löschen\? Aufgegebene Bestellungen bleiben ohne Ihren Namen/);
    await anna.says('nein');
    anna.hears(/Gut, ich habe nichts gelöscht/);
    expect(await customerOf({ kind: 'telegram', value: '6705' })).not.toBeNull();

    await anna.says('Daten löschen');
    await anna.says('ja');
    anna.hears(/Ihre Daten sind gelöscht/);
    expect(await customerOf({ kind: 'telegram', value: '6705' })).toBeNull();
    const erased = await h.app.database.repositories.customers.get(customer.id);
    expect(erased?.name).toBeNull();
    expect(erased?.identities).toEqual([]);
    const order = (await h.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code)!;
    expect(order.status).toBe('placed');
    expect(order.customerId).toBe(customer.id);

    await anna.says('Hallo');
    anna.hears(/Willkommen beim Marktboten/);
  });

  it('in English: "my data" and "delete my data" erase the person and keep the order anonymised', async () => {
    const emma = h.person('telegram', '6706');
    await register(emma, 'en', { name: 'Emma Brown' });
    const code = await placeOrder(emma, 'en', '2 jars of Senfgurken');
    const customer = (await customerOf({ kind: 'telegram', value: '6706' }))!;

    await emma.says('my data');
    emma.hears(/This is what we have stored about you:\nName: Emma Brown\nContact: telegram: 6706\nPick-up point: Dorfladen Straupitz/);
    await emma.says('delete my data');
    emma.hears(/Do you really want me to delete your personal data\?/);
    await emma.says('yes');
    emma.hears(/Your data has been deleted/);
    expect((await h.app.database.repositories.customers.get(customer.id))?.name).toBeNull();
    const order = (await h.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code)!;
    expect(order.status).toBe('placed');
  });
});

describe('linking a Telegram account to a phone number', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('asks for the own number, refuses someone else\'s, and the phone line then knows the caller', async () => {
    const anna = h.person('telegram', '6401');
    await register(anna, 'de');
    await anna.says('Einstellungen');
    await anna.taps(/Telefonnummer verknüpfen/);
    expect(anna.last!.expect).toBe('phone');
    await anna.sharesContact('+4915100000777', false);
    anna.hears(/Ihre eigene Telefonnummer/);
    await anna.sharesContact('+4915100000777', true);
    anna.hears(/\+4915100000777 ist jetzt mit Ihrem Konto verbunden/);

    const call = h.person('voice', '+4915100000777');
    await call.starts();
    call.hears(/Guten Tag, Anna Schulz/);
  });
});
