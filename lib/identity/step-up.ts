import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import type { UserSummary } from '@/db/queries/users';
import { users } from '@/db/schema';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { notFound, refuse, type Refusal, type Result } from '@/lib/platform/results';
import {
  currentChallenge,
  hasMethod,
  lockChallenge,
  resendCode,
  startChallenge,
  verifyChallenge,
  type Challenge,
  type ChallengeSubject,
} from '@/lib/second-factor/challenges';
import { MAX_FAILED_ATTEMPTS } from '@/lib/second-factor/codes';
import { safeReturnPath } from './return-path';
import { endSessions } from './sessions';

/**
 * An administrator's "confirm it's you". Admins must have a second factor before they reach the
 * admin console at all, and the steps that change someone else's access or copy the audit trail
 * (suspend, revoke, lift a suspension, lift a second-factor lock, export) also need that factor to
 * have been passed by THIS session within the last 10 minutes: the sign-in's own code counts, and
 * so does a step-up. The time lives in the session cookie (lib/web/session.ts), so a code typed
 * in one browser never vouches for another browser holding the same admin's session.
 */

/** How long a passed second factor vouches for an admin's sensitive steps. */
export const STEP_UP_FRESH_MS = 10 * 60_000;
/** Clock differences between app processes that a stamp from "the future" is forgiven. */
const CLOCK_SKEW_MS = 60_000;

export const ADMIN_TWO_FACTOR_REQUIRED =
  'Administrators must turn on two-factor authentication (an authenticator app or SMS) before using the admin console.';

export function isSecondFactorFresh(secondFactorAt: number | undefined, now: Date): boolean {
  if (secondFactorAt === undefined) return false;
  const age = now.getTime() - secondFactorAt;
  return age >= -CLOCK_SKEW_MS && age <= STEP_UP_FRESH_MS;
}

/** Where a step-up returns: a page of the admin console, never anywhere else. */
export function safeAdminPath(value: unknown): string {
  const path = safeReturnPath(value, '/admin');
  // No dot segments either (plain or encoded): the browser would resolve `/admin/../x` to `/x`.
  if (/(^|\/)\.\.?(\/|\?|$)|%2e/i.test(path)) return '/admin';
  return path === '/admin' || path.startsWith('/admin/') || path.startsWith('/admin?') ? path : '/admin';
}

const subject = (admin: { id: string }): ChallengeSubject => ({ userId: admin.id, purpose: 'admin_step_up', subjectId: null });

/** Only an admin with a second factor steps up; anyone else is told nothing (404) or why not. */
function refusalFor(admin: UserSummary): Refusal | null {
  if (admin.role !== 'admin' || admin.disabled) return notFound();
  if (!admin.hasSms && !admin.hasTotp) return refuse('refused', ADMIN_TWO_FACTOR_REQUIRED);
  return null;
}

/** The step-up waiting for a code, for the step-up page. */
export function pendingStepUp(db: Db, admin: UserSummary): Promise<Challenge | null> {
  return currentChallenge(db, subject(admin));
}

/** Sends an SMS code (or expects an authenticator code) for the step-up. */
export async function chooseStepUpMethod(db: Db, admin: UserSummary, method: 'sms' | 'totp', ctx: RequestContext): Promise<Result> {
  const refusal = refusalFor(admin);
  if (refusal) return refusal;
  if (!hasMethod(admin, method)) return refuse('refused', 'That method is not set up for your account.');
  await db.transaction((tx) => startChallenge(tx, ctx, { ...subject(admin), method, destination: admin.phone }));
  return { ok: true };
}

export async function resendStepUpCode(db: Db, admin: UserSummary, ctx: RequestContext): Promise<Result> {
  const refusal = refusalFor(admin);
  if (refusal) return refusal;
  return db.transaction(async (tx) => {
    const pending = await currentChallenge(tx, subject(admin));
    const challenge = pending && (await lockChallenge(tx, pending.id, admin.id));
    if (!challenge) return refuse('conflict', 'Ask for a code first.');
    return resendCode(tx, ctx, challenge);
  });
}

export const STEP_UP_SIGNED_OUT = 'Too many incorrect codes — you have been signed out everywhere. Sign in again.';

/**
 * Checks the code (counted like every other code) and, when right, audits the step-up and says
 * when it passed; the caller stamps that time on the session. Five wrong codes in a row at this
 * step, from a session that already got past the password, look like a stolen session: every
 * session of this admin ends (their token version moves on) and they sign in again.
 */
export async function confirmStepUp(
  db: Db,
  admin: UserSummary,
  code: string,
  ctx: RequestContext,
  now = new Date(),
): Promise<Result<{ at: Date }>> {
  const refusal = refusalFor(admin);
  if (refusal) return refusal;
  return db.transaction(async (tx) => {
    let pending = await currentChallenge(tx, subject(admin));
    // An authenticator needs nothing sent: its step opens with the first code typed.
    if (!pending && admin.hasTotp) pending = await startChallenge(tx, ctx, { ...subject(admin), method: 'totp' }, now);
    const challenge = pending && (await lockChallenge(tx, pending.id, admin.id));
    if (!challenge) return refuse('conflict', 'Ask for a code first.');
    const verdict = await verifyChallenge(tx, ctx, challenge, code, now);
    if (!verdict.ok) {
      // Only when this very code used up the challenge's last attempt; any other "no" (a throttle,
      // a locked second factor) is passed on as it is.
      const lastAttempt = verdict.reason === 'exhausted' && challenge.failedAttempts === MAX_FAILED_ATTEMPTS - 1;
      if (!lastAttempt) return verdict;
      await tx
        .update(users)
        .set({ tokenVersion: sql`${users.tokenVersion} + 1` })
        .where(eq(users.id, admin.id));
      await endSessions(tx, admin.id, null, now);
      await audit(tx, ctx, {
        action: 'admin.step_up_failed',
        actorUserId: admin.id,
        success: false,
        details: { method: challenge.method, reason: 'too many incorrect codes: signed out everywhere' },
      });
      return refuse('ended', STEP_UP_SIGNED_OUT);
    }
    await audit(tx, ctx, { action: 'admin.step_up', actorUserId: admin.id, details: { method: challenge.method } });
    return { ok: true, at: now };
  });
}
