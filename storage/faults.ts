/**
 * Failures that say the database is gone for a moment, told apart from a
 * statement that is wrong or refused. The first are answered with "try again"
 * (and counted); the second are a bug or a domain refusal and go their own way.
 */
import type { CompiledQuery, DatabaseConnection, Dialect, Driver } from 'kysely';
import type { DatabaseFault } from '../catalog/ports.ts';

export type { DatabaseFault } from '../catalog/ports.ts';

/** Told of every fault once, where it happened: a statement, a connection attempt, a connection that broke. */
export type FaultListener = (fault: DatabaseFault, error: unknown) => void;

/**
 * SQLSTATEs of a connection that broke in use: the server was shut down or the
 * backend terminated (57P01, 57P02), the connection failed (08003, 08006), or a
 * commit's outcome was lost with it (08007).
 */
const LOST_SQLSTATES = new Set(['57P01', '57P02', '08003', '08006', '08007']);
/** SQLSTATEs of a server that takes no connection now: starting up, full, or refusing (08000, 08001, 08004). */
const UNAVAILABLE_SQLSTATES = new Set(['57P03', '53300', '08000', '08001', '08004']);
const LOST_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const UNREACHABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
/** What node-postgres says, without a code, of a connection that ended or of a pool that could not connect in time. */
const LOST_MESSAGE = /^(Connection terminated( unexpectedly)?|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Postgres connection has been discarded)$/;
const UNREACHABLE_MESSAGE = /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)$/;
/** better-sqlite3's codes when another connection held the lock past busy_timeout (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE …). */
const SQLITE_CONTENDED = /^SQLITE_(BUSY|LOCKED)(_|$)/;

/** What `error` says about the database: a connection lost, the database unavailable, or nothing (null). */
export function databaseFault(error: unknown): DatabaseFault | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth += 1) {
    const fault = ownFault(cause);
    if (fault) return fault;
    // Node reports a connection refused on every address of a host as one AggregateError.
    if (cause instanceof AggregateError && cause.errors.some((inner) => ownFault(inner) === 'unavailable')) return 'unavailable';
  }
  return null;
}

function ownFault(error: unknown): DatabaseFault | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (LOST_SQLSTATES.has(code) || LOST_SOCKET_CODES.has(code)) return 'connection_lost';
    if (UNAVAILABLE_SQLSTATES.has(code) || UNREACHABLE_SOCKET_CODES.has(code) || SQLITE_CONTENDED.test(code)) return 'unavailable';
  }
  if (LOST_MESSAGE.test(error.message)) return 'connection_lost';
  if (UNREACHABLE_MESSAGE.test(error.message)) return 'unavailable';
  return null;
}

/** Runs `work`; a fault it fails with is told to `listener` before the error goes on unchanged. */
export function reportingFaults<T>(listener: FaultListener, work: () => T): T {
  try {
    const result = work();
    if (result instanceof Promise) return result.catch((error: unknown) => rethrowReported(listener, error)) as T;
    return result;
  } catch (error) {
    return rethrowReported(listener, error);
  }
}

function rethrowReported(listener: FaultListener, error: unknown): never {
  const fault = databaseFault(error);
  if (fault) listener(fault, error);
  throw error;
}

/**
 * `dialect` with every way Kysely reaches the database reporting its faults:
 * taking a connection from the pool, and each statement on it, including the
 * transaction statements the driver runs itself (begin, commit, rollback).
 * The driver and its connections are patched in place, as Kysely's own query
 * log does: a wrapper object would not be the connection the driver made, and
 * the PostgreSQL driver keeps its release and discard methods on that object.
 */
export function reportingDialect(dialect: Dialect, listener: FaultListener): Dialect {
  return {
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => reportingDriver(dialect.createDriver(), listener),
  };
}

function reportingDriver(driver: Driver, listener: FaultListener): Driver {
  const acquire = driver.acquireConnection.bind(driver);
  const reporting = new WeakSet<DatabaseConnection>();
  driver.acquireConnection = () =>
    reportingFaults(listener, async () => {
      const connection = await acquire();
      if (!reporting.has(connection)) {
        const execute = connection.executeQuery.bind(connection);
        connection.executeQuery = <R>(query: CompiledQuery) => reportingFaults(listener, () => execute<R>(query));
        reporting.add(connection);
      }
      return connection;
    });
  return driver;
}
