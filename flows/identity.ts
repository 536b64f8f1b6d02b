/**
 * Who is on the phone. A caller whose number is withheld chooses: order without
 * a number (the call gets an identity of its own, so nobody else's data is in
 * reach), or key in their number, which counts only once it is proved: by a
 * code sent to it by SMS, or by our call back to it, which then goes on as an
 * ordinary call from that number. Producers and staff key in their PIN before
 * their own functions on the phone, since a caller ID can be forged; they set it
 * in their own chat ("PIN setzen 4711") or the operator does (`marktbote … pin`).
 */
import { randomUUID } from 'node:crypto';
import type { Marketplace, Role } from '../catalog/marketplace.ts';
import { nationalNumber, normalizePhone } from '../catalog/phone.ts';
import type { PinHolder } from '../catalog/ports.ts';
import type { Channel, Identity } from '../catalog/types.ts';
import { pinProblem } from '../catalog/use-cases/phone-identity.ts';
import { args, declareDialog } from './dialog.ts';
import type { ConversationState } from './state.ts';
import { label, type Turn } from './turn.ts';
import type { InboundEvent } from './types.ts';

const my = declareDialog('identity', {
  choices: { withoutNumber: {}, giveNumber: {} },
  tags: { withoutNumber: 'nonumber', giveNumber: 'mynumber' },
  questions: {
    /** `nonce` makes the verification it starts idempotent: a re-run of the turn sends nothing twice. */
    number: args<{ nonce: string }>(),
    code: args<{ verificationId: number; phone: string }>(),
    pin: args<PinHolder>(),
  },
});

/**
 * Numbers one withheld call may have us text a code to or call back. Each
 * number has its own daily limit; this one keeps a single call from sending
 * texts to number after number.
 */
export const VERIFICATIONS_PER_CALL = 3;
/** Wrong PINs in one call after which the call gets only what a customer gets. */
export const PIN_TRIES_PER_CALL = 3;
/** Where a PIN may be set: chats whose sender the provider vouches for, never the phone. */
const PIN_CHANNELS: readonly Channel[] = ['telegram', 'whatsapp'];
const SET_PIN = /^\s*(?:pin\s+setzen|neue\s+pin|set\s+(?:a\s+)?pin|new\s+pin)\s*:?\s*(\S*)\s*$/i;

function holderOf(role: Role): PinHolder | null {
  if (role.kind === 'producer') return { kind: 'producer', id: role.producer.id };
  if (role.kind === 'staff') return { kind: 'staff', id: role.staff.id };
  return null;
}

const holderKey = (holder: PinHolder) => `${holder.kind}:${holder.id}`;

/**
 * The role `identity` speaks with. On the phone a producer or staff member is a
 * customer until their PIN was keyed in right in this call.
 */
async function roleOf(market: Marketplace, identity: Identity | null, onPhone: boolean, state: ConversationState): Promise<Role> {
  const role = await market.identify(identity);
  const holder = holderOf(role);
  if (!onPhone || !holder || (state.pin?.ok && state.pin.holder === holderKey(holder))) return role;
  return { kind: 'customer', customer: identity && (await market.customerOf(identity)) };
}

/**
 * Who speaks in this turn, and as what: the identity the provider gave, else
 * what a withheld caller proved in this call (or the call's own identity).
 */
export async function speaker(market: Marketplace, event: InboundEvent, state: ConversationState): Promise<{ identity: Identity | null; role: Role }> {
  const identity = event.identity ?? state.caller;
  return { identity, role: await roleOf(market, identity, event.channel === 'voice', state) };
}

/** The identity a withheld caller orders under: this call's own, made once. */
export function callIdentity(t: Turn): Identity {
  t.state.caller ??= { kind: 'call', value: randomUUID() };
  t.identity = t.state.caller;
  return t.state.caller;
}

