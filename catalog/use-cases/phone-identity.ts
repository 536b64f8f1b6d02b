/**
 * Who is on the phone. A number keyed in or spoken proves nothing, so a caller
 * without a matching caller ID proves they hold it: a one-time code by SMS to a
 * German mobile, otherwise we call the number back. Producers and staff also key
 * in a PIN before their own functions, since a caller ID can be forged.
 */
import { DomainError } from '../errors.ts';
import type { NewOutboxMessage } from '../outbox.ts';
import { isCallableBack, isGermanMobile } from '../phone.ts';
import type { PinHolder, VerificationMethod } from '../ports.ts';
import { hashSecret, randomDigits, secretMatches } from '../secrets.ts';
import type { Language } from '../types.ts';
import type { MarketplaceDeps } from './week.ts';

export const CODE_DIGITS = 6;
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 3;
/** A callback not placed by then is pointless: the caller has given up waiting. */
export const CALLBACK_TTL_MS = 10 * 60_000;
/**
 * Codes and callbacks one number gets in a day at most: nobody can flood a
 * stranger's phone, and a six-digit code cannot be guessed by asking for new
 * ones again and again (at most 15 tries a day).
 */
export const MAX_VERIFICATIONS_PER_DAY = 5;
/** Wrong PINs in a row, over any number of calls, after which the PIN opens nothing until it is set anew. */
export const MAX_PIN_FAILURES = 10;
const DAY_MS = 24 * 3_600_000;

export type VerificationStart =
  | { status: 'code_sent'; verificationId: number }
  | { status: 'calling_back' }
  /** A number abroad or a service number: we neither text nor call it. */
  | { status: 'not_verifiable' }
  | { status: 'too_many' };

/** 'refused': no attempt left, the code was used, or there is no such code; a new one must be asked for. */
export type CodeCheck = 'verified' | 'wrong' | 'refused' | 'expired';

/** 'none': no PIN set; 'locked': too many wrong PINs in a row, it must be set anew. */
export type PinCheck = 'ok' | 'wrong' | 'locked' | 'none';

/** Why a PIN cannot be set: not 4–6 digits, or one anybody would try first (1111, 1234, 9876). */
export type PinProblem = 'format' | 'too_simple';

export interface PhoneIdentity {
  /**
   * Starts proving that the caller holds `phone`: a code by SMS to a German
   * mobile, a call back to any other German number. Idempotent by `requestKey`.
   */
  startVerification(input: { phone: string; requestKey: string; language: Language }): Promise<VerificationStart>;
  /** Checks a code keyed in for a verification: at most MAX_CODE_ATTEMPTS tries, within CODE_TTL_MS. */
  checkCode(verificationId: number, code: string): Promise<CodeCheck>;
  hasPin(holder: PinHolder): Promise<boolean>;
  checkPin(holder: PinHolder, pin: string): Promise<PinCheck>;
  /** Sets a PIN (INVALID_INPUT with `problem` when pinProblem finds one). */
  setPin(holder: PinHolder, pin: string): Promise<void>;
}

/** What is wrong with a PIN someone wants to set; null when nothing. */
export function pinProblem(pin: string): PinProblem | null {
  if (!/^\d{4,6}$/.test(pin)) return 'format';
  const steps = new Set([...pin].slice(1).map((digit, index) => Number(digit) - Number(pin[index])));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]) ? 'too_simple' : null;
}

export function phoneIdentityOver({ repos, clock, wake }: MarketplaceDeps): PhoneIdentity {
  return {
    async startVerification({ phone, requestKey, language }) {
      const method: VerificationMethod | null = isGermanMobile(phone) ? 'sms' : isCallableBack(phone) ? 'call' : null;
      if (!method) return { status: 'not_verifiable' };
      const now = clock.now();
      if ((await repos.verifications.countSince(phone, new Date(now.getTime() - DAY_MS))) >= MAX_VERIFICATIONS_PER_DAY) {
        return { status: 'too_many' };
      }
      const code = method === 'sms' ? randomDigits(CODE_DIGITS) : null;
      const expiresAt = new Date(now.getTime() + (code ? CODE_TTL_MS : CALLBACK_TTL_MS));
      const message: NewOutboxMessage = {
        key: `verification:${requestKey}`,
        kind: code ? 'verification_code' : 'callback',
        customerId: null,
        recipient: { channel: code ? 'sms' : 'call', address: phone },
        language,
        payload: code
          ? { key: 'verification.code', params: { code, minutes: CODE_TTL_MS / 60_000 } }
          : { key: 'verification.callback', params: {} },
        dueAt: now,
        notAfter: expiresAt,
      };
      const { verification, created } = await repos.verifications.start(
        { requestKey, phone, method, codeHash: code ? await hashSecret(code) : null, createdAt: now, expiresAt },
        message,
      );
      if (created) wake?.();
      return verification.method === 'sms' ? { status: 'code_sent', verificationId: verification.id } : { status: 'calling_back' };
    },

    async checkCode(verificationId, code) {
      const verification = await repos.verifications.get(verificationId);
      if (!verification?.codeHash || verification.verifiedAt) return 'refused';
      if (clock.now() >= verification.expiresAt) return 'expired';
      const counted = await repos.verifications.countAttempt(verificationId, MAX_CODE_ATTEMPTS);
      if (!counted) return 'refused';
      if (await secretMatches(code, verification.codeHash)) {
        await repos.verifications.markVerified(verificationId, clock.now());
        return 'verified';
      }
      return counted.attempts >= MAX_CODE_ATTEMPTS ? 'refused' : 'wrong';
    },

    async hasPin(holder) {
      return (await repos.pins.get(holder)) !== null;
    },

    async checkPin(holder, pin) {
      const stored = await repos.pins.get(holder);
      if (!stored) return 'none';
      if (stored.failures >= MAX_PIN_FAILURES) return 'locked';
      if (await secretMatches(pin, stored.hash)) {
        if (stored.failures > 0) await repos.pins.resetFailures(holder);
        return 'ok';
      }
      return (await repos.pins.countFailure(holder)) >= MAX_PIN_FAILURES ? 'locked' : 'wrong';
    },

    async setPin(holder, pin) {
      const problem = pinProblem(pin);
      if (problem) throw new DomainError('INVALID_INPUT', { field: 'pin', problem });
      await repos.pins.set(holder, await hashSecret(pin), clock.now());
    },
  };
}
