/**
 * The database away for a moment, end to end: PostgreSQL connections ended
 * under load (pg_terminate_backend), PostgreSQL out of reach, and a SQLite write
 * lock held past the busy timeout. The process stays up, a turn that failed
 * leaves no trace and is answered for real when it comes again, the person is
 * told to try again, and no order is lost or placed twice.
 */
import Sqlite from 'better-sqlite3';
import type { User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TUESDAY_MORNING } from '../helpers/conversation.ts';
import { createPostgresDatabase, postgresServer, type ScratchPostgresDatabase } from '../helpers/database.ts';
import { signedTwilioRequest } from '../helpers/twilio.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { child, parseXml } from '../helpers/twiml.ts';
import { sid, spokenTexts, startE2e, WHATSAPP_NUMBER, type E2e } from './app.ts';
import { TelegramUser } from './telegram-user.ts';

/** How often the load test ends every connection, 150 ms apart: through the first half of the customers' orders. */
const ENDING_ROUNDS = 12;
const TRY_AGAIN = /Da klemmt gerade etwas — bitte gleich nochmal versuchen\./;
const postgres = await postgresServer();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const NAMES = ['Anna', 'Berta', 'Clara', 'Doris'];

function customer(id: number, name = NAMES[id % NAMES.length]): User {
  return { id, is_bot: false, first_name: name, language_code: 'de' };
}

/** Consent, name, pickup point by location, then two jars of Dillgurken up to "Soll ich so bestellen?". */
async function fillCart(user: TelegramUser): Promise<void> {
  await user.says('/start');
  await user.presses(/Ja, einverstanden/);
  await user.says(user.user.first_name);
  await user.sharesLocation(51.91, 14.12);
  await user.presses(/Dorfladen Straupitz/);
  await user.taps(/Angebot der Woche/);
  await user.presses(/Spreewälder Gurken/);
  await user.presses(/Dillgurken/);
  await user.presses(/^2 Gläser/);
  await user.presses(/^Bestellen$/);
  user.hears(/Soll ich so bestellen/);
}

async function health(e2e: E2e): Promise<number> {
  return (await e2e.app.server.inject({ url: '/healthz' })).statusCode;
}

/** Asks /healthz until it answers `status`, as a load balancer would. */
async function healthBecomes(e2e: E2e, status: number, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while ((await health(e2e)) !== status) {
    if (Date.now() > deadline) throw new Error(`/healthz did not turn ${status} within ${withinMs} ms`);
    await pause(50);
  }
}

async function dillgurkenInStock(e2e: E2e): Promise<number> {
  const cycle = await e2e.app.database.repositories.cycles.current(e2e.clock.now());
  const offers = await e2e.app.database.repositories.offers.list(cycle!.id, {});
  return offers.find((offer) => offer.productName === 'Dillgurken')!.available;
}

describe.skipIf(!postgres.available)(`PostgreSQL connections ended under load, on ${postgres.label}`, () => {
  let database: ScratchPostgresDatabase;
  let e2e: E2e;
  beforeEach(async () => {
    database = await createPostgresDatabase();
    e2e = await startE2e(TUESDAY_MORNING, { databaseUrl: database.url });
  });
  afterEach(async () => {
    await e2e?.dispose();
    await database?.remove();
  });

  it('keeps the process up, places every order exactly once, and /healthz stays or turns 200', async () => {
    // Telegram re-delivers what the webhook refused: the test does too.
    const users = [0, 1, 2, 3].map((n) => new TelegramUser(e2e, customer(7001 + n), { firstUpdateId: 1000 * (n + 1), redeliverAfterMs: 20 }));
    const stockBefore = await dillgurkenInStock(e2e);
    // Every connection of the app's database ended, again and again while the customers order.
    let ordering = true;
    let ended = 0;
    const ender = (async () => {
      for (let round = 0; round < ENDING_ROUNDS && ordering; round += 1) {
        ended += await database.terminateConnections();
        await pause(150);
      }
    })();
    try {
      await Promise.all(users.map(async (user) => {
        await fillCart(user);
        await user.presses(/Ja, bestellen/);
        user.hears(/Bestellnummer/);
      }));
    } finally {
      ordering = false;
      await ender;
    }

    expect(ended).toBeGreaterThan(0);
    for (const user of users) {
      const orders = await e2e.ordersOf({ kind: 'telegram', value: String(user.user.id) });
      expect(orders, user.transcript.join('\n')).toHaveLength(1);
      expect(orders[0].items).toMatchObject([{ productName: 'Dillgurken', quantity: 2 }]);
    }
    expect(await dillgurkenInStock(e2e)).toBe(stockBefore - 2 * users.length);
    await healthBecomes(e2e, 200);
  }, 60_000);
});

