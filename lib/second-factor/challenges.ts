import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { challenges, users } from '@/db/schema';
import { audit, auditRefusal, type RequestContext } from '@/lib/platform/audit';
import { canResend, checkCode, codeErrorMessage, isWellFormedCode, issueCode, resendAvailableAt, MAX_FAILED_ATTEMPTS } from './codes';
import { closedGateMessage, nextSendAllowedAt, recordRightCode, recordWrongCode, secondFactorGate } from './throttle';
import { codeHashKey } from '@/lib/platform/keyring';
import { emailMessage, messageSender, type OutgoingMessage } from '@/lib/messaging/outbox';
import { codeEmail, codeSms } from '@/lib/messaging/code-messages';
import { codeSubject } from './code-subject';
import { readTotpSecret, verifyTotp } from './totp';
import { refuse, type Result } from '@/lib/platform/results';
import { log } from '@/lib/platform/log';

export type ChallengeMethod = 'sms' | 'email' | 'totp';
export type ChallengePurpose = (typeof challenges.$inferSelect)['purpose'];
export type Challenge = typeof challenges.$inferSelect;

/** Why no code is sent now, and until when; null when one may be. */
async function sendHold(tx: Tx, challenge: Challenge, channel: 'sms' | 'email', now: Date): Promise<CodeHold | null> {
  // A code that could not be entered anyway (a wait or a lock) is not sent either.
  const gate = await secondFactorGate(tx, challenge.userId, now);
  if (!gate.open) return gate.reason === 'locked' ? { reason: 'locked', until: null } : { reason: 'wrong_codes', until: gate.until };
  const next = await nextSendAllowedAt(tx, challenge.userId, channel, now);
  return next ? { reason: 'hourly_cap', until: next } : null;
}

export interface CodeHold {
  reason: NonNullable<Challenge['sendHeldBack']>;
  until: Date | null;
}

async function sendCode(tx: Tx, ctx: RequestContext, challenge: Challenge, now: Date): Promise<void> {
  const channel = challenge.method === 'email' ? 'email' : 'sms';
  const hold = await sendHold(tx, challenge, channel, now);
  if (hold) {
    // Nothing is sent, and the step's page says so and when Resend will work. Any earlier code
    // of this challenge stays valid until it expires.
    await tx.update(challenges).set({ sendHeldBack: hold.reason, sendBlockedUntil: hold.until }).where(eq(challenges.id, challenge.id));
    await auditRefusal(
      tx,
      ctx,
      { action: 'code.throttled', actorUserId: challenge.userId, details: { purpose: challenge.purpose, channel, reason: hold.reason } },
      `${challenge.userId}:${channel}:${hold.reason}`,
    );
    return;
  }
  const issued = issueCode(now, challenge.id, codeHashKey());
  await tx
    .update(challenges)
    .set({ codeHash: issued.codeHash, sentAt: issued.sentAt, expiresAt: issued.expiresAt, sendHeldBack: null, sendBlockedUntil: null })
    .where(eq(challenges.id, challenge.id));
  const destination = challenge.destination ?? '';
  const about = await codeSubject(tx, challenge);
  const message: OutgoingMessage =
    channel === 'sms'
      ? { userId: challenge.userId, channel, destination, body: codeSms(issued.code, challenge.purpose, about) }
      : emailMessage(
          challenge.userId,
          destination,
          codeEmail(issued.code, challenge.purpose, about, {
            recipientEmail: destination,
            sentAt: issued.sentAt,
            expiresAt: issued.expiresAt,
            request: ctx,
          }),
        );
  await messageSender().send(tx, message);
  await audit(tx, ctx, {
    action: 'code.sent',
    actorUserId: challenge.userId,
    details: { purpose: challenge.purpose, channel },
    // The hourly cap (throttle.ts) counts these against `now`: stamped by the same clock.
    at: now,
  });
}

