/**
 * A query compiled once and run again with new values. Kysely builds and compiles
 * every query anew, which for the few statements every turn runs costs more than
 * SQLite takes to execute them; these reuse the SQL text and pass only the values.
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Schema } from './schema.ts';

export type Executor = Pick<Kysely<Schema>, 'executeQuery'>;

/**
 * Compiles `build(...sample)` and returns a runner that executes the same SQL with
 * other values. The sample values must be distinct so that it can be checked, once,
 * that the SQL takes the values in the order `build` receives them.
 */
export function compiledOnce<Params extends unknown[], Row>(
  build: (...values: Params) => Compilable<Row>,
  sample: Params,
): (executor: Executor, ...values: Params) => Promise<QueryResult<Row>> {
  if (new Set(sample).size !== sample.length) throw new Error('compiledOnce: the sample values must be distinct');
  const compiled = build(...sample).compile();
  const sameOrder = compiled.parameters.length === sample.length && compiled.parameters.every((value, index) => value === sample[index]);
  if (!sameOrder) throw new Error(`compiledOnce: the query does not take its values in order: ${compiled.sql}`);
  return (executor, ...values) => executor.executeQuery(CompiledQuery.raw(compiled.sql, values) as CompiledQuery<Row>);
}
