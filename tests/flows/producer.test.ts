/** Producers: the week's stock in one message, a preview, single changes, the pick list; customers are refused. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCER_IDENTITY } from '../../catalog/demo-week.ts';
import type { OfferView } from '../../catalog/types.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { offerOf, placeOrder, register } from '../helpers/customers.ts';

/** The four formats from the issue, and a line nobody can read. */
const STOCK_POST = [
  'Senfgurken 40 Glas 3,50',
  'Leinöl 250 ml, 20 Flaschen à 6,90 €',
  'Kartoffeln festkochend: 200 kg, 1,20 €/kg',
  'Eier 30 x 10er Packung je 3,80',
  'Gruß an alle',
].join('\n');

describe('a producer', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function ownOffers(): Promise<OfferView[]> {
    const producer = (await h.app.database.repositories.producers.findByTelegramId(DEMO_PRODUCER_IDENTITY.telegramId))!;
    return (await h.app.database.repositories.offers.list(1, { inStock: false })).filter((o) => o.producerId === producer.id);
  }

  it('in German: posts the week\'s stock in four formats, sees a preview, and it applies only after "Ja"; each new product is asked about', async () => {
    const krueger = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await krueger.says('Hallo');
    krueger.hears(/Guten Tag, Gurkenhof Krüger!/);
    await krueger.says(STOCK_POST);
    krueger.hears(/Vorschau:\n✓ Senfgurken: 40 Gläser zu 3,50\s€ für 1 Glas \(bisher 40 Gläser zu 3,90\s€\)\n✚ Leinöl \(NEU\): 20 Flaschen zu 6,90\s€ für 1 Flasche\n✚ Kartoffeln festkochend \(NEU\): 200 kg zu 1,20\s€ für 1 kg\n✚ Eier \(NEU\): 30 Packungen zu 3,80\s€ für 1 Packung$/m);
    krueger.doesNotHear(/Gruß an alle/);
    krueger.hears(/Soll ich dieses Angebot übernehmen\?/);
    krueger.hears(/Die 3 neuen Produkte lege ich erst an, wenn Sie jedes danach einzeln bestätigen/);
    expect((await ownOffers()).map((o) => o.productName)).not.toContain('Leinöl');
    expect((await offerOf(h, 'Senfgurken')).priceCents).toBe(390);

    await krueger.says('ja');
    krueger.hears(/Übernommen: 1 Angebot\./);
    krueger.hears(/Jetzt noch 3 neue Produkte, eins nach dem anderen:/);
    krueger.hears(/Neues Produkt „Leinöl“ anlegen\? Kategorie Leinöl und Öl\?\n20 Flaschen zu 6,90\s€ für 1 Flasche/);
    expect((await offerOf(h, 'Senfgurken'))).toMatchObject({ available: 40, priceCents: 350 });
    expect((await ownOffers()).map((o) => o.productName)).not.toContain('Leinöl');
    await krueger.taps(/Ja, als Leinöl und Öl anlegen/);
    krueger.hears(/„Leinöl“ ist angelegt \(Leinöl und Öl\) und im Angebot: 20 Flaschen zu 6,90\s€/);
    krueger.hears(/Neues Produkt „Kartoffeln festkochend“ anlegen\? Kategorie Kartoffeln\?/);
    await krueger.says('ja');
    krueger.hears(/Neues Produkt „Eier“ anlegen\? Kategorie Eier\?/);
    await krueger.says('nein');
    krueger.hears(/„Eier“ lege ich nicht an\.\nWas möchten Sie tun\?/);

    const offers = new Map((await ownOffers()).map((o) => [o.productName, o]));
    expect(offers.get('Senfgurken')).toMatchObject({ available: 40, priceCents: 350 });
    expect(offers.get('Leinöl')).toMatchObject({ available: 20, priceCents: 690, unit: 'bottle', category: 'oil', description: '250 ml' });
    expect(offers.get('Kartoffeln festkochend')).toMatchObject({ available: 200, priceCents: 120, unit: 'kg' });
    expect(offers.has('Eier')).toBe(false);
  });

  it('in German: "nein" to the preview changes nothing', async () => {
    const krueger = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await krueger.says(STOCK_POST);
    await krueger.says('nein');
    krueger.hears(/Gut, nichts geändert/);
    expect((await ownOffers()).map((o) => o.productName)).not.toContain('Leinöl');
    expect((await offerOf(h, 'Senfgurken')).priceCents).toBe(390);
  });

  it('in German: changes one offer at a time', async () => {
    const krueger = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await krueger.says('Senfgurken nur noch 10');
    krueger.hears(/Senfgurken: jetzt 10 Gläser da, 3,90\s€/);
    await krueger.says('Salzgurken ausverkauft');
    krueger.hears(/Salzgurken: jetzt 0 Gläser da/);
    await krueger.says('Dillgurken jetzt 3,60');
    krueger.hears(/Dillgurken: jetzt 25 Gläser da, 3,60\s€/);
    await krueger.says('Gurken nur noch 10');
    krueger.hears(/Meinen Sie .*Salzgurken.*\? Bitte schreiben Sie den genauen Namen/);
    await krueger.says('Meine Angebote');
    krueger.hears(/• Salzgurken: ausverkauft, 3,50\s€/);
    krueger.hears(/• Knoblauchgurken: nur noch 4 Gläser, 3,60\s€/);
    expect((await offerOf(h, 'Senfgurken')).available).toBe(10);
    expect((await offerOf(h, 'Salzgurken')).available).toBe(0);
    expect((await offerOf(h, 'Dillgurken')).priceCents).toBe(360);
  });

  it('in English: posts stock, changes offers, and sees the pick list per pickup point', async () => {
    const anna = h.person('telegram', '6901');
    await register(anna, 'de');
    await placeOrder(anna, 'de', '2 Gläser Senfgurken und 1 Glas Dillgurken');
    const bernd = h.person('telegram', '6902');
    await register(bernd, 'de', { name: 'Bernd Kaiser', place: 'Lübben', point: /Spreewaldladen Lübben/ });
    await placeOrder(bernd, 'de', '3 Gläser Senfgurken');

    const krueger = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await krueger.says('Hello');
    krueger.hears(/Hello, Gurkenhof Krüger!/);
    await krueger.says('Senfgurken 40 jars 3.50\nGurkensalat 12 jars 4.20\nsee you');
    krueger.hears(/Preview:\n✓ Senfgurken: 40 jars at €3\.50 for 1 jar \(was 35 jars at €3\.90\)\n✚ Gurkensalat \(NEW\): 12 jars at €4\.20 for 1 jar\n✗ Line 3 not understood: “see you”/);
    await krueger.says('yes');
    krueger.hears(/Saved: 1 offer\./);
    krueger.hears(/Add the new product “Gurkensalat”\? Category Vegetables\?/);
    await krueger.says('yes');
    krueger.hears(/“Gurkensalat” is added \(Vegetables\) and on offer: 12 jars at €4\.20/);
    await krueger.says('Salzgurken sold out');
    krueger.hears(/Salzgurken: now 0 jars available/);
    await krueger.says('Dillgurken now 3.60');
    krueger.hears(/Dillgurken: now \d+ jars available, €3\.60/);

    await krueger.says('what was ordered?');
    krueger.hears(/^Ordered so far:\nDorfladen Straupitz:\n( {2}• .*\n)*/);
    const [straupitz, luebben] = krueger.text.split(/\n(?=Spreewaldladen Lübben:)/);
    expect(straupitz).toMatch(/ {2}• 2 jars Senfgurken/);
    expect(straupitz).toMatch(/ {2}• 1 jar Dillgurken/);
    expect(luebben).toMatch(/^Spreewaldladen Lübben:\n {2}• 3 jars Senfgurken/);
  });

  it('in German: sees the pick list per pickup point', async () => {
    const anna = h.person('telegram', '6903');
    await register(anna, 'de');
    await placeOrder(anna, 'de', '2 Gläser Senfgurken');
    const krueger = h.person('telegram', DEMO_PRODUCER_IDENTITY.telegramId);
    await krueger.says('Was wurde bestellt?');
    krueger.hears(/Bisher bestellt:\nDorfladen Straupitz:\n {2}• 2 Gläser Senfgurken/);
  });

  it('refuses producer commands from a customer politely, in German and English', async () => {
    const anna = h.person('telegram', '6904');
    await register(anna, 'de');
    await anna.says('Senfgurken 40 Glas 3,50\nLeinöl 20 Flaschen 6,90');
    anna.hears(/Das dürfen nur registrierte Erzeuger oder Abholstellen\. Wenn Sie mitmachen möchten, rufen Sie bitte \+4935461999999 an/);
    await anna.says('Was wurde bestellt?');
    anna.hears(/nur registrierte Erzeuger/);
    const emma = h.person('telegram', '6905');
    await register(emma, 'en');
    await emma.says('Senfgurken 40 jars 3.50\nLeinöl 20 bottles 6.90');
    emma.hears(/Only registered producers or pick-up points can do that/);
    expect((await offerOf(h, 'Senfgurken')).priceCents).toBe(390);
  });
});
