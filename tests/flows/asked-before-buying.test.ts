/**
 * The questions people ask before they buy (issue #12), from the person's side: organic, allergens, delivery,
 * the van's stops, opening hours, who we are. Each gets a short answer from the week's data, and the question
 * that was open is asked again and still counts: the order placed afterwards is the one that was being made.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';
import { register } from '../helpers/customers.ts';

/** The marketplace office's number as the demo configuration has it. */
const OFFICE = '\\+49\\d{6,}';

describe('questions asked before buying', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  /** Registered at Dorfladen Straupitz, two jars of Waldhonig read back: "Soll ich so bestellen?" is open. */
  async function readBack(id: string): Promise<Person> {
    const anna = h.person('telegram', id);
    await register(anna, 'de');
    await anna.says('2 Gläser Waldhonig');
    await anna.says('bestellen');
    anna.hears(/Soll ich so bestellen\?/);
    return anna;
  }

  /** The open read-back is asked again with its buttons, and a yes places exactly what was read back. */
  async function stillPlacesTheOrder(anna: Person): Promise<void> {
    anna.hears(/Soll ich so bestellen\?$/);
    anna.offers(/Ja, bestellen/);
    await anna.says('ja');
    anna.hears(/Ihre Bestellung ist aufgegeben/);
    const orders = await h.app.database.repositories.orders.listByCycle(1);
    expect(orders).toHaveLength(1);
    expect(orders[0].items).toMatchObject([{ productName: 'Waldhonig', quantity: 2 }]);
  }

  it('"habt ihr Bio-Sachen?" names what the producers marked organic, "ist der Honig bio?" says plainly it is not', async () => {
    const anna = await readBack('8501');
    await anna.says('habt ihr Bio-Sachen?');
    anna.hears(/Als Bio ausgewiesen sind diese Woche: .*Äpfel Elstar, .*Leinöl 250 ml, .*Möhren und Rote Bete\./);
    anna.doesNotHear(/Als Bio[^\n]*(Waldhonig|Senfgurken)/);
    anna.hears(/Soll ich so bestellen\?$/);
    await anna.says('ist der Honig bio?');
    anna.hears(/Nicht als Bio ausgewiesen: .*Waldhonig/);
    anna.doesNotHear(/Als Bio ausgewiesen/);
    await stillPlacesTheOrder(anna);
  });

  it('"Allergene im Brot?" says what the producer stated, and "hat der Erzeuger nicht angegeben" where they stated nothing', async () => {
    const anna = await readBack('8502');
    await anna.says('Allergene im Brot?');
    anna.hears(/Bauernbrot: Allergene laut Erzeuger: Roggen, Weizen \(Gluten\)\. Zutaten: Roggenmehl, Weizenmehl, Wasser, Sauerteig, Salz\./);
    anna.hears(/Leinsamenbrot: Allergene hat der Erzeuger nicht angegeben\./);
    anna.hears(new RegExp(`fragt das Marktplatz-Büro gern beim Erzeuger nach: ${OFFICE}`));
    anna.hears(/Soll ich so bestellen\?$/);
    await anna.says('ist im Waldhonig was drin?');
    anna.hears(/Waldhonig: Allergene hat der Erzeuger nicht angegeben\./);
    anna.doesNotHear(/Bauernbrot/);
    await stillPlacesTheOrder(anna);
  });

  it('asked which honey, "ist im Honig was drin?" answers for each honey and asks which one again', async () => {
    const anna = h.person('telegram', '8503');
    await register(anna, 'de');
    await anna.says('2 Gläser Honig');
    anna.hears(/Welche meinen Sie mit „honig“\?/);
    const asked = anna.text.split('\n').at(-1)!;
    await anna.says('ist im Honig was drin?');
    anna.hears(/Blütenhonig: Allergene hat der Erzeuger nicht angegeben\.[\s\S]*Waldhonig: Allergene hat der Erzeuger nicht angegeben\./);
    expect(anna.text.endsWith(asked), anna.transcript.join('\n')).toBe(true);
    await anna.taps(/Waldhonig/);
    anna.hears(/2 Gläser Waldhonig in den Korb gelegt/);
  });

  it('"liefert ihr auch?" says we do not deliver and names their pickup point with address and hours', async () => {
    const anna = await readBack('8504');
    await anna.says('liefert ihr auch?');
    anna.hears(/Nach Hause liefern wir leider nicht – Sie holen Ihre Bestellung an einer Abholstelle ab\./);
    anna.hears(/Ihre Abholstelle: Dorfladen Straupitz, Kirchstraße 4, Straupitz – Freitag von 8 bis 18 Uhr und Samstag von 8 bis 12 Uhr\./);
    await stillPlacesTheOrder(anna);
  });

  it('a newcomer asking "bringt ihr das auch nach Burg?" hears the nearest point there, and the open question again each time', async () => {
    const neu = h.person('telegram', '8505');
    await neu.says('Hallo');
    neu.hears(/Sind Sie einverstanden\?/);
    await neu.says('bringt ihr das auch nach Burg?');
    neu.hears(/Nach Hause liefern wir leider nicht/);
    neu.hears(/Am nächsten bei Burg \(Spreewald\): Hofladen Krautz, Byhleguhrer Straße 21, Burg \(Spreewald\) – Freitag von 13 bis 18 Uhr/);
    neu.hears(/Sind Sie einverstanden\?$/);
    await neu.says('ja');
    await neu.says('Bernd');
    neu.hears(/Wo möchten Sie abholen\?/);
    // Asked while choosing, the van's stop is answered, and naming it afterwards still chooses it.
    await neu.says('wann hält der Wagen in Werben?');
    neu.hears(/Werben, Dorfaue, Bushaltestelle: Samstag von 11 bis 11:30 Uhr/);
    neu.doesNotHear(/Ihre Abholstelle ist jetzt/);
    await neu.says('Verkaufswagen Werben');
    neu.hears(/Ihre Abholstelle ist jetzt Verkaufswagen Werben/);
    await neu.says('2 Gläser Senfgurken');
    neu.hears(/2 Gläser Senfgurken in den Korb gelegt/);
  });

  it('"wo hält der Verkaufswagen?" lists the stops in the order of the route, with address and times', async () => {
    const anna = await readBack('8506');
    await anna.says('wo hält der Verkaufswagen?');
    anna.hears(
      /So hält der Verkaufswagen Spreewald-Tour:\n• Alt Zauche, Dorfplatz: Samstag von 9 bis 9:30 Uhr\n• Byhleguhre, An der Kirche: Samstag von 10 bis 10:30 Uhr\n• Werben, Dorfaue, Bushaltestelle: Samstag von 11 bis 11:30 Uhr\n• Vetschau, Marktplatz: Samstag von 12 bis 12:45 Uhr/,
    );
    await anna.says('wann kommt der Wagen nach Werben?');
    anna.hears(/• Werben, Dorfaue, Bushaltestelle: Samstag von 11 bis 11:30 Uhr/);
    anna.doesNotHear(/Alt Zauche/);
    await stillPlacesTheOrder(anna);
  });

  it('"wann hat der Hofladen auf?" gives the farm shops\' hours, their own shop\'s when they ask of their own kind', async () => {
    const anna = await readBack('8507');
    await anna.says('wann hat der Hofladen auf?');
    anna.hears(/Öffnungszeiten:\nHofladen Gurkenhof Krüger, Dammstraße 12, Lübbenau\/Spreewald – Freitag von 14 bis 18 Uhr und Samstag von 9 bis 12 Uhr\./);
    anna.hears(/Hofladen Krautz, Byhleguhrer Straße 21/);
    anna.doesNotHear(/Dorfladen/);
    await anna.says('wann hat der Dorfladen auf?');
    anna.hears(/Öffnungszeiten: Dorfladen Straupitz, Kirchstraße 4, Straupitz – Freitag von 8 bis 18 Uhr und Samstag von 8 bis 12 Uhr\./);
    anna.doesNotHear(/Lieberose/);
    // A place without a pickup point of its own: the nearest points, never an empty list.
    await anna.says('wann haben die Läden in Cottbus auf?');
    anna.hears(/Öffnungszeiten:\n\S.* – .*Uhr\./);
    await anna.says('Öffnungszeiten Hofladen Milchhof Lehmann');
    anna.hears(/Öffnungszeiten: Hofladen Milchhof Lehmann, Dorfstraße 7, Schlepzig – Freitag von 15 bis 18 Uhr/);
    await stillPlacesTheOrder(anna);
  });

  it('"wer seid ihr?" and "kann ich jemanden anrufen?" say who runs the service and how to reach a person', async () => {
    const anna = await readBack('8508');
    await anna.says('wer seid ihr?');
    anna.hears(/Bestellservice des Digitalen Marktplatzes Spreewald/);
    anna.hears(new RegExp(`Einen Menschen erreichen Sie im Marktplatz-Büro: ${OFFICE} \\(.+\\)\\.`));
    await anna.says('kann ich jemanden anrufen?');
    anna.hears(/Einen Menschen erreichen Sie im Marktplatz-Büro/);
    await stillPlacesTheOrder(anna);
  });

  it('in English: "do you deliver?", "is the honey organic?", "what\'s in the Bauernbrot?"', async () => {
    const emma = h.person('telegram', '8509');
    await register(emma, 'en');
    await emma.says('do you deliver?');
    emma.hears(/Sorry, we don't deliver to your home/);
    emma.hears(/Your pickup point: Dorfladen Straupitz, Kirchstraße 4, Straupitz – Friday from 8 am to 6 pm and Saturday from 8 am to 12 pm\./);
    await emma.says('is the honey organic?');
    emma.hears(/Not marked organic: .*Waldhonig/);
    await emma.says("what's in the Bauernbrot?");
    emma.hears(/Bauernbrot: allergens stated by the producer: Roggen, Weizen \(Gluten\)\. Ingredients: Roggenmehl/);
  });

  it('on the phone the answers are spoken: no bullets, times as words, and the question again', async () => {
    const caller = h.person('voice', '+4915100000851');
    await caller.starts();
    await caller.speaks('wo hält der Verkaufswagen');
    caller.hears(/In Alt Zauche, Dorfplatz: Samstag von 9 bis 9:30 Uhr\. In Byhleguhre, An der Kirche: Samstag von 10 bis 10:30 Uhr\./);
    caller.doesNotHear(/•/);
    caller.hears(/Sind Sie einverstanden\?$/);
    await caller.speaks('wer seid ihr');
    caller.hears(/Einen Menschen erreichen Sie im Marktplatz-Büro unter 0 \d/);
  });
});
