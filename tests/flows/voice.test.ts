import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/conversation.ts';

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
});
