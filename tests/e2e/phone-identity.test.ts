/**
 * Issue 13, "Identity": a caller with a withheld number keys in somebody's
 * number. Until that number is proved, by a code sent to it or by our call back
 * to it, nothing of that person is said and nothing of theirs changes; once it
 * is proved (and, for a producer or staff member, their PIN keyed in) everything
 * works. Driven over the real webhooks; Twilio's REST API under nock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDueJobs } from '../../bot/jobs/index.ts';
import { DEMO_PRODUCER_IDENTITY } from '../../catalog/demo-week.ts';
import { exportOrders } from '../../catalog/exports.ts';
import { createMarketplace, type Marketplace } from '../../catalog/marketplace.ts';
import type { Repositories } from '../../catalog/ports.ts';
import type { Order, Producer, Staff } from '../../catalog/types.ts';
import nock, { onlyLocalNetwork, restoreNetwork } from '../helpers/nock.ts';
import { parseXml, type XmlElement } from '../helpers/twiml.ts';
import { childrenNamed, spokenTexts, startE2e, type E2e } from './app.ts';
import { calledBack, PhoneCall, WITHHELD } from './phone-call.ts';

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const TWILIO = 'https://api.twilio.com';
/** Erika's landline (fictional: the subscriber number starts with 0). */
const ERIKA = '+49354601234';
const ERIKA_KEYED = '0354601234';
/** The landline of a second member of staff at the Dorfladen Straupitz. */
const JENS = '+49354601299';
const JENS_KEYED = '0354601299';
const PRODUCER_KEYED = `0${DEMO_PRODUCER_IDENTITY.phone.slice(3)}`;
const PIN = '4711';

let e2e: E2e;
let repos: Repositories;
let market: Marketplace;
let erikasOrder: Order;
let producer: Producer;
let jens: Staff;
/** Every SMS and call we asked Twilio for, in order. */
let sent: Array<{ kind: 'sms' | 'call'; form: Record<string, string> }>;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  onlyLocalNetwork();
  sent = [];
  for (const [kind, resource] of [['sms', 'Messages'], ['call', 'Calls']] as const) {
    nock(TWILIO).post(`/2010-04-01/Accounts/${ACCOUNT}/${resource}.json`).reply(201, { sid: `${kind === 'sms' ? 'SM' : 'CA'}${'9'.repeat(32)}` }).persist()
      .on('request', (_request: unknown, _interceptor: unknown, body: string) => sent.push({ kind, form: Object.fromEntries(new URLSearchParams(body)) }));
  }
  e2e = await startE2e();
  repos = e2e.app.database.repositories;
  market = createMarketplace({ repos, clock: e2e.clock });
  const straupitz = (await repos.pickupPoints.list()).find((point) => point.name === 'Dorfladen Straupitz')!;
  const erika = await repos.customers.create({ identity: { kind: 'phone', value: ERIKA }, name: 'Erika Mustermann' });
  await repos.customers.update(erika.id, { consentAt: e2e.clock.now(), preferredPickupPointId: straupitz.id });
  const gurken = (await market.weekOffer()).find((offer) => offer.productName === 'Gewürzgurken')!;
  erikasOrder = await market.placeOrder({ customerId: erika.id, pickupPointId: straupitz.id, lines: [{ offerId: gurken.id, quantity: 2 }], channel: 'voice' });
  producer = (await repos.producers.findByPhone(DEMO_PRODUCER_IDENTITY.phone))!;
  await market.setPin({ kind: 'producer', id: producer.id }, PIN);
  jens = await repos.staff.add({ pickupPointId: straupitz.id, name: 'Jens Noack', phone: JENS });
  await market.setPin({ kind: 'staff', id: jens.id }, PIN);
});
afterEach(async () => {
  restoreNetwork();
  await e2e.dispose();
  vi.useRealTimers();
});

/** Everything a caller could learn or change: the week's orders, stock, customers, PINs and who is registered. */
async function everything() {
  const cycle = (await repos.cycles.current(e2e.clock.now()))!;
  return {
    orders: await exportOrders(repos, cycle.id),
    offers: (await repos.offers.list(cycle.id)).map(({ id, available, priceCents }) => ({ id, available, priceCents })),
    customers: await repos.customers.list(),
    pins: await Promise.all([repos.pins.get({ kind: 'producer', id: producer.id }), repos.pins.get({ kind: 'staff', id: jens.id })]),
  };
}

