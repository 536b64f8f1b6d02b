/**
 * One conversation turn asks for the current week, its pickup slots and its
 * offers several times (to understand the message, to check a cart line, to
 * price the cart). Within the turn each is read once; a write of any kind
 * forgets them all, so the turn always sees its own changes.
 */
import type { Repositories } from './ports.ts';

/** Methods that only read; every other method may write and empties the memo before and after it runs. */
const READS = new Set([
  'get', 'getMany', 'findByName', 'findByTelegramId', 'findByPhone', 'findByIdentity', 'findByProduct', 'findByCode',
  'list', 'listByProducer', 'listByPickupPoint', 'listByCustomer', 'listByCycle', 'lastOfCustomer', 'lastInboundAt',
  'pickList', 'handoutList', 'load', 'seen',
]);

/** The reads remembered within a turn, by repository and method; arguments make the rest of the key. */
const REMEMBERED: Partial<Record<keyof Repositories, ReadonlySet<string>>> = {
  cycles: new Set(['current', 'slots']),
  offers: new Set(['get', 'list']),
};

type Method = (...args: unknown[]) => Promise<unknown>;
type Scoped = { memo: Map<string, Promise<unknown>> };

/** Where a turn's view of the repositories keeps its memo, for `rememberedInTurn`. */
const TURN_MEMO = Symbol('turn memo');

/**
 * A factory of per-turn views of `repos`: the wrappers are built once, and each
 * turn gets light objects that share one memo.
 */
export function turnReadsOver(repos: Repositories): () => Repositories {
  const prototypes = Object.entries(repos).map(([repoName, repo]) => {
    const prototype: Record<string, (this: Scoped, ...args: unknown[]) => Promise<unknown>> = {};
    for (const [methodName, method] of Object.entries(repo as object) as Array<[string, unknown]>) {
      if (typeof method !== 'function') continue;
      const call = (method as Method).bind(repo);
      prototype[methodName] = REMEMBERED[repoName as keyof Repositories]?.has(methodName)
        ? remembered(`${repoName}.${methodName}`, call)
        : READS.has(methodName) ? call : write(call);
    }
    return [repoName, prototype] as const;
  });
  return () => {
    const memo = new Map<string, Promise<unknown>>();
    const scoped: Record<string | symbol, unknown> = {};
    for (const [repoName, prototype] of prototypes) {
      const view = Object.create(prototype) as Scoped;
      view.memo = memo;
      scoped[repoName] = view;
    }
    scoped[TURN_MEMO] = memo;
    return scoped as unknown as Repositories;
  };
}

/**
 * `load()` once per turn and key until a write, when `repos` is a turn's view (else every time): for what a
 * use case works out from remembered reads alone, so that asking again costs no more awaits. Callers share
 * the value and must not change it.
 */
export function rememberedInTurn<T>(repos: Repositories, key: string, load: () => Promise<T>): Promise<T> {
  const memo = (repos as unknown as Record<symbol, Map<string, Promise<unknown>> | undefined>)[TURN_MEMO];
  if (!memo) return load();
  let read = memo.get(key) as Promise<T> | undefined;
  if (!read) {
    read = load();
    memo.set(key, read);
    read.catch(() => memo.delete(key));
  }
  return read;
}

function remembered(name: string, call: Method) {
  return function (this: Scoped, ...args: unknown[]): Promise<unknown> {
    const key = `${name}|${args.map(memoKey).join('|')}`;
    let read = this.memo.get(key);
    if (!read) {
      read = call(...args);
      this.memo.set(key, read);
      const { memo } = this;
      read.catch(() => memo.delete(key));
    }
    // Each caller gets its own list to sort or filter.
    return read.then((value) => (Array.isArray(value) ? value.slice() : value));
  };
}

function write(call: Method) {
  return async function (this: Scoped, ...args: unknown[]): Promise<unknown> {
    this.memo.clear();
    try {
      return await call(...args);
    } finally {
      this.memo.clear();
    }
  };
}

function memoKey(value: unknown): string {
  if (value instanceof Date) return String(value.getTime());
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
