/**
 * Each turn is counted once, on its own channel: the turn handler feeds
 * turns_total and the turn histogram, and no channel counts again around it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postTwilio, sid, startE2e, WEBHOOK_SECRET, WHATSAPP_NUMBER, type E2e } from './app.ts';

let e2e: E2e;
beforeEach(async () => { e2e = await startE2e(); });
afterEach(async () => { await e2e.dispose(); });

/** The value of one per-channel series in the Prometheus text; 0 when it has none yet. */
function series(metrics: string, name: string, channel: string): number {
  const line = new RegExp(`^${name}\\{channel="${channel}"\\} (\\d+)$`, 'm').exec(metrics);
  return line ? Number(line[1]) : 0;
}

describe('turn metrics', () => {
  it('count one turn on each channel exactly once', async () => {
    const telegram = await e2e.app.server.inject({
      method: 'POST',
      url: '/telegram',
      headers: { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      payload: {
        update_id: 1,
        message: {
          message_id: 1,
          date: Math.floor(e2e.clock.now().getTime() / 1000),
          chat: { id: 5011, type: 'private', first_name: 'Anna' },
          from: { id: 5011, is_bot: false, first_name: 'Anna', language_code: 'de' },
          text: '/start',
        },
      },
    });
    expect(telegram.statusCode).toBe(200);
    await postTwilio(e2e, '/twilio/whatsapp', {
      MessageSid: sid('SM', 1), From: 'whatsapp:+4915100000042', To: WHATSAPP_NUMBER, Body: 'Hallo',
    });
    await postTwilio(e2e, '/twilio/voice', { CallSid: sid('CA', 1), From: '+4915100000043' });

    const metrics = (await e2e.app.server.inject({ url: '/metrics' })).body;
    const counted = Object.fromEntries(
      ['telegram', 'whatsapp', 'voice'].map((channel) => [
        channel,
        { turns: series(metrics, 'turns_total', channel), timed: series(metrics, 'turn_duration_seconds_count', channel) },
      ]),
    );
    expect(counted).toEqual({
      telegram: { turns: 1, timed: 1 },
      whatsapp: { turns: 1, timed: 1 },
      voice: { turns: 1, timed: 1 },
    });
  });
});
