/**
 * A query compiled once and run again with new values. Kysely builds and compiles
 * every query anew, which for the few statements every turn runs costs more than
 * SQLite takes to execute them; these reuse the SQL text and pass only the values.
 * On SQLite they also skip Kysely's asynchronous executor when they can (the
 * direct lane, storage/sqlite.ts).
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Schema } from './schema.ts';
import type { DirectLane, SyncExecute } from './sqlite.ts';
import { writesCatalog } from './write-counter.ts';

export type Executor = Pick<Kysely<Schema>, 'executeQuery'>;

export interface CompiledStatement<Params extends unknown[], Row> {
  /** Through `executor`; directly when it is a database with a free direct lane. */
  (executor: Executor, ...values: Params): Promise<QueryResult<Row>>;
  /** At once, inside a direct lane's transaction. */
  now(execute: SyncExecute, ...values: Params): QueryResult<Row>;
}

/** Databases whose statements may take the direct lane; a transaction object is never one of them. */
const lanes = new WeakMap<Executor, DirectLane>();

/** Lets statements compiled once that run on `db` itself take `lane`. */
export function useDirectLane(db: Executor, lane: DirectLane): void {
  lanes.set(db, lane);
}

/** The direct lane of `db`, if it has one. */
export function directLaneOf(db: Executor): DirectLane | undefined {
  return lanes.get(db);
}

/**
 * Compiles `build(...sample)` and returns a runner that executes the same SQL with
 * other values. The sample values must be distinct so that it can be checked, once,
 * that the SQL takes the values in the order `build` receives them.
 */
export function compiledOnce<Params extends unknown[], Row>(
  build: (...values: Params) => Compilable<Row>,
  sample: Params,
): CompiledStatement<Params, Row> {
  if (new Set(sample).size !== sample.length) throw new Error('compiledOnce: the sample values must be distinct');
  const compiled = build(...sample).compile();
  const sameOrder = compiled.parameters.length === sample.length && compiled.parameters.every((value, index) => value === sample[index]);
  if (!sameOrder) throw new Error(`compiledOnce: the query does not take its values in order: ${compiled.sql}`);
  // The write counter (storage/write-counter.ts) sees a statement when Kysely compiles it, which here happens once.
  if (writesCatalog(compiled.query)) throw new Error(`compiledOnce: a catalogue write must be built each time it runs: ${compiled.sql}`);
  const { sql } = compiled;
  const run = (executor: Executor, ...values: Params): Promise<QueryResult<Row>> => {
    const result = lanes.get(executor)?.execute<Row>(sql, values);
    return result ? Promise.resolve(result) : executor.executeQuery(CompiledQuery.raw(sql, values) as CompiledQuery<Row>);
  };
  return Object.assign(run, { now: (execute: SyncExecute, ...values: Params) => execute<Row>(sql, values) });
}