describe.skipIf(!postgres.available)(`PostgreSQL out of reach, on ${postgres.label}`, () => {
  let database: ScratchPostgresDatabase;
  let proxy: TcpProxy;
  let e2e: E2e;
  beforeEach(async () => {
    database = await createPostgresDatabase();
    const server = new URL(database.url);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    e2e = await startE2e(TUESDAY_MORNING, { databaseUrl: proxy.through(database.url) });
  });
  afterEach(async () => {
    await proxy?.accept();
    await e2e?.dispose();
    await proxy?.close();
    await database?.remove();
  });

  it('answers /healthz with 503 while the database is out of reach and 200 once it is back', async () => {
    expect(await health(e2e)).toBe(200);
    await proxy.refuse();
    await healthBecomes(e2e, 503);
    await proxy.accept();
    await healthBecomes(e2e, 200);
  });

  it('refuses a Telegram update with 503, says once to try again, and answers its re-delivery for real', async () => {
    const anna = new TelegramUser(e2e, customer(7101));
    await fillCart(anna);
    const confirm = anna.press(anna.keyboardMessage(), /Ja, bestellen/);
    await proxy.refuse();

    expect((await anna.post(confirm)).statusCode).toBe(503);
    expect((await anna.post(confirm)).statusCode).toBe(503);
    expect(anna.received().filter((text) => TRY_AGAIN.test(text))).toHaveLength(1);

    await proxy.accept();
    await healthBecomes(e2e, 200);
    expect((await anna.post(confirm)).statusCode).toBe(200);
    anna.hears(/Bestellnummer/);
    expect(await e2e.ordersOf({ kind: 'telegram', value: '7101' })).toHaveLength(1);
  });
});

describe('a SQLite write lock held past the busy timeout', () => {
  let e2e: E2e;
  let lock: Sqlite.Database;
  beforeEach(async () => {
    e2e = await startE2e(TUESDAY_MORNING, { sqliteBusyTimeoutMs: 100 });
    lock = new Sqlite(e2e.app.config.databaseUrl);
  });
  afterEach(async () => {
    if (lock.inTransaction) lock.exec('rollback');
    lock.close();
    await e2e.dispose();
  });

  it('refuses the Telegram update, writes nothing of it, and places the order once when it comes again', async () => {
    const anna = new TelegramUser(e2e, customer(7201));
    await fillCart(anna);
    const confirm = anna.press(anna.keyboardMessage(), /Ja, bestellen/);
    const stockBefore = await dillgurkenInStock(e2e);
    lock.exec('begin immediate');

    expect((await anna.post(confirm)).statusCode).toBe(503);
    anna.hears(TRY_AGAIN);
    lock.exec('rollback');
    expect(await e2e.orders()).toHaveLength(0);
    expect(await dillgurkenInStock(e2e)).toBe(stockBefore);

    expect((await anna.post(confirm)).statusCode).toBe(200);
    anna.hears(/Bestellnummer/);
    expect((await anna.post(confirm)).statusCode).toBe(200);
    expect(await e2e.orders()).toHaveLength(1);
    expect(await dillgurkenInStock(e2e)).toBe(stockBefore - 2);
  });

  it('tells a WhatsApp writer to try again, and answers the same message for real once the lock is gone', async () => {
    const message = { MessageSid: sid('SM', 7301), From: 'whatsapp:+4915100007301', To: WHATSAPP_NUMBER, Body: 'Hallo' };
    lock.exec('begin immediate');
    const refused = await signedTwilioRequest(e2e.app.server, { url: '/twilio/whatsapp', params: message });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toMatch(TRY_AGAIN);
    lock.exec('rollback');

    const answered = await signedTwilioRequest(e2e.app.server, { url: '/twilio/whatsapp', params: message });
    expect(answered.body).not.toMatch(TRY_AGAIN);
    expect(answered.body).toMatch(/Marktbote/);
  });

  it('says to a caller to try again and takes the next answer as the same step', async () => {
    const call = { CallSid: sid('CA', 7401), From: '+4915100007401' };
    lock.exec('begin immediate');
    const refused = await signedTwilioRequest(e2e.app.server, { url: '/twilio/voice', params: call });
    expect(refused.statusCode).toBe(200);
    const twiml = parseXml(refused.body);
    expect(spokenTexts(child(twiml, 'Gather'))).toEqual([expect.stringMatching(TRY_AGAIN)]);
    expect(child(twiml, 'Gather').attributes.action).toMatch(/\/twilio\/voice\/gather\?step=0$/);
    lock.exec('rollback');

    const answered = await signedTwilioRequest(e2e.app.server, { url: '/twilio/voice/gather?step=0', params: { ...call, SpeechResult: 'Hallo', Confidence: '0.9' } });
    expect(spokenTexts(parseXml(answered.body)).join(' ')).not.toMatch(TRY_AGAIN);
  });
});
