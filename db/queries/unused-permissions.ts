import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db/client';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * True for a permission (`permission`, text) of a key (`key`, an api_keys alias) that the key has
 * held for `days` days without one accepted call of an action needing it (`actionsByPermission`,
 * from the action registry). "Held for" counts from the later of the key's creation and the start
 * of usage counting, and restarts with any applied edit in the window that widened access and
 * lists the permission (it may have added it) — so a permission just granted is never called unused.
 */
export function unusedPermissionCondition(
  key: SQL,
  permission: SQL,
  actionsByPermission: Record<string, string[]>,
  now: Date,
  days: number,
): SQL {
  const since = new Date(now.getTime() - days * DAY_MS).toISOString();
  const actions = sql`(select jsonb_array_elements_text(${JSON.stringify(actionsByPermission)}::jsonb -> ${permission}))`;
  return sql`(
    ${permission} in (select jsonb_object_keys(${JSON.stringify(actionsByPermission)}::jsonb))
    and ${key}.created_at <= ${since}::timestamptz
    and coalesce((select started_at from api_usage_tracking), '-infinity') <= ${since}::timestamptz
    and not exists (
      select 1 from key_changes c
      where c.api_key_id = ${key}.id and c.kind = 'edit' and c.status = 'applied' and c.widens
        and c.created_at > ${since}::timestamptz and c.changes -> 'permissions' ? ${permission})
    and not exists (
      select 1 from api_key_usage_hours h
      where h.api_key_id = ${key}.id and h.hour >= date_trunc('hour', ${since}::timestamptz, 'UTC') and h.outcome = 'accepted'
        and h.action in ${actions})
    and not exists (
      select 1 from api_key_usage_minutes m
      where m.api_key_id = ${key}.id and m.minute >= ${since}::timestamptz and m.calls > m.rolled_calls and m.outcome = 'accepted'
        and m.action in ${actions})
  )`;
}

/** The permissions of one key of one account that `unusedPermissionCondition` holds for, in the key's order. */
export async function findUnusedPermissions(
  db: Db,
  accountId: string,
  keyId: string,
  actionsByPermission: Record<string, string[]>,
  now: Date,
  days: number,
): Promise<string[]> {
  const result = await db.execute(sql`
    select p.permission
    from api_keys k cross join lateral unnest(k.permissions) with ordinality as p(permission, n)
    where k.id = ${keyId} and k.account_id = ${accountId}
      and ${unusedPermissionCondition(sql`k`, sql`p.permission`, actionsByPermission, now, days)}
    order by p.n`);
  return rowsOf<{ permission: string }>(result).map((r) => r.permission);
}
