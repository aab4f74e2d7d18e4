import { createHash } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { auditEvents, signInAttempts, users } from '@/db/schema';
import { audit, auditRefusal, type RequestContext } from '@/lib/platform/audit';
import { addressNetwork } from '@/lib/platform/client-ip';
import {
  currentChallenge,
  lockChallenge,
  resendCode,
  startChallenge,
  verifyChallenge,
  type Challenge,
} from '@/lib/second-factor/challenges';
import { refuse, type Result } from '@/lib/platform/results';
import { randomToken } from '@/lib/platform/crypto';
import { hashPassword, verifyPassword } from './passwords';
import { upgradePasswordHash } from './credentials';
import type { SessionClaims } from './session-claims';
import { openSession } from './sessions';

/** How long someone has to enter their second factor after the password. */
export const SIGN_IN_STEP_TTL_MS = 10 * 60_000;
/**
 * Password guessing is limited two ways, over a sliding 15 minutes. Per email: 10 failures lock
 * the password step, but only for the networks those failures came from, so an attacker cannot
 * lock the owner out of signing in from their own network. Per network (an IPv4 address or an
 * IPv6 /64): 30 failures, whatever the emails, stop it trying more.
 */
export const MAX_PASSWORD_FAILURES = 10;
export const MAX_NETWORK_FAILURES = 30;
const FAILURE_WINDOW_MS = 15 * 60_000;

export const BAD_CREDENTIALS = 'Incorrect email or password.';

// Compared against when the email is unknown, so both paths cost one password hash.
let dummyHash: Promise<string> | undefined;

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export type BeginResult =
  { kind: 'signed_in'; claims: SessionClaims } | { kind: 'second_factor'; token: string } | { kind: 'error'; message: string };

type PasswordLimit = 'email' | 'network';

async function passwordLimit(db: Db, email: string, network: string, now: Date): Promise<PasswordLimit | null> {
  const fromNetwork = sql`${auditEvents.details}->>'network' = ${network}`;
  const forEmail = sql`${auditEvents.details}->>'email' = ${email}`;
  const [row] = await db
    .select({
      fromNetwork: sql<number>`count(*) filter (where ${fromNetwork})::int`,
      forEmail: sql<number>`count(*) filter (where ${forEmail})::int`,
      forEmailFromNetwork: sql<number>`count(*) filter (where ${forEmail} and ${fromNetwork})::int`,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, 'sign_in.failure'),
        gt(auditEvents.at, new Date(now.getTime() - FAILURE_WINDOW_MS)),
        sql`(${fromNetwork} or ${forEmail})`,
      ),
    );
  if ((row?.fromNetwork ?? 0) >= MAX_NETWORK_FAILURES) return 'network';
  if ((row?.forEmail ?? 0) >= MAX_PASSWORD_FAILURES && (row?.forEmailFromNetwork ?? 0) > 0) return 'email';
  return null;
}

const LIMIT_MESSAGE: Record<PasswordLimit, string> = {
  email: 'Too many failed sign-ins for this email. Try again in 15 minutes.',
  network: 'Too many failed sign-ins from your network. Try again in 15 minutes.',
};

/** Step 1 of signing in: the password; then either a session or a second-factor step. */
export async function beginSignIn(
  db: Db,
  input: { email: string; password: string; callbackUrl: string },
  ctx: RequestContext,
  opts: { secondFactorStep?: boolean; now?: Date } = {},
): Promise<BeginResult> {
  const now = opts.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const network = addressNetwork(ctx.ip);
  const limit = await passwordLimit(db, email, network, now);
  if (limit) {
    // Recorded like any refusal, at most once a minute per email and network.
    const entry = { action: 'sign_in.refused', success: false, details: { email, network, reason: limit } } as const;
    await auditRefusal(db, ctx, entry, limit === 'network' ? network : `${email} ${network}`);
    return { kind: 'error', message: LIMIT_MESSAGE[limit] };
  }
  const [user] = await db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      tokenVersion: users.tokenVersion,
      disabledAt: users.disabledAt,
      phone: users.phone,
      smsEnabledAt: users.smsEnabledAt,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(users)
    .where(eq(users.email, email));
  dummyHash ??= hashPassword('not-a-real-password');
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
  if (!user || !passwordOk || user.disabledAt) {
    await audit(db, ctx, { action: 'sign_in.failure', actorUserId: user?.id ?? null, success: false, details: { email, network } });
    return { kind: 'error', message: BAD_CREDENTIALS };
  }
  // The password is right and at hand: an old-format or cheaper hash is replaced now (#10 item 12).
  await upgradePasswordHash(db, user.id, user.passwordHash, input.password);
  const hasTotp = user.totpEnabledAt !== null;
  const hasSms = user.smsEnabledAt !== null && user.phone !== null;
  if (!hasTotp && !hasSms) {
    const sessionId = await db.transaction(async (tx) => {
      const id = await openSession(tx, user.id, ctx, now);
      await audit(tx, ctx, { action: 'sign_in.success', actorUserId: user.id, details: { email } });
      return id;
    });
    return { kind: 'signed_in', claims: { userId: user.id, tokenVersion: user.tokenVersion, sessionId } };
  }
  if (opts.secondFactorStep === false) {
    return { kind: 'error', message: 'This account uses two-factor authentication: sign in on the sign-in page.' };
  }
  const token = randomToken(32);
  await db.transaction(async (tx) => {
    const [attempt] = await tx
      .insert(signInAttempts)
      .values({
        tokenHash: hashToken(token),
        userId: user.id,
        callbackUrl: input.callbackUrl,
        expiresAt: new Date(now.getTime() + SIGN_IN_STEP_TTL_MS),
      })
      .returning({ id: signInAttempts.id });
    await startChallenge(
      tx,
      ctx,
      { userId: user.id, purpose: 'sign_in', subjectId: attempt.id, method: hasTotp ? 'totp' : 'sms', destination: user.phone },
      now,
    );
    await audit(tx, ctx, { action: 'sign_in.code_required', actorUserId: user.id, details: { email } });
  });
  return { kind: 'second_factor', token };
}

