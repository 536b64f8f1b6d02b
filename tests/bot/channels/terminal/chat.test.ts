import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTurn, runTerminalChat } from '../../../../bot/channels/terminal/chat.ts';
import { DEMO_CUSTOMER_PHONE, DEMO_PRODUCER_IDENTITY } from '../../../../catalog/demo-week.ts';
import { exportOrders } from '../../../../catalog/exports.ts';
import type { InboundEvent } from '../../../../flows/types.ts';
import { openDatabase } from '../../../../storage/database.ts';
import { fakeTurn, renderedTurn, testChannelContext } from '../../../helpers/twilio.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CUSTOMER = '+4915100000009';

/** Runs a terminal chat over in-memory streams with `lines` typed, answering from `respond`. */
async function chatOver(lines: string[], options: Parameters<typeof runTerminalChat>[1], respond: (event: InboundEvent) => ReturnType<typeof renderedTurn>) {
  const turn = fakeTurn(respond);
  const { ctx } = testChannelContext(turn.handler);
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  input.end(lines.map((line) => `${line}\n`).join(''));
  await runTerminalChat({ ctx }, options, { input, output });
  return { printed, calls: turn.calls };
}

describe('terminal chat', () => {
  const greeting = renderedTurn({
    messages: ['Willkommen beim *Marktboten*!', 'Sind Sie einverstanden?'],
    choices: [
      { id: 'yes', label: 'Ja, einverstanden' },
      { id: 'no', label: 'Nein' },
    ],
  });

  it('prints messages and numbered choices, plain when not a terminal', () => {
    expect(formatTurn(greeting, { bold: false })).toBe(
      'Willkommen beim Marktboten!\nSind Sie einverstanden?\n  1) Ja, einverstanden\n  2) Nein\n',
    );
    expect(formatTurn(greeting, { bold: true })).toContain('\x1b[1mMarktboten\x1b[22m');
  });

  it('starts the conversation, sends each line as typed and stops at "tschüss"', async () => {
    const { printed, calls } = await chatOver(['', '1', 'Anna Test', 'Tschüss', 'nicht mehr gesendet'], { as: 'customer', phone: CUSTOMER }, () => greeting);
    expect(calls.map((call) => call.event.payload)).toEqual([
      { type: 'start' },
      { type: 'text', text: '1' },
      { type: 'text', text: 'Anna Test' },
    ]);
    expect(calls[0].event).toMatchObject({
      channel: 'cli',
      conversationKey: `cli:customer:${CUSTOMER}`,
      identity: { kind: 'phone', value: CUSTOMER },
    });
    expect(calls[0].options.medium).toBe('written');
    expect(printed).toContain('> Anna Test\n');
    expect(printed.match(/ {2}2\) Nein/g)).toHaveLength(3);
  });

  it('speaks as the demo producer, and as the demo customer when no number is given', async () => {
    const producer = await chatOver(['exit'], { as: 'producer' }, () => greeting);
    expect(producer.calls[0].event).toMatchObject({
      conversationKey: `cli:producer:${DEMO_PRODUCER_IDENTITY.telegramId}`,
      identity: { kind: 'telegram', value: DEMO_PRODUCER_IDENTITY.telegramId },
    });
    const customer = await chatOver([], { as: 'customer' }, () => greeting);
    expect(customer.calls).toHaveLength(1);
    expect(customer.calls[0].event.identity).toEqual({ kind: 'phone', value: DEMO_CUSTOMER_PHONE });
  });
});

describe('terminal chat at a terminal', () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const terminal = () => Object.assign(new PassThrough(), { isTTY: true });
  const greeting = renderedTurn({ messages: ['Guten Tag, Gurkenhof Krüger!'], choices: [] });

  it('sends a typed line at Enter, and a pasted weekly post as one message once a blank line or Ctrl-D follows', async () => {
    const turn = fakeTurn(() => greeting);
    const { ctx } = testChannelContext(turn.handler);
    const input = terminal();
    const output = terminal();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    const chat = runTerminalChat({ ctx }, { as: 'producer' }, { input, output });
    const texts = () => turn.calls.map((call) => call.event.payload).filter((payload) => payload.type === 'text').map((payload) => payload.text);

    await pause(50);
    input.write('Hallo\r');
    await pause(80);
    expect(texts()).toEqual(['Hallo']);
    // A paste arrives in one piece; it waits for a blank line.
    input.write('Hallo, diese Woche hab ich:\rSenfgurken 40 Glas 3,50\rSalzgurken 30 Glas 3,50\r');
    await pause(80);
    expect(texts()).toEqual(['Hallo']);
    expect(printed).toContain('eine Leerzeile oder Strg-D schickt ihn ab');
    input.write('\r');
    await pause(80);
    expect(texts()).toEqual(['Hallo', 'Hallo, diese Woche hab ich:\nSenfgurken 40 Glas 3,50\nSalzgurken 30 Glas 3,50']);
    // Ctrl-D sends a pasted block and the chat goes on.
    input.write('Dillgurken 20 Glas 3,40\rGurkenhappen 30 Glas 2,90\r');
    await pause(80);
    input.write('\x04');
    await pause(80);
    input.write('ja\r');
    await pause(80);
    expect(texts().slice(2)).toEqual(['Dillgurken 20 Glas 3,40\nGurkenhappen 30 Glas 2,90', 'ja']);
    // Ctrl-D with nothing pending ends the chat.
    input.write('\x04');
    await chat;
    expect(turn.calls[0].event.payload).toEqual({ type: 'start' });
  });
});

describe('marktbote chat (the real CLI on a fresh database)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'marktbote-chat-'));
  const databaseUrl = join(directory, 'marktbote.sqlite');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** What a new customer types to order two jars of Senfgurken for pickup in Straupitz. */
  const conversation = ['Hallo', 'ja', 'Anna Test', 'Straupitz', '1', '2 Gläser Senfgurken', 'bestellen', 'ja', 'tschüss'];

  it('takes an order from a new customer and stores it', async () => {
    const child = spawn(process.execPath, ['bin/marktbote.js', 'chat', '--as', 'customer', '--phone', CUSTOMER], {
      cwd: ROOT,
      // Only what the chat needs: no channel variables from the developer's shell.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
    });
    let printed = '';
    let problems = '';
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      problems += chunk.toString('utf8');
    });
    child.stdin.end(conversation.map((line) => `${line}\n`).join(''));
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(problems).toBe('');
    expect(exitCode).toBe(0);
    const code = /Bestellnummer: \*?(\d+)/.exec(printed)?.[1];
    expect(code, printed).toBeDefined();

    const database = await openDatabase(databaseUrl);
    try {
      const cycle = await database.repositories.cycles.current(new Date());
      expect(cycle).not.toBeNull();
      const order = (await exportOrders(database.repositories, cycle!.id)).find((row) => row.code === code);
      expect(order).toMatchObject({
        status: 'placed',
        channel: 'cli',
        customer: { name: 'Anna Test', phone: CUSTOMER },
        pickupPoint: { name: 'Dorfladen Straupitz' },
        items: [{ product: 'Senfgurken', quantity: 2, unit: 'jar' }],
      });
    } finally {
      await database.close();
    }
  }, 60_000);
});
