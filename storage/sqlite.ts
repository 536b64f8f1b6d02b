/**
 * The SQLite side of Kysely, adjusted in two places:
 * - transactions start with BEGIN IMMEDIATE, so a transaction that reads and
 *   then writes takes the write lock up front and waits (busy_timeout) instead
 *   of failing with SQLITE_BUSY_SNAPSHOT when another process wrote meanwhile;
 * - prepared statements are reused by SQL text, since Kysely prepares on every
 *   query and preparing costs more than running our small statements.
 */
import Sqlite from 'better-sqlite3';
import {
  CompiledQuery, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type Driver, type KyselyPlugin, type QueryResult, type SqliteDatabase, type SqliteDialectConfig,
} from 'kysely';
import { reportingFaults, type FaultListener } from './faults.ts';
import { CatalogWriteCounter } from './write-counter.ts';

const STATEMENT_CACHE_SIZE = 256;
/** How long a statement waits for another process's write lock before it fails as unavailable. */
const BUSY_TIMEOUT_MS = 5000;

class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateTransactionDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.#config);
  }
}

/**
 * Wraps better-sqlite3 in the two methods Kysely calls, reusing statements.
 * Safe because better-sqlite3 runs each statement to completion synchronously;
 * only a streamed query keeps a statement busy, and we stream none.
 */
function withStatementCache(database: Sqlite.Database): SqliteDatabase & { prepare(sqlText: string): Sqlite.Statement } {
  const statements = new Map<string, Sqlite.Statement>();
  return {
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      if (statement === undefined) {
        statement = database.prepare(sqlText);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.delete(statements.keys().next().value as string);
        }
        statements.set(sqlText, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      database.close();
    },
  };
}

/**
 * Runs a statement on the connection at once, without Kysely's asynchronous
 * executor, when no transaction holds it. better-sqlite3 is synchronous, so a
 * statement run here cannot interleave with another: outside a transaction it
 * sees exactly what a statement queued through Kysely would see at that point.
 * Inside an open transaction (Kysely's, between two of its awaits) it would read
 * uncommitted rows, so then it declines and the caller goes the Kysely way.
 */
export interface DirectLane {
  /** The result as Kysely's SQLite driver would return it, or null while a transaction is open. */
  execute<Row>(sqlText: string, parameters: readonly unknown[]): QueryResult<Row> | null;
  /**
   * `work` in BEGIN IMMEDIATE … COMMIT (ROLLBACK when it throws), its statements
   * run through the `execute` it is given; null while a transaction is open.
   */
  transaction<T>(work: (execute: SyncExecute) => T): { value: T } | null;
}

/** Runs one statement inside a direct transaction. */
export type SyncExecute = <Row>(sqlText: string, parameters: readonly unknown[]) => QueryResult<Row>;

export interface SqliteHandle {
  dialect: SqliteDialect;
  lane: DirectLane;
  /**
   * Changes whenever any connection, in this process or another, has changed
   * the database since the last call returned the same value. Read before a
   * query, it tells whether a result cached under the same stamp is still exact.
   */
  changeStamp(): string;
  /** Kysely plugins the stamp depends on; they must be installed on the Kysely instance. */
  plugins: KyselyPlugin[];
}

export interface SqliteOptions {
  /** Told when a statement of the direct lane fails for a lock held past the busy timeout. */
  onFault?: FaultListener;
  busyTimeoutMs?: number;
}

/** Opens the file (or ":memory:") with the settings every process must share. */
export function openSqlite(path: string, options: SqliteOptions = {}): SqliteHandle {
  const database = new Sqlite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS)}`);
  // data_version moves on commits of other connections; the counter on this process's writes to the catalogue.
  const stamp = database.prepare('pragma data_version').pluck();
  const writes = new CatalogWriteCounter();
  const cached = withStatementCache(database);
  return {
    dialect: new ImmediateTransactionDialect({ database: cached }),
    lane: directLane(database, cached.prepare, options.onFault ?? (() => undefined)),
    plugins: [writes],
    changeStamp: () => `${stamp.get() as number}:${writes.generation}`,
  };
}

function directLane(database: Sqlite.Database, prepare: (sqlText: string) => Sqlite.Statement, onFault: FaultListener): DirectLane {
  const inTransaction: SyncExecute = (sqlText, parameters) => runStatement(prepare(sqlText), parameters);
  // better-sqlite3 builds a transaction function with some cost: once, taking the work as its argument.
  const transaction = database.transaction(<T>(work: (execute: SyncExecute) => T): T => work(inTransaction));
  // The lane passes Kysely by, and with it the driver that reports faults (storage/faults.ts): it reports its own.
  return {
    execute<Row>(sqlText: string, parameters: readonly unknown[]): QueryResult<Row> | null {
      if (database.inTransaction) return null;
      return reportingFaults(onFault, () => runStatement<Row>(prepare(sqlText), parameters));
    },
    transaction<T>(work: (execute: SyncExecute) => T): { value: T } | null {
      if (database.inTransaction) return null;
      return { value: reportingFaults(onFault, () => transaction.immediate(work) as T) };
    },
  };
}

/** One statement, with the result shape of Kysely's SQLite driver (kysely: src/dialect/sqlite/sqlite-driver.ts). */
function runStatement<Row>(statement: Sqlite.Statement, parameters: readonly unknown[]): QueryResult<Row> {
  if (statement.reader) return { rows: statement.all(parameters) as Row[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}
