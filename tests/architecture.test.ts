/**
 * The layers keep to their direction: bot/ → flows/ → catalog/ ← storage/.
 * Read from the import graph of the source itself, so a new import that breaks
 * a rule fails here with the files that break it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { edgesWithin, findCycles, packageName, readImportGraph } from './helpers/import-graph.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const graph = readImportGraph(ROOT, ['bot', 'flows', 'catalog', 'storage']);

/** Packages that talk to a provider, a database, the network or the clock; the dialogue and the domain stay free of them. */
const DRIVERS = ['grammy', 'twilio', 'kysely', 'better-sqlite3', 'pg', 'fastify', 'node-cron'];
const isDriver = (name: string) => DRIVERS.includes(name) || name.startsWith('@google-cloud/');

/** Every import of a file under `from` that `broken` says breaks a rule, as "importer → imported". */
function violations(from: string, broken: (imported: string) => boolean, of: 'files' | 'packages' = 'files'): string[] {
  return [...graph]
    .filter(([file]) => file.startsWith(`${from}/`))
    .flatMap(([file, imports]) => imports[of].filter(broken).map((imported) => `${file} → ${imported}`));
}

const cyclesWithin = (folder: string) => findCycles(edgesWithin(graph, folder)).map((cycle) => cycle.join(' → '));

/** Fails listing every problem, one a line. */
function expectNone(problems: string[]): void {
  expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
}

describe('the import graph', () => {
  it('covers every layer, type-only and dynamic imports included', () => {
    expect(graph.get('bot/main.ts')?.files).toContain('bot/nlu/dialogflow.ts');
    expect(graph.get('bot/types.ts')?.files).toContain('catalog/types.ts');
    expect(graph.get('storage/database.ts')?.packages).toContain('kysely');
  });

  it('has no import cycle among the files of bot/', () => {
    expectNone(cyclesWithin('bot'));
  });

  it('has no import cycle among the files of flows/', () => {
    expectNone(cyclesWithin('flows'));
  });

  it('lets bot/ use flows/ only through flows/index.ts', () => {
    expectNone(violations('bot', (imported) => imported.startsWith('flows/') && imported !== 'flows/index.ts'));
  });

  it('keeps driver packages out of flows/ and catalog/', () => {
    expectNone([...violations('flows', isDriver, 'packages'), ...violations('catalog', isDriver, 'packages')]);
  });

  it('keeps catalog/ free of flows/, bot/ and storage/', () => {
    expectNone(violations('catalog', (imported) => /^(flows|bot|storage)\//.test(imported)));
  });
});

describe('the checks themselves', () => {
  it('find a cycle and print it as a path', () => {
    const edges = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(findCycles(edges)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['d.ts', 'd.ts'],
    ]);
  });

  it('find none in a graph without one', () => {
    const edges = new Map([
      ['a.ts', ['b.ts', 'c.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', []],
      ['d.ts', ['a.ts', 'elsewhere.ts']],
    ]);
    expect(findCycles(edges)).toEqual([]);
  });

  it('name a package by its scope and name', () => {
    expect(['grammy/types', '@google-cloud/dialogflow/build/src', 'pg'].map(packageName)).toEqual([
      'grammy', '@google-cloud/dialogflow', 'pg',
    ]);
  });
});
