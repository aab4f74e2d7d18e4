import { and, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import type { UserSummary } from '@/db/queries/users';
import { auditEvents, users } from '@/db/schema';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { hashPassword, needsRehash, verifyPassword } from './passwords';
import { notifyUser } from '@/lib/messaging/notify';
import { endSessions } from './sessions';

const PASSWORD_MIN_LENGTH = 12;
const MAX_WRONG_CURRENT_PASSWORDS = 5;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password'),
    newPassword: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(256, 'Use at most 256 characters'),
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The two new passwords differ' });

export type CredentialResult = { ok: true; tokenVersion: number } | { ok: false; fieldErrors: Record<string, string[]> };

/**
 * A new password bumps the token version: every other session of this user ends at its next
 * request (their rows too, so Settings › Security lists them no more), and the caller gets the
 * new token version to stay signed in here, in the session `keepSessionId`.
 */
export async function changePassword(
  db: Db,
  user: UserSummary,
  input: z.output<typeof changePasswordSchema>,
  ctx: RequestContext,
  { keepSessionId = null, now = new Date() }: { keepSessionId?: string | null; now?: Date } = {},
): Promise<CredentialResult> {
  // A stolen session must not become a way to guess the password without limit.
  const [recent] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.actorUserId, user.id),
        eq(auditEvents.action, 'password.change_failed'),
        gt(auditEvents.at, new Date(now.getTime() - 15 * 60_000)),
      ),
    );
  if (Number(recent?.n ?? 0) >= MAX_WRONG_CURRENT_PASSWORDS) {
    return { ok: false, fieldErrors: { currentPassword: ['Too many wrong passwords. Try again in 15 minutes.'] } };
  }
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
    await audit(db, ctx, { action: 'password.change_failed', actorUserId: user.id, success: false });
    return { ok: false, fieldErrors: { currentPassword: ['That is not your current password'] } };
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, user.id))
      .returning({ tokenVersion: users.tokenVersion });
    await endSessions(tx, user.id, keepSessionId, now);
    await audit(tx, ctx, { action: 'password.changed', actorUserId: user.id, accountId: user.membership?.accountId });
    await notifyUser(tx, ctx, user.id, { kind: 'password_changed' }, { at: now });
    return { ok: true, tokenVersion: updated.tokenVersion };
  });
}

/** Ends every session of this user, this one included. */
export async function signOutEverywhere(db: Db, user: UserSummary, ctx: RequestContext): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, user.id));
    await endSessions(tx, user.id, null);
    await audit(tx, ctx, { action: 'sign_out.everywhere', actorUserId: user.id, accountId: user.membership?.accountId });
    await notifyUser(tx, ctx, user.id, { kind: 'signed_out_everywhere' });
  });
}

/**
 * After `password` was just checked against `checkedHash`: replaces a hash of an older format or
 * cost (scrypt N=2^14 of earlier releases) with one of today's. Sessions are untouched.
 */
export async function upgradePasswordHash(db: Db, userId: string, checkedHash: string, password: string): Promise<void> {
  if (!needsRehash(checkedHash)) return;
  const passwordHash = await hashPassword(password);
  // Only while the hash is still the one checked: a password changed meanwhile wins.
  await db
    .update(users)
    .set({ passwordHash })
    .where(and(eq(users.id, userId), eq(users.passwordHash, checkedHash)));
}