/** What the Twilio double was asked to send since `from`, after the outbox has been swept. */
async function sweep(): Promise<typeof sent> {
  await runDueJobs(e2e.app, e2e.clock.now());
  return sent;
}

/** The code in the last SMS to `number`. */
function codeSentTo(number: string): string {
  const sms = sent.filter((message) => message.kind === 'sms' && message.form.To === number).at(-1);
  const code = sms && /\b(\d{6})\b/.exec(sms.form.Body)?.[1];
  if (!code) throw new Error(`no code was texted to ${number}: ${JSON.stringify(sent)}`);
  return code;
}

/** Picks up the call we placed to `number`, as Twilio would: our TwiML, then the redirect it names. */
async function pickUpCallback(number: string): Promise<PhoneCall> {
  const calls = sent.filter((message) => message.kind === 'call' && message.form.To === number);
  expect(calls, JSON.stringify(sent)).toHaveLength(1);
  const twiml = parseXml(calls[0].form.Twiml);
  expect(spokenTexts(twiml).join('\n')).toMatch(/Rückruf, um den Sie gebeten haben/);
  const call = new PhoneCall(e2e, calledBack(number));
  await call.answer(childrenNamed(twiml, 'Redirect')[0].text);
  return call;
}

/** A withheld caller who, before keying in anything, tries what a customer, a producer and staff could do. */
async function withheldCallerProbing(): Promise<PhoneCall> {
  const call = new PhoneCall(e2e, WITHHELD);
  await call.answer();
  call.hears(/Ihre Nummer wird nicht angezeigt/);
  for (const attempt of ['meine Bestellungen', `Bestellung ${erikasOrder.code} stornieren`, 'Senfgurken ausverkauft', 'Liste', `abgeholt ${erikasOrder.code}`]) {
    await call.says(attempt);
    if (/wirklich stornieren/.test(call.spoken)) await call.says('ja');
  }
  return call;
}

/** Keys in `digits` as the caller's own number, from wherever the call is. */
async function keysInNumber(call: PhoneCall, digits: string): Promise<void> {
  if (/Nummer eingeben/.test(call.spoken)) await call.chooses(/Nummer eingeben/);
  await call.presses(digits);
}

/** A withheld call that keys in `digits` at once. */
async function callKeyingIn(digits: string): Promise<PhoneCall> {
  const call = new PhoneCall(e2e, WITHHELD);
  await call.answer();
  await keysInNumber(call, digits);
  return call;
}

/**
 * What nobody may hear before the number is proved: Erika's name, a greeting by
 * name (the producer's name alone is public: it comes with every offer), staff
 * names, a producer's stock and pick list, a handout list, an order found by
 * its code (the code itself the caller said, so hearing it back tells nothing),
 * and any change.
 */
const SECRETS = [/Erika|Mustermann/, /Guten Tag, \p{L}/u, /Noack|Petrick/, /Bisher bestellt|Ihre Angebote|abzuholen|Ausgabeliste/, /wirklich stornieren|ist storniert|jetzt 0|als abgeholt/];
const GREETS_PRODUCER = /Guten Tag, Gurkenhof Krüger/;

