/**
 * The phone line end to end: a call answered by the real app, every step taken
 * by following the `<Gather action>` (or the `<Redirect>` when the caller says
 * nothing) with what the caller keyed or said, signed as Twilio signs it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
  private readonly callSid = sid('CA', ++calls);

  constructor(private readonly e2e: E2e, readonly caller: string) {}

  private async post(url: string, extra: Record<string, string>) {
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
  await call.chooses(/^Ja, bestellen$/);
  call.hears(/Ihre Bestellung ist aufgegeben/);
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
    await call.says('Ja, bestellen');
    call.hears(/Ihre Bestellung ist aufgegeben/);

    const orders = await e2e.ordersOf({ kind: 'phone', value: '+4915100000078' });
    expect(orders, call.transcript.join('\n')).toHaveLength(1);
    expect(orders[0]).toMatchObject({ code: orderCodeIn(call.spoken), channel: 'voice', totalCents: 780 });
  });

  it('lets a returning caller reorder last week\'s basket in at most three inputs', async () => {
    await keypadOrder('+4915100000079');
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
    const [again] = orders.filter((order) => order.code === orderCodeIn(call.spoken));
    expect(again.items.map(({ offerId, quantity }) => ({ offerId, quantity })))
      .toEqual(orders.find((order) => order !== again)!.items.map(({ offerId, quantity }) => ({ offerId, quantity })));
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
});
