/**
 * The server's log: one JSON object a line for a log collector when stdout is
 * a file or a pipe, and short readable lines when a person watches a terminal
 * (a dependency-free stand-in for pino-pretty: time, level, message, fields).
 */
import pino from 'pino';
import type { Config } from './config.ts';

/** Where the log goes; a terminal when `isTTY` is set. */
export type LogOutput = { write(text: string): unknown; isTTY?: boolean };

const LEVELS: Record<number, { name: string; colour: number }> = {
  10: { name: 'TRACE', colour: 90 },
  20: { name: 'DEBUG', colour: 90 },
  30: { name: 'INFO', colour: 32 },
  40: { name: 'WARN', colour: 33 },
  50: { name: 'ERROR', colour: 31 },
  60: { name: 'FATAL', colour: 35 },
};
/** Fields every line has, shown in its head rather than repeated. */
const HEAD = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

function clock(time: unknown): string {
  const at = typeof time === 'number' ? new Date(time) : new Date();
  return at.toLocaleTimeString('de-DE', { timeZone: 'Europe/Berlin', hour12: false });
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** One pino JSON line as a person reads it: "14:03:07 INFO  incoming request reqId=req-1 url=/telegram". */
export function prettyLine(json: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level), colour: 0 };
  const name = level.name.padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key]) => !HEAD.has(key))
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const head = [clock(entry.time), colour ? `\x1b[${level.colour}m${name}\x1b[39m` : name, String(entry.msg ?? ''), ...fields].join(' ');
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n    ${(err.stack ?? err.message ?? '').split('\n').join('\n    ')}` : '';
  return `${head}${stack}\n`;
}

/** The app's logger: readable on a terminal, JSON otherwise. */
export function createLogger(config: Pick<Config, 'logLevel'>, output: LogOutput = process.stdout): pino.Logger {
  if (!output.isTTY) return output === process.stdout ? pino({ level: config.logLevel }) : pino({ level: config.logLevel }, output);
  return pino({ level: config.logLevel }, { write: (line: string) => output.write(prettyLine(line, true)) });
}