describe('a caller with a withheld number', () => {
  it('keys in a customer\'s number: nothing of hers is said or changed until we called her back, then everything works', async () => {
    const before = await everything();
    const call = await withheldCallerProbing();
    await keysInNumber(call, ERIKA_KEYED);
    call.hears(/Wir rufen Sie jetzt unter .* zurück\. Bitte legen Sie auf\./);
    expect(call.hungUp).toBe(true);
    call.neverHeard(...SECRETS);
    expect(await everything()).toEqual(before);
    expect(sent).toEqual([]);

    await sweep();
    const erika = await pickUpCallback(ERIKA);
    erika.hears(/Guten Tag, Erika Mustermann/);
    await erika.says('meine Bestellungen');
    erika.hears(/Bestellung/);
    expect(erika.spoken.replace(/(\d) (?=\d)/g, '$1')).toContain(erikasOrder.code);
    await erika.says(`Bestellung ${erikasOrder.code} stornieren`);
    await erika.says('ja');
    erika.hears(/ist storniert/);
    expect((await repos.orders.get(erikasOrder.id))?.status).toBe('cancelled');
  });

  it('keys in a producer\'s mobile number: no name, stock or list before the code and the PIN, then the producer\'s own functions', async () => {
    const before = await everything();
    const call = await withheldCallerProbing();
    await keysInNumber(call, PRODUCER_KEYED);
    call.hears(/Code per SMS/);
    call.neverHeard(...SECRETS);
    expect(await everything()).toEqual(before);

    await sweep();
    await call.presses(codeSentTo(DEMO_PRODUCER_IDENTITY.phone));
    call.hears(/PIN/);
    call.neverHeard(GREETS_PRODUCER);
    expect(await everything()).toEqual(before);
    await call.presses(PIN);
    call.hears(/Guten Tag, Gurkenhof Krüger/);
    await call.says('Senfgurken ausverkauft');
    call.hears(/Senfgurken: jetzt 0/);
    const senf = (await market.producerOffers(producer.id)).find((offer) => offer.productName === 'Senfgurken')!;
    expect(senf.available).toBe(0);
  });

  it('keys in a staff member\'s landline: no list before our call back and the PIN, then the handout list and marking', async () => {
    const before = await everything();
    const call = await withheldCallerProbing();
    await keysInNumber(call, JENS_KEYED);
    call.hears(/Wir rufen Sie jetzt unter .* zurück/);
    call.neverHeard(...SECRETS);
    expect(await everything()).toEqual(before);

    await sweep();
    const jensCall = await pickUpCallback(JENS);
    jensCall.hears(/PIN/);
    jensCall.neverHeard(/Noack/, /Erika/);
    await jensCall.presses(PIN);
    jensCall.hears(/Guten Tag, Jens Noack/);
    await jensCall.says('Liste');
    jensCall.hears(/Erika Mustermann/);
    await jensCall.says(`abgeholt ${erikasOrder.code}`);
    jensCall.hears(/als abgeholt vermerkt/);
    expect((await repos.orders.get(erikasOrder.id))?.status).toBe('picked_up');
  });

  it('may still order without a number, under a name, and nobody else\'s data is reachable', async () => {
    const call = new PhoneCall(e2e, WITHHELD);
    await call.answer();
    await call.chooses(/Ohne Nummer/);
    await call.chooses(/Ja, einverstanden/);
    // Without a number the name is what the order is handed out by: it cannot be skipped.
    call.hears(/nach Ihrem Namen heraus/);
    expect(call.spoken).not.toMatch(/Ohne Namen/);
    await call.says('Otto Kranz');
    await call.says('Straupitz');
    await call.says('Dorfladen Straupitz');
    await call.says('zwei Gläser Senfgurken');
    await call.says('bestellen');
    await call.says('ja');
    call.hears(/Ihre Bestellung ist aufgegeben/);
    await call.says('meine Bestellungen');
    call.neverHeard(/Erika|Mustermann/, new RegExp(erikasOrder.code));
    const rows = await exportOrders(repos, erikasOrder.cycleId);
    expect(rows.find((row) => row.customer.name === 'Otto Kranz')).toMatchObject({ channel: 'voice', customer: { phone: null }, pickupPoint: { name: 'Dorfladen Straupitz' } });
    const handout = await market.handoutList(erikasOrder.pickupPointId);
    expect(handout.map((entry) => entry.customerName)).toEqual(expect.arrayContaining(['Erika Mustermann', 'Otto Kranz']));
  });
});

