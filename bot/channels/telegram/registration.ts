/**
 * The Telegram webhook as Telegram keeps it: where it posts updates, with which
 * secret and which kinds. One definition for the server's start and for
 * `marktbote webhook`, so that the operator registers exactly what an instance would.
 */
import type { Api } from 'grammy';
import { TELEGRAM_WEBHOOK_PATH } from './routes.ts';

/** `edited_message`: an edit gets a word that it cannot count, rather than silence. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/** Registers `publicUrl`/telegram with the secret the route checks and only the updates we serve; returns the URL. */
export async function registerWebhook(api: Api, publicUrl: string, secret: string): Promise<string> {
  const url = `${publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
  await api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
  return url;
}
