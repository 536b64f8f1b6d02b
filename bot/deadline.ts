/** Waiting for work a probe or a scrape must not hang on (a database that does not answer). */

/** The work's result, or `undefined` when it has not settled within `ms`; a rejection passes through. */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