/** A withheld caller's menu: order without a number, or key it in to be recognised. */
function withheldMenu(t: Turn): void {
  t.say('identity.voice.withheld');
  t.offer([
    my.choice.withoutNumber.make({}, label('identity.voice.withoutNumber')),
    my.choice.giveNumber.make({}, label('identity.voice.giveNumber')),
  ]);
}

function askNumber(t: Turn, question: { nonce: string }): void {
  t.say('identity.voice.askNumber');
  t.ask(my.question.number, question, 'phone');
}

function askCode(t: Turn, question: { verificationId: number; phone: string }): void {
  t.say('identity.voice.askCode');
  t.ask(my.question.code, question, 'number');
}

function askPin(t: Turn, holder: PinHolder): void {
  t.say('identity.voice.askPin');
  t.ask(my.question.pin, holder, 'number');
}

/**
 * Before the phone's menu: a withheld caller chooses how to go on, and a
 * producer or staff member keys in the PIN. True when that was asked; false
 * when the caller goes on with the menu their role gives. `greeting`: the first
 * words of the call, where one without a PIN hears how to set one.
 */
export async function screenCaller(t: Turn, { greeting }: { greeting: boolean }): Promise<boolean> {
  if (!t.spoken || t.role.kind !== 'customer') return false;
  if (!t.identity) {
    withheldMenu(t);
    return true;
  }
  const holder = holderOf(await t.market.identify(t.identity));
  if (!holder) return false;
  const pin = t.state.pin;
  if (pin?.holder === holderKey(holder) && pin.wrong >= PIN_TRIES_PER_CALL) return false;
  if (!(await t.market.hasPin(holder))) {
    if (greeting) t.say('identity.voice.setPinFirst');
    return false;
  }
  askPin(t, holder);
  return true;
}

/** Starts proving `phone`: a code is asked for next, or we call back and the call ends. */
async function verify(t: Turn, phone: string, nonce: string): Promise<void> {
  if (t.state.verifications >= VERIFICATIONS_PER_CALL) {
    t.say('identity.voice.tooManyThisCall');
    t.offer([my.choice.withoutNumber.make({}, label('identity.voice.withoutNumber'))]);
    return;
  }
  const started = await t.market.startVerification({ phone, requestKey: `${nonce}:${phone}`, language: t.language });
  const number = { digits: nationalNumber(phone) };
  if (started.status === 'code_sent' || started.status === 'calling_back') t.state.verifications += 1;
  switch (started.status) {
    case 'code_sent':
      t.say('identity.voice.codeSent', { phone: number });
      askCode(t, { verificationId: started.verificationId, phone });
      return;
    case 'calling_back':
      t.say('identity.voice.callingBack', { phone: number });
      t.reset();
      t.status = 'ended';
      return;
    case 'not_verifiable':
    case 'too_many':
      t.say(started.status === 'too_many' ? 'identity.voice.tooMany' : 'identity.voice.notVerifiable');
      withheldMenu(t);
  }
}

/** The caller holds `phone`: from now on this call speaks as its owner. */
async function proved(t: Turn, phone: string): Promise<void> {
  t.state.caller = { kind: 'phone', value: phone };
  t.identity = t.state.caller;
  t.role = await roleOf(t.market, t.identity, true, t.state);
  if (t.role.kind === 'customer' && t.role.customer) {
    t.state.customerId = t.role.customer.id;
    t.state.language = t.role.customer.language;
  }
  t.say('identity.voice.proved');
  await t.greet();
}

/** "Dann bestelle ich ohne Nummer": said while a number or code is asked, the caller goes on without one. */
const WITHOUT_NUMBER = /\b(ohne (meine |die )?(telefon)?nummer|without (a |my )?(phone )?number)\b/i;

/** Goes on without a number, as the menu's "Ohne Nummer weiter" does; false when the words do not say so. */
async function withoutNumberSaid(t: Turn, input: { kind: string; text?: string }): Promise<boolean> {
  if (input.kind !== 'text' || !WITHOUT_NUMBER.test(input.text ?? '')) return false;
  t.settle();
  if (!t.identity) callIdentity(t);
  await t.greet();
  return true;
}

