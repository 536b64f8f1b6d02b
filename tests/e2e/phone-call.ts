/**
 * A phone call as Twilio places it against the real app: any caller ID (or
 * none), calls that come in and calls we placed, every request signed, and
 * everything the caller heard kept for the asserts.
 */
import { expect } from 'vitest';
import { TEST_PUBLIC_URL } from '../helpers/twilio.ts';
import type { XmlElement } from '../helpers/twiml.ts';
import { childrenNamed, postTwilio, sid, spokenTexts, VOICE_NUMBER, type E2e } from './app.ts';

let placed = 0;

/** What Twilio sends about the call itself: who called whom, and which way. */
export interface CallParties {
  From: string;
  To: string;
  Direction: 'inbound' | 'outbound-api';
}

/** A call to our number with the caller ID withheld. */
export const WITHHELD: CallParties = { From: 'anonymous', To: VOICE_NUMBER, Direction: 'inbound' };

/** The callback we placed to `number`, as Twilio reports it. */
export const calledBack = (number: string): CallParties => ({ From: VOICE_NUMBER, To: number, Direction: 'outbound-api' });

export class PhoneCall {
  /** Every text said to the caller in this call, in order. */
  readonly heard: string[] = [];
  readonly transcript: string[] = [];
  twiml: XmlElement | null = null;
  readonly callSid = sid('CA', 0x1d000 + ++placed);
  private lastRequest: { url: string; fields: Record<string, string> } | null = null;

  constructor(private readonly e2e: E2e, private readonly parties: CallParties) {}

  private async post(absoluteUrl: string, fields: Record<string, string>): Promise<XmlElement> {
    const url = absoluteUrl.replace(TEST_PUBLIC_URL, '');
    this.lastRequest = { url, fields };
    const { twiml } = await postTwilio(this.e2e, url, { CallSid: this.callSid, AccountSid: `AC${'0123456789abcdef'.repeat(2)}`, CallStatus: 'in-progress', ...this.parties, ...fields });
    this.twiml = twiml;
    const said = spokenTexts(twiml);
    this.heard.push(...said);
    this.transcript.push(...said.map((text) => `< ${text}`));
    return twiml;
  }

  /** The call is answered: ours rings, or the callee picks up a call we placed and Twilio fetches `url`. */
  answer(url = `${TEST_PUBLIC_URL}/twilio/voice`): Promise<XmlElement> {
    this.transcript.push(`> (${this.parties.Direction === 'inbound' ? 'call' : 'picks up'})`);
    return this.post(url, {});
  }

  private gatherAction(): string {
    const gather = this.twiml && childrenNamed(this.twiml, 'Gather')[0];
    if (!gather) throw new Error(`no <Gather> to answer; conversation so far:\n${this.transcript.join('\n')}`);
    return gather.attributes.action;
  }

  presses(digits: string): Promise<XmlElement> {
    this.transcript.push(`> keypad ${digits}`);
    return this.post(this.gatherAction(), { Digits: digits });
  }

  says(speech: string): Promise<XmlElement> {
    this.transcript.push(`> "${speech}"`);
    return this.post(this.gatherAction(), { SpeechResult: speech, Confidence: '0.92' });
  }

  /** Twilio delivers the last request once more. */
  redelivers(): Promise<XmlElement> {
    if (!this.lastRequest) throw new Error('nothing was sent yet');
    this.transcript.push('> (the same request again)');
    return this.post(`${TEST_PUBLIC_URL}${this.lastRequest.url}`, this.lastRequest.fields);
  }

  /** Twilio follows the `<Redirect>` of the last answer (a replay, or the caller said nothing). */
  followsRedirect(): Promise<XmlElement> {
    const redirect = this.twiml && childrenNamed(this.twiml, 'Redirect')[0];
    if (!redirect) throw new Error(`no <Redirect>; conversation so far:\n${this.transcript.join('\n')}`);
    this.transcript.push('> (redirect)');
    return this.post(redirect.text, {});
  }

  /** The key said last for the choice whose words match `label`, however the prompt words it. */
  digitFor(label: RegExp): string {
    for (const text of spokenTexts(this.twiml!)) {
      const digit = label.test(text) ? /\b(\d)\b/.exec(text.replace(label, '')) : null;
      if (digit) return digit[1];
    }
    throw new Error(`no key for ${label}; conversation so far:\n${this.transcript.join('\n')}`);
  }

  chooses(label: RegExp): Promise<XmlElement> {
    return this.presses(this.digitFor(label));
  }

  /** Everything said in the last answer. */
  get spoken(): string {
    return spokenTexts(this.twiml!).join('\n');
  }

  get hungUp(): boolean {
    return childrenNamed(this.twiml!, 'Hangup').length > 0;
  }

  hears(pattern: RegExp): void {
    expect(this.spoken, `conversation so far:\n${this.transcript.join('\n')}`).toMatch(pattern);
  }

  /** Fails when anything said in the whole call matches; digits read out one by one count as the number they spell. */
  neverHeard(...patterns: RegExp[]): void {
    const everything = this.heard.join('\n');
    const squeezed = everything.replace(/(\d)[\s,.]+(?=\d)/g, '$1');
    for (const pattern of patterns) {
      expect(everything, `conversation so far:\n${this.transcript.join('\n')}`).not.toMatch(pattern);
      expect(squeezed, `conversation so far:\n${this.transcript.join('\n')}`).not.toMatch(pattern);
    }
  }
}
