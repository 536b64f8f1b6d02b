/**
 * The phone line end to end: a call answered by the real app, every step taken
 * by following the `<Gather action>` (or the `<Redirect>` when the caller says
 * nothing) with what the caller keyed or said, signed as Twilio signs it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextWeek } from '../helpers/customers.ts';
import { TEST_PUBLIC_URL } from '../helpers/twilio.ts';
import type { XmlElement } from '../helpers/twiml.ts';
import { childrenNamed, expectInConversation, orderCodeIn, postTwilio, sid, spokenTexts, startE2e, VOICE_NUMBER, type E2e } from './app.ts';

let calls = 0;

/** One phone call to our number, followed step by step as Twilio would. */
class Call {
  readonly transcript: string[] = [];
  /** What the caller did after the greeting, in order. */
  readonly inputs: string[] = [];
  twiml: XmlElement | null = null;
  readonly callSid = sid('CA', ++calls);
  /** Seconds a caller takes between answers (the line's flood limit counts real callers' pace). */
  pauseSeconds = 0;

  constructor(private readonly e2e: E2e, readonly caller: string) {}

  private async post(url: string, extra: Record<string, string>) {
    if (this.pauseSeconds > 0) this.e2e.clock.advance(this.pauseSeconds * 1000);
    const { twiml } = await postTwilio(this.e2e, url.replace(TEST_PUBLIC_URL, ''), {
      CallSid: this.callSid,
      AccountSid: `AC${'0123456789abcdef'.repeat(2)}`,
      From: this.caller,
      To: VOICE_NUMBER,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      ...extra,
    });
    this.twiml = twiml;
    this.transcript.push(...spokenTexts(twiml).map((text) => `< ${text}`));
    return twiml;
  }

  /** The call comes in. */
  rings() {
    this.transcript.push('> (call)');
    return this.post('/twilio/voice', { CallStatus: 'ringing' });
  }

  private gather(): XmlElement {
    const gather = childrenNamed(this.twiml!, 'Gather')[0];
    if (!gather) throw new Error(`no <Gather> to answer; conversation so far:\n${this.transcript.join('\n')}`);
    return gather;
  }

  presses(digits: string) {
    this.transcript.push(`> keypad ${digits}`);
    this.inputs.push(digits);
    return this.post(this.gather().attributes.action, { Digits: digits });
  }

  says(speech: string, confidence = 0.9) {
    this.transcript.push(`> "${speech}" (${confidence})`);
    this.inputs.push(speech);
    return this.post(this.gather().attributes.action, { SpeechResult: speech, Confidence: String(confidence) });
  }

  /** The Gather timed out: Twilio falls through to the `<Redirect>`. */
  staysSilent() {
    this.transcript.push('> (silence)');
    const redirect = childrenNamed(this.twiml!, 'Redirect')[0];
    if (!redirect) throw new Error(`no <Redirect>; conversation so far:\n${this.transcript.join('\n')}`);
    return this.post(redirect.text, {});
  }

  /** Everything said in the last answer. */
  get spoken(): string {
    return spokenTexts(this.twiml!).join('\n');
  }

  /** The digit the last prompt names for the choice matching `label` ("Eier: die 3."). */
  digitFor(label: RegExp): string {
    for (const text of spokenTexts(this.twiml!)) {
      const match = /^(.+): die (\d)\.$/.exec(text);
      if (match && label.test(match[1])) return match[2];
    }
    throw new Error(`no key for ${label}; conversation so far:\n${this.transcript.join('\n')}`);
  }

  /** Presses the key the prompt names for `label`. */
  chooses(label: RegExp) {
    return this.presses(this.digitFor(label));
  }

  /** The choices the last prompt named, in the order said: "Eier: die 3." → { label: 'Eier', digit: '3' }. */
  menu(): Array<{ label: string; digit: string }> {
    return spokenTexts(this.twiml!).flatMap((text) => {
      const match = /^(.+): die (\d)\.$/.exec(text);
      return match ? [{ label: match[1], digit: match[2] }] : [];
    });
  }

  /** Presses the digit said with `label` on the prompt just heard. */
  pressesFor(label: string) {
    const choice = this.menu().find((c) => c.label === label);
    if (!choice) throw new Error(`"${label}" was not offered; conversation so far:\n${this.transcript.join('\n')}`);
    return this.presses(choice.digit);
  }

