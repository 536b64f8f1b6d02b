/**
 * The Telegram webhook as Telegram keeps it: where it posts updates, with which
 * secret and which kinds. One definition for the server's start and for
 * `marktbote webhook`, so that the operator registers exactly what an instance would.
 */
import type { Api } from 'grammy';
import type { WebhookInfo } from 'grammy/types';
import { TELEGRAM_WEBHOOK_PATH } from './routes.ts';

/** `edited_message`: an edit gets a word that it cannot count, rather than silence. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/** Registers `publicUrl`/telegram with the secret the route checks and only the updates we serve; returns the URL. */
export async function registerWebhook(api: Api, publicUrl: string, secret: string): Promise<string> {
  const url = `${publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
  await api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
  return url;
}

/** getWebhookInfo as an operator reads it, one `label  value` line each; `time` shows an instant. */
export function describeWebhook(info: WebhookInfo, time: (at: Date) => string): string[] {
  const lastError = info.last_error_date
    ? `${time(new Date(info.last_error_date * 1000))} ${info.last_error_message ?? ''}`.trimEnd()
    : 'none';
  const rows: Array<[string, string]> = [
    ['url', info.url || '(none: no webhook is set)'],
    ['pending updates', String(info.pending_update_count)],
    ['last error', lastError],
    ['max connections', info.max_connections === undefined ? '-' : String(info.max_connections)],
    // Left out, Telegram sends every kind except chat_member, message_reaction and message_reaction_count.
    ['allowed updates', info.allowed_updates?.length ? info.allowed_updates.join(', ') : "(Telegram's default)"],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}
