/**
 * The terminal chat: talk to the bot on stdin/stdout, without any account or
 * server. A bare number picks the numbered choice (the engine maps "2" to the
 * second one), so the text is sent as typed.
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

  const lines = createInterface({ input: io.input, output: interactive ? io.output : undefined, terminal: interactive });
  const prompt = () => {
    if (interactive) lines.prompt();
  };
  // Listening starts now, so lines piped in while the greeting is computed are kept, not lost.
  const typed = lines[Symbol.asyncIterator]();
  try {
    await send({ type: 'start' });
    prompt();
    for (let next = await typed.next(); !next.done; next = await typed.next()) {
      const text = cleanText(next.value, MAX_TEXT);
      if (GOODBYES.has(text.toLowerCase())) break;
      if (!interactive) write(`> ${text}\n`);
      if (text !== '') await send({ type: 'text', text });
      prompt();
    }
  } finally {
    lines.close();
  }
}