/** Digits keyed or said one by one ("4 7 1 1"); null for anything else. */
function keyed(text: string): string | null {
  const digits = text.replace(/\s+/g, '');
  return /^\d+$/.test(digits) ? digits : null;
}

/** "PIN setzen 4711" in a producer's or staff member's own chat. */
async function setPin(t: Turn, pin: string): Promise<void> {
  const holder = holderOf(t.role);
  const problem = pinProblem(pin);
  if (!holder || !PIN_CHANNELS.includes(t.channel)) t.say('identity.pinOnlyInChat');
  else if (problem) t.say(problem === 'format' ? 'identity.pinFormat' : 'identity.pinTooSimple');
  else {
    await t.market.setPin(holder, pin);
    t.say('identity.pinSet');
  }
  await t.mainMenu();
}

export const identity = my.define({
  phrases: [
    {
      roles: ['producer', 'staff'],
      matches: (input) => SET_PIN.test(input.text),
      async handle(t, input) {
        await setPin(t, SET_PIN.exec(input.text)![1]);
        return true;
      },
    },
  ],
  choices: {
    withoutNumber: {
      async handle(t) {
        if (!t.identity) callIdentity(t);
        await t.greet();
      },
    },
    giveNumber: {
      async handle(t) {
        if (t.identity) await t.mainMenu();
        else askNumber(t, { nonce: randomUUID() });
      },
    },
  },
  questions: {
    number: {
      async answer(t, input, question) {
        if (await withoutNumberSaid(t, input)) return true;
        if (input.kind !== 'text') return false;
        const phone = normalizePhone(input.understanding.entities.phone ?? input.text);
        if (!phone) {
          t.say('identity.voice.numberUnreadable');
          askNumber(t, question);
          return true;
        }
        t.settle();
        await verify(t, phone, question.nonce);
        return true;
      },
      prompt: askNumber,
    },
    code: {
      async answer(t, input, question) {
        if (await withoutNumberSaid(t, input)) return true;
        const code = input.kind === 'text' ? keyed(input.text) : null;
        if (code === null) return false;
        const checked = /^\d{6}$/.test(code) ? await t.market.checkCode(question.verificationId, code) : 'wrong';
        if (checked === 'wrong') {
          t.say('identity.voice.codeWrong');
          askCode(t, question);
          return true;
        }
        t.settle();
        if (checked === 'verified') {
          await proved(t, question.phone);
          return true;
        }
        t.say(checked === 'expired' ? 'identity.voice.codeExpired' : 'identity.voice.codeRefused');
        withheldMenu(t);
        return true;
      },
      prompt: askCode,
    },
    pin: {
      async answer(t, input, holder) {
        const pin = input.kind === 'text' ? keyed(input.text) : null;
        if (pin === null || !t.identity) return false;
        const key = holderKey(holder);
        const checked = await t.market.checkPin(holder, pin);
        t.settle();
        if (checked === 'ok') {
          t.state.pin = { holder: key, ok: true, wrong: 0 };
          t.role = await roleOf(t.market, t.identity, true, t.state);
          await t.greet();
          return true;
        }
        const wrong = checked === 'wrong' ? (t.state.pin?.holder === key ? t.state.pin.wrong : 0) + 1 : PIN_TRIES_PER_CALL;
        t.state.pin = { holder: key, ok: false, wrong };
        if (wrong < PIN_TRIES_PER_CALL) {
          t.say('identity.voice.pinWrong');
          askPin(t, holder);
          return true;
        }
        t.say(checked === 'locked' ? 'identity.voice.pinLocked' : checked === 'none' ? 'identity.voice.setPinFirst' : 'identity.voice.pinRefused');
        await t.mainMenu();
        return true;
      },
      prompt: askPin,
    },
  },
});
