/**
 * Issue 5's promise, as an operator sees it: after an order placed through a
 * channel, `marktbote jobs run --now <the evening before its pickup>` sends
 * exactly one reminder on the customer's channel, and running it again sends nothing. The
 * evening lies ahead of the real clock while the demo week is current, hence --force.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eveningBefore } from '../../../catalog/reminders.ts';
import { startBotApiDouble, type BotApiDouble } from '../../doubles/telegram-bot-api.ts';
import { startHarness, type Harness } from '../../helpers/conversation.ts';
import { placeOrder, register } from '../../helpers/customers.ts';

const run = promisify(execFile);
const BIN = new URL('../../../bin/marktbote.js', import.meta.url).pathname;

describe('marktbote jobs run --now', () => {
  let api: BotApiDouble;
  let h: Harness;
  beforeEach(async () => {
    api = await startBotApiDouble();
    h = await startHarness(undefined, { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });
  });
  afterEach(async () => {
    await h.dispose();
    await api.close();
  });

  it('sends one reminder to a Telegram customer the evening before pickup, and nothing the second time', async () => {
    const anna = h.person('telegram', '4343');
    await register(anna, 'de');
    await anna.says('Erinnerung an');
    anna.hears(/erinnere Sie hier auf Telegram/);
    const code = await placeOrder(anna, 'de', '2 Gläser Senfgurken');
    const order = (await h.app.database.repositories.orders.listByCycle(1)).find((o) => o.code === code)!;
    const evening = eveningBefore(order.pickupFrom, '18:00').toISOString();

    const env = { ...process.env, DATABASE_URL: h.databaseUrl, TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: 'silent' };
    const first = await run(process.execPath, [BIN, 'jobs', 'run', '--now', evening, '--force'], { env });
    expect(first.stdout).toMatch(/sent [1-9]/);
    expect(api.sent(4343)).toHaveLength(1);
    expect(api.sent(4343)[0]).toContain(code);

    const second = await run(process.execPath, [BIN, 'jobs', 'run', '--now', evening, '--force'], { env });
    expect(second.stdout).toMatch(/sent 0/);
    expect(api.sent(4343)).toHaveLength(1);
  }, 30_000);
});
