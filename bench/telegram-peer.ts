/**
 * The other side of the Telegram benchmark, in a worker thread of its own so
 * that neither it nor the load it makes takes the measured server's event loop:
 * the strict Bot API double the bots reply to, and the load generator that
 * posts webhook updates.
 */
import { parentPort } from 'node:worker_threads';
import type { Update } from 'grammy/types';
import { startBotApiDouble } from '../tests/doubles/telegram-bot-api.ts';

export interface LoadRequest {
  url: string;
  /** What the senders send: messages, or presses of a button on one of the bot's messages. */
  kind: 'text' | 'press';
  headers: Record<string, string>;
  /** Untimed start, then the measured span. */
  warmupMs: number;
  measureMs: number;
  concurrency: number;
  firstUpdateId: number;
}

export interface LoadResult {
  /** Updates answered in the measured span. */
  completed: number;
  /** Updates answered in all, warm-up included. */
  served: number;
  seconds: number;
  nextUpdateId: number;
}

/** What customers write, in turn: browse, add, look at the cart, go back. */
const MIX = ['Gurken bitte', '2 Gläser Senfgurken', 'Warenkorb', 'zurück'];
/** Enough distinct senders that grammY's per-sender ordering does not serialise the load. */
const SENDERS = 64;

function textUpdate(updateId: number): Update {
  const sender = 10_000 + (updateId % SENDERS);
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: sender, type: 'private', first_name: 'Bench' },
      from: { id: sender, is_bot: false, first_name: 'Bench', language_code: 'de' },
      text: MIX[Math.floor(updateId / SENDERS) % MIX.length],
    },
  };
}

/** Buttons customers press, in turn: the week's offer, the cart (each begins its dialog). */
const PRESSES = ['browse', 'cart'];

/** A press on a button of a message the bot sent: the channel answers it, runs the turn and takes the keyboard away. */
function pressUpdate(updateId: number): Update {
  const sender = 10_000 + (updateId % SENDERS);
  const data = PRESSES[Math.floor(updateId / SENDERS) % PRESSES.length];
  return {
    update_id: updateId,
    callback_query: {
      id: `cq-${updateId}`,
      from: { id: sender, is_bot: false, first_name: 'Bench', language_code: 'de' },
      chat_instance: 'bench',
      data,
      message: {
        message_id: updateId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: sender, type: 'private', first_name: 'Bench' },
        text: 'Was möchten Sie tun?',
        reply_markup: { inline_keyboard: [[{ text: 'Auswahl', callback_data: data }]] },
      },
    },
  };
}

async function load(request: LoadRequest): Promise<LoadResult> {
  const update = request.kind === 'press' ? pressUpdate : textUpdate;
  let updateId = request.firstUpdateId;
  let completed = 0;
  let served = 0;
  let measuring = false;
  const stopAt = performance.now() + request.warmupMs + request.measureMs;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: JSON.stringify(update(updateId++)),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
      served++;
      if (measuring) completed++;
    }
  };
  const workers = Array.from({ length: request.concurrency }, worker);
  await new Promise((resolve) => setTimeout(resolve, request.warmupMs));
  measuring = true;
  const measuredFrom = performance.now();
  await Promise.all(workers);
  return { completed, served, seconds: (performance.now() - measuredFrom) / 1000, nextUpdateId: updateId };
}

const port = parentPort!;
const api = await startBotApiDouble();
port.postMessage({ apiRoot: api.apiRoot, token: api.token, botInfo: api.botInfo });
port.on('message', async (message: { load?: LoadRequest; close?: true }) => {
  if (message.close) {
    await api.close();
    port.postMessage({ closed: true });
    return;
  }
  try {
    const result = await load(message.load!);
    api.clear();
    port.postMessage({ result });
  } catch (error) {
    port.postMessage({ error: String(error) });
  }
});
