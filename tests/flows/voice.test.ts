import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';
import { register } from '../helpers/customers.ts';

describe('the phone dialogue for elderly callers', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  it('listens for this week\'s products, says it more slowly after two silences, and offers a person after three', async () => {
    const caller = h.person('voice', '+4915100000201');
    await caller.starts();
    expect(caller.last!.speechHints).toEqual(expect.arrayContaining(['Senfgurken', 'Leinöl 250 ml']));
    await caller.staysSilent();
    caller.hears(/Ich habe nichts gehört/);
    expect(caller.last!.slow).toBeFalsy();
    await caller.staysSilent();
    expect(caller.last!.slow).toBe(true);
    caller.offers(/Ja, einverstanden/);
    await caller.staysSilent();
    caller.hears(/Menschen sprechen/);
    caller.offers(/verbinden/);
  });

  it('reads the pickup back without saying the village twice, and names it where the shop’s name does not', async () => {
    const straupitz = h.person('voice', '+4915100000202');
    await register(straupitz, 'de');
    await straupitz.says('zwei Gläser Senfgurken');
    await straupitz.says('bestellen');
    straupitz.hears(/Abholung bei Dorfladen Straupitz, am /);
    straupitz.doesNotHear(/Straupitz in Straupitz/);

    const luebbenau = h.person('voice', '+4915100000203');
    await register(luebbenau, 'de', { place: 'Lübbenau', point: /Gurkenhof Krüger/ });
    await luebbenau.says('zwei Gläser Senfgurken');
    await luebbenau.says('bestellen');
    luebbenau.hears(/Abholung bei Hofladen Gurkenhof Krüger in Lübbenau/);
  });
});
