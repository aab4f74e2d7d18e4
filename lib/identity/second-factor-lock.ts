import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { memberships, users } from '@/db/schema';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { notFound, refuse, type Result } from '@/lib/platform/results';

/**
 * Wrong second-factor codes in a row first pause a person's second factor, then lock it
 * (users.second_factor_failures, _blocked_until, _locked_at; counted by lib/second-factor). A
 * locked person cannot confirm anything until an administrator lifts the lock — after checking,
 * outside Keydesk, that the person asking is the owner. Lifting is audited with the admin as the
 * actor and the person as the subject.
 */

export type SecondFactorLockState =
  | { kind: 'clear' }
  | { kind: 'failing'; failures: number }
  | { kind: 'paused'; failures: number; until: Date }
  | { kind: 'locked'; failures: number; since: Date };

export function secondFactorLockState(
  row: { failures: number; blockedUntil: Date | null; lockedAt: Date | null },
  now: Date,
): SecondFactorLockState {
  if (row.lockedAt) return { kind: 'locked', failures: row.failures, since: row.lockedAt };
  if (row.blockedUntil && row.blockedUntil > now) return { kind: 'paused', failures: row.failures, until: row.blockedUntil };
  return row.failures > 0 ? { kind: 'failing', failures: row.failures } : { kind: 'clear' };
}

export interface LiftingAdmin {
  id: string;
  role: 'user' | 'admin';
}

export async function liftSecondFactorLock(
  db: Db,
  admin: LiftingAdmin,
  userId: string,
  ctx: RequestContext,
  now = new Date(),
): Promise<Result> {
  if (admin.role !== 'admin') return notFound();
  // Whoever holds an admin's session must not be able to unlock that admin's own second factor.
  if (admin.id === userId) return refuse('refused', 'Your own second factor can only be unlocked by another administrator.');
  return db.transaction(async (tx) => {
    const [person] = await tx
      .select({
        id: users.id,
        email: users.email,
        failures: users.secondFactorFailures,
        blockedUntil: users.secondFactorBlockedUntil,
        lockedAt: users.secondFactorLockedAt,
      })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (!person) return notFound();
    const state = secondFactorLockState(person, now);
    if (state.kind === 'clear') return refuse('conflict', 'This person’s second factor is not locked.');
    await tx
      .update(users)
      .set({ secondFactorFailures: 0, secondFactorBlockedUntil: null, secondFactorLockedAt: null })
      .where(eq(users.id, person.id));
    const [membership] = await tx
      .select({ accountId: memberships.accountId })
      .from(memberships)
      .where(eq(memberships.userId, person.id))
      .orderBy(memberships.createdAt)
      .limit(1);
    await audit(tx, ctx, {
      action: 'two_factor.lock_lifted',
      actorUserId: admin.id,
      accountId: membership?.accountId ?? null,
      details: {
        subjectUserId: person.id,
        subjectEmail: person.email,
        state: state.kind,
        failures: person.failures,
        lockedAt: person.lockedAt?.toISOString() ?? null,
        blockedUntil: person.blockedUntil?.toISOString() ?? null,
      },
    });
    return { ok: true };
  });
}
