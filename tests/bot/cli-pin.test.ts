/** `marktbote producer pin` and `marktbote staff pin`: the operator sets the PIN a producer or staff member keys in on the phone. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF_IDENTITY } from '../../catalog/demo-week.ts';
import { createMarketplace } from '../../catalog/marketplace.ts';
import { startHarness, type Harness } from '../helpers/conversation.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/marktbote.js', import.meta.url).pathname;

describe('marktbote producer pin / staff pin', () => {
  let h: Harness;
  beforeEach(async () => { h = await startHarness(); });
  afterEach(async () => { await h.dispose(); });

  const marktbote = (...args: string[]) =>
    run(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: h.databaseUrl, LOG_LEVEL: 'silent' } });

  it('sets a producer\'s PIN by name and a staff member\'s by phone number, as hashes that check', async () => {
    const repos = h.app.database.repositories;
    const market = createMarketplace({ repos, clock: h.clock });
    expect((await marktbote('producer', 'pin', '--producer', 'gurkenhof krüger', '--pin', '4711')).stdout).toMatch(/^phone PIN set for producer \d+: Gurkenhof Krüger/);
    expect((await marktbote('staff', 'pin', '--phone', DEMO_STAFF_IDENTITY.phone, '--pin', '2580')).stdout).toMatch(/^phone PIN set for staff \d+: Heike Petrick/);
    const producer = (await repos.producers.findByName('Gurkenhof Krüger'))!;
    const staff = (await repos.staff.findByPhone(DEMO_STAFF_IDENTITY.phone))!;
    expect(await market.checkPin({ kind: 'producer', id: producer.id }, '4711')).toBe('ok');
    expect(await market.checkPin({ kind: 'staff', id: staff.id }, '2580')).toBe('ok');
  }, 30_000);

  it.each([
    [['producer', 'pin', '--producer', 'Gurkenhof Krüger', '--pin', '1234'], /too easy to guess/],
    [['producer', 'pin', '--producer', 'Gurkenhof Krüger', '--pin', '47'], /4 to 6 digits/],
    [['producer', 'pin', '--producer', 'Niemand', '--pin', '4711'], /no producer "Niemand"/],
    [['staff', 'pin', '--phone', '+4915100000999', '--pin', '4711'], /no staff member/],
  ])('refuses %j with one line and sets nothing', async (args, message) => {
    const failed = await marktbote(...args).then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(message);
    const producer = (await h.app.database.repositories.producers.findByName('Gurkenhof Krüger'))!;
    expect(await h.app.database.repositories.pins.get({ kind: 'producer', id: producer.id })).toBeNull();
  }, 30_000);
});
