/** The cart: several items at once, change, remove, show with total; stock, step and maximum checked. */
import { afterEach, beforeEach, describe, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { register, setStock } from '../helpers/customers.ts';

describe('the cart', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('in German: several items in one message, change, remove, show', async () => {
    const anna = h.person('telegram', '6201');
    await register(anna, 'de');
    await anna.says('2 Gläser Senfgurken, 2 Packungen Eier und 1 kg Möhren');
    anna.hears(/2 Gläser Senfgurken in den Korb gelegt/);
    anna.hears(/1 kg Möhren in den Korb gelegt/);
    anna.hears(/Welche meinen Sie mit „eier“\?/);
    await anna.taps(/Eier 10 Stück/);
    anna.hears(/2 Packungen Eier 10 Stück in den Korb gelegt/);
    anna.hears(/Im Korb: 3 Produkte, zusammen 17,50\s€/);

    await anna.says('doch lieber 3');
    anna.hears(/Geändert: jetzt 3 Packungen Eier 10 Stück/);
    await anna.says('nimm die Eier raus');
    anna.hears(/Herausgenommen/);
    anna.hears(/Im Korb: 2 Produkte, zusammen 9,70\s€/);

    await anna.says('Warenkorb');
    anna.hears(/Ihr Korb:\n• 2 Gläser Senfgurken: 7,80\s€\n• 1 kg Möhren: 1,90\s€\nZusammen: 9,70\s€/);
  });

  it('in English: several items in one message, change, remove, show', async () => {
    const emma = h.person('telegram', '6202');
    await register(emma, 'en');
    await emma.says('2 jars of Senfgurken, 2 packs of eggs and 1 kg of Möhren');
    emma.hears(/I've put 2 jars of Senfgurken in your basket/);
    emma.hears(/I've put 1 kg of Möhren in your basket/);
    emma.hears(/Which one do you mean by “eggs”\?/);
    await emma.taps(/Eier 10 Stück/);
    emma.hears(/In your basket: 3 products, €17\.50 altogether/);

    await emma.says('make it 3');
    emma.hears(/Changed: now 3 packs of Eier 10 Stück/);
    await emma.says('remove the eggs');
    emma.hears(/Taken out/);

    await emma.says('show my basket');
    emma.hears(/Your basket:\n• 2 jars Senfgurken: €7\.80\n• 1 kg Möhren: €1\.90\nTotal: €9\.70/);
  });

  it('in German: offers what is left, refuses a quantity off the step, caps at the maximum', async () => {
    await setStock(h, 'Dillgurken', 4);
    const anna = h.person('telegram', '6203');
    await register(anna, 'de');
    await anna.says('6 Gläser Dillgurken');
    anna.hears(/Von Dillgurken sind nur noch 4 Gläser da\. Soll ich 4 Gläser nehmen\?/);
    await anna.says('ja');
    anna.hears(/jetzt 4 Gläser Dillgurken/);

    await anna.says('1,3 kg Kartoffeln festkochend');
    anna.hears(/Kartoffeln festkochend gibt es nur in Schritten von 0,5 kg/);
    anna.doesNotHear(/in den Korb gelegt/);

    await anna.says('20 kg Kartoffeln festkochend');
    anna.hears(/Von Kartoffeln festkochend gibt es höchstens 10 kg pro Bestellung\. Soll ich 10 kg nehmen\?/);
    await anna.says('nein');
    anna.hears(/lasse ich den Korb, wie er ist/);
    await anna.says('Warenkorb');
    anna.hears(/4 Gläser Dillgurken/);
    anna.doesNotHear(/Kartoffeln/);
  });

  it('in English: offers what is left, refuses a quantity off the step, caps at the maximum', async () => {
    await setStock(h, 'Dillgurken', 4);
    const emma = h.person('telegram', '6204');
    await register(emma, 'en');
    await emma.says('6 jars of Dillgurken');
    emma.hears(/There are only 4 jars of Dillgurken left\. Shall I take 4 jars\?/);
    await emma.says('yes');
    emma.hears(/now 4 jars of Dillgurken/);

    await emma.says('1.3 kg of Kartoffeln festkochend');
    emma.hears(/Kartoffeln festkochend only comes in steps of 0\.5 kg/);

    await emma.says('20 kg of Kartoffeln festkochend');
    emma.hears(/Kartoffeln festkochend is limited to 10 kg per order\. Shall I take 10 kg\?/);
    await emma.says('yes');
    emma.hears(/In your basket: 2 products, €31\.60 altogether/);
  });
});