/** Opens a challenge; SMS and email challenges send their first code at once. */
export async function startChallenge(
  tx: Tx,
  ctx: RequestContext,
  input: ChallengeSubject & { method: ChallengeMethod; destination?: string | null },
  now = new Date(),
): Promise<Challenge> {
  // A new challenge for the same purpose and subject replaces any earlier one, and keeps its
  // wrong-code count: switching method or asking again must not buy fresh guesses.
  const replaced = await tx
    .update(challenges)
    .set({ status: 'void' })
    .where(and(sameSubject(input), eq(challenges.status, 'pending')))
    .returning({ failedAttempts: challenges.failedAttempts });
  const failedAttempts = Math.max(0, ...replaced.map((r) => r.failedAttempts));
  const [challenge] = await tx
    .insert(challenges)
    .values({ ...input, destination: input.destination ?? null, failedAttempts })
    .returning();
  if (challenge.method !== 'totp') await sendCode(tx, ctx, challenge, now);
  return challenge;
}

/** Which challenge: whose, what for, and about which row (null for account settings, e.g. SMS setup). */
export interface ChallengeSubject {
  userId: string;
  purpose: ChallengePurpose;
  subjectId: string | null;
}

const sameSubject = (s: ChallengeSubject) =>
  and(
    eq(challenges.userId, s.userId),
    eq(challenges.purpose, s.purpose),
    s.subjectId ? eq(challenges.subjectId, s.subjectId) : sql`${challenges.subjectId} is null`,
  );

/** The latest challenge still waiting for a code, for a step's page or its next action. */
export async function currentChallenge(db: Db | Tx, subject: ChallengeSubject): Promise<Challenge | null> {
  const [row] = await db
    .select()
    .from(challenges)
    .where(and(sameSubject(subject), eq(challenges.status, 'pending')))
    .orderBy(desc(challenges.createdAt))
    .limit(1);
  return row ?? null;
}

/** The second factors a person has set up, as UserSummary carries them. */
export interface SecondFactorUser {
  id: string;
  hasSms: boolean;
  hasTotp: boolean;
  phone: string | null;
}

export const hasMethod = (user: SecondFactorUser, method: 'sms' | 'totp') => (method === 'sms' ? user.hasSms : user.hasTotp);

/**
 * With a single method there is nothing to choose: send the SMS code (or expect TOTP) now. With
 * both, the step's page asks which one first.
 */
export async function startSoleMethod(
  tx: Tx,
  ctx: RequestContext,
  user: SecondFactorUser,
  subject: Omit<ChallengeSubject, 'userId'>,
): Promise<void> {
  if (user.hasSms === user.hasTotp) return;
  await startChallenge(tx, ctx, { ...subject, userId: user.id, method: user.hasSms ? 'sms' : 'totp', destination: user.phone });
}

export async function lockChallenge(tx: Tx, challengeId: string, userId: string): Promise<Challenge | null> {
  const [row] = await tx
    .select()
    .from(challenges)
    .where(and(eq(challenges.id, challengeId), eq(challenges.userId, userId)))
    .for('update');
  return row ?? null;
}

export async function resendCode(tx: Tx, ctx: RequestContext, challenge: Challenge, now = new Date()): Promise<Result> {
  if (challenge.status !== 'pending' || challenge.method === 'totp') {
    return refuse('conflict', 'This step is over — start again.');
  }
  if (!canResend(challenge, now)) {
    const at = resendAvailableAt(challenge);
    const seconds = at ? Math.ceil((at.getTime() - now.getTime()) / 1000) : 0;
    return refuse('refused', `You can ask for a new code in ${seconds} seconds.`);
  }
  await sendCode(tx, ctx, challenge, now);
  return { ok: true };
}

/**
 * Checks a code against a locked challenge row and records the outcome. Every submission of a
 * code, malformed ones included, is a guess: it is counted on the challenge and in the person's
 * wrong codes in a row (./throttle.ts), and audited; a failure is committed (the caller returns
 * instead of throwing), a success consumes the challenge. `exhausted` means this challenge takes
 * no more codes; the caller decides what that ends.
 */
