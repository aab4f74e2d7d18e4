import type { Db } from '@/db/client';
import { expireDueOrders } from './resting-orders';
import { startPeriodicJob, type PeriodicJob } from '@/lib/platform/periodic-job';

export type RunningOrderExpiry = PeriodicJob<number>;

/**
 * Expires GTD orders in the server process, once a second: a bot sees its order's Expired
 * executionReport and its funds released within about a second of expireTime. Several app
 * processes may run it at once (expireDueOrders expires each order once).
 */
export function startOrderExpiry(db: () => Db, everyMs = 1000): RunningOrderExpiry {
  return startPeriodicJob(() => expireDueOrders(db()), everyMs, 'expiring GTD orders failed', 0);
}
