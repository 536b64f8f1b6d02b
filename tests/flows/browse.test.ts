/** Browsing the week's offer: overview, category, producer, "Habt ihr Eier?", details, stock, pickup points. */
import { afterEach, beforeEach, describe, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { register, setStock } from '../helpers/customers.ts';

describe('browsing the week\'s offer', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('in German: overview, category, producer, a question, details and low stock', async () => {
    const anna = h.person('telegram', '6101');
    await register(anna, 'de');
    await anna.says('Was gibt es diese Woche?');
    anna.hears(/Diese Woche gibt es \d+ Angebote: Spreewälder Gurken \(6\), Leinöl und Öl \(3\)/);
    anna.offers(/Spreewälder Gurken \| Leinöl und Öl/);
    anna.offers(/Weitere/);

    await anna.says('Gurken');
    anna.hears(/^Spreewälder Gurken:/);
    anna.hears(/• Senfgurken: 3,90\s€ für 1 Glas, von Gurkenhof Krüger aus Lübbenau\/Spreewald/);
    anna.hears(/• Knoblauchgurken: 3,60\s€ für 1 Glas, .* – nur noch 4 Gläser/);
    anna.doesNotHear(/Waldhonig/);

    await anna.says('Was gibt es von Hühnerhof Wenzel?');
    anna.hears(/Eier 10 Stück: 3,90\s€ für 1 Packung, von Hühnerhof Wenzel aus Straupitz/);
    anna.hears(/Suppenhuhn: 11,50\s€ für 1 Stück, .* – nur noch 4 Stück/);
    anna.doesNotHear(/Senfgurken/);

    await anna.says('Habt ihr Eier?');
    anna.hears(/Eier 10 Stück/);
    anna.hears(/Eier 6 Stück/);
    anna.offers(/Eier 10 Stück 3,90\s€ \| Eier 6 Stück 2,50\s€/);

    await anna.says('Habt ihr Spargel?');
    anna.hears(/Spargel haben wir diese Woche leider nicht/);

    await anna.says('Waldhonig');
    anna.hears(/Waldhonig von Imkerei Buder aus Lieberose: 8,90\s€ für 1 Glas/);
    anna.hears(/Nur noch 4 Gläser da!/);
    anna.hears(/Wie viele möchten Sie\?/);
  });

  it('in English: overview, category, producer, a question, details and low stock', async () => {
    const emma = h.person('telegram', '6102');
    await register(emma, 'en');
    await emma.says('What\'s on offer this week?');
    emma.hears(/This week there are \d+ offers: Spreewald gherkins \(6\)/);

    await emma.says('gherkins');
    emma.hears(/^Spreewald gherkins:/);
    emma.hears(/• Senfgurken: €3\.90 for 1 jar, from Gurkenhof Krüger in Lübbenau\/Spreewald/);
    emma.hears(/Knoblauchgurken: .* – only 4 jars left/);

    await emma.says('Hühnerhof Wenzel');
    emma.hears(/Eier 6 Stück: €2\.50 for 1 pack, from Hühnerhof Wenzel in Straupitz/);
    emma.doesNotHear(/Senfgurken/);

    await emma.says('Do you have eggs?');
    emma.offers(/Eier 10 Stück €3\.90 \| Eier 6 Stück €2\.50/);

    await emma.says('Do you have asparagus?');
    emma.hears(/Sorry, we don't have asparagus this week/);

    await emma.says('Waldhonig');
    emma.hears(/Waldhonig from Imkerei Buder in Lieberose: €8\.90 for 1 jar/);
    emma.hears(/Only 4 jars left!/);
  });

  it('shows only offers with stock (German and English)', async () => {
    await setStock(h, 'Räucheraal', 0);
    const anna = h.person('telegram', '6103');
    await register(anna, 'de');
    await anna.says('Fisch');
    anna.hears(/Zanderfilet/);
    anna.doesNotHear(/Räucheraal/);
    const emma = h.person('telegram', '6104');
    await register(emma, 'en');
    await emma.says('fish');
    emma.hears(/Zanderfilet/);
    emma.doesNotHear(/Räucheraal/);
  });

  it('lists the pickup points with their next dates (German)', async () => {
    const anna = h.person('telegram', '6105');
    await register(anna, 'de');
    await anna.says('Wo kann ich abholen?');
    anna.hears(/Unsere Abholstellen:/);
    anna.hears(/• Dorfladen Straupitz \(Dorfladen, Straupitz\): Fr\., 4\.12\., 08:00 bis 18:00/);
    anna.hears(/• Verkaufswagen Alt Zauche \(Verkaufswagen-Halt, Alt Zauche\): Sa\., 5\.12\., 09:00 bis 09:30/);
  });

  it('lists the pickup points with their next dates (English)', async () => {
    const emma = h.person('telegram', '6106');
    await register(emma, 'en');
    await emma.says('Where can I pick up?');
    emma.hears(/Our pick-up points:/);
    emma.hears(/• Dorfladen Straupitz \(village shop, Straupitz\): Fri 4 Dec, 08:00 to 18:00/);
    emma.hears(/• Verkaufswagen Alt Zauche \(mobile van stop, Alt Zauche\): Sat 5 Dec, 09:00 to 09:30/);
  });
});

describe('the amounts offered for a product', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('offers only amounts one order may take: a soup chicken one at a time, the juice at most two', async () => {
    const anna = h.person('telegram', '6711');
    await register(anna, 'de');
    await anna.says('Habt ihr Suppenhuhn?');
    await anna.taps(/^Suppenhuhn/);
    anna.offers(/^1 Stück$/);
    await anna.says('Habt ihr Sanddornsaft?');
    await anna.taps(/^Sanddornsaft/);
    anna.offers(/^1 Flasche \| 2 Flaschen$/);
    await anna.taps(/^2 Flaschen$/);
    anna.hears(/2 Flaschen Sanddornsaft in den Korb gelegt/);
  });
});
