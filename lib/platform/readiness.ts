import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { withDeadline } from './database';
import { eventHub } from './events';

export interface Readiness {
  ready: boolean;
  /** The database answers a query within the deadline. */
  database: 'up' | 'down';
  /** Change notifications arrive (LISTEN connected and heard): caches may be trusted. */
  notifications: 'up' | 'down';
}

/** Whether this process can serve: what a load balancer asks before sending it traffic. */
export async function readiness(handle: DbHandle, deadlineMs: number): Promise<Readiness> {
  const database = await withDeadline(handle.db.execute(sql`select 1`), deadlineMs).then(
    () => 'up' as const,
    () => 'down' as const,
  );
  const notifications = eventHub().watches(handle.db) ? 'up' : 'down';
  return { ready: database === 'up' && notifications === 'up', database, notifications };
}
