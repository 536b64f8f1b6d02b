/**
 * The import graph of our own source, read the way the compiler reads it
 * (`ts.preProcessFile`: static imports, `import type`, re-exports and dynamic
 * `import()`), so the architecture test can hold the layers to their rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

/** What one file imports: our own files by repository path, and packages by name. */
export interface FileImports {
  files: string[];
  packages: string[];
}

/** Repository path ("bot/main.ts") → its imports. */
export type ImportGraph = Map<string, FileImports>;

function typescriptFiles(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => posix.join(folder, name.split('\\').join('/')))
    .sort();
}

/** "grammy/types" → "grammy", "@google-cloud/dialogflow/build/x" → "@google-cloud/dialogflow". */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The import graph of every .ts file under `folders` (relative to `root`). */
export function readImportGraph(root: string, folders: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of folders.flatMap((folder) => typescriptFiles(root, folder))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const imports: FileImports = { files: [], packages: [] };
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith('.')) imports.files.push(posix.normalize(posix.join(posix.dirname(file), specifier)));
      else if (!specifier.startsWith('node:')) imports.packages.push(packageName(specifier));
    }
    imports.files = [...new Set(imports.files)];
    imports.packages = [...new Set(imports.packages)];
    graph.set(file, imports);
  }
  return graph;
}

/** The file-to-file edges between files under `folder` only. */
export function edgesWithin(graph: ImportGraph, folder: string): Map<string, string[]> {
  const inside = (file: string) => file.startsWith(`${folder}/`);
  return new Map(
    [...graph].filter(([file]) => inside(file)).map(([file, imports]) => [file, imports.files.filter(inside)]),
  );
}

/**
 * One cycle per group of files that import each other (Tarjan's strongly
 * connected components), each as a path that starts and ends at the group's
 * first file in sort order: ["a.ts", "b.ts", "a.ts"]. Empty when acyclic.
 */
export function findCycles(edges: Map<string, readonly string[]>): string[][] {
  const next = (node: string) => edges.get(node) ?? [];
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];

  const connect = (node: string) => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const target of next(node)) {
      if (!index.has(target)) {
        connect(target);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(target)!));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1 || next(node).includes(node)) groups.push(group);
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) connect(node);

  return groups.map((group) => shortestCycle(group, next)).sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest way from the group's first file back to itself, through the group. */
function shortestCycle(group: string[], next: (node: string) => readonly string[]): string[] {
  const members = new Set(group);
  const start = [...group].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    for (const target of next(queue[i])) {
      if (!members.has(target) || cameFrom.has(target)) continue;
      cameFrom.set(target, queue[i]);
      if (target === start) {
        const path = [start];
        for (let at = queue[i]; at !== start; at = cameFrom.get(at)!) path.unshift(at);
        return [start, ...path];
      }
      queue.push(target);
    }
  }
  throw new Error(`no cycle through ${start}`);
}
