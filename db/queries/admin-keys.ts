import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../client';
import { accountTypeStrategy, filterConditions, searchBranches, type AccountTypeStrategy } from './admin-key-filters';
import { and, toDate, toDateOrNull, tsText } from './admin-sql';
import type { SqlKeyState } from './key-state-sql';

export type KeySort = 'created' | 'last_used' | 'updated';
export type SortDir = 'asc' | 'desc';
/** [sort value (null: a key never used, for the last-used sort), key id]. */
export type KeyCursor = [string | null, string];

export interface AdminKeyFilter {
  /** Prefix of the key name, the API key, the account name or the owner's email. */
  q?: string;
  status?: SqlKeyState;
  permission?: string;
  accountType?: 'prime' | 'standard';
  accountId?: string;
  /** Keys holding a permission unused for `days` days (the actions that use each permission, from the registry). */
  unused?: { actionsByPermission: Record<string, string[]>; days: number };
  now: Date;
}

export interface AdminKeyPageRequest {
  sort: KeySort;
  dir: SortDir;
  direction: 'after' | 'before';
  cursor?: KeyCursor;
}

/**
 * One row of the admin keys list: never the secret. The state columns are raw; lib/admin/key-list.ts
 * adds the key's state (lib/keys/state.ts).
 */
export interface AdminKeyRecord {
  id: string;
  name: string;
  publicKey: string;
  permissions: string[];
  status: 'active' | 'inactive';
  suspendedAt: Date | null;
  revokedAt: Date | null;
  accountId: string;
  accountName: string;
  accountType: 'prime' | 'standard';
  ownerEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  expiresAt: Date | null;
  /** The sort column's value as text, for the next cursor. */
  sortValue: string | null;
}

export interface RawKeyRow {
  id: string;
  name: string;
  public_key: string;
  permissions: string;
  status: 'active' | 'inactive';
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  last_used_ip: string | null;
  expires_at: string | null;
  suspended_at: string | null;
  revoked_at: string | null;
  account_id: string;
  account_name: string;
  account_type: 'prime' | 'standard';
  owner_email: string | null;
  sort_value: string | null;
}

// Each sort has its own (column, id) index: api_keys_created_id_idx, _updated_id_idx, _last_used_id_idx.
const SORT_COLUMNS: Record<KeySort, { column: SQL; nullable: boolean }> = {
  created: { column: sql`k.created_at`, nullable: false },
  updated: { column: sql`k.updated_at`, nullable: false },
  last_used: { column: sql`k.last_used_at`, nullable: true },
};

/**
 * A segment is the part of the order with a non-null sort value, or (last-used sort only) the
 * keys never used, which always come last. The ORDER BY repeats the index's own order (NULLS
 * FIRST when walking it backwards) so PostgreSQL reads the index and stops after `take` rows.
 */
interface Segment {
  nullValues: boolean;
  keyset?: KeyCursor;
}

function segmentSql(column: SQL, nullable: boolean, segment: Segment, d: SortDir): { where: SQL[]; order: SQL } {
  const where: SQL[] = [];
  const cmp = d === 'desc' ? sql`<` : sql`>`;
  if (segment.nullValues) {
    where.push(sql`${column} is null`);
    if (segment.keyset) where.push(sql`k.id ${cmp} ${segment.keyset[1]}::uuid`);
  } else {
    if (nullable) where.push(sql`${column} is not null`);
    if (segment.keyset) where.push(sql`(${column}, k.id) ${cmp} (${segment.keyset[0]}::timestamptz, ${segment.keyset[1]}::uuid)`);
  }
  const dir = sql.raw(d);
  const nulls = sql.raw(d === 'desc' ? 'nulls first' : 'nulls last');
  return { where, order: sql`${column} ${dir} ${nulls}, k.id ${dir}` };
}

function segmentsFor(request: AdminKeyPageRequest, nullable: boolean): Segment[] {
  const forward = request.direction === 'after';
  const ordered: Segment[] = nullable ? [{ nullValues: false }, { nullValues: true }] : [{ nullValues: false }];
  if (!forward) ordered.reverse();
  const cursor = request.cursor;
  if (!cursor) return ordered;
  const start = ordered.findIndex((s) => s.nullValues === (cursor[0] === null));
  if (start < 0) return [];
  return ordered.slice(start).map((s, i) => (i === 0 ? { ...s, keyset: cursor } : s));
}

/**
 * Keys with their account's name and type, as `k`: what a list statement walks, filters and
 * limits. The columns the list shows and sorts by, never the secret's.
 */
export const keysWithAccount = (where: SQL): SQL =>
  sql`select k.id, k.name, k.public_key, k.permissions, k.status, k.created_at, k.updated_at, k.last_used_at, k.last_used_ip,
      k.expires_at, k.suspended_at, k.revoked_at, k.account_id, a.name as account_name, a.type::text as account_type
    from api_keys k join accounts a on a.id = k.account_id where ${where}`;

/**
 * The list's columns for the keys `picked` chose (keysWithAccount, ordered and limited), each with
 * its account owner's email. The owner is looked up for the picked rows only: joined into the walk
 * itself, PostgreSQL sized a Memoize cache for every account in the table on each run (~8 ms of a
 * 9 ms statement at 1M keys, for 51 rows).
 */
