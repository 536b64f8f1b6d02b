/** Starting and stopping the channel: webhook registration and long polling against the Bot API double. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannelOptions } from '../../../../bot/channels/telegram/channel.ts';
import { startBotApiDouble, type BotApiDouble } from '../../../doubles/telegram-bot-api.ts';
import { countingLimiter, fakeTurn, testChannelContext } from './harness.ts';
import { ANNA } from './updates.ts';

let api: BotApiDouble;
let turn: ReturnType<typeof fakeTurn>;
let stop: (() => Promise<void>) | null = null;

beforeEach(async () => {
  api = await startBotApiDouble();
  turn = fakeTurn();
});
afterEach(async () => {
  await stop?.();
  stop = null;
  await api.close();
});

async function channel(options: Partial<TelegramChannelOptions>) {
  const { ctx } = await testChannelContext(turn, countingLimiter(20));
  const created = createTelegramChannel(ctx, { token: api.token, apiRoot: api.apiRoot, ...options });
  stop = created.stop;
  return created;
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('start', () => {
  it('registers the webhook with the secret and only the updates we serve', async () => {
    const telegram = await channel({ publicUrl: 'https://markt.example.org/', webhookSecret: 'geheim' });
    await telegram.start();
    const setWebhook = api.calls.find((call) => call.method === 'setWebhook');
    expect(setWebhook?.params).toEqual({
      url: 'https://markt.example.org/telegram',
      secret_token: 'geheim',
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    });
    expect(api.calls.map((call) => call.method)).toContain('getMe');
  });

  it('refuses webhook mode without a secret', async () => {
    const telegram = await channel({ publicUrl: 'https://markt.example.org' });
    await expect(telegram.start()).rejects.toThrow(/secret/);
    expect(api.calls.some((call) => call.method === 'setWebhook')).toBe(false);
  });

  it('long-polls without a public URL, answers updates, and takes none after stop', async () => {
    const telegram = await channel({ botInfo: api.botInfo });
    const queueText = (text: string) => api.queueUpdate({
      message: { message_id: 1, date: 1_772_442_000, text, chat: { id: ANNA.id, type: 'private', first_name: 'Anna' }, from: ANNA },
    });
    await telegram.start();
    queueText('Gurken');
    await eventually(() => api.sent(ANNA.id).length > 0);
    expect(api.sent(ANNA.id)).toEqual(['Sie schrieben: Gurken']);
    expect(api.calls.map((call) => call.method)).toContain('deleteWebhook');

    await telegram.stop();
    queueText('noch da?');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(turn.calls).toHaveLength(1);
  });
});
