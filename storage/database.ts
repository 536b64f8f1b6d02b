/**
 * Opens the one database the bot runs on: a SQLite file for a village shop's
 * laptop, PostgreSQL for the hosted service. Both get the same schema and the
 * same repositories.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, type Dialect, type KyselyPlugin, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Clock, Repositories } from '../catalog/ports.ts';
import { migrateToLatest } from './migrations/index.ts';
import { createRepositories } from './repositories/index.ts';
import type { Schema, SqlDialect } from './schema.ts';
import { useDirectLane } from './compiled-once.ts';
import { databaseFault, reportingDialect, type DatabaseFault, type FaultListener } from './faults.ts';
import { openSqlite, type DirectLane, type SqliteHandle } from './sqlite.ts';

export type { Schema, SqlDialect } from './schema.ts';

export interface Database {
  dialect: SqlDialect;
  db: Kysely<Schema>;
  repositories: Repositories;
  /** Applies every migration not yet applied. */
  migrate(): Promise<void>;
  /** What a failure says about the database: its connection broke, it is unavailable, or nothing of the kind (null). */
  fault(error: unknown): DatabaseFault | null;
  close(): Promise<void>;
}

/** One executed statement, for logging; `error` is set when it failed. */
export interface QueryLogEntry {
  sql: string;
  durationMs: number;
  error?: unknown;
}

export interface OpenDatabaseOptions {
  log?: (entry: QueryLogEntry) => void;
  /** Stamps rows the ports give no time for; the system clock by default. */
  clock?: Clock;
  /**
   * Told of every database fault where it happens: a statement or a connection
   * attempt that failed for it, or a PostgreSQL connection that broke, idle in
   * the pool or in use (the pool replaces it on its own). For counting and
   * logging; the failing call still fails.
   */
  onFault?: FaultListener;
  /** How long a SQLite statement waits for another connection's lock before it fails as unavailable. */
  sqliteBusyTimeoutMs?: number;
}

export type DatabaseLocation =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; connectionString: string };

const POSTGRES_POOL_SIZE = 10;
/** A server that does not answer a connection attempt within this is unavailable, not slow. */
const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;
const PG_INT8_OID = 20;

/**
 * Reads a database URL: `postgres://…`/`postgresql://…`, `sqlite:path`,
 * `sqlite://path` (`sqlite:///abs/path` for an absolute one), `:memory:`, or a plain file path.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new Error('database URL is empty');
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    return { dialect: 'postgres', connectionString: trimmed };
  }
  const sqlite = /^sqlite:(\/\/)?(.*)$/i.exec(trimmed);
  const path = sqlite ? sqlite[2] : trimmed;
  if (path === '') throw new Error(`database URL names no file: ${url}`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) throw new Error(`unsupported database URL: ${url}`);
  return { dialect: 'sqlite', path };
}

/** Opens (not migrates) the database at `url`; creates a SQLite file's folder when missing. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const location = parseDatabaseUrl(url);
  const onFault = options.onFault ?? (() => undefined);
  const { dialect, changeStamp, plugins, lane }: { dialect: Dialect; changeStamp?: () => string; plugins?: KyselyPlugin[]; lane?: DirectLane } =
    location.dialect === 'sqlite'
      ? sqliteAt(location.path, onFault, options.sqliteBusyTimeoutMs)
      : { dialect: postgresAt(location.connectionString, onFault) };
  const db = new Kysely<Schema>({
    dialect: reportingDialect(dialect, onFault), plugins, log: options.log ? toKyselyLog(options.log) : undefined,
  });
  // The direct lane passes Kysely by: a query log must see every statement, so it turns the lane off.
  if (lane && !options.log) useDirectLane(db, lane);
  return {
    dialect: location.dialect,
    db,
    repositories: createRepositories(db, { clock: options.clock, changeStamp }),
    migrate: async () => {
      await migrateToLatest(db, location.dialect);
    },
    fault: databaseFault,
    close: () => db.destroy(),
  };
}

function sqliteAt(path: string, onFault: FaultListener, busyTimeoutMs?: number): SqliteHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return openSqlite(path, { onFault, busyTimeoutMs });
}

function postgresAt(connectionString: string, onFault: FaultListener): Dialect {
  const pool = new pg.Pool({
    connectionString,
    max: POSTGRES_POOL_SIZE,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    // A connection whose server vanished without a word (a cable, a firewall) is found out instead of waiting forever.
    keepAlive: true,
    // Epoch milliseconds and counts are int8; they fit a JS number, so read them as one.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // The pool listens for a client's 'error' only while the client is idle; one in use (a turn between two
  // statements) would emit it to nobody, and Node ends the process on an 'error' event nobody hears. So every
  // client gets a listener for its whole life. The broken client fails its statements from then on, and the
  // pool drops it when it comes back (node-postgres marks it not queryable; Kysely releases it after the failure).
  pool.on('connect', (client) => {
    let broken = false;
    // A terminated backend emits twice (the server's notice, then the socket's end): one broken connection, one fault.
    client.on('error', (error) => {
      if (broken) return;
      broken = true;
      onFault(databaseFault(error) ?? 'connection_lost', error);
    });
  });
  // An idle client's error reaches the pool too, after the pool removed the client; the listener above told it already.
  pool.on('error', () => undefined);
  return new PostgresDialect({ pool });
}

function toKyselyLog(log: (entry: QueryLogEntry) => void): (event: LogEvent) => void {
  return (event) => {
    log({
      sql: event.query.sql,
      durationMs: event.queryDurationMillis,
      ...(event.level === 'error' ? { error: event.error } : {}),
    });
  };
}
