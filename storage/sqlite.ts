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
  type DatabaseConnection, type Driver, type KyselyPlugin, type SqliteDatabase, type SqliteDialectConfig,
} from 'kysely';
import { CatalogWriteCounter } from './write-counter.ts';

const STATEMENT_CACHE_SIZE = 256;

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
function withStatementCache(database: Sqlite.Database): SqliteDatabase {
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

export interface SqliteHandle {
  dialect: SqliteDialect;
  /**
   * Changes whenever any connection, in this process or another, has changed
   * the database since the last call returned the same value. Read before a
   * query, it tells whether a result cached under the same stamp is still exact.
   */
  changeStamp(): string;
  /** Kysely plugins the stamp depends on; they must be installed on the Kysely instance. */
  plugins: KyselyPlugin[];
}

/** Opens the file (or ":memory:") with the settings every process must share. */
export function openSqlite(path: string): SqliteHandle {
  const database = new Sqlite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // data_version moves on commits of other connections; the counter on this process's writes to the catalogue.
  const stamp = database.prepare('pragma data_version').pluck();
  const writes = new CatalogWriteCounter();
  return {
    dialect: new ImmediateTransactionDialect({ database: withStatementCache(database) }),
    plugins: [writes],
    changeStamp: () => `${stamp.get() as number}:${writes.generation}`,
  };
}