export function selectSql(column: SQL, picked: SQL): SQL {
  return sql`select k.id, k.name, k.public_key, array_to_string(k.permissions, ',') as permissions, k.status::text as status,
      ${tsText(sql`k.created_at`)} as created_at, ${tsText(sql`k.updated_at`)} as updated_at, ${tsText(sql`k.last_used_at`)} as last_used_at,
      k.last_used_ip, ${tsText(sql`k.expires_at`)} as expires_at, ${tsText(sql`k.suspended_at`)} as suspended_at, ${tsText(sql`k.revoked_at`)} as revoked_at,
      k.account_id, k.account_name, k.account_type, ou.email as owner_email, ${tsText(column)} as sort_value
    from (${picked}) k
    left join lateral (
      select m.user_id from memberships m
      where m.account_id = k.account_id and m.role = 'owner' order by m.created_at limit 1
    ) o on true
    left join users ou on ou.id = o.user_id`;
}

function segmentQuery(
  filter: AdminKeyFilter,
  request: AdminKeyPageRequest,
  segment: Segment,
  take: number,
  typeVia: AccountTypeStrategy,
): SQL {
  const { column, nullable } = SORT_COLUMNS[request.sort];
  const d: SortDir = request.direction === 'after' ? request.dir : request.dir === 'asc' ? 'desc' : 'asc';
  const { where, order } = segmentSql(column, nullable, segment, d);
  const conditions = [...where, ...filterConditions(filter, typeVia)];
  const page = (condition: SQL) =>
    sql`${selectSql(column, sql`${keysWithAccount(condition)} order by ${order} limit ${take}`)} order by ${order}`;
  if (!filter.q) return page(and(conditions));
  // A branch joins accounts only when it reads it (the account-name prefix, or the type via join).
  const typeJoin = Boolean(filter.accountType) && typeVia === 'join';
  const branches = searchBranches(filter.q).map(({ match, readsAccount }) => {
    const from = readsAccount || typeJoin ? sql`api_keys k join accounts a on a.id = k.account_id` : sql`api_keys k`;
    return sql`(select k.id from ${from} where ${and([match, ...conditions])} order by ${order} limit ${take})`;
  });
  return page(sql`k.id in (${sql.join(branches, sql` union `)})`);
}

export function toRecord(raw: RawKeyRow): AdminKeyRecord {
  return {
    id: raw.id,
    name: raw.name,
    publicKey: raw.public_key,
    permissions: raw.permissions ? raw.permissions.split(',') : [],
    status: raw.status,
    suspendedAt: toDateOrNull(raw.suspended_at),
    revokedAt: toDateOrNull(raw.revoked_at),
    accountId: raw.account_id,
    accountName: raw.account_name,
    accountType: raw.account_type,
    ownerEmail: raw.owner_email,
    createdAt: toDate(raw.created_at),
    updatedAt: toDate(raw.updated_at),
    lastUsedAt: toDateOrNull(raw.last_used_at),
    lastUsedIp: raw.last_used_ip,
    expiresAt: toDateOrNull(raw.expires_at),
    sortValue: raw.sort_value,
  };
}

/**
 * Up to `take` keys after (or, walking backwards, before) the cursor, in the order of that walk.
 * At most two indexed queries (the last-used sort reads never-used keys second); no OFFSET and
 * no count of the table.
 */
export async function fetchAdminKeys(
  db: Db,
  filter: AdminKeyFilter,
  request: AdminKeyPageRequest,
  take: number,
): Promise<AdminKeyRecord[]> {
  const out: AdminKeyRecord[] = [];
  const typeVia = filter.accountType ? await accountTypeStrategy(db, filter.accountType) : 'join';
  for (const segment of segmentsFor(request, SORT_COLUMNS[request.sort].nullable)) {
    const raw = rowsOf<RawKeyRow>(await db.execute(segmentQuery(filter, request, segment, take - out.length, typeVia)));
    out.push(...raw.map(toRecord));
    if (out.length >= take) break;
  }
  return out;
}

/** The SQL of the first segment, for EXPLAIN in tests and benchmarks. */
export function adminKeysSql(
  filter: AdminKeyFilter,
  request: AdminKeyPageRequest,
  take: number,
  typeVia: AccountTypeStrategy = 'join',
): SQL {
  const [segment] = segmentsFor(request, SORT_COLUMNS[request.sort].nullable);
  return segmentQuery(filter, request, segment ?? { nullValues: false }, take, typeVia);
}

/**
 * How many keys match the filter, counted up to `cap` (then `cap + 1`, shown as "more than"):
 * each part of the search stops after cap + 1 rows on its index, so the count costs at most
 * that many index entries however large the table is.
 */
export async function countAdminKeys(db: Db, filter: AdminKeyFilter, cap: number): Promise<number> {
  const typeVia = filter.accountType ? await accountTypeStrategy(db, filter.accountType) : 'join';
  const conditions = filterConditions(filter, typeVia);
  const typeJoin = Boolean(filter.accountType) && typeVia === 'join';
  const from = (readsAccount: boolean) =>
    readsAccount || typeJoin ? sql`api_keys k join accounts a on a.id = k.account_id` : sql`api_keys k`;
  const parts = filter.q
    ? searchBranches(filter.q).map(
        ({ match, readsAccount }) => sql`(select k.id from ${from(readsAccount)} where ${and([match, ...conditions])} limit ${cap + 1})`,
      )
    : [sql`(select k.id from ${from(false)} where ${and(conditions)} limit ${cap + 1})`];
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from (${sql.join(parts, sql` union `)}) matched`));
  return Math.min(row?.n ?? 0, cap + 1);
}
