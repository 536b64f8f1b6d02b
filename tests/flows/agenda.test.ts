/**
 * The agenda of open questions, from the person's side: one message that raises several questions loses
 * none of them. Each is asked in turn, and the stored order holds every item as it was meant.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportOrders } from '../../catalog/exports.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { register } from '../helpers/customers.ts';

describe('several open questions in one message', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function itemsOf(code: string) {
    const order = (await exportOrders(h.app.database.repositories, 1)).find((o) => o.code === code);
    return order?.items.map((i) => [i.product, i.quantity, i.unit]);
  }

  it('in writing: "welcher Honig?", then "welche Kartoffeln?", and both end up in the order', async () => {
    const anna = h.person('telegram', '9401');
    await register(anna, 'de');
    await anna.says('Ich hätte gern 2 Gläser Honig und 1 kg Kartoffeln');
    anna.hears(/Welche meinen Sie mit „honig“\?/i);
    anna.offers(/Waldhonig/);
    await anna.taps(/Waldhonig/);
    anna.hears(/2 Gläser Waldhonig in den Korb gelegt/);
    anna.hears(/Welche meinen Sie mit „kartoffeln“\?/i);
    await anna.taps(/Kartoffeln festkochend/);
    anna.hears(/1 kg Kartoffeln festkochend in den Korb gelegt/);
    await anna.says('bestellen');
    anna.hears(/• 2 Gläser Waldhonig[^\n]*\n• 1 kg Kartoffeln festkochend/);
    await anna.says('ja');
    expect(await itemsOf(anna.orderCode())).toEqual([['Waldhonig', 2, 'jar'], ['Kartoffeln festkochend', 1, 'kg']]);
  });

  it('on the phone by keys only: each question\'s digits pick from the list just heard', async () => {
    const caller = h.person('voice', '+4935461119402');
    await register(caller, 'de');
    await caller.speaks('zwei gläser honig und ein kilo kartoffeln');
    caller.hears(/Welche meinen Sie\?/);
    const honey = caller.last!.choices.findIndex((c) => /Lindenhonig/.test(c.label));
    expect(honey).toBeGreaterThanOrEqual(0);
    await caller.presses(String(honey + 1));
    caller.hears(/2 Gläser Lindenhonig/);
    const potatoes = caller.last!.choices.findIndex((c) => /mehligkochend/.test(c.label));
    expect(potatoes).toBeGreaterThanOrEqual(0);
    await caller.presses(String(potatoes + 1));
    caller.hears(/1 Kilo Kartoffeln mehligkochend/);
  });
});