  hears(pattern: RegExp) {
    expectInConversation(this.transcript, this.spoken, pattern);
  }
}

let e2e: E2e;
beforeEach(async () => {
  // Only Date is faked, so timers and I/O run as usual.
  vi.useFakeTimers({ toFake: ['Date'] });
  e2e = await startE2e();
});
afterEach(async () => {
  await e2e.dispose();
  vi.useRealTimers();
});

/** Tuesday 1 December 2026, 19:00 in Berlin: after office hours (Mo-Fr 08:00-16:00). */
const TUESDAY_EVENING = new Date('2026-12-01T18:00:00Z');
const SUNDAY_NOON = new Date('2026-11-29T11:00:00Z');

/** A new caller orders with the keypad only, one silence included; returns the call. */
async function keypadOrder(caller: string): Promise<Call> {
  const call = await keypadReadBack(caller);
  await call.chooses(/^Ja, bestellen$/);
  call.hears(/Ihre Bestellung ist aufgegeben/);
  return call;
}

/** A new caller puts 2 Gläser Gewürzgurken in the basket with the keypad only and hears the read-back. */
async function keypadReadBack(caller: string): Promise<Call> {
  const call = new Call(e2e, caller);
  await call.rings();
  call.hears(/Willkommen beim Marktboten[\s\S]*Sind Sie einverstanden/);
  await call.chooses(/^Ja, einverstanden$/);
  call.hears(/Bitte sagen Sie Ihren Namen/);
  await call.chooses(/Ohne Namen weiter/);
  call.hears(/Wo möchten Sie abholen/);
  await call.staysSilent();
  call.hears(/Ich habe nichts gehört[\s\S]*Dorfladen Straupitz: die/);
  await call.chooses(/Dorfladen Straupitz/);
  call.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
  await call.chooses(/Angebot der Woche/);
  await call.chooses(/Spreewälder Gurken/);
  call.hears(/Was darf es sein/);
  await call.chooses(/Gewürzgurken/);
  call.hears(/Wie viele möchten Sie/);
  await call.presses('2');
  call.hears(/2 Gläser Gewürzgurken in den Korb gelegt/);
  await call.chooses(/^Bestellen$/);
  call.hears(/Ich lese Ihre Bestellung vor[\s\S]*Soll ich so bestellen/);
  return call;
}

