/**
 * The pool hands each worker its next file while it still converts the
 * current one, so it never sits idle waiting for the parent; the files
 * themselves run one after another (one plan in memory at a time, and a
 * file's start mark is true). Its own module, without the pipeline, so the
 * bench's bare-reading worker can run its files the same way.
 */
export function oneAtATime<T, R>(run: (task: T) => Promise<R>): (task: T) => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const result = tail.then(() => run(task));
    tail = result.catch(() => {});
    return result;
  };
}
