/**
 * Conversations stored before the dialogs became modules (state version 1, one `pending` question whose
 * `then` said where to go on) continue after the change: the person answers the question they were asked,
 * and the stored result is what they meant.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportOrders } from '../../catalog/exports.ts';
import { startHarness, TUESDAY_MORNING, type Harness } from '../helpers/conversation.ts';
import { offerOf, register } from '../helpers/customers.ts';

/** A version-1 state as the engine stored it until December 2026. */
function version1(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    v: 1, language: 'de', customerId: null, phone: null, cart: [], cartCycleId: null, editOrderId: null, pickupPointId: null,
    pending: null, askedAt: null, last: null, misunderstood: 0, focusOfferId: null, page: null, menu: null,
    ...fields,
  };
}

const ASKED = new Date(TUESDAY_MORNING.getTime() - 60_000).toISOString();

describe('a conversation stored in the version-1 format', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  async function store(key: string, state: Record<string, unknown>): Promise<void> {
    const { conversations } = h.app.database.repositories;
    const existing = await conversations.load(key);
    expect(await conversations.save(key, state, existing?.version ?? null, h.clock.now())).not.toBeNull();
  }

  async function exported() {
    return exportOrders(h.app.database.repositories, 1);
  }

  it('at the privacy question asked by checkout: yes, a name and a pickup point lead on to the read-back and the order', async () => {
    const senfgurken = await offerOf(h, 'Senfgurken');
    await store('telegram:9301', version1({
      cart: [{ offerId: senfgurken.id, quantity: 2 }],
      cartCycleId: 1,
      pending: { kind: 'consent', then: 'checkout' },
      askedAt: ASKED,
      last: {
        replies: [{ key: 'onboarding.privacy' }],
        choices: [{ id: 'yes', label: { key: 'onboarding.agree' } }, { id: 'no', label: { key: 'onboarding.decline' } }],
        expect: 'yes_no',
      },
    }));
    const bernd = h.person('telegram', '9301');
    // The button still on Bernd's screen sends what version 1 put in it.
    await bernd.pressesRaw('yes');
    await bernd.says('Bernd Krüger');
    await bernd.says('ich wohne in Straupitz');
    await bernd.taps(/Dorfladen Straupitz/);
    bernd.hears(/Ihre Bestellung:\n• 2 Gläser Senfgurken/);
    await bernd.says('ja');
    const code = bernd.orderCode();
    const order = (await exported()).find((o) => o.code === code);
    expect(order?.customer.name).toBe('Bernd Krüger');
    expect(order?.items.map((i) => [i.product, i.quantity])).toEqual([['Senfgurken', 2]]);
  });

  it('at the quantity question: a number puts that many in the cart', async () => {
    const anna = h.person('whatsapp', '+4915111119302');
    await register(anna, 'de');
    const honey = await offerOf(h, 'Senfgurken');
    const stored = await h.app.database.repositories.conversations.load('whatsapp:+4915111119302');
    const customerId = (stored!.state as { customerId: number }).customerId;
    await store('whatsapp:+4915111119302', version1({
      customerId,
      pending: { kind: 'quantity', offerId: honey.id },
      askedAt: ASKED,
      focusOfferId: honey.id,
      last: {
        replies: [{ key: 'cart.howMany', params: { unit: { quantity: 2, unit: honey.unit } } }],
        choices: [1, 2, 3].map((q) => ({ id: `add:${honey.id}:${q}`, label: { key: 'cart.quick', params: { quantity: { quantity: q, unit: honey.unit } } } })),
        expect: 'number',
      },
    }));
    await anna.says('5');
    anna.hears(/5 Gläser Senfgurken/);
    await anna.says('bestellen');
    await anna.says('ja');
    const order = (await exported()).find((o) => o.code === anna.orderCode());
    expect(order?.items.map((i) => [i.product, i.quantity])).toEqual([['Senfgurken', 5]]);
  });

  it('at the read-back: its bare "yes" button names no read-back, so the read-back is shown again; its "ja" places it once', async () => {
    const clara = h.person('telegram', '9303');
    await register(clara, 'de');
    await clara.says('3 Gläser Senfgurken');
    await clara.says('bestellen');
    clara.hears(/Soll ich so bestellen\?/);
    // The same read-back, as version 1 stored it.
    const { conversations } = h.app.database.repositories;
    const now = (await conversations.load('telegram:9303'))!.state as Record<string, unknown> & { agenda: Array<{ args: Record<string, unknown>; askedAt: string }> };
    const open = now.agenda[0];
    const { v: _v, agenda: _agenda, stack: _stack, unsure: _unsure, ...rest } = now;
    await store('telegram:9303', version1({ ...rest, pending: { kind: 'checkout_confirm', ...open.args }, askedAt: open.askedAt }));
    await clara.pressesRaw('yes');
    clara.hears(/^Diese Auswahl ist nicht mehr aktuell\.\nIhre Bestellung:\n• 3 Gläser Senfgurken/);
    expect(await exported()).toEqual([]);
    h.clock.advance(5_000);
    await clara.says('ja');
    await clara.pressesRaw('yes');
    const placed = (await exported()).filter((o) => o.customer.telegramId === '9303');
    expect(placed).toHaveLength(1);
    expect(placed[0].items.map((i) => [i.product, i.quantity])).toEqual([['Senfgurken', 3]]);
  });

  it('on the phone, at an unsure-speech read-back over a quantity question: "ja" by key counts what was said', async () => {
    const phone = '+4935461119304';
    const caller = h.person('voice', phone);
    await register(caller, 'de');
    const offer = await offerOf(h, 'Senfgurken');
    const stored = await h.app.database.repositories.conversations.load(`voice:${phone}`);
    const customerId = (stored!.state as { customerId: number }).customerId;
    await store(`voice:${phone}`, version1({
      customerId,
      pending: { kind: 'speech_confirm', transcript: 'zwei', previous: { kind: 'quantity', offerId: offer.id } },
      askedAt: ASKED,
      last: {
        replies: [{ key: 'common.speechConfirm', params: { text: { raw: 'zwei' } } }],
        choices: [{ id: 'yes', label: { key: 'common.yes' } }, { id: 'no', label: { key: 'common.no' } }],
        expect: 'yes_no',
      },
    }));
    await caller.presses('1');
    caller.hears(/2 Gläser Senfgurken/);
  });

  it('anything unreadable starts afresh rather than failing the turn', async () => {
    await store('telegram:9305', { v: 1, pending: { kind: 'no_such_question' }, cart: 'not a cart' } as Record<string, unknown>);
    const dora = h.person('telegram', '9305');
    await dora.says('Hallo');
    dora.hears(/Willkommen|Hallo/);
  });
});
