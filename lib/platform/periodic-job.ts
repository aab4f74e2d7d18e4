import { errorText, log } from './log';

export interface PeriodicJob<T> {
  /** Stops the timer, then waits for the pass under way. */
  stop: () => Promise<void>;
  /** Runs one pass now (tests; the timer runs them every `everyMs`); a pass under way is shared, not doubled. */
  runOnce: () => Promise<T>;
}

/**
 * A pass of background work every `everyMs` in the server process, one at a time. A failed pass
 * (a database outage) is logged as `failure` and answers `fallback`: it must not stop the timer,
 * and the next pass catches up.
 */
export function startPeriodicJob<T>(pass: () => Promise<T>, everyMs: number, failure: string, fallback: T): PeriodicJob<T> {
  let running: Promise<T> | null = null;
  const runOnce = () => {
    running ??= pass()
      .catch((error: unknown) => {
        log.error({ err: errorText(error) }, failure);
        return fallback;
      })
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void runOnce(), everyMs);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
