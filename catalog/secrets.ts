/**
 * One-time codes and PINs are kept only as salted scrypt hashes. A code has six
 * digits and a PIN four to six, so anyone who reads the database could try them
 * all against a fast hash; scrypt makes each try cost tens of milliseconds, which
 * puts a code's ten minutes far out of reach.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCHEME = 'scrypt';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Node's default cost (N = 2^14, r = 8): about 16 MiB and 30–80 ms a hash. */
const COST = 16384;

function derive(secret: string, salt: Buffer, cost: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost, r: 8, p: 1 };
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** "scrypt$<N>$<salt>$<hash>", salt and hash in base64. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, COST);
  return [SCHEME, COST, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `secret` is what `stored` was made from; false for anything unreadable. */
export async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, cost, salt, hash] = stored.split('$');
  if (scheme !== SCHEME || !/^\d+$/.test(cost ?? '') || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(secret, Buffer.from(salt, 'base64'), Number(cost));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A string of `length` random decimal digits, leading zeros included. */
export function randomDigits(length: number): string {
  return Array.from({ length }, () => String(randomInt(10))).join('');
}
