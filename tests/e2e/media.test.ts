/**
 * Media never meets silence (issue #12): what a person sends that the bot cannot read — a voice note, a
 * picture without words, a sticker, an edit — gets a short word on what to do instead, and the question
 * that was open is asked again and still counts. Words under a photo are the message. Driven over HTTP:
 * Telegram updates into the webhook with replies read from the Bot API double, WhatsApp as signed Twilio forms.
 */
import type { User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startE2e, type E2e } from './app.ts';
import { TelegramUser } from './telegram-user.ts';
import { WhatsAppCustomer } from './whatsapp-customer.ts';

const ANNA: User = { id: 5061, is_bot: false, first_name: 'Anna', language_code: 'de' };
const EMMA: User = { id: 5062, is_bot: false, first_name: 'Emma', language_code: 'en' };
/** The marketplace office, as the demo configuration has it. */
const OFFICE = /\+49\d{6,}/;

let e2e: E2e;
beforeEach(async () => { e2e = await startE2e(); });
afterEach(async () => { await e2e.dispose(); });

/** Consent, name, pickup point by location: the sign-up every chat begins with. */
async function signUp(person: TelegramUser, english = false) {
  await person.says(english ? 'Hello' : '/start');
  await person.presses(english ? /I agree/ : /Ja, einverstanden/);
  await person.says(person.user.first_name);
  await person.sharesLocation(51.91, 14.12);
  await person.presses(/Dorfladen Straupitz/);
  person.hearsNow(english ? /Dorfladen Straupitz/ : /Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
}

const photo = [{ file_id: 'ph', file_unique_id: 'ph', width: 800, height: 600 }];

describe('Telegram: media never meets silence', () => {
  it('answers every kind it cannot read and asks the open read-back again, which a yes then places unchanged', async () => {
    const anna = new TelegramUser(e2e, ANNA);
    await signUp(anna);
    await anna.says('2 Gläser Waldhonig');
    await anna.presses(/^Bestellen$/);
    anna.hearsNow(/Soll ich so bestellen\?/);

    const unreadable: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ voice: { file_id: 'v', file_unique_id: 'v', duration: 4 } }, 'voice note', /Sprachnachrichten kann ich leider nicht anhören/],
      [{ audio: { file_id: 'a', file_unique_id: 'a', duration: 40 } }, 'audio file', /Audiodateien kann ich leider nicht anhören/],
      [{ sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }, 'sticker', /Sticker verstehe ich leider nicht/],
      [{ photo }, 'photo without caption', /Bilder kann ich leider nicht ansehen/],
      [{ video: { file_id: 'vi', file_unique_id: 'vi', width: 640, height: 480, duration: 5 } }, 'video without caption', /Videos kann ich leider nicht ansehen/],
      [{ video_note: { file_id: 'n', file_unique_id: 'n', length: 240, duration: 5 } }, 'video note', /Videos kann ich leider nicht ansehen/],
      [{ animation: { file_id: 'g', file_unique_id: 'g', width: 200, height: 200, duration: 2 }, document: { file_id: 'g', file_unique_id: 'g' } }, 'GIF', /Videos kann ich leider nicht ansehen/],
      [{ document: { file_id: 'd', file_unique_id: 'd', file_name: 'einkauf.pdf' } }, 'PDF', /Dateien kann ich leider nicht öffnen/],
      [{ poll: { id: 'p', question: 'Gurken oder Honig?', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } }, 'poll', /An Umfragen kann ich leider nicht teilnehmen/],
      [{ dice: { emoji: '🎲', value: 6 } }, 'dice', /Würfeln kann ich leider nicht/],
    ];
    for (const [content, label, answer] of unreadable) {
      await anna.sends(content, label);
      anna.hearsNow(answer);
      // The open question comes again, with its buttons.
      anna.hearsNow(/Soll ich so bestellen\?$/);
      expect(anna.buttons().map((button) => button.text), anna.transcript.join('\n')).toContain('Ja, bestellen');
    }
    // The voice note says how to reach a person instead.
    expect(anna.transcript.join('\n')).toMatch(new RegExp(`Sprachnachrichten[^\\n]*rufen Sie uns an: ${OFFICE.source}`));

    await anna.edits('3 Gläser Waldhonig');
    anna.hearsNow(/Geänderte Nachrichten kann ich nicht mehr berücksichtigen – schicken Sie die Korrektur bitte als neue Nachricht\./);
    anna.hearsNow(/Soll ich so bestellen\?$/);

    // A location nobody asked for now: the read-back stays, no list of pickup points takes its place.
    await anna.sharesLocation(51.86, 13.97);
    anna.hearsNow(/Ihren Standort brauche ich gerade nicht/);
    anna.hearsNow(/Soll ich so bestellen\?$/);
    expect(anna.last.join('\n')).not.toMatch(/Am nächsten bei/);

    await anna.presses(/Ja, bestellen/);
    anna.hearsNow(/Ihre Bestellung ist aufgegeben/);
    const orders = await e2e.ordersOf({ kind: 'telegram', value: String(ANNA.id) });
    expect(orders).toHaveLength(1);
    // The edit changed nothing: two jars, as read back.
    expect(orders[0].items).toMatchObject([{ productName: 'Waldhonig', quantity: 2 }]);
  });

  it('takes the words under a photo, a video or a file as the message', async () => {
    const anna = new TelegramUser(e2e, ANNA);
    await signUp(anna);
    await anna.sends({ photo, caption: '2 Gläser Waldhonig' }, 'photo: 2 Gläser Waldhonig');
    anna.hearsNow(/2 Gläser Waldhonig in den Korb gelegt/);
    await anna.sends({ document: { file_id: 'd', file_unique_id: 'd', file_name: 'zettel.jpg' }, caption: '1 kg Möhren' }, 'file: 1 kg Möhren');
    anna.hearsNow(/1 kg Möhren in den Korb gelegt/);
    await anna.sends({ video: { file_id: 'vi', file_unique_id: 'vi', width: 640, height: 480, duration: 5 }, caption: 'was macht das zusammen?' }, 'video: was macht das zusammen?');
    anna.hearsNow(/Zusammen: 19,70\s€/);
  });

  it('speaks the conversation\'s language: a voice note in English, with the office to call', async () => {
    const emma = new TelegramUser(e2e, EMMA);
    await signUp(emma, true);
    await emma.says('2 jars of Waldhonig');
    emma.hearsNow(/How many|basket/i);
    await emma.sends({ voice: { file_id: 'v', file_unique_id: 'v', duration: 4 } }, 'voice note');
    emma.hearsNow(new RegExp(`Sorry, I can't listen to voice messages\\. Please write what you would like – or call us: ${OFFICE.source}`));
    emma.doesNotHear(/Sprachnachrichten/);
  });
});

