import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { memberships, users } from '@/db/schema';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { notFound, refuse, type Result } from '@/lib/platform/results';
import { notifyUser } from '@/lib/messaging/notify';
import { endSessions } from './sessions';

/**
 * An administrator disables a person (with a reason) or enables them again. Disabled: the
 * password is refused like a wrong one (lib/identity/sign-in.ts), and every session dies at its
 * next request — the token version is bumped and every session row is ended, both in the same
 * transaction as the audit row and the person's security email.
 *
 * Their account's API keys are not touched: keys belong to the account, not to a person, and the
 * API honours a key by the key's own state (lib/keys/state.ts). An admin who wants them stopped
 * suspends them (lib/keys/admin.ts) — a separate, separately audited step.
 */

export interface DisablingAdmin {
  id: string;
  role: 'user' | 'admin';
}

async function lockPerson(tx: Tx, userId: string) {
  const [person] = await tx
    .select({ id: users.id, email: users.email, disabledAt: users.disabledAt, disabledReason: users.disabledReason })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  return person ?? null;
}

async function accountOf(tx: Tx, userId: string): Promise<string | null> {
  const [membership] = await tx
    .select({ accountId: memberships.accountId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt)
    .limit(1);
  return membership?.accountId ?? null;
}

export async function disableUser(
  db: Db,
  admin: DisablingAdmin,
  userId: string,
  reason: string,
  ctx: RequestContext,
  now = new Date(),
): Promise<Result> {
  if (admin.role !== 'admin') return notFound();
  // An admin locking themselves out would leave the session that did it as the last thing they see.
  if (admin.id === userId) return refuse('refused', 'You cannot disable yourself: ask another administrator.');
  return db.transaction(async (tx) => {
    const person = await lockPerson(tx, userId);
    if (!person) return notFound();
    // The row is locked: of two submits, the second sees the first's write and changes nothing.
    if (person.disabledAt) return refuse('conflict', 'This person is already disabled.');
    await tx
      .update(users)
      .set({ disabledAt: now, disabledReason: reason, tokenVersion: sql`${users.tokenVersion} + 1` })
      .where(eq(users.id, person.id));
    const sessionsEnded = await endSessions(tx, person.id, null, now);
    await audit(tx, ctx, {
      action: 'user.disabled',
      actorUserId: admin.id,
      accountId: await accountOf(tx, person.id),
      details: { subjectUserId: person.id, subjectEmail: person.email, reason, sessionsEnded },
    });
    await notifyUser(tx, ctx, person.id, { kind: 'user_disabled', reason }, { at: now, byAdministrator: true });
    return { ok: true };
  });
}

/** Sign-in works again; the sessions ended by the disable stay ended (the person signs in afresh). */
export async function enableUser(db: Db, admin: DisablingAdmin, userId: string, ctx: RequestContext, now = new Date()): Promise<Result> {
  if (admin.role !== 'admin') return notFound();
  if (admin.id === userId) return refuse('refused', 'You cannot enable yourself: ask another administrator.');
  return db.transaction(async (tx) => {
    const person = await lockPerson(tx, userId);
    if (!person) return notFound();
    if (!person.disabledAt) return refuse('conflict', 'This person is not disabled.');
    await tx.update(users).set({ disabledAt: null, disabledReason: null }).where(eq(users.id, person.id));
    await audit(tx, ctx, {
      action: 'user.enabled',
      actorUserId: admin.id,
      accountId: await accountOf(tx, person.id),
      details: {
        subjectUserId: person.id,
        subjectEmail: person.email,
        disabledReason: person.disabledReason,
        disabledAt: person.disabledAt.toISOString(),
      },
    });
    await notifyUser(tx, ctx, person.id, { kind: 'user_enabled' }, { at: now, byAdministrator: true });
    return { ok: true };
  });
}