export async function verifyChallenge(tx: Tx, ctx: RequestContext, challenge: Challenge, code: string, now = new Date()): Promise<Result> {
  if (challenge.status !== 'pending') {
    return refuse('exhausted', 'This step is over — start again.');
  }
  if (challenge.failedAttempts >= MAX_FAILED_ATTEMPTS) {
    return refuse('exhausted', codeErrorMessage({ ok: false, reason: 'locked' }));
  }
  const gate = await secondFactorGate(tx, challenge.userId, now);
  if (!gate.open) {
    await auditRefusal(
      tx,
      ctx,
      {
        action: 'code.refused',
        actorUserId: challenge.userId,
        details: { purpose: challenge.purpose, method: challenge.method, reason: gate.reason },
      },
      `${challenge.userId}:${gate.reason}`,
    );
    return refuse('refused', closedGateMessage(gate));
  }
  const outcome =
    challenge.method === 'totp'
      ? await checkTotp(tx, challenge.userId, code, now)
      : checkCode(challenge, code, challenge.id, codeHashKey(), now);
  if (outcome.ok) {
    await tx.update(challenges).set({ status: 'passed', consumedAt: now }).where(eq(challenges.id, challenge.id));
    await recordRightCode(tx, challenge.userId);
    return { ok: true };
  }
  if (outcome.reason === 'unreadable') return unreadableAuthenticator(tx, ctx, challenge);
  if (outcome.reason === 'expired' || outcome.reason === 'used') {
    return refuse('invalid', codeErrorMessage(outcome));
  }
  const failedAttempts = challenge.failedAttempts + 1;
  const exhausted = failedAttempts >= MAX_FAILED_ATTEMPTS;
  await tx
    .update(challenges)
    .set({ failedAttempts, status: exhausted ? 'void' : 'pending' })
    .where(eq(challenges.id, challenge.id));
  const gateAfter = await recordWrongCode(tx, challenge.userId, now);
  const malformed = !isWellFormedCode(code);
  await audit(tx, ctx, {
    action: exhausted ? 'code.locked' : 'code.failed',
    actorUserId: challenge.userId,
    success: false,
    details: { purpose: challenge.purpose, method: challenge.method, failedAttempts, ...(malformed && { malformed }) },
  });
  if (exhausted) return refuse('exhausted', codeErrorMessage({ ok: false, reason: 'locked' }));
  if (!gateAfter.open) return refuse('refused', closedGateMessage(gateAfter));
  const attemptsLeft = MAX_FAILED_ATTEMPTS - failedAttempts;
  const left = `${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left`;
  if (malformed) return refuse('invalid', `Enter the 6-digit code — ${left}`);
  if (outcome.reason === 'replayed') return refuse('invalid', `That code was already used — wait for the next one. ${left}`);
  return refuse('invalid', codeErrorMessage({ ok: false, reason: 'wrong', attemptsLeft }));
}

export const UNREADABLE_AUTHENTICATOR_MESSAGE =
  "This account's authenticator cannot be checked right now. Contact support; your codes were not counted.";

const reportedUnreadable = new Set<string>();

/**
 * A seed the server cannot decrypt (a lost or changed KEYDESK_ENCRYPTION_KEY, a corrupted row) is
 * the operator's problem, not a wrong code: say so plainly, count nothing, log the cause once per
 * person and process, and audit it (sampled, like every refusal).
 */
async function unreadableAuthenticator(tx: Tx, ctx: RequestContext, challenge: Challenge): Promise<Result> {
  if (!reportedUnreadable.has(challenge.userId)) {
    reportedUnreadable.add(challenge.userId);
    log.error({ userId: challenge.userId }, 'the authenticator seed cannot be decrypted with the configured key ring');
  }
  await auditRefusal(
    tx,
    ctx,
    { action: 'two_factor.unreadable', actorUserId: challenge.userId, details: { purpose: challenge.purpose } },
    challenge.userId,
  );
  return refuse('refused', UNREADABLE_AUTHENTICATOR_MESSAGE);
}

type TotpOutcome = { ok: true } | { ok: false; reason: 'wrong' | 'replayed' | 'unreadable' };

async function checkTotp(tx: Tx, userId: string, code: string, now: Date): Promise<TotpOutcome> {
  const [user] = await tx
    .select({ secretEnc: users.totpSecretEnc, lastStep: users.totpLastStep })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  if (!user?.secretEnc) return { ok: false, reason: 'wrong' };
  const secret = readTotpSecret(userId, user.secretEnc);
  if (secret === null) return { ok: false, reason: 'unreadable' };
  const result = await verifyTotp(secret, code, { now, lastUsedStep: user.lastStep });
  if (!result.ok) return { ok: false, reason: result.reason === 'replayed' ? 'replayed' : 'wrong' };
  await tx.update(users).set({ totpLastStep: result.step }).where(eq(users.id, userId));
  return { ok: true };
}
