/** The server's log: readable on a terminal, JSON in a pipe, and no access log for probes and scrapes. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { createLogger, prettyLine } from '../../bot/log.ts';
import { createMetrics } from '../../bot/metrics.ts';
import { buildServer } from '../../bot/server.ts';

/** A log output that keeps what was written, as a terminal or as a pipe. */
function output(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, isTTY, write: (text: string) => lines.push(text) };
}

const plain = (text: string) => text.replace(/\x1b\[\d+m/g, '');

describe('the log', () => {
  it('is human-readable on a terminal: Berlin time, level, message, fields, the stack of an error', () => {
    const terminal = output(true);
    const log = createLogger({ logLevel: 'info' }, terminal);
    log.info({ channel: 'telegram', url: '/telegram' }, 'incoming request');
    log.error({ err: new Error('database gone') }, 'turn failed');
    log.debug('not shown at info');
    expect(terminal.lines).toHaveLength(2);
    expect(plain(terminal.lines[0])).toMatch(/^\d\d:\d\d:\d\d INFO  incoming request channel=telegram url=\/telegram\n$/);
    expect(plain(terminal.lines[1])).toMatch(/^\d\d:\d\d:\d\d ERROR turn failed\n {4}Error: database gone\n\s+at /);
    expect(terminal.lines[1]).toContain('\x1b[31mERROR');
  });

  it('is one JSON object a line otherwise', () => {
    const pipe = output(false);
    createLogger({ logLevel: 'info' }, pipe).warn({ outboxId: 7 }, 'outbound message failed, will retry');
    expect(JSON.parse(pipe.lines[0])).toMatchObject({ level: 40, outboxId: 7, msg: 'outbound message failed, will retry' });
  });

  it('passes a line that is not JSON through as it is', () => {
    expect(prettyLine('plain text', false)).toBe('plain text\n');
  });

  it('has no access log for /healthz and /metrics, and keeps it for everything else', async () => {
    const pipe = output(false);
    const app = buildServer({ config: loadConfig({}), metrics: createMetrics(), plugins: [], log: createLogger({ logLevel: 'info' }, pipe) });
    await app.inject({ url: '/healthz' });
    await app.inject({ url: '/metrics' });
    await app.inject({ url: '/nowhere' });
    const urls = pipe.lines.map((line) => JSON.parse(line) as { req?: { url?: string } }).flatMap((entry) => (entry.req?.url ? [entry.req.url] : []));
    expect(urls).toEqual(['/nowhere']);
    await app.close();
  });
});
