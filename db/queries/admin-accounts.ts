import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../client';
import { and, prefixPattern, toDate, tsText } from './admin-sql';
import { keyStateCondition } from './key-state-sql';

/** [lower(name), id]. */
export type AccountCursor = [string, string];

export interface AccountPageRequest {
  direction: 'after' | 'before';
  cursor?: AccountCursor;
}

export interface AdminAccountRow {
  id: string;
  name: string;
  type: 'prime' | 'standard';
  createdAt: Date;
  ownerId: string | null;
  ownerEmail: string | null;
  ownerName: string | null;
  /** The owner's second factor is locked (too many wrong codes) until an admin lifts it. */
  ownerSecondFactorLocked: boolean;
  /** The owner was disabled by an administrator, for this reason (null when not disabled). */
  ownerDisabledReason: string | null;
  ownerDisabled: boolean;
  activeKeys: number;
  totalKeys: number;
  sortName: string;
}

interface RawAccountRow {
  id: string;
  name: string;
  type: 'prime' | 'standard';
  created_at: string;
  owner_id: string | null;
  owner_email: string | null;
  owner_name: string | null;
  owner_locked: boolean | null;
  owner_disabled: boolean | null;
  owner_disabled_reason: string | null;
  active_keys: number;
  total_keys: number;
  sort_name: string;
}

/**
 * Accounts by name. accounts_name_prefix_idx is a text_pattern_ops index, so the order and the
 * keyset bounds use its operators (~<~, ~>=~ …): byte order, the same whatever the database's
 * collation, and PostgreSQL can walk that index for both the prefix search and the order.
 */
function adminAccountsSql(q: string | undefined, request: AccountPageRequest, take: number, now: Date): SQL {
  const forward = request.direction === 'after';
  const conditions: SQL[] = [];
  if (q) conditions.push(sql`lower(a.name) like ${prefixPattern(q.toLowerCase())}`);
  if (request.cursor) {
    const [name, id] = request.cursor;
    conditions.push(
      forward
        ? sql`lower(a.name) ~>=~ ${name} and (lower(a.name) ~>~ ${name} or a.id > ${id}::uuid)`
        : sql`lower(a.name) ~<=~ ${name} and (lower(a.name) ~<~ ${name} or a.id < ${id}::uuid)`,
    );
  }
  const order = forward ? sql`lower(a.name) using ~<~, a.id asc` : sql`lower(a.name) using ~>~, a.id desc`;
  return sql`select a.id, a.name, a.type::text as type, ${tsText(sql`a.created_at`)} as created_at, o.id as owner_id, o.email as owner_email, o.name as owner_name,
      o.locked as owner_locked, o.disabled as owner_disabled, o.disabled_reason as owner_disabled_reason, c.active_keys, c.total_keys, lower(a.name) as sort_name
    from accounts a
    left join lateral (
      select u.id, u.email, u.name, u.second_factor_locked_at is not null as locked,
        u.disabled_at is not null as disabled, u.disabled_reason from memberships m join users u on u.id = m.user_id
      where m.account_id = a.id and m.role = 'owner' order by m.created_at limit 1
    ) o on true
    left join lateral (
      select count(*)::int as total_keys,
        (count(*) filter (where ${keyStateCondition('active', now)}))::int as active_keys
      from api_keys k where k.account_id = a.id
    ) c on true
    where ${and(conditions)}
    order by ${order}
    limit ${take}`;
}

export async function fetchAdminAccounts(
  db: Db,
  q: string | undefined,
  request: AccountPageRequest,
  take: number,
  now: Date,
): Promise<AdminAccountRow[]> {
  const raw = rowsOf<RawAccountRow>(await db.execute(adminAccountsSql(q, request, take, now)));
  return raw.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    createdAt: toDate(r.created_at),
    ownerId: r.owner_id,
    ownerEmail: r.owner_email,
    ownerName: r.owner_name,
    ownerSecondFactorLocked: Boolean(r.owner_locked),
    ownerDisabled: Boolean(r.owner_disabled),
    ownerDisabledReason: r.owner_disabled_reason,
    activeKeys: Number(r.active_keys),
    totalKeys: Number(r.total_keys),
    sortName: r.sort_name,
  }));
}

export async function findAccountName(db: Db, accountId: string): Promise<string | null> {
  const [row] = rowsOf<{ name: string }>(await db.execute(sql`select name from accounts where id = ${accountId}::uuid`));
  return row?.name ?? null;
}
