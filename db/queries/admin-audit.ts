import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../client';
import { and, toDate, tsText } from './admin-sql';

export interface AuditFilter {
  accountId?: string;
  /** Events done by the user with this (exact, lower-case) email. */
  actorEmail?: string;
  keyId?: string;
  action?: string;
  /** Inclusive lower and exclusive upper bound of `at`. */
  from?: Date;
  until?: Date;
}

/** [at as microsecond text, id]. */
export type AuditCursor = [string, string];

export interface AuditPageRequest {
  direction: 'after' | 'before';
  cursor?: AuditCursor;
}

export interface AuditRow {
  id: string;
  at: Date;
  atText: string;
  action: string;
  success: boolean;
  actorUserId: string | null;
  actorEmail: string | null;
  accountId: string | null;
  accountName: string | null;
  apiKeyId: string | null;
  keyName: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

interface RawAuditRow {
  id: string;
  at: string;
  action: string;
  success: boolean;
  actor_user_id: string | null;
  actor_email: string | null;
  account_id: string | null;
  account_name: string | null;
  api_key_id: string | null;
  key_name: string | null;
  ip: string | null;
  user_agent: string | null;
  details: string;
}

// Each equality filter has an (x, at) index: audit_account_idx, audit_actor_idx, audit_key_idx,
// audit_action_idx; with none, audit_at_idx (at, id) serves the order and the date range.
function filterConditions(filter: AuditFilter): SQL[] {
  const parts: SQL[] = [];
  if (filter.accountId) parts.push(sql`e.account_id = ${filter.accountId}::uuid`);
  if (filter.actorEmail) parts.push(sql`e.actor_user_id = (select id from users where email = ${filter.actorEmail})`);
  if (filter.keyId) parts.push(sql`e.api_key_id = ${filter.keyId}::uuid`);
  if (filter.action) parts.push(sql`e.action = ${filter.action}`);
  if (filter.from) parts.push(sql`e.at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.until) parts.push(sql`e.at < ${filter.until.toISOString()}::timestamptz`);
  return parts;
}

/** Newest first is 'desc'; 'before' walks backwards, towards newer events. */
function keysetCondition(cursor: AuditCursor, d: 'asc' | 'desc'): SQL {
  const at = sql`${cursor[0]}::timestamptz`;
  const id = sql`${cursor[1]}::bigint`;
  // The plain bound on `at` lets the (x, at) indexes use the cursor too; the row comparison is exact.
  return d === 'desc' ? sql`e.at <= ${at} and (e.at, e.id) < (${at}, ${id})` : sql`e.at >= ${at} and (e.at, e.id) > (${at}, ${id})`;
}

function auditEventsSql(filter: AuditFilter, request: AuditPageRequest, take: number): SQL {
  const d = request.direction === 'after' ? 'desc' : 'asc';
  const conditions = filterConditions(filter);
  if (request.cursor) conditions.push(keysetCondition(request.cursor, d));
  const dir = sql.raw(d);
  return sql`select e.id::text as id, ${tsText(sql`e.at`)} as at, e.action, e.success, e.actor_user_id, u.email as actor_email,
      e.account_id, a.name as account_name, e.api_key_id, k.name as key_name, e.ip, e.user_agent, e.details::text as details
    from audit_events e
    left join users u on u.id = e.actor_user_id
    left join accounts a on a.id = e.account_id
    left join api_keys k on k.id = e.api_key_id
    where ${and(conditions)}
    order by e.at ${dir}, e.id ${dir}
    limit ${take}`;
}

/** Up to `take` events after (older than) or before (newer than) the cursor, in walking order. */
export async function fetchAuditEvents(db: Db, filter: AuditFilter, request: AuditPageRequest, take: number): Promise<AuditRow[]> {
  const raw = rowsOf<RawAuditRow>(await db.execute(auditEventsSql(filter, request, take)));
  return raw.map((r) => ({
    id: r.id,
    at: toDate(r.at),
    atText: r.at,
    action: r.action,
    success: r.success,
    actorUserId: r.actor_user_id,
    actorEmail: r.actor_email,
    accountId: r.account_id,
    accountName: r.account_name,
    apiKeyId: r.api_key_id,
    keyName: r.key_name,
    ip: r.ip,
    userAgent: r.user_agent,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}

/**
 * The actions present in the log, for the filter's list: a skip scan over audit_action_idx
 * (one index probe per distinct action) instead of a DISTINCT over the whole table.
 */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = rowsOf<{ action: string }>(
    await db.execute(sql`
      with recursive t(action) as (
        (select action from audit_events order by action limit 1)
        union all
        select (select e.action from audit_events e where e.action > t.action order by e.action limit 1) from t where t.action is not null
      )
      select action from t where action is not null`),
  );
  return rows.map((r) => r.action);
}

/** How many events match the filter, counted up to `cap` (then `cap + 1`): bounded like a page. */
export async function countAuditEvents(db: Db, filter: AuditFilter, cap: number): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from (select 1 from audit_events e where ${and(filterConditions(filter))} limit ${cap + 1}) matched`,
    ),
  );
  return row?.n ?? 0;
}
