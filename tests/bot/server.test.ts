import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { createMetrics } from '../../bot/metrics.ts';
import { BODY_LIMIT_BYTES, buildServer } from '../../bot/server.ts';

/** Routes that stand in for a channel: echo a body, or fail the way a bug would. */
const probeRoutes: FastifyPluginAsync = async (app) => {
  app.post('/echo', async (request) => ({ received: request.body }));
  app.get('/boom', async () => {
    throw new Error('SELECT * FROM secrets failed at /srv/marktbote');
  });
};

function server(health?: () => Promise<boolean>) {
  const metrics = createMetrics();
  const app = buildServer({ config: loadConfig({}), metrics, plugins: [probeRoutes], health });
  return { app, metrics };
}

describe('buildServer', () => {
  it('reports healthy, and 503 when a dependency is down or the check throws', async () => {
    expect((await server().app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const down = await server(async () => false).app.inject({ url: '/healthz' });
    expect(down.statusCode).toBe(503);
    const throwing = await server(() => Promise.reject(new Error('db gone'))).app.inject({ url: '/healthz' });
    expect(throwing.statusCode).toBe(503);
  });

  it('serves its own registry as Prometheus text', async () => {
    const { app, metrics } = server();
    metrics.turn('whatsapp', 0.02);
    metrics.error('voice', 'turn');
    metrics.outbound('telegram', 'reply', 'failed');
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('turns_total{channel="whatsapp"} 1');
    expect(response.body).toContain('errors_total{channel="voice",kind="turn"} 1');
    expect(response.body).toContain('outbound_total{channel="telegram",kind="reply",outcome="failed"} 1');
    expect(response.body).toContain('turn_duration_seconds_bucket{le="0.025",channel="whatsapp"} 1');
  });

  it('shows the outbox gauges as unknown, and still answers, while the outbox cannot be read or does not answer', async () => {
    for (const outboxBacklog of [() => Promise.reject(new Error('db gone')), () => new Promise<never>(() => undefined)]) {
      const metrics = createMetrics({ outboxBacklog });
      const app = buildServer({ config: loadConfig({}), metrics, plugins: [] });
      const response = await app.inject({ url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('turns_total');
      expect(response.body).toMatch(/^outbox_backlog_messages nan$/im);
      expect(response.body).toMatch(/^outbox_oldest_pending_age_seconds nan$/im);
    }
  });

  it('keeps metrics of two apps apart', async () => {
    const first = server();
    const second = server();
    first.metrics.turn('voice', 0.1);
    expect((await second.app.inject({ url: '/metrics' })).body).not.toContain('turns_total{channel="voice"}');
  });

  it('parses JSON and form bodies', async () => {
    const { app } = server();
    const json = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(json.json()).toEqual({ received: { a: 1 } });
    const form = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: 'Body=Senfgurken+%26+Lein%C3%B6l',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.json()).toEqual({ received: { Body: 'Senfgurken & Leinöl' } });
  });

  it.each([
    ['a body over the limit', 'application/x-www-form-urlencoded', `Body=${'x'.repeat(BODY_LIMIT_BYTES)}`, 413],
    ['a JSON body over the limit', 'application/json', JSON.stringify({ text: 'x'.repeat(BODY_LIMIT_BYTES) }), 413],
    ['broken JSON', 'application/json', '{"a":', 400],
    ['an unknown content type', 'application/x-gurke', 'hello', 415],
  ])('answers %s with a 4xx and no internals', async (_case, contentType, payload, status) => {
    const response = await server().app.inject({ method: 'POST', url: '/echo', payload, headers: { 'content-type': contentType } });
    expect(response.statusCode).toBe(status);
    expect(Object.keys(response.json())).toEqual(['error']);
  });

  it('turns an unexpected failure into a generic 500', async () => {
    const response = await server().app.inject({ url: '/boom' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'Internal Server Error' });
    expect(response.body).not.toContain('secrets');
  });
});
