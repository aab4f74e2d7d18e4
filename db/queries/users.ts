import { eq } from 'drizzle-orm';
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
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) return null;
  // One account per user in this version; the first membership is it.
  const [membership] = await db
    .select({
      accountId: accounts.id,
      accountName: accounts.name,
      accountType: accounts.type,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt)
    .limit(1);
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
    membership: membership ?? null,
  };
}
