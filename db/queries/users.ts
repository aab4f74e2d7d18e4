import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { accounts, memberships, users } from '../schema';

export interface Membership {
  accountId: string;
  accountName: string;
  accountType: 'prime' | 'standard';
  role: 'owner' | 'member';
}

/** What pages and actions may know about a user: never the password hash or the TOTP seed. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  tokenVersion: number;
  disabled: boolean;
  phone: string | null;
  hasSms: boolean;
  hasTotp: boolean;
  membership: Membership | null;
}

/** The user's first membership's account (one account per user in this version). */
const firstAccountId = sql`(select m.account_id from ${memberships} m where m.user_id = ${users.id} order by m.created_at limit 1)`;

/**
 * The user and their account in one statement: every signed-in page reads this first, so it is
 * one round trip, not two in a row.
 */
export async function findUserSummary(db: Db, userId: string): Promise<UserSummary | null> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      tokenVersion: users.tokenVersion,
      disabledAt: users.disabledAt,
      phone: users.phone,
      smsEnabledAt: users.smsEnabledAt,
      totpEnabledAt: users.totpEnabledAt,
      accountId: accounts.id,
      accountName: accounts.name,
      accountType: accounts.type,
      memberRole: memberships.role,
    })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.accountId, firstAccountId)))
    .leftJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(users.id, userId));
  if (!row) return null;
  const membership: Membership | null =
    row.accountId && row.accountName && row.accountType && row.memberRole
      ? { accountId: row.accountId, accountName: row.accountName, accountType: row.accountType, role: row.memberRole }
      : null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    tokenVersion: row.tokenVersion,
    disabled: row.disabledAt !== null,
    phone: row.smsEnabledAt ? row.phone : null,
    hasSms: row.smsEnabledAt !== null && row.phone !== null,
    hasTotp: row.totpEnabledAt !== null,
    membership,
  };
}