describe('proving a number by code', () => {
  it(`refuses after three wrong codes, and the producer's functions stay closed`, async () => {
    const before = await everything();
    const call = await callKeyingIn(PRODUCER_KEYED);
    await sweep();
    const code = codeSentTo(DEMO_PRODUCER_IDENTITY.phone);
    const wrong = code === '000000' ? '111111' : '000000';
    await call.presses(wrong);
    call.hears(/stimmt nicht/);
    await call.presses(wrong);
    await call.presses(wrong);
    call.hears(/dreimal/);
    await call.presses(code);
    await call.says('Senfgurken ausverkauft');
    call.neverHeard(GREETS_PRODUCER, /PIN/, /jetzt 0/);
    expect(await everything()).toEqual(before);
  });

  it('texts codes to at most three numbers in one call, so a withheld caller cannot text number after number', async () => {
    const call = await callKeyingIn('015112340001');
    call.hears(/Code mit sechs Ziffern/);
    for (const digits of ['015112340002', '015112340003', '015112340004']) {
      // Back to the number question with *, and another number.
      await call.presses('*');
      await call.presses(digits);
    }
    call.hears(/schon genug Nummern geprüft/);
    await sweep();
    expect(sent.filter((message) => message.kind === 'sms').map((message) => message.form.To)).toEqual(['+4915112340001', '+4915112340002', '+4915112340003']);
    // Ordering without a number is still open.
    await call.chooses(/Ohne Nummer/);
    call.hears(/einverstanden/);
  });

  it('goes on without a number when the caller says so at the code prompt, and nothing of the number\'s owner is reached', async () => {
    const call = await callKeyingIn(PRODUCER_KEYED);
    call.hears(/Code mit sechs Ziffern/);
    await call.says('Ach, dann bestelle ich ohne Nummer.');
    call.hears(/einverstanden/);
    call.neverHeard(GREETS_PRODUCER, /nicht im Korb/);
  });

  it('refuses a code keyed in after it expired', async () => {
    const call = await callKeyingIn(PRODUCER_KEYED);
    await sweep();
    e2e.clock.advance(11 * 60_000);
    await call.presses(codeSentTo(DEMO_PRODUCER_IDENTITY.phone));
    call.hears(/abgelaufen/);
    call.neverHeard(GREETS_PRODUCER, /PIN/);
  });

  it('has no second effect when Twilio delivers the number or the code again', async () => {
    const call = await callKeyingIn(PRODUCER_KEYED);
    await call.redelivers();
    expect(childrenNamed(call.twiml as XmlElement, 'Redirect')[0].text).toMatch(/replay=1/);
    await call.followsRedirect();
    call.hears(/Code mit sechs Ziffern/);
    await sweep();
    expect(sent.filter((message) => message.kind === 'sms')).toHaveLength(1);
    expect(await repos.outbox.list()).toHaveLength(1);

    const code = codeSentTo(DEMO_PRODUCER_IDENTITY.phone);
    await call.presses(code);
    call.hears(/PIN/);
    await call.redelivers();
    await call.followsRedirect();
    call.hears(/PIN/);
    const verifications = await repos.verifications.countSince(DEMO_PRODUCER_IDENTITY.phone, new Date(0));
    expect(verifications).toBe(1);
    await call.presses(PIN);
    call.hears(/Guten Tag, Gurkenhof Krüger/);
  });

  it('has no second effect when Twilio fetches the callback\'s greeting again', async () => {
    const call = await callKeyingIn(ERIKA_KEYED);
    await sweep();
    const erika = await pickUpCallback(ERIKA);
    erika.hears(/Guten Tag, Erika Mustermann/);
    await erika.redelivers();
    expect(childrenNamed(erika.twiml as XmlElement, 'Redirect')[0].text).toMatch(/replay=1/);
    await sweep();
    expect(sent.filter((message) => message.kind === 'call')).toHaveLength(1);
  });
});

describe('producers and staff on the phone', () => {
  it('a producer calling with caller ID still keys in the PIN first; three wrong PINs leave only what a customer gets', async () => {
    const call = new PhoneCall(e2e, { ...WITHHELD, From: DEMO_PRODUCER_IDENTITY.phone });
    await call.answer();
    call.hears(/PIN/);
    call.neverHeard(GREETS_PRODUCER);
    await call.presses('0815');
    call.hears(/PIN stimmt nicht/);
    await call.presses('0816');
    await call.presses('0817');
    call.hears(/dreimal/);
    await call.says('Senfgurken ausverkauft');
    call.neverHeard(GREETS_PRODUCER, /jetzt 0/);
    const senf = (await market.producerOffers(producer.id)).find((offer) => offer.productName === 'Senfgurken')!;
    expect(senf.available).toBeGreaterThan(0);
  });

  it('a producer without a PIN is told how to set one and gets only what a customer gets', async () => {
    const other = await repos.producers.add({ name: 'Imkerei Wendt', village: 'Burg', phone: '+4915100000555' });
    const call = new PhoneCall(e2e, { ...WITHHELD, From: other.phone });
    await call.answer();
    call.hears(/PIN setzen/);
    call.neverHeard(/Guten Tag, Imkerei Wendt/);
  });
});
