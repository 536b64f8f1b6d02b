/** Proving a phone number and the phone PINs, over a real database: what is stored, what is sent, what is refused. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../catalog/errors.ts';
import { createMarketplace, type Marketplace } from '../../catalog/marketplace.ts';
import { REDACTED_PAYLOAD } from '../../catalog/outbox.ts';
import type { PinHolder } from '../../catalog/ports.ts';
import {
  CODE_TTL_MS, MAX_CODE_ATTEMPTS, MAX_PIN_FAILURES, MAX_VERIFICATIONS_PER_DAY, pinProblem,
} from '../../catalog/use-cases/phone-identity.ts';
import { forEachDatabase, openTestDatabase, type TestDatabase } from '../helpers/database.ts';

const TUESDAY = new Date('2026-12-01T09:00:00Z');
const MOBILE = '+4915100000444';
const LANDLINE = '+49354601234';
const PRODUCER: PinHolder = { kind: 'producer', id: 7 };

forEachDatabase('phone identity', (target) => {
  let database: TestDatabase;
  let market: Marketplace;
  let now: Date;
  let wakes: number;

  beforeEach(async () => {
    now = TUESDAY;
    wakes = 0;
    database = await openTestDatabase(target);
    market = createMarketplace({ repos: database.repositories, clock: { now: () => now }, wake: () => { wakes += 1; } });
  });
  afterEach(() => database.dispose());

  const outbox = () => database.repositories.outbox.list();

  /** Starts a verification of MOBILE and returns its id and the code the SMS carries. */
  async function codeFor(requestKey = 'call-1'): Promise<{ id: number; code: string }> {
    const started = await market.startVerification({ phone: MOBILE, requestKey, language: 'de' });
    if (started.status !== 'code_sent') throw new Error(`no code: ${started.status}`);
    const message = (await outbox()).find((m) => m.key === `verification:${requestKey}`)!;
    return { id: started.verificationId, code: String(message.payload.params.code) };
  }

  describe('a code by SMS to a German mobile', () => {
    it('writes one SMS with a six-digit code, keeps only its hash, and asks the sweep to send it now', async () => {
      const { id, code } = await codeFor();
      expect(code).toMatch(/^\d{6}$/);
      expect(await outbox()).toMatchObject([
        { kind: 'verification_code', recipient: { channel: 'sms', address: MOBILE }, payload: { key: 'verification.code' }, notAfter: new Date(TUESDAY.getTime() + CODE_TTL_MS) },
      ]);
      const stored = await database.repositories.verifications.get(id);
      expect(stored).toMatchObject({ phone: MOBILE, method: 'sms', attempts: 0, verifiedAt: null });
      expect(stored!.codeHash).toMatch(/^scrypt\$/);
      expect(stored!.codeHash).not.toContain(code);
      expect(wakes).toBe(1);
    });

    it('sends nothing twice for a request it has seen', async () => {
      const first = await codeFor('call-2');
      const again = await market.startVerification({ phone: MOBILE, requestKey: 'call-2', language: 'de' });
      expect(again).toEqual({ status: 'code_sent', verificationId: first.id });
      expect(await outbox()).toHaveLength(1);
      expect(wakes).toBe(1);
    });

    it('takes the right code once', async () => {
      const { id, code } = await codeFor();
      expect(await market.checkCode(id, code)).toBe('verified');
      expect(await market.checkCode(id, code)).toBe('refused');
    });

    it(`refuses after ${MAX_CODE_ATTEMPTS} wrong codes, even the right one then`, async () => {
      const { id, code } = await codeFor();
      const wrong = code === '000000' ? '111111' : '000000';
      expect(await market.checkCode(id, wrong)).toBe('wrong');
      expect(await market.checkCode(id, wrong)).toBe('wrong');
      expect(await market.checkCode(id, wrong)).toBe('refused');
      expect(await market.checkCode(id, code)).toBe('refused');
      expect(await database.repositories.verifications.get(id)).toMatchObject({ attempts: MAX_CODE_ATTEMPTS, verifiedAt: null });
    });

    it('refuses an expired code without counting it', async () => {
      const { id, code } = await codeFor();
      now = new Date(TUESDAY.getTime() + CODE_TTL_MS);
      expect(await market.checkCode(id, code)).toBe('expired');
      expect(await database.repositories.verifications.get(id)).toMatchObject({ attempts: 0, verifiedAt: null });
    });

    it('refuses a verification that does not exist', async () => {
      expect(await market.checkCode(4711, '123456')).toBe('refused');
    });
  });

  it('calls a landline back instead, through the outbox', async () => {
    expect(await market.startVerification({ phone: LANDLINE, requestKey: 'call-3', language: 'de' })).toEqual({ status: 'calling_back' });
    expect(await outbox()).toMatchObject([{ kind: 'callback', recipient: { channel: 'call', address: LANDLINE }, payload: { key: 'verification.callback', params: {} } }]);
  });

  it.each(['+499001234567', '+48601234567'])('neither texts nor calls %s', async (phone) => {
    expect(await market.startVerification({ phone, requestKey: 'call-4', language: 'de' })).toEqual({ status: 'not_verifiable' });
    expect(await outbox()).toEqual([]);
  });

  it(`sends a number at most ${MAX_VERIFICATIONS_PER_DAY} codes or calls a day`, async () => {
    for (let n = 0; n < MAX_VERIFICATIONS_PER_DAY; n += 1) await codeFor(`call-${n}`);
    expect(await market.startVerification({ phone: MOBILE, requestKey: 'one-more', language: 'de' })).toEqual({ status: 'too_many' });
    expect(await outbox()).toHaveLength(MAX_VERIFICATIONS_PER_DAY);
    now = new Date(TUESDAY.getTime() + 24 * 3_600_000 + 60_000);
    expect((await market.startVerification({ phone: MOBILE, requestKey: 'next-day', language: 'de' })).status).toBe('code_sent');
  });

  it('forgets the code in the outbox once its SMS is sent', async () => {
    await codeFor();
    const [claimed] = await database.repositories.outbox.claimDue(TUESDAY, 10);
    await database.repositories.outbox.markSent(claimed.id, TUESDAY);
    expect((await database.repositories.outbox.get(claimed.id))?.payload).toEqual(REDACTED_PAYLOAD);
  });

  describe('PINs for the phone', () => {
    it('keeps only a hash and checks it', async () => {
      expect(await market.hasPin(PRODUCER)).toBe(false);
      expect(await market.checkPin(PRODUCER, '4711')).toBe('none');
      await market.setPin(PRODUCER, '4711');
      expect(await market.hasPin(PRODUCER)).toBe(true);
      const stored = await database.repositories.pins.get(PRODUCER);
      expect(stored!.hash).toMatch(/^scrypt\$/);
      expect(stored!.hash).not.toContain('4711');
      expect(await market.checkPin(PRODUCER, '4711')).toBe('ok');
      expect(await market.checkPin(PRODUCER, '4712')).toBe('wrong');
      expect(await market.checkPin({ kind: 'staff', id: 7 }, '4711')).toBe('none');
    });

    it(`locks after ${MAX_PIN_FAILURES} wrong PINs in a row until it is set anew`, async () => {
      await market.setPin(PRODUCER, '4711');
      for (let n = 1; n < MAX_PIN_FAILURES; n += 1) expect(await market.checkPin(PRODUCER, '0815')).toBe('wrong');
      expect(await market.checkPin(PRODUCER, '0815')).toBe('locked');
      expect(await market.checkPin(PRODUCER, '4711')).toBe('locked');
      await market.setPin(PRODUCER, '2580');
      expect(await market.checkPin(PRODUCER, '2580')).toBe('ok');
    });

    it('starts counting again after a right PIN', async () => {
      await market.setPin(PRODUCER, '4711');
      for (let n = 1; n < MAX_PIN_FAILURES; n += 1) await market.checkPin(PRODUCER, '0815');
      expect(await market.checkPin(PRODUCER, '4711')).toBe('ok');
      expect(await market.checkPin(PRODUCER, '0815')).toBe('wrong');
    });

    it('refuses a PIN that is not 4–6 digits or that anybody would try first', async () => {
      for (const pin of ['123', '1234567', '12a4', '1111', '1234', '987654', '0123']) {
        const refused = await market.setPin(PRODUCER, pin).then(() => false, (error: unknown) => isDomainError(error, 'INVALID_INPUT'));
        expect(refused, pin).toBe(true);
      }
      expect(await market.hasPin(PRODUCER)).toBe(false);
    });
  });
});

describe('pinProblem', () => {
  it.each([
    ['4711', null], ['2580', null], ['135790', null], ['1357', null],
    ['123', 'format'], ['1234567', 'format'], ['12 34', 'format'],
    ['0000', 'too_simple'], ['1234', 'too_simple'], ['6543', 'too_simple'], ['345678', 'too_simple'],
  ])('%j → %s', (pin, problem) => {
    expect(pinProblem(pin)).toBe(problem);
  });
});
