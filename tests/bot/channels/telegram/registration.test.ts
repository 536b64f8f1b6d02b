/** `marktbote webhook info` as the operator reads it: getWebhookInfo in words, without HTTP. */
import { describe, expect, it } from 'vitest';
import { describeWebhook } from '../../../../bot/channels/telegram/registration.ts';
import { isoWithOffset } from '../../../../catalog/time.ts';

describe('describeWebhook', () => {
  it('shows a failing webhook: its last error in Berlin time with Telegram\'s words, and what waits', () => {
    expect(describeWebhook({
      url: 'https://marktbote.example.de/telegram',
      has_custom_certificate: false,
      pending_update_count: 17,
      last_error_date: Date.parse('2026-12-01T09:00:00Z') / 1000,
      last_error_message: 'Wrong response from the webhook: 503 Service Unavailable',
      max_connections: 40,
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    }, isoWithOffset)).toEqual([
      'url              https://marktbote.example.de/telegram',
      'pending updates  17',
      'last error       2026-12-01T10:00:00+01:00 Wrong response from the webhook: 503 Service Unavailable',
      'max connections  40',
      'allowed updates  message, edited_message, callback_query',
    ]);
  });

  it('says so where nothing is set rather than printing blanks', () => {
    expect(describeWebhook({ url: '', has_custom_certificate: false, pending_update_count: 0 }, isoWithOffset)).toEqual([
      'url              (none: no webhook is set)',
      'pending updates  0',
      'last error       none',
      'max connections  -',
      "allowed updates  (Telegram's default)",
    ]);
  });
});
