import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../client';
import type { AdminKeyFilter } from './admin-keys';
import { prefixPattern } from './admin-sql';
import { keyStateCondition } from './key-state-sql';
import { unusedPermissionCondition } from './unused-permissions';

/** The WHERE clauses of the admin keys list, and which index each one can use. */

/**
 * How to apply the account-type filter, which lives on another table so no api_keys index can
 * serve it. 'join' checks each key met while walking the sort index: quick when keys of that
 * type are common, a walk through the whole index when they are rare (Standard accounts, which
 * cannot create keys). 'ids' fetches the keys of the type's accounts through
 * api_keys_account_created_idx and sorts them: quick when there are few such accounts.
 */
export type AccountTypeStrategy = 'join' | 'ids';

/** At most this many accounts × the per-account key limit are read and sorted by the 'ids' way. */
const FEW_ACCOUNTS = 10_000;

export async function accountTypeStrategy(db: Db, type: 'prime' | 'standard'): Promise<AccountTypeStrategy> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from (select 1 from accounts where type = ${type}::account_type limit ${FEW_ACCOUNTS + 1}) s`,
    ),
  );
  return Number(row?.n ?? 0) <= FEW_ACCOUNTS ? 'ids' : 'join';
}

export function filterConditions(filter: AdminKeyFilter, typeVia: AccountTypeStrategy): SQL[] {
  const parts: SQL[] = [];
  if (filter.status) parts.push(keyStateCondition(filter.status, filter.now)); // api_keys_revoked_idx / _suspended_idx
  if (filter.permission) parts.push(sql`${filter.permission} = any(k.permissions)`);
  if (filter.accountType) {
    parts.push(
      typeVia === 'ids'
        ? sql`k.account_id = any(array(select id from accounts where type = ${filter.accountType}::account_type))`
        : sql`a.type = ${filter.accountType}::account_type`,
    );
  }
  if (filter.accountId) parts.push(sql`k.account_id = ${filter.accountId}::uuid`); // api_keys_account_created_idx
  if (filter.unused) {
    // Checked per key met (no index): the permissions filter and the others narrow the walk first.
    const { actionsByPermission, days } = filter.unused;
    const unused = unusedPermissionCondition(sql`k`, sql`p.permission`, actionsByPermission, filter.now, days);
    parts.push(sql`exists (select 1 from unnest(k.permissions) as p(permission) where ${unused})`);
  }
  return parts;
}

/**
 * The search box matches four prefixes, each with its own index. One OR over them would defeat
 * every index, so each becomes its own ordered, limited branch and the branches are unioned.
 */
export function searchBranches(q: string): { match: SQL; readsAccount: boolean }[] {
  const lower = prefixPattern(q.toLowerCase());
  return [
    { match: sql`lower(k.name) like ${lower}`, readsAccount: false }, // api_keys_name_prefix_idx
    { match: sql`k.public_key like ${prefixPattern(q)}`, readsAccount: false }, // api_keys_public_key_prefix_idx
    { match: sql`lower(a.name) like ${lower}`, readsAccount: true }, // accounts_name_prefix_idx, then api_keys_account_created_idx
    {
      // Emails are stored lower-case: users_email_prefix_idx, then the owner's memberships.
      match: sql`k.account_id in (select m.account_id from memberships m join users u on u.id = m.user_id where m.role = 'owner' and u.email like ${lower})`,
      readsAccount: false,
    },
  ];
}
