import type { Db } from '@/db/client';
import { expireDueOrders } from './resting-orders';
import { errorText, log } from '@/lib/platform/log';

export interface RunningOrderExpiry {
  stop: () => Promise<void>;
  /** Runs one pass now (tests; the timer runs them every second). */
  runOnce: () => Promise<number>;
}

/**
 * Expires GTD orders in the server process, once a second: a bot sees its order's Expired
 * executionReport and its funds released within about a second of expireTime. Several app
 * processes may run it at once (expireDueOrders expires each order once).
 */
export function startOrderExpiry(db: () => Db, everyMs = 1000): RunningOrderExpiry {
  let running: Promise<number> | null = null;
  const runOnce = () => {
    running ??= expireDueOrders(db())
      .catch((error: unknown) => {
        // A database outage must not stop the timer; the next pass catches up.
        log.error({ err: errorText(error) }, 'expiring GTD orders failed');
        return 0;
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
