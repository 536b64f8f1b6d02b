/**
 * Counts this process's statements that write the tables the cached reads come
 * from (offers, cycles). Together with SQLite's data_version (other connections'
 * commits) it makes the caches' change stamp, so that saving a conversation or
 * claiming a delivery — every turn does both — no longer empties that cache.
 *
 * Counting at statement time is exact here: Kysely's SQLite dialect runs one
 * connection, so no read of this process can fall between a write and its commit.
 */
import type {
  KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode,
  UnknownRow,
} from 'kysely';

/** Tables behind the cached reads: offer views, cycles and their pickup slots, producer and staff identities. */
const WATCHED = new Set(['offers', 'products', 'producers', 'cycles', 'cycle_slots', 'staff']);

function tableName(node: OperationNode | undefined): string | null {
  if (!node) return null;
  if (node.kind === 'TableNode') return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  return null;
}

function writtenTables(node: RootOperationNode): Array<string | null> {
  switch (node.kind) {
    case 'InsertQueryNode':
      return [tableName(node.into)];
    case 'UpdateQueryNode':
      return [tableName(node.table)];
    case 'DeleteQueryNode':
      return node.from.froms.map(tableName);
    case 'RawNode':
      // A raw statement could write anything: count it unless it plainly reads.
      return /^\s*(select|with|pragma|begin|commit|rollback|savepoint|release)\b/i.test(node.sqlFragments.join(' ')) ? [] : [null];
    default:
      return [];
  }
}

/** True when the statement may write a table behind the cached reads. */
export function writesCatalog(node: RootOperationNode): boolean {
  return writtenTables(node).some((table) => table === null || WATCHED.has(table));
}

export class CatalogWriteCounter implements KyselyPlugin {
  generation = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (writesCatalog(args.node)) this.generation += 1;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
