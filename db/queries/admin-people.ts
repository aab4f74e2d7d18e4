import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../client';
import { and, prefixPattern, toDateOrNull, tsText } from './admin-sql';

/** One person as the admin People view shows them: never a hash, a seed or a phone number. */
export interface AdminPersonRow {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  accountName: string | null;
  membershipRole: 'owner' | 'member' | null;
  hasSms: boolean;
  hasTotp: boolean;
  secondFactorFailures: number;
  secondFactorBlockedUntil: Date | null;
  secondFactorLockedAt: Date | null;
  /** Disabled by an administrator (no sign-in), with the reason they gave. */
  disabledAt: Date | null;
  disabledReason: string | null;
}

interface RawPersonRow {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  account_name: string | null;
  membership_role: 'owner' | 'member' | null;
  has_sms: boolean;
  has_totp: boolean;
  failures: number;
  blocked_until: string | null;
  locked_at: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
}

export interface PeopleFilter {
  /** Lower-case email prefix (users_email_prefix_idx). */
  emailPrefix?: string;
  /** Only people whose second factor is locked or paused now. */
  lockedOnly?: boolean;
  userId?: string;
  /** Only people an administrator disabled (users_disabled_idx). */
  disabledOnly?: boolean;
}

/** People by email, at most `take` of them. */
export async function fetchAdminPeople(db: Db, filter: PeopleFilter, take: number, now: Date): Promise<AdminPersonRow[]> {
  const conditions: SQL[] = [];
  if (filter.emailPrefix) conditions.push(sql`u.email like ${prefixPattern(filter.emailPrefix)}`);
  if (filter.userId) conditions.push(sql`u.id = ${filter.userId}::uuid`);
  if (filter.lockedOnly) {
    conditions.push(sql`(u.second_factor_locked_at is not null or u.second_factor_blocked_until > ${now.toISOString()}::timestamptz)`);
  }
  if (filter.disabledOnly) conditions.push(sql`u.disabled_at is not null`);
  const raw = rowsOf<RawPersonRow>(
    await db.execute(sql`select u.id, u.email, u.name, u.role::text as role, m.account_name, m.membership_role,
        (u.sms_enabled_at is not null and u.phone is not null) as has_sms, (u.totp_enabled_at is not null) as has_totp,
        u.second_factor_failures as failures, ${tsText(sql`u.second_factor_blocked_until`)} as blocked_until,
        ${tsText(sql`u.second_factor_locked_at`)} as locked_at, ${tsText(sql`u.disabled_at`)} as disabled_at, u.disabled_reason
      from users u
      left join lateral (
        select a.name as account_name, ms.role::text as membership_role from memberships ms join accounts a on a.id = ms.account_id
        where ms.user_id = u.id order by ms.created_at limit 1
      ) m on true
      where ${and(conditions)}
      order by u.email using ~<~
      limit ${take}`),
  );
  return raw.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    accountName: r.account_name,
    membershipRole: r.membership_role,
    hasSms: Boolean(r.has_sms),
    hasTotp: Boolean(r.has_totp),
    secondFactorFailures: Number(r.failures),
    secondFactorBlockedUntil: toDateOrNull(r.blocked_until),
    secondFactorLockedAt: toDateOrNull(r.locked_at),
    disabledAt: toDateOrNull(r.disabled_at),
    disabledReason: r.disabled_reason,
  }));
}
