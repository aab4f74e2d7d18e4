/**
 * A value now, or a promise of it. The API's hot path returns values from memory without a
 * promise: in a process where Next keeps its AsyncLocalStorage instances enabled, every promise
 * created costs an async-hook round for each of them (Node 20), which was the largest cost a
 * cached call added to its floor.
 */
export type Awaitable<T> = T | Promise<T>;

/** `next(value)` now if the value is here, else once it arrives; a throw in `next` stays a throw (or a rejection). */
export function andThen<T, U>(value: Awaitable<T>, next: (value: T) => Awaitable<U>): Awaitable<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