describe('the phone line, end to end with the real engine', () => {
  it('takes a whole order from a new caller with the keypad only', async () => {
    const call = await keypadOrder('+4915100000077');
    const code = orderCodeIn(call.spoken);
    expect(code, call.transcript.join('\n')).toMatch(/^\d{4,6}$/);
    const orders = await e2e.ordersOf({ kind: 'phone', value: '+4915100000077' });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ code, channel: 'voice', status: 'placed', totalCents: 640 });
    expect(orders[0].items).toMatchObject([{ quantity: 2 }]);
  });

  it('places nothing on a key pressed into a read-back that changed, until the caller has heard it', async () => {
    const offers = e2e.app.database.repositories.offers;
    const gewuerzgurken = async () => (await offers.list(1, { inStock: false })).find((o) => o.productName === 'Gewürzgurken')!;
    await offers.update((await gewuerzgurken()).id, { available: 3 });
    const call = await keypadReadBack('+4915100000081');
    await keypadOrder('+4915100000082');
    expect((await gewuerzgurken()).available).toBe(1);

    await call.chooses(/^Ja, bestellen$/);
    call.hears(/Inzwischen hat sich etwas geändert\. Gewürzgurken: nur noch 1 Glas da\.[\s\S]*1 Glas Gewürzgurken[\s\S]*Soll ich so bestellen/);
    // The same key again at once: pressed before the new read-back was heard.
    await call.chooses(/^Ja, bestellen$/);
    call.hears(/^Diese Auswahl ist nicht mehr aktuell\.[\s\S]*1 Glas Gewürzgurken[\s\S]*Soll ich so bestellen/);
    expect(await e2e.ordersOf({ kind: 'phone', value: '+4915100000081' })).toEqual([]);

    // Heard to the end, then pressed.
    call.pauseSeconds = 20;
    await call.chooses(/^Ja, bestellen$/);
    call.hears(/Ihre Bestellung ist aufgegeben/);
    const orders = await e2e.ordersOf({ kind: 'phone', value: '+4915100000081' });
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'placed', totalCents: 320, items: [{ productName: 'Gewürzgurken', quantity: 1 }] });
    expect((await gewuerzgurken()).available).toBe(0);
  });

  it('takes a whole order by speech only', async () => {
    const call = new Call(e2e, '+4915100000078');
    await call.rings();
    await call.says('Ja');
    call.hears(/Bitte sagen Sie Ihren Namen/);
    await call.says('Erika Mustermann');
    call.hears(/Wo möchten Sie abholen/);
    // The place alone names the one point of the list just heard that lies there.
    await call.says('Straupitz');
    call.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);
    await call.says('Angebot der Woche');
    await call.says('Spreewälder Gurken');
    call.hears(/Was darf es sein/);
    await call.says('Senfgurken');
    call.hears(/Wie viele möchten Sie/);
    await call.says('zwei Gläser');
    call.hears(/2 Gläser Senfgurken in den Korb gelegt/);
    await call.says('Bestellen');
    call.hears(/Soll ich so bestellen/);
    await call.says('Ja, so bestellen.');
    call.hears(/Ihre Bestellung ist aufgegeben/);

    const orders = await e2e.ordersOf({ kind: 'phone', value: '+4915100000078' });
    expect(orders, call.transcript.join('\n')).toHaveLength(1);
    expect(orders[0]).toMatchObject({ code: orderCodeIn(call.spoken), channel: 'voice', totalCents: 780 });
  });

  it('lets a returning caller reorder last week\'s basket in at most three inputs', async () => {
    await keypadOrder('+4915100000079');
    const week = await nextWeek(e2e);
    const call = new Call(e2e, '+4915100000079');
    await call.rings();
    call.hears(/Ihre Bestellung von letzter Woche: die 1\./);
    await call.presses('1');
    for (let input = 1; input < 3 && !/Ihre Bestellung ist aufgegeben/.test(call.spoken); input += 1) {
      await call.chooses(/^Ja, bestellen$/);
    }
    call.hears(/Ihre Bestellung ist aufgegeben/);
    expect(call.inputs.length).toBeLessThanOrEqual(3);

    const orders = await e2e.ordersOf({ kind: 'phone', value: '+4915100000079' });
    expect(orders).toHaveLength(2);
    const [again] = orders.filter((order) => order.cycleId === week);
    expect(again.code).toBe(orderCodeIn(call.spoken));
    expect(again.items.map(({ productName, quantity }) => ({ productName, quantity })))
      .toEqual(orders.find((order) => order !== again)!.items.map(({ productName, quantity }) => ({ productName, quantity })));
  });

  /** Rings and gives consent with unsure speech, which must be read back first. */
  async function unsureConsent(caller: string): Promise<Call> {
    const call = new Call(e2e, caller);
    await call.rings();
    await call.says('Ja, einverstanden', 0.3);
    call.hears(/Habe ich richtig verstanden: Ja, einverstanden\?\nJa: die 1\.\nNein: die 2\./);
    expect(call.spoken).not.toMatch(/Bitte sagen Sie Ihren Namen/);
    return call;
  }

  it('names the village with each pickup point it reads out, and takes a point by the part of its name or the village a caller says', async () => {
    const newCaller = async (number: string) => {
      const call = new Call(e2e, number);
      call.pauseSeconds = 4;
      await call.rings();
      await call.chooses(/^Ja, einverstanden$/);
      await call.chooses(/Ohne Namen weiter/);
      call.hears(/Wo möchten Sie abholen/);
      return call;
    };
    const first = await newCaller('+4915100000091');
    // A farm shop named after its farm is heard with its village.
    expect(first.menu().map((c) => c.label)).toContain('Hofladen Gurkenhof Krüger in Lübbenau');
    // "the village store": there are two, so the caller hears just those two.
    await first.says('na der Dorfladen');
    first.hears(/Welche meinen Sie/);
    expect(first.menu().map((c) => c.label).sort()).toEqual(['Dorfladen Lieberose', 'Dorfladen Straupitz']);
    await first.pressesFor('Dorfladen Straupitz');
    first.hears(/Ihre Abholstelle ist jetzt Dorfladen Straupitz/);

    // A farm's name alone is that farm's shop, not a product search.
    const second = await newCaller('+4915100000092');
    await second.says('Krautz');
    second.hears(/Ihre Abholstelle ist jetzt Hofladen Krautz/);

    // The village heard with a point is that point.
    const third = await newCaller('+4915100000093');
    await third.says('Lübbenau');
    third.hears(/Ihre Abholstelle ist jetzt Hofladen Gurkenhof Krüger/);

    // Lübben is not Lübbenau: its own shop comes first, and nothing is chosen for the caller.
    const fourth = await newCaller('+4915100000097');
    await fourth.says('Lübben');
    fourth.hears(/Am nächsten bei Lübben/);
    expect(fourth.menu()[0]?.label, fourth.transcript.join('\n')).toBe('Spreewaldladen Lübben');
  });

  it('greets a caller by the name said, tidied as it would be written, and stores it so', async () => {
    const call = new Call(e2e, '+4915100000095');
    await call.rings();
    await call.chooses(/^Ja, einverstanden$/);
    call.hears(/Bitte sagen Sie Ihren Namen/);
    await call.says('lehmann, werner lehmann');
    call.hears(/Schön, Sie kennenzulernen, Werner Lehmann\./);
    const customer = await e2e.app.database.repositories.customers.findByIdentity({ kind: 'phone', value: '+4915100000095' });
    expect(customer?.name).toBe('Werner Lehmann');

    const other = new Call(e2e, '+4915100000096');
    await other.rings();
    await other.chooses(/^Ja, einverstanden$/);
    await other.says('hier spricht karl von der heide');
    other.hears(/Schön, Sie kennenzulernen, Karl von der Heide\./);
  });

  it('takes a consent said in a whole sentence as a yes, not as a village that sounds like two of its words', async () => {
    const call = new Call(e2e, '+4915100000098');
    await call.rings();
    await call.says('Ja, da bin ich einverstanden.');
    call.hears(/Bitte sagen Sie Ihren Namen/);
    expect(call.spoken).not.toMatch(/Am nächsten bei/);
  });

  it('ends a call kindly when the caller stays silent through the re-asks and the offer of a person', async () => {
    const call = new Call(e2e, '+4915100000094');
    await call.rings();
    const heardBeforeHangUp: string[] = [];
    for (let silences = 1; silences <= 8; silences += 1) {
      await call.staysSilent();
      heardBeforeHangUp.push(call.spoken);
      if (childrenNamed(call.twiml!, 'Hangup').length > 0) break;
    }
    expect(childrenNamed(call.twiml!, 'Hangup'), call.transcript.join('\n')).toHaveLength(1);
    call.hears(/Ich höre Sie leider nicht und lege jetzt auf\. Rufen Sie gern wieder an/);
    // Asked again twice, then a person offered, then goodbye: four silences in all.
    expect(heardBeforeHangUp).toHaveLength(4);
    expect(heardBeforeHangUp[0]).toMatch(/Ich habe nichts gehört/);
    expect(heardBeforeHangUp[2]).toMatch(/Möchten Sie mit einem Menschen sprechen/);
  });

  it('reads unsure speech back and goes on once the caller says yes', async () => {
    const call = await unsureConsent('+4915100000080');
    await call.says('Ja');
    call.hears(/Bitte sagen Sie Ihren Namen/);
  });

  it('goes on when the caller presses 1 for yes after the read-back of unsure speech', async () => {
    const call = await unsureConsent('+4915100000083');
    await call.presses('1');
    call.hears(/Bitte sagen Sie Ihren Namen/);
  });

  it('puts a caller who presses 0 through to the office within office hours', async () => {
    // The wall clock on a Sunday, the app's clock on Tuesday 10:00: only the app's clock may count.
    vi.setSystemTime(SUNDAY_NOON);
    const call = new Call(e2e, '+4915100000081');
    await call.rings();
    await call.presses('0');
    const dial = childrenNamed(call.twiml!, 'Dial')[0];
    expect(dial?.text, call.transcript.join('\n')).toBe(e2e.app.config.office.phone);
    // The engine says it puts the caller through; the line only dials.
    expect(spokenTexts(call.twiml!).filter((text) => /verbinde/.test(text)), call.transcript.join('\n')).toHaveLength(1);
  });

  it('promises a caller who presses 0 after hours a callback when the office opens, and puts it on the office\'s outbox', async () => {
    e2e.clock.set(TUESDAY_EVENING);
    // Both clocks agree, so the answer does not depend on when the suite runs.
    vi.setSystemTime(TUESDAY_EVENING);
    const call = new Call(e2e, '+4915100000082');
    await call.rings();
    await call.presses('0');
    expect(childrenNamed(call.twiml!, 'Dial')).toHaveLength(0);
    call.hears(/nicht besetzt\. Wir rufen Sie zurück, am Mittwoch, den 2\. Dezember ab 8 Uhr\./);
    expect(spokenTexts(call.twiml!).filter((text) => /nicht besetzt/.test(text)), call.transcript.join('\n')).toHaveLength(1);
    const requests = (await e2e.app.database.repositories.outbox.list()).filter((m) => m.kind === 'callback_request');
    expect(requests).toHaveLength(1);
    expect(requests[0].recipient).toEqual({ channel: 'sms', address: e2e.app.config.office.phone });
    expect(requests[0].payload.params.phone).toBe('+4915100000082');
    expect(requests[0].dueAt.toISOString()).toBe('2026-12-02T07:00:00.000Z');
    // Pressing 0 again the same evening asks for no second callback.
    await call.presses('0');
    expect((await e2e.app.database.repositories.outbox.list()).filter((m) => m.kind === 'callback_request')).toHaveLength(1);
  });

  it('after hours, offers a caller who cannot be understood a call back instead of a person nobody can be', async () => {
    e2e.clock.set(TUESDAY_EVENING);
    vi.setSystemTime(TUESDAY_EVENING);
    const call = new Call(e2e, '+4915100000083');
    await call.rings();
    for (let silences = 0; silences < 3; silences += 1) await call.staysSilent();
    call.hears(/Sollen wir Sie zurückrufen, sobald jemand da ist\?/);
    expect(call.spoken).not.toMatch(/verbinden/);
    await call.chooses(/Ja, bitte zurückrufen/);
    call.hears(/Wir rufen Sie zurück, am Mittwoch, den 2\. Dezember ab 8 Uhr\./);
    const requests = (await e2e.app.database.repositories.outbox.list()).filter((m) => m.kind === 'callback_request');
    expect(requests.map((request) => request.payload.params.phone)).toEqual(['+4915100000083']);
  });

  it('walks the whole phone menu by keys only: every pickup point, product group and product, page by page, back with *; each digit picks what was said with it', async () => {
    const call = new Call(e2e, '+4915100000090');
    call.pauseSeconds = 4;
    await call.rings();
    await call.chooses(/^Ja, einverstanden$/);
    await call.chooses(/Ohne Namen weiter/);
    call.hears(/Wo möchten Sie abholen/);

    // Every pickup point, page by page; "Weitere" is always the 4th place.
    const pointPages: string[][] = [];
    for (;;) {
      const menu = call.menu();
      expect(menu.length, call.transcript.join('\n')).toBeLessThanOrEqual(4);
      pointPages.push(menu.filter((c) => c.label !== 'Weitere').map((c) => c.label));
      const more = menu.find((c) => c.label === 'Weitere');
      if (!more) break;
      expect(more.digit).toBe('4');
      await call.presses('4');
    }
    const points = await e2e.app.database.repositories.pickupPoints.list();
    // Each point is heard by its name, with its village where the name does not say it ("Hofladen Krautz in Burg").
    const heardAs = (p: { name: string; place: string }) => (p.name.includes(p.place.split(/[/(]/)[0].trim()) ? p.name : `${p.name} in ${p.place.split(/[/(]/)[0].trim()}`);
    expect(pointPages.flat().sort()).toEqual(points.map(heardAs).sort());
    // * goes back one page at a time; a point of the second page is chosen there.
    for (let page = pointPages.length - 1; page > 1; page -= 1) await call.presses('*');
    expect(call.menu().map((c) => c.label).slice(0, 3)).toEqual(pointPages[1]);
    const chosenPoint = pointPages[1][1];
    await call.pressesFor(chosenPoint);
    call.hears(new RegExp(`Ihre Abholstelle ist jetzt ${points.find((p) => heardAs(p) === chosenPoint)!.name}`));

    await call.chooses(/Angebot der Woche/);
    const offers = await e2e.app.database.repositories.offers.list(1, { inStock: true });
    const heardProducts: string[] = [];
    let deepest: { category: string; categoryPage: number; productPage: number; product: string } | null = null;
    // The product groups, page by page.
    const categoryPages: string[][] = [];
    for (let categoryPage = 0; ; categoryPage += 1) {
      const categories = call.menu().filter((c) => c.label !== 'Weitere').map((c) => c.label);
      categoryPages.push(categories);
      for (const category of categories) {
        await call.pressesFor(category);
        call.hears(new RegExp(`${category}:`));
        // Each page of the group: every product's digit gives that product, * comes back to the same page.
        const pages: string[][] = [];
        for (;;) {
          const page = call.menu();
          const products = page.filter((c) => c.label !== 'Weitere').map((c) => c.label);
          pages.push(products);
          for (const product of products) {
            await call.pressesFor(product);
            call.hears(new RegExp(`^${product} von `, 'm'));
            call.hears(/Wie viele möchten Sie/);
            await call.presses('*');
            expect(call.menu().map((c) => c.label), call.transcript.join('\n')).toEqual(page.map((c) => c.label));
            heardProducts.push(product);
          }
          const depth = categoryPage + pages.length - 1;
          if (!deepest || depth > deepest.categoryPage + deepest.productPage) deepest = { category, categoryPage, productPage: pages.length - 1, product: products[products.length - 1] };
          if (!page.some((c) => c.label === 'Weitere')) break;
          await call.presses('4');
        }
        // Back to the product groups, one page at a time.
        for (let page = 0; page < pages.length; page += 1) await call.presses('*');
        expect(call.menu().filter((c) => c.label !== 'Weitere').map((c) => c.label), call.transcript.join('\n')).toEqual(categories);
      }
      if (!call.menu().some((c) => c.label === 'Weitere')) break;
      await call.presses('4');
    }
    expect(heardProducts.sort()).toEqual(offers.map((o) => o.productName).sort());

    // The product furthest down (behind the most "weitere"), ordered by keys only for the point of the second page.
    expect(deepest!.categoryPage + deepest!.productPage, 'a product behind two "weitere"').toBeGreaterThanOrEqual(2);
    for (let page = categoryPages.length - 1; page > deepest!.categoryPage; page -= 1) await call.presses('*');
    await call.pressesFor(deepest!.category);
    for (let page = 0; page < deepest!.productPage; page += 1) await call.presses('4');
    await call.pressesFor(deepest!.product);
    await call.presses('1');
    call.hears(new RegExp(`in den Korb gelegt`));
    await call.chooses(/^Bestellen$/);
    call.hears(new RegExp(`Soll ich so bestellen`));
    await call.chooses(/^Ja, bestellen$/);
    const code = orderCodeIn(call.spoken);
    const order = (await e2e.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code);
    const point = (await e2e.app.database.repositories.pickupPoints.list()).find((p) => p.id === order?.pickupPointId);
    expect(point && heardAs(point)).toBe(chosenPoint);
    expect(order?.items.map((i) => [i.productName, i.quantity])).toEqual([[deepest!.product, 1]]);
  }, 120_000);

  it('a re-delivered step while a quantity is asked repeats the question and leaves the basket unchanged', async () => {
    const call = new Call(e2e, '+4915100000091');
    await call.rings();
    await call.chooses(/^Ja, einverstanden$/);
    await call.chooses(/Ohne Namen weiter/);
    await call.chooses(/Dorfladen Straupitz/);
    await call.chooses(/Angebot der Woche/);
    await call.chooses(/Spreewälder Gurken/);
    const listStep = childrenNamed(call.twiml!, 'Gather')[0].attributes.action;
    const digit = call.digitFor(/Gewürzgurken/);
    await call.presses(digit);
    call.hears(/Wie viele möchten Sie/);
    // Twilio sends the step that chose Gewürzgurken once more: it is answered with a replay, never taken as a key.
    const form = { CallSid: call.callSid, AccountSid: `AC${'0123456789abcdef'.repeat(2)}`, From: call.caller, To: VOICE_NUMBER };
    const again = await postTwilio(e2e, listStep.replace(TEST_PUBLIC_URL, ''), { ...form, Digits: digit });
    const replay = childrenNamed(again.twiml, 'Redirect')[0];
    expect(replay?.text).toMatch(/replay=1/);
    const repeated = await postTwilio(e2e, replay!.text.replace(TEST_PUBLIC_URL, ''), form);
    expect(spokenTexts(repeated.twiml).join('\n')).toMatch(/Wie viele möchten Sie/);
    const stored = await e2e.app.database.repositories.conversations.load(`voice:${call.callSid}`);
    expect((stored?.state as { cart: unknown[] }).cart).toEqual([]);
    await call.presses('2');
    call.hears(/2 Gläser Gewürzgurken in den Korb gelegt/);
  });
});
