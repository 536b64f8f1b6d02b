/**
 * The HTTP app factory: health, metrics, body parsing and the last-resort error
 * handler. It does not listen, so tests drive it with `inject()`.
 */
import { STATUS_CODES } from 'node:http';
import formbody from '@fastify/formbody';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyPluginAsync,
} from 'fastify';
import type { Config } from './config.ts';
import { within } from './deadline.ts';
import type { Metrics } from './metrics.ts';
import { TurnUnavailable } from './types.ts';

/** Twilio and Telegram payloads are a few KB; anything near this is not from them. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/** A health check that takes longer than this counts as failed: a probe must not hang on a database that does not answer. */
export const HEALTH_TIMEOUT_MS = 2_000;

export interface ServerDependencies {
  config: Config;
  log?: FastifyBaseLogger;
  metrics: Metrics;
  /** Channel routes; each is an encapsulated plugin with its own hooks. */
  plugins: FastifyPluginAsync[];
  /** False (or a throw) when a dependency such as the database is down. */
  health?: () => Promise<boolean>;
}

/** A 4xx for what the client got wrong (bad body, wrong content type, too large); null for our own failures. */
function clientStatus(error: FastifyError): number | null {
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return null;
  return status;
}

/** Builds the app with every route mounted; the caller decides when to listen. */
export function buildServer(deps: ServerDependencies): FastifyInstance {
  const options = {
    bodyLimit: BODY_LIMIT_BYTES,
    // A public URL means a TLS-terminating proxy in front; log the caller's address, not the proxy's.
    trustProxy: deps.config.publicUrl !== null,
  };
  const app = deps.log ? Fastify({ ...options, loggerInstance: deps.log }) : Fastify({ ...options, logger: false });

  app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // The database is away for a moment: the caller may try again (the turn left no trace).
    if (error instanceof TurnUnavailable) {
      reply.header('retry-after', '5');
      return reply.code(503).send({ error: STATUS_CODES[503] });
    }
    const status = clientStatus(error);
    if (status !== null) {
      request.log.info({ code: error.code, status }, 'rejected request');
      return reply.code(status).send({ error: STATUS_CODES[status] ?? 'Bad Request' });
    }
    // The message may carry internals (SQL, paths); the client gets none of it.
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: 'Internal Server Error' });
  });

  // Probes and scrapes come every few seconds; logging each would drown the requests that matter.
  const quiet = { logLevel: 'silent' } as const;
  app.get('/healthz', quiet, async (_request, reply) => {
    const healthy = deps.health ? ((await within(deps.health().catch(() => false), HEALTH_TIMEOUT_MS)) ?? false) : true;
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable' });
  });

  app.get('/metrics', quiet, async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(body);
  });

  for (const plugin of deps.plugins) app.register(plugin);
  return app;
}
