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
import { openSqlite, type DirectLane, type SqliteHandle } from './sqlite.ts';

export type { Schema, SqlDialect } from './schema.ts';

export interface Database {
  dialect: SqlDialect;
  db: Kysely<Schema>;
  repositories: Repositories;
  /** Applies every migration not yet applied. */
  migrate(): Promise<void>;
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
   * An idle PostgreSQL connection broke (e.g. the server restarted). The pool
   * replaces it on its own; without a listener Node would end the process.
   */
  onIdleConnectionError?: (error: Error) => void;
}

export type DatabaseLocation =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; connectionString: string };

const POSTGRES_POOL_SIZE = 10;
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
  const { dialect, changeStamp, plugins, lane }: { dialect: Dialect; changeStamp?: () => string; plugins?: KyselyPlugin[]; lane?: DirectLane } =
    location.dialect === 'sqlite' ? sqliteAt(location.path) : { dialect: postgresAt(location.connectionString, options) };
  const db = new Kysely<Schema>({ dialect, plugins, log: options.log ? toKyselyLog(options.log) : undefined });
  // The direct lane passes Kysely by: a query log must see every statement, so it turns the lane off.
  if (lane && !options.log) useDirectLane(db, lane);
  return {
    dialect: location.dialect,
    db,
    repositories: createRepositories(db, { clock: options.clock, changeStamp }),
    migrate: async () => {
      await migrateToLatest(db, location.dialect);
    },
    close: () => db.destroy(),
  };
}

function sqliteAt(path: string): SqliteHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return openSqlite(path);
}

function postgresAt(connectionString: string, options: OpenDatabaseOptions): Dialect {
  const pool = new pg.Pool({
    connectionString,
    max: POSTGRES_POOL_SIZE,
    // Epoch milliseconds and counts are int8; they fit a JS number, so read them as one.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', (error) => options.onIdleConnectionError?.(error));
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
