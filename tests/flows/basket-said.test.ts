/**
 * The basket is what the person said: sizes named in the message choose the offer, amounts that
 * nobody can mean are asked again, regional names and place-like product words are read as products,
 * and a correction or removal hits the kind that is in the basket. Each case failed before its fix.
 */
import { afterEach, beforeEach, describe, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../helpers/conversation.ts';
import { register } from '../helpers/customers.ts';

/** What the person sees when they ask for the basket. */
async function basketOf(person: Person): Promise<string> {
  await person.says('Warenkorb');
  return person.text;
}

describe('the basket is what the person said', () => {
  let h: Harness;
  let n = 0;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function customer(): Promise<Person> {
    const person = h.person('telegram', String(8100 + n++));
    await register(person, 'de');
    return person;
  }

  describe('a size said with the product chooses the offer and is not the amount', () => {
    for (const [said, line] of [
      ['10 Eier', '1 Packung Eier 10 Stück'],
      ['eier 10 stück', '1 Packung Eier 10 Stück'],
      ['2 Eier 10 Stück', '2 Packungen Eier 10 Stück'],
      ['ein halbes Dutzend Eier', '1 Packung Eier 6 Stück'],
      ['Quark 20 %', '1 Packung Speisequark 20 %'],
    ] as const) {
      it(`"${said}" → ${line}`, async () => {
        const anna = await customer();
        await anna.says(said);
        anna.doesNotHear(/Welche meinen Sie/);
        anna.hears(new RegExp(`${line.replace(/[%]/g, '\\$&')} in den Korb gelegt`));
        expectBasket(await basketOf(anna), [line]);
      });
    }
  });

  describe('an amount nobody can mean is asked again, never read as another number', () => {
    for (const said of ['-5 Blütenhonig', 'minus 3 Blütenhonig', '1e9 Blütenhonig', '0 Blütenhonig']) {
      it(`"${said}"`, async () => {
        const anna = await customer();
        await anna.says(said);
        anna.hears(/Diese Menge kann ich bei Blütenhonig nicht nehmen/);
        anna.hears(/Wie viele möchten Sie/);
        anna.doesNotHear(/in den Korb gelegt/);
        await anna.says('2');
        anna.hears(/2 Gläser Blütenhonig in den Korb gelegt/);
        expectBasket(await basketOf(anna), ['2 Gläser Blütenhonig']);
      });
    }

    it('"1/2 kg Möhren" is half a kilo', async () => {
      const anna = await customer();
      await anna.says('1/2 kg Möhren');
      expectBasket(await basketOf(anna), ['0,5 kg Möhren']);
    });

    it('"1.000 Gläser" is a thousand: the possible amount is offered, not one jar', async () => {
      const anna = await customer();
      await anna.says('1.000 Gläser Rapshonig');
      anna.hears(/Von Rapshonig (sind nur noch|gibt es höchstens) \d+ Gläser/);
      expectBasket(await basketOf(anna), []);
    });
  });

  describe('names people use', () => {
    it('Erdäppel, Mohrrüben and Karotten are the potatoes and carrots on offer', async () => {
      const anna = await customer();
      await anna.says('5 pfund erdäppel');
      anna.hears(/Welche meinen Sie mit „erdäppel“/);
      await anna.taps(/Kartoffeln festkochend/);
      anna.hears(/2,5 kg Kartoffeln festkochend in den Korb gelegt/);
      await anna.says('1 kg Mohrrüben');
      anna.hears(/1 kg Möhren in den Korb gelegt/);
      await anna.says('noch 1 kg karotten');
      expectBasket(await basketOf(anna), ['2,5 kg Kartoffeln festkochend', '2 kg Möhren']);
    });

    it('Schrippen when there are none: a clear no and the bread there is', async () => {
      const anna = await customer();
      await anna.says('Schrippen');
      anna.hears(/Schrippen haben wir diese Woche leider nicht/);
      anna.hears(/Bauernbrot/);
      anna.doesNotHear(/nicht verstanden/);
    });

    it('"äpfel elstar" is the apple, not a town that sounds like Elster', async () => {
      const anna = await customer();
      await anna.says('1 kg äpfel elstar');
      anna.doesNotHear(/Welche meinen Sie/);
      expectBasket(await basketOf(anna), ['1 kg Äpfel Elstar']);
    });
  });

  describe('a correction hits the kind in the basket', () => {
    it('"doch lieber 3 gurken" changes the pickles, not the quark talked about before', async () => {
      const anna = await customer();
      await anna.says('2 Gläser Senfgurken');
      await anna.says('1 Quark 20 %');
      await anna.says('doch lieber 3 gurken');
      anna.hears(/Geändert: jetzt 3 Gläser Senfgurken/);
      expectBasket(await basketOf(anna), ['1 Packung Speisequark 20 %', '3 Gläser Senfgurken']);
    });

    it('"ohne den honig" takes out the honey in the basket, whichever kind it is', async () => {
      const anna = await customer();
      await anna.says('2 gläser waldhonig und 1 kg möhren');
      await anna.says('ohne den honig');
      anna.hears(/Herausgenommen/);
      expectBasket(await basketOf(anna), ['1 kg Möhren']);
    });
  });

  describe('an amount and a kind said apart from the product belong to it', () => {
    it('"Ich hätte gern zwei Kilo von den festen Kartoffeln" → 2 kg festkochend, nothing asked', async () => {
      const anna = await customer();
      await anna.says('Ich hätte gern zwei Kilo von den festen Kartoffeln.');
      anna.doesNotHear(/Welche meinen Sie|Wie viele/);
      expectBasket(await basketOf(anna), ['2 kg Kartoffeln festkochend']);
    });

    it('"zwei Kilo Kartoffeln", then "die festkochenden" to which-one: the amount is kept', async () => {
      const anna = await customer();
      await anna.says('zwei Kilo Kartoffeln, bitte');
      anna.hears(/Welche meinen Sie/);
      await anna.says('die festkochenden');
      anna.doesNotHear(/Wie viele/);
      expectBasket(await basketOf(anna), ['2 kg Kartoffeln festkochend']);
    });
  });

  describe('a product said with "kein" is never added', () => {
    it('"keine Eier" takes the eggs out instead of showing the egg list', async () => {
      const anna = await customer();
      await anna.says('2 Gläser Senfgurken und 10 Eier');
      await anna.says('keine Eier');
      anna.doesNotHear(/Was darf es sein/);
      anna.hears(/Herausgenommen/);
      expectBasket(await basketOf(anna), ['2 Gläser Senfgurken']);
    });

    it('"ich will keine Eier" adds no eggs', async () => {
      const anna = await customer();
      await anna.says('ich will keine Eier');
      anna.doesNotHear(/Was darf es sein|in den Korb gelegt/);
      await anna.says('Warenkorb');
      anna.hears(/Ihr Korb ist leer/);
    });

    it('"2 Gläser Senfgurken, aber keine Eier" adds the pickles and takes out the eggs', async () => {
      const anna = await customer();
      await anna.says('10 Eier');
      await anna.says('2 Gläser Senfgurken, aber keine Eier');
      expectBasket(await basketOf(anna), ['2 Gläser Senfgurken']);
    });
  });
});

/** The basket's lines, as "• <amount> <product>: <price>", are exactly these (in any order). */
function expectBasket(text: string, lines: string[]): void {
  const shown = [...text.matchAll(/^• (.+?): [\d,]+\s€$/gm)].map((m) => m[1]).sort();
  if (JSON.stringify(shown) !== JSON.stringify([...lines].sort())) {
    throw new Error(`basket shows ${JSON.stringify(shown)}, expected ${JSON.stringify(lines)}\n${text}`);
  }
}
