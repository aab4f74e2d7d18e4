import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { log } from './log';
import { startPeriodicJob, type PeriodicJob } from './periodic-job';

/** Every how many passes a pass also ANALYZEs: it samples every table, a second or so at a million keys. */
const ANALYZE_EVERY_PASSES = 6;

/**
 * The embedded database's autovacuum. PGlite is a single PostgreSQL backend with no background
 * workers, so nothing VACUUMs or ANALYZEs it: rows updated in place (a key's last use, balances,
 * the replay guard's answers) leave dead versions nobody reclaims, the visibility map stays empty
 * (no index-only scans: a count reads the table's pages again on every request) and the planner
 * never learns how large the tables have grown. Every `everyMs` this VACUUMs the whole database —
 * quick once the visibility map is set (~40 ms at a million keys; the first pass ~2.5 s) — and the
 * first pass and every sixth after it ANALYZE it too. PGlite runs one statement at a time, so the
 * API waits for a pass; PostgreSQL servers have their own autovacuum and do not run this.
 */
export function startEmbeddedMaintenance(db: () => Db, everyMs: number): PeriodicJob<void> {
  let passes = 0;
  const pass = async () => {
    const analyze = passes++ % ANALYZE_EVERY_PASSES === 0;
    const started = performance.now();
    await db().execute(analyze ? sql`vacuum (analyze)` : sql`vacuum`);
    log.info({ analyze, ms: Math.round(performance.now() - started) }, 'maintained the embedded database');
  };
  return startPeriodicJob(pass, everyMs, 'maintaining the embedded database failed', undefined);
}