export interface SignInStep {
  attemptId: string;
  userId: string;
  callbackUrl: string;
  challenge: Challenge | null;
  methods: { sms: boolean; totp: boolean };
}

/** The sign-in that the browser's cookie token points to, if it is still open. */
export async function findSignInStep(db: Db | Tx, token: string | undefined, now = new Date()): Promise<SignInStep | null> {
  if (!token) return null;
  const [row] = await db
    .select({
      id: signInAttempts.id,
      userId: signInAttempts.userId,
      callbackUrl: signInAttempts.callbackUrl,
      phone: users.phone,
      smsEnabledAt: users.smsEnabledAt,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(signInAttempts)
    .innerJoin(users, eq(users.id, signInAttempts.userId))
    .where(
      and(
        eq(signInAttempts.tokenHash, hashToken(token)),
        isNull(signInAttempts.completedAt),
        gt(signInAttempts.expiresAt, now),
        isNull(users.disabledAt),
      ),
    );
  if (!row) return null;
  const challenge = await currentChallenge(db, { userId: row.userId, purpose: 'sign_in', subjectId: row.id });
  return {
    attemptId: row.id,
    userId: row.userId,
    callbackUrl: row.callbackUrl,
    challenge,
    methods: { sms: row.smsEnabledAt !== null && row.phone !== null, totp: row.totpEnabledAt !== null },
  };
}

export async function chooseSignInMethod(db: Db, token: string | undefined, method: 'sms' | 'totp', ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const step = await findSignInStep(tx, token);
    if (!step) return refuse('ended', 'This sign-in has expired — start again.');
    if (!step.methods[method]) return refuse('refused', 'That method is not set up for this account.');
    const [user] = await tx.select({ phone: users.phone }).from(users).where(eq(users.id, step.userId));
    await startChallenge(tx, ctx, {
      userId: step.userId,
      purpose: 'sign_in',
      subjectId: step.attemptId,
      method,
      destination: user?.phone ?? null,
    });
    return { ok: true };
  });
}

export async function resendSignInCode(db: Db, token: string | undefined, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const step = await findSignInStep(tx, token);
    const challenge = step?.challenge && (await lockChallenge(tx, step.challenge.id, step.userId));
    if (!challenge) return refuse('ended', 'This sign-in has expired — start again.');
    return resendCode(tx, ctx, challenge);
  });
}

/**
 * Step 2: the second factor. The attempt is closed on success, so its cookie cannot sign in twice.
 * `ended`: the attempt is over (expired, or too many codes) and the person signs in again.
 */
export async function completeSignIn(
  db: Db,
  token: string | undefined,
  code: string,
  ctx: RequestContext,
): Promise<Result<{ claims: SessionClaims; callbackUrl: string }>> {
  return db.transaction(async (tx) => {
    const step = await findSignInStep(tx, token);
    const challenge = step?.challenge && (await lockChallenge(tx, step.challenge.id, step.userId));
    if (!step || !challenge) return refuse('ended', 'This sign-in has expired — start again.');
    const verdict = await verifyChallenge(tx, ctx, challenge, code);
    if (!verdict.ok) {
      if (verdict.reason === 'exhausted') {
        await tx.update(signInAttempts).set({ expiresAt: new Date() }).where(eq(signInAttempts.id, step.attemptId));
        await audit(tx, ctx, {
          action: 'sign_in.failure',
          actorUserId: step.userId,
          success: false,
          details: { reason: 'too many incorrect codes' },
        });
      }
      return verdict.reason === 'exhausted' ? refuse('ended', 'Too many incorrect codes — sign in again.') : verdict;
    }
    const closed = await tx
      .update(signInAttempts)
      .set({ completedAt: new Date() })
      .where(and(eq(signInAttempts.id, step.attemptId), isNull(signInAttempts.completedAt)))
      .returning({ id: signInAttempts.id });
    const [user] = await tx.select({ tokenVersion: users.tokenVersion }).from(users).where(eq(users.id, step.userId));
    if (!closed.length || !user) return refuse('ended', 'This sign-in has expired — start again.');
    const sessionId = await openSession(tx, step.userId, ctx);
    await audit(tx, ctx, { action: 'sign_in.success', actorUserId: step.userId, details: { method: challenge.method } });
    // The session starts having just passed a second factor: an admin's sensitive steps need one from the last 10 minutes.
    const claims = { userId: step.userId, tokenVersion: user.tokenVersion, sessionId, secondFactorAt: Date.now() };
    return { ok: true, claims, callbackUrl: step.callbackUrl };
  });
}
