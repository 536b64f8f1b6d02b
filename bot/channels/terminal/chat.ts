/**
 * The terminal chat: talk to the bot on stdin/stdout, without any account or
 * server. A bare number picks the numbered choice (the engine maps "2" to the
 * second one), so the text is sent as typed. At a terminal a pasted block of
 * lines is one message (a blank line or Ctrl-D sends it); piped in, every line is one.
 */
import { createInterface } from 'node:readline';
import { DEMO_CUSTOMER_PHONE } from '../../../catalog/demo-week.ts';
import { cleanText, type InboundPayload } from '../../../flows/index.ts';
import type { ChannelContext, RenderedTurn } from '../../types.ts';
import { demoIdentity, type DemoRole } from '../demo/identity.ts';

export interface TerminalChatOptions {
  as: DemoRole;
  /** The customer's E.164 number; the demo customer when absent. */
  phone?: string;
}

export interface TerminalIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

const GOODBYES = new Set(['exit', 'tschüss', 'tschuess']);
const BLOCK_HINT = '(Eingefügter Text: eine Leerzeile oder Strg-D schickt ihn ab.)';
const MAX_TEXT = 2000;
const BOLD = /\*([^*\n]+)\*/g;

/** The bot's side of a turn as terminal lines: messages, then the choices numbered from 1. */
export function formatTurn(turn: RenderedTurn, options: { bold: boolean }): string {
  const emphasise = (text: string) => text.replace(BOLD, options.bold ? '\x1b[1m$1\x1b[22m' : '$1');
  const lines = [
    ...turn.messages.map(emphasise),
    ...turn.choices.map((choice, index) => `  ${index + 1}) ${emphasise(choice.label)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Lines arriving closer together than this came in one paste, not typed one by one. */
const PASTE_GAP_MS = 25;

/** Runs a chat on `io` until end of input or "exit"/"tschüss" typed alone. */
export async function runTerminalChat(app: { ctx: ChannelContext }, options: TerminalChatOptions, io: TerminalIo): Promise<void> {
  const phone = options.phone ?? DEMO_CUSTOMER_PHONE;
  const identity = demoIdentity(options.as, phone);
  const conversationKey = `cli:${options.as}:${options.as === 'customer' ? phone : identity.value}`;
  // A terminal shows bold; a pipe or file gets the plain words, and the typed lines echoed for a readable transcript.
  const interactive = (io.output as { isTTY?: boolean }).isTTY === true && (io.input as { isTTY?: boolean }).isTTY === true;
  const write = (text: string) => io.output.write(text);

  const send = async (payload: InboundPayload) => {
    const turn = await app.ctx.turn(
      { channel: 'cli', conversationKey, identity, payload, receivedAt: new Date() },
      // A typed line is never delivered twice.
      { deliveryKey: null, medium: 'written' },
    );
    if (turn) write(formatTurn(turn, { bold: interactive }));
  };
  const say = (text: string) => send({ type: 'text', text: cleanText(text, MAX_TEXT) });

  if (interactive) {
    await chatInTerminal(io, send, say);
    return;
  }
  const lines = createInterface({ input: io.input, terminal: false });
  // Listening starts now, so lines piped in while the greeting is computed are kept, not lost.
  const typed = lines[Symbol.asyncIterator]();
  try {
    await send({ type: 'start' });
    // Piped in, every line is one message, so that a script can hold a whole conversation.
    for (let next = await typed.next(); !next.done; next = await typed.next()) {
      const text = cleanText(next.value, MAX_TEXT);
      if (GOODBYES.has(text.toLowerCase())) break;
      write(`> ${text}\n`);
      if (text !== '') await say(text);
    }
  } finally {
    lines.close();
  }
}

/**
 * A person at a terminal: a typed line is sent at Enter; lines that arrive
 * together are a pasted block (a weekly stock post), sent as one message once
 * a blank line follows or Ctrl-D is pressed. Ctrl-D with nothing pending ends the chat.
 */
function chatInTerminal(io: TerminalIo, send: (payload: InboundPayload) => Promise<void>, say: (text: string) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let queue: Promise<void> = send({ type: 'start' });
    let lines = open();
    let burst: string[] = [];
    let timer: NodeJS.Timeout | null = null;
    /** The pasted block waiting for a blank line or Ctrl-D; null when none. */
    let block: string[] | null = null;
    let done = false;

    function open() {
      const rl = createInterface({ input: io.input, output: io.output, terminal: true });
      rl.on('line', onLine);
      rl.on('close', onClose);
      return rl;
    }
    function prompt() {
      if (!done) lines.prompt();
    }
    function submit(text: string) {
      queue = queue.then(() => say(text)).then(prompt, reject);
    }
    function sendBlock() {
      if (block && block.length > 0) submit(block.join('\n'));
      block = null;
    }
    function finish() {
      done = true;
      lines.close();
      queue.then(() => resolve(), reject);
    }
    function onLine(line: string) {
      if (block !== null) {
        if (line.trim() === '') sendBlock();
        else block.push(line);
        return;
      }
      burst.push(line);
      if (timer) clearTimeout(timer);
      timer = setTimeout(settleBurst, PASTE_GAP_MS);
    }
    function settleBurst() {
      timer = null;
      const arrived = burst;
      burst = [];
      if (arrived.length === 1) {
        const text = arrived[0].trim();
        if (GOODBYES.has(text.toLowerCase())) finish();
        else if (text !== '') submit(text);
        else prompt();
        return;
      }
      // Pasted: up to a blank line the lines are one message; a block the paste leaves open waits.
      for (const line of arrived) {
        if (line.trim() === '') sendBlock();
        else (block ??= []).push(line);
      }
      if (block) io.output.write(`${BLOCK_HINT}\n`);
    }
    function onClose() {
      if (done) return;
      if (timer) {
        clearTimeout(timer);
        settleBurst();
      }
      const pending = block !== null;
      sendBlock();
      // Ctrl-D sends a pending block and the chat goes on; at the end of input, or with nothing pending, it ends.
      if (pending && !(io.input as { readableEnded?: boolean }).readableEnded) {
        lines = open();
        return;
      }
      finish();
    }
  });
}
