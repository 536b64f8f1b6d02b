/**
 * nock, ready for Node 20: import it from here, never from 'nock' directly.
 * nock 15 intercepts sockets with Promise.withResolvers, which came in Node 22;
 * the polyfill below is the whole difference.
 */
import nock from 'nock';

if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** Refuses every connection except to local doubles (the Bot API double, fastify's inject needs none). */
export function onlyLocalNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
}

/** Forgets every interceptor and allows the network again. */
export function restoreNetwork(): void {
  nock.abortPendingRequests();
  nock.cleanAll();
  nock.enableNetConnect();
}

export default nock;
