import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { accounts, memberships, users, userSessions } from '../schema';

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

const summaryColumns = {
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
};

/** The user's first membership and its account, joined to `users`. */
const membershipJoin = and(eq(memberships.userId, users.id), eq(memberships.accountId, firstAccountId));
const accountJoin = eq(accounts.id, memberships.accountId);

type SummaryRow = Omit<UserSummary, 'disabled' | 'hasSms' | 'hasTotp' | 'membership'> & {
  disabledAt: Date | null;
  smsEnabledAt: Date | null;
  totpEnabledAt: Date | null;
  accountId: string | null;
  accountName: string | null;
  accountType: Membership['accountType'] | null;
  memberRole: Membership['role'] | null;
};

function summaryOf(row: SummaryRow): UserSummary {
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

/** The user and their account in one statement. */
export async function findUserSummary(db: Db, userId: string): Promise<UserSummary | null> {
  const [row] = await db
    .select(summaryColumns)
    .from(users)
    .leftJoin(memberships, membershipJoin)
    .leftJoin(accounts, accountJoin)
    .where(eq(users.id, userId));
  return row ? summaryOf(row) : null;
}

/** A session that has not ended: when and from where it was last seen. */
export interface LiveSession {
  lastSeenAt: Date;
  ip: string | null;
}

/**
 * The user, their account and their session if it is still on — what every signed-in request
 * checks first, in one statement: each statement is a round trip (on the embedded database, a
 * pass through its parser and planner of ~1 ms).
 */
export async function findUserWithLiveSession(
  db: Db,
  userId: string,
  sessionId: string,
): Promise<{ user: UserSummary; session: LiveSession | null } | null> {
  const [row] = await db
    .select({ ...summaryColumns, lastSeenAt: userSessions.lastSeenAt, ip: userSessions.ip })
    .from(users)
    .leftJoin(memberships, membershipJoin)
    .leftJoin(accounts, accountJoin)
    .leftJoin(userSessions, and(eq(userSessions.id, sessionId), eq(userSessions.userId, users.id), isNull(userSessions.endedAt)))
    .where(eq(users.id, userId));
  if (!row) return null;
  return { user: summaryOf(row), session: row.lastSeenAt ? { lastSeenAt: row.lastSeenAt, ip: row.ip } : null };
}