describe('WhatsApp: media never meets silence', () => {
  /** Hallo, consent, the profile name, Dorfladen Straupitz. */
  async function signUp(customer: WhatsAppCustomer) {
    await customer.writes('Hallo');
    await customer.picks(/Ja, einverstanden/);
    await customer.picks(new RegExp(`Als ${customer.profileName}`));
    await customer.picks(/^Dorfladen Straupitz/);
    customer.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
  }

  it('a voice note or a picture without words gets a reply and the open question again; a caption is the message; a location only where asked', async () => {
    const bernd = new WhatsAppCustomer(e2e, '+4915100000061', 'Bernd');
    await signUp(bernd);
    await bernd.sendsMedia('image/jpeg', '2 Gläser Waldhonig');
    bernd.hears(/2 Gläser Waldhonig in den Korb gelegt/);
    await bernd.picks(/^Bestellen$/);
    bernd.hears(/Soll ich so bestellen\?/);

    await bernd.sendsMedia('audio/ogg; codecs=opus');
    bernd.hears(new RegExp(`Sprachnachrichten kann ich leider nicht anhören\\. Schreiben Sie mir bitte, was Sie möchten – oder rufen Sie uns an: ${OFFICE.source}`));
    bernd.hears(/Soll ich so bestellen\?[\s\S]*\d\) Ja, bestellen/);
    await bernd.sendsMedia('image/jpeg');
    bernd.hears(/Bilder kann ich leider nicht ansehen[\s\S]*Soll ich so bestellen\?/);
    await bernd.sendsMedia('image/webp');
    bernd.hears(/Sticker verstehe ich leider nicht[\s\S]*Soll ich so bestellen\?/);
    await bernd.sendsMedia('video/mp4');
    bernd.hears(/Videos kann ich leider nicht ansehen[\s\S]*Soll ich so bestellen\?/);
    await bernd.sendsMedia('application/pdf');
    bernd.hears(/Dateien kann ich leider nicht öffnen[\s\S]*Soll ich so bestellen\?/);
    await bernd.sharesLocation(51.86, 13.97);
    bernd.hears(/Ihren Standort brauche ich gerade nicht[\s\S]*Soll ich so bestellen\?/);

    await bernd.picks(/Ja, bestellen/);
    bernd.hears(/Ihre Bestellung ist aufgegeben/);
    const orders = await e2e.ordersOf({ kind: 'whatsapp', value: bernd.e164 });
    expect(orders).toHaveLength(1);
    expect(orders[0].items).toMatchObject([{ productName: 'Waldhonig', quantity: 2 }]);

    // With nothing asked, a location still finds the nearest pickup points.
    await bernd.sharesLocation(51.86, 13.97);
    bernd.hears(/Am nächsten bei Ihnen/);
  });
});
