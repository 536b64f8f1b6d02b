/** Choosing a pickup point: by name, by place, by postcode, by shared location; van stops name stop and time. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';

describe('choosing a pickup point', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function preferredPoint(p: Person): Promise<string | undefined> {
    const customer = await h.app.database.repositories.customers.findByIdentity({ kind: 'telegram', value: p.id });
    const points = await h.app.database.repositories.pickupPoints.list();
    return points.find((point) => point.id === customer?.preferredPickupPointId)?.name;
  }

  it('in German: by shared location, by place, by postcode and by name; a van stop names stop and time', async () => {
    const anna = h.person('telegram', '6301');
    await anna.says('Hallo');
    await anna.says('ja');
    await anna.says('Anna Schulz');
    anna.hears(/Wo möchten Sie abholen\?/);
    await anna.sharesLocation(51.91, 14.12);
    anna.hears(/Am nächsten bei Ihnen:\n• Dorfladen Straupitz \(Dorfladen, Straupitz\): Fr\., 4\.12\., 08:00 bis 18:00/);
    anna.hears(/• Verkaufswagen Byhleguhre \(Verkaufswagen-Halt, Byhleguhre\): Sa\., 5\.12\., 10:00 bis 10:30/);
    anna.offers(/Dorfladen Straupitz \| Verkaufswagen Byhleguhre \| Verkaufswagen Alt Zauche/);
    await anna.taps(/Verkaufswagen Byhleguhre/);
    anna.hears(/Ihre Abholstelle ist jetzt Verkaufswagen Byhleguhre/);
    expect(await preferredPoint(anna)).toBe('Verkaufswagen Byhleguhre');

    await anna.says('2 Gläser Senfgurken');
    await anna.says('bestellen');
    anna.hears(/Abholung am Verkaufswagen: Verkaufswagen Byhleguhre, Sa\., 5\.12\., 10:00 bis 10:30\./);
    await anna.says('abbrechen');

    await anna.says('ich wohne in Lübben');
    anna.hears(/Am nächsten bei Lübben/);
    anna.hears(/• Spreewaldladen Lübben \(Dorfladen, Lübben \(Spreewald\)\): Fr\., 4\.12\., 09:00 bis 18:30/);
    await anna.says('15913');
    anna.hears(/Am nächsten bei 15913:\n• Dorfladen Straupitz/);
    anna.hears(/Verkaufswagen Alt Zauche \(Verkaufswagen-Halt, Alt Zauche\): Sa\., 5\.12\., 09:00 bis 09:30/);
    await anna.says('Dorfladen Straupitz');
    anna.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
    expect(await preferredPoint(anna)).toBe('Dorfladen Straupitz');
  });

  it('in English: by shared location, by place, by postcode and by name; a van stop names stop and time', async () => {
    const emma = h.person('telegram', '6302');
    await emma.says('Hello');
    await emma.says('yes');
    await emma.says('Emma Brown');
    await emma.sharesLocation(51.91, 14.12);
    emma.hears(/Nearest to you:\n• Dorfladen Straupitz \(village shop, Straupitz\): Fri 4 Dec, 08:00 to 18:00/);
    await emma.taps(/Verkaufswagen Byhleguhre/);
    emma.hears(/Your pick-up point is now Verkaufswagen Byhleguhre/);
    await emma.says('2 jars of Senfgurken');
    await emma.says('checkout');
    emma.hears(/Pick-up at the mobile van: Verkaufswagen Byhleguhre, Sat 5 Dec, 10:00 to 10:30\./);
    await emma.says('cancel');

    await emma.says('I live in Straupitz');
    emma.hears(/Nearest to Straupitz:\n• Dorfladen Straupitz/);
    await emma.says('15913');
    emma.hears(/Nearest to 15913:/);
    await emma.says('Dorfladen Straupitz');
    emma.hears(/Your pick-up point is now Dorfladen Straupitz/);
    expect(await preferredPoint(emma)).toBe('Dorfladen Straupitz');
  });

  it('in German: a location shared at the main menu shows the nearest points', async () => {
    const anna = h.person('telegram', '6303');
    await anna.says('Hallo');
    await anna.says('ja');
    await anna.says('Anna Schulz');
    await anna.taps(/Spreewaldladen Lübben/);
    await anna.sharesLocation(51.91, 14.12);
    anna.hears(/Am nächsten bei Ihnen:\n• Dorfladen Straupitz/);
  });
});

describe('a pickup point said the way people say it', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('lists the point in the village said first, before a town that only sounds like it', async () => {
    const paul = h.person('telegram', '6311');
    await paul.says('Hallo');
    await paul.says('ja');
    await paul.says('Paul Krause');
    paul.hears(/Wo möchten Sie abholen\?/);
    await paul.says('lübbenau');
    paul.hears(/Am nächsten bei Lübbenau\/Spreewald:\n• Hofladen Gurkenhof Krüger \(Hofladen, Lübbenau\/Spreewald\)/);
  });

  it('asks which one when a word fits several points, and takes a farm\'s name as its shop', async () => {
    const rita = h.person('telegram', '6312');
    await rita.says('Hallo');
    await rita.says('ja');
    await rita.says('Rita Noack');
    await rita.says('beim Hofladen');
    rita.hears(/Welche meinen Sie\?/);
    rita.offers(/^Hofladen Gurkenhof Krüger \| Hofladen Krautz \| Hofladen Milchhof Lehmann$/);
    await rita.says('Krautz');
    rita.hears(/Ihre Abholstelle ist jetzt Hofladen Krautz/);
  });
});
