import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import type { UserSummary } from '@/db/queries/users';
import { users } from '@/db/schema';
import { audit, type RequestContext } from '@/lib/platform/audit';
import {
  currentChallenge,
  hasMethod,
  lockChallenge,
  resendCode,
  startChallenge,
  verifyChallenge,
  type Challenge,
  type ChallengePurpose,
} from '@/lib/second-factor/challenges';
import { refuse, type Result } from '@/lib/platform/results';
import { notifyUser } from '@/lib/messaging/notify';
import { closedGateMessage, recordRightCode, recordWrongCode, secondFactorGate } from '@/lib/second-factor/throttle';
import { newTotpSecret, readTotpSecret, sealTotpSecret, totpUri, verifyTotp } from '@/lib/second-factor/totp';

export const phoneSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'Enter the number in international format, e.g. +14155550123'));

/** Authenticator setup, step 1: a new seed, stored encrypted but not yet on until a code proves it. */
export async function startTotpEnrolment(db: Db, user: UserSummary): Promise<Result> {
  if (user.hasTotp) return refuse('conflict', 'An authenticator app is already on.');
  const secretEnc = sealTotpSecret(user.id, newTotpSecret());
  await db
    .update(users)
    .set({ totpSecretEnc: secretEnc, totpLastStep: null })
    .where(and(eq(users.id, user.id), isNull(users.totpEnabledAt)));
  return { ok: true };
}

/** The seed being set up, to show as a QR code and a manual key to its own user only. */
export async function pendingTotpSetup(db: Db | Tx, user: UserSummary): Promise<{ secret: string; uri: string } | null> {
  const [row] = await db
    .select({ secretEnc: users.totpSecretEnc, enabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.id, user.id));
  if (!row?.secretEnc || row.enabledAt) return null;
  // A seed this server cannot read is no setup at all: starting again writes a fresh one.
  const secret = readTotpSecret(user.id, row.secretEnc);
  return secret === null ? null : { secret, uri: totpUri(secret, user.email) };
}

export async function confirmTotpEnrolment(db: Db, user: UserSummary, code: string, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const setup = await pendingTotpSetup(tx, user);
    if (!setup) return refuse('conflict', 'Start the authenticator setup again.');
    const now = new Date();
    // Counted like every other code, so guessing here is limited too (lib/second-factor/throttle.ts).
    const gate = await secondFactorGate(tx, user.id, now);
    if (!gate.open) return refuse('refused', closedGateMessage(gate));
    const result = await verifyTotp(setup.secret, code, { now, lastUsedStep: null });
    if (!result.ok) {
      const gateAfter = await recordWrongCode(tx, user.id, now);
      await audit(tx, ctx, {
        action: 'code.failed',
        actorUserId: user.id,
        success: false,
        details: { purpose: 'totp_enrolment', method: 'totp' },
      });
      if (!gateAfter.open) return refuse('refused', closedGateMessage(gateAfter));
      return refuse('invalid', 'That code does not match. Check the time on your device and enter the current code.');
    }
    await recordRightCode(tx, user.id);
    await tx.update(users).set({ totpEnabledAt: new Date(), totpLastStep: result.step }).where(eq(users.id, user.id));
    await audit(tx, ctx, {
      action: 'two_factor.enabled',
      actorUserId: user.id,
      accountId: user.membership?.accountId,
      details: { method: 'totp' },
    });
    await notifyUser(tx, ctx, user.id, { kind: 'two_factor_enabled', method: 'totp' }, { at: now });
    return { ok: true };
  });
}

/** SMS setup, step 1: a code to the new number; the number is saved only once the code comes back. */
export async function startSmsEnrolment(db: Db, user: UserSummary, phone: string, ctx: RequestContext): Promise<Result> {
  if (user.hasSms) return refuse('conflict', 'SMS is already on.');
  await db.transaction((tx) =>
    startChallenge(tx, ctx, { userId: user.id, purpose: 'sms_enrolment', subjectId: null, method: 'sms', destination: phone }),
  );
  return { ok: true };
}

/** Runs `run` on the person's pending challenge for `purpose` (a settings step, no subject row), locked. */
export async function withPending(
  db: Db,
  userId: string,
  purpose: ChallengePurpose,
  run: (tx: Tx, challenge: Challenge) => Promise<Result>,
): Promise<Result> {
  return db.transaction(async (tx) => {
    const pending = await currentChallenge(tx, { userId, purpose, subjectId: null });
    const challenge = pending && (await lockChallenge(tx, pending.id, userId));
    if (!challenge) return refuse('conflict', 'This step has ended — start again.');
    return run(tx, challenge);
  });
}

export function resendTwoFactorCode(
  db: Db,
  user: UserSummary,
  purpose: 'sms_enrolment' | 'two_factor_disable',
  ctx: RequestContext,
): Promise<Result> {
  return withPending(db, user.id, purpose, (tx, challenge) => resendCode(tx, ctx, challenge));
}

export function confirmSmsEnrolment(db: Db, user: UserSummary, code: string, ctx: RequestContext): Promise<Result> {
  return withPending(db, user.id, 'sms_enrolment', async (tx, challenge) => {
    const verdict = await verifyChallenge(tx, ctx, challenge, code);
    if (!verdict.ok)
      return verdict.reason === 'exhausted' ? refuse('exhausted', 'Too many incorrect codes — enter your number again.') : verdict;
    await tx.update(users).set({ phone: challenge.destination, smsEnabledAt: new Date() }).where(eq(users.id, user.id));
    await audit(tx, ctx, {
      action: 'two_factor.enabled',
      actorUserId: user.id,
      accountId: user.membership?.accountId,
      details: { method: 'sms' },
    });
    await notifyUser(tx, ctx, user.id, { kind: 'two_factor_enabled', method: 'sms' });
    return { ok: true };
  });
}

/** Turning a method off is confirmed with that same method, so a stolen session alone cannot. */
export async function requestTwoFactorDisable(db: Db, user: UserSummary, method: 'sms' | 'totp', ctx: RequestContext): Promise<Result> {
  if (!hasMethod(user, method)) return refuse('refused', 'That method is not on.');
  await db.transaction((tx) =>
    startChallenge(tx, ctx, { userId: user.id, purpose: 'two_factor_disable', subjectId: null, method, destination: user.phone }),
  );
  return { ok: true };
}

export function confirmTwoFactorDisable(db: Db, user: UserSummary, code: string, ctx: RequestContext): Promise<Result> {
  return withPending(db, user.id, 'two_factor_disable', async (tx, challenge) => {
    const verdict = await verifyChallenge(tx, ctx, challenge, code);
    if (!verdict.ok) return verdict.reason === 'exhausted' ? refuse('exhausted', 'Too many incorrect codes — start again.') : verdict;
    const off =
      challenge.method === 'sms' ? { phone: null, smsEnabledAt: null } : { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null };
    await tx.update(users).set(off).where(eq(users.id, user.id));
    await audit(tx, ctx, {
      action: 'two_factor.disabled',
      actorUserId: user.id,
      accountId: user.membership?.accountId,
      details: { method: challenge.method },
    });
    await notifyUser(tx, ctx, user.id, { kind: 'two_factor_disabled', method: challenge.method });
    return { ok: true };
  });
}
