import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';
import { startPeriodicJob, type PeriodicJob } from '@/lib/platform/periodic-job';

const HOUR_MS = 60 * 60 * 1000;

/** How long each kind of usage row is kept. */
export const USAGE_RETENTION = {
  minutesMs: 48 * HOUR_MS,
  hoursMs: 90 * 24 * HOUR_MS,
  refusalsMs: 7 * 24 * HOUR_MS,
  addressesMs: 90 * 24 * HOUR_MS,
} as const;

/**
 * Adds to the hour rows every minute count not yet in them, and marks it as added, in one
 * statement. The part already added (`rolled_calls`) makes late increments from a slow process
 * count too; the row locks (FOR UPDATE) make two processes rolling up at once add each call once:
 * the second waits, then finds nothing left on the rows the first took.
 * Returns how many minute rows were rolled up.
 */
export async function rollUpUsage(db: Db): Promise<number> {
  const result = await db.execute(sql`
    with due as (
      select api_key_id, minute, action, outcome, calls, calls - rolled_calls as delta
      from api_key_usage_minutes
      where calls > rolled_calls
      order by api_key_id, minute, action, outcome
      for update
    ), marked as (
      update api_key_usage_minutes m set rolled_calls = due.calls
      from due
      where m.api_key_id = due.api_key_id and m.minute = due.minute and m.action = due.action and m.outcome = due.outcome
      returning 1
    ), added as (
      insert into api_key_usage_hours (api_key_id, hour, action, outcome, calls)
      select api_key_id, date_trunc('hour', minute, 'UTC'), action, outcome, sum(delta)
      from due
      group by 1, 2, 3, 4
      order by 1, 2, 3, 4
      on conflict (api_key_id, hour, action, outcome) do update set calls = api_key_usage_hours.calls + excluded.calls
    )
    select count(*)::int as rolled from marked`);
  return rowsOf<{ rolled: number }>(result)[0]?.rolled ?? 0;
}

/** Deletes what is past its retention: minute rows (once rolled up), hour rows, refusals, addresses not seen for long. */
export async function pruneUsage(db: Db, now = new Date()): Promise<void> {
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`delete from api_key_usage_minutes where minute < ${before(USAGE_RETENTION.minutesMs)}::timestamptz and calls = rolled_calls`,
    );
    await tx.execute(sql`delete from api_key_usage_hours where hour < ${before(USAGE_RETENTION.hoursMs)}::timestamptz`);
    await tx.execute(sql`delete from api_key_refusals where at < ${before(USAGE_RETENTION.refusalsMs)}::timestamptz`);
    await tx.execute(sql`delete from api_key_addresses where last_seen_at < ${before(USAGE_RETENTION.addressesMs)}::timestamptz`);
  });
}

/**
 * The usage roll-up and retention, in the server process, every `everyMs` (a minute by default),
 * so the hour rows trail the calls by about that much. Every app process runs one; the statements
 * are safe to run side by side (see rollUpUsage).
 */
export function startUsageRollup(db: () => Db, everyMs: number): PeriodicJob<void> {
  const pass = async () => {
    await rollUpUsage(db());
    await pruneUsage(db());
  };
  return startPeriodicJob(pass, everyMs, 'rolling up key usage failed', undefined);
}
