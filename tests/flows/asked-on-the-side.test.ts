/**
 * Questions people ask before they buy, answered from the person's side: the order deadline and the
 * basket total get an answer (not a consent prompt or "nicht verstanden"), and an open question stays open.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { register } from '../helpers/customers.ts';

describe('questions asked on the side', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('"bis wann kann ich bestellen?" says the cutoff, also before consent and in the middle of the read-back', async () => {
    const neu = h.person('telegram', '8401');
    await neu.says('bis wann kann ich bestellen?');
    neu.hears(/Bestellschluss ist Mi\., 2\.12\. um 18:00 Uhr/);
    neu.doesNotHear(/einverstanden/);

    const anna = h.person('telegram', '8402');
    await register(anna, 'de');
    await anna.says('2 Gläser Waldhonig');
    await anna.says('bestellen');
    anna.hears(/Soll ich so bestellen\?/);
    await anna.says('wann ist bestellschluss');
    anna.hears(/Bestellschluss ist Mi\., 2\.12\. um 18:00 Uhr/);
    anna.hears(/Soll ich so bestellen\?/);
    await anna.says('ja');
    anna.hears(/Ihre Bestellung ist aufgegeben/);
    expect(await h.app.database.repositories.orders.listByCycle(1)).toHaveLength(1);
  });

  it('"was macht das zusammen?" shows the basket with its total', async () => {
    const anna = h.person('telegram', '8403');
    await register(anna, 'de');
    await anna.says('2 Gläser Waldhonig');
    await anna.says('was macht das zusammen?');
    anna.hears(/Zusammen: 17,80\s€/);
  });

  it('in English: "until when can I order?"', async () => {
    const emma = h.person('telegram', '8404');
    await register(emma, 'en');
    await emma.says('until when can I order?');
    emma.hears(/Orders close on .*2.* at 18:00/);
  });

  it('"I don\'t speak German. English please?" switches to English, not to German', async () => {
    const anna = h.person('telegram', '8405');
    await register(anna, 'de');
    await anna.says("sorry, I don't speak German. English please?");
    anna.doesNotHear(/Ab jetzt spreche ich Deutsch/);
    await anna.says('show my basket');
    anna.hears(/Your basket is empty/);
  });
});
