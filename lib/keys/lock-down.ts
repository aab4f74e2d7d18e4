import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import type { UserSummary } from '@/db/queries/users';
import { apiKeys } from '@/db/schema';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { notFound, refuse, type Refusal, type Result } from '@/lib/platform/results';
import {
  currentChallenge,
  lockChallenge,
  resendCode,
  startChallenge,
  verifyChallenge,
  type Challenge,
  type ChallengeSubject,
} from '@/lib/second-factor/challenges';
import { readNotMeLink, useNotMeLink, type NotMeLinkState } from '@/lib/identity/not-me-links';
import { endSessions } from '@/lib/identity/sessions';
import { notifyAccountOwners, notifyUser } from '@/lib/messaging/notify';
import { lockAccountKeys, updateKey } from './store';

/**
 * "Deactivate all keys" — the **Deactivate all keys** button of API Keys Management and the
 * "This wasn't me" link of every security email run this one step. With one second-factor code
 * it deactivates every active key of the account the person owns and signs out every other
 * browser of theirs, in one transaction with its audit rows and one security email. A person with
 * no second factor (a member, or someone whose second factor was just turned off — perhaps not
 * by them) confirms with a code sent to their email address instead.
 */

export type LockDownMethod = 'sms' | 'totp' | 'email';

/** The button's step; the link's is `notMePath(token)`. */
export const DEACTIVATE_ALL_PATH = '/settings/api-keys/deactivate-all';

/** Where the step came from: the button (no link) or a link's token, re-checked on every post. */
export interface LockDownOrigin {
  linkToken: string | null;
  /** The session asking: the one browser that stays signed in. */
  sessionId: string;
}

const subject = (user: { id: string }): ChallengeSubject => ({ userId: user.id, purpose: 'lock_down', subjectId: null });

/** The methods this person may confirm with: their second factors, or their email when they have none. */
export function lockDownMethods(user: UserSummary): LockDownMethod[] {
  const methods: LockDownMethod[] = [];
  if (user.hasTotp) methods.push('totp');
  if (user.hasSms) methods.push('sms');
  return methods.length ? methods : ['email'];
}

/** The account whose keys the step deactivates: the one this person owns (none for a member). */
const ownedAccountId = (user: UserSummary) => (user.membership?.role === 'owner' ? user.membership.accountId : null);

export const LINK_MESSAGES = {
  used: 'This link has already been used. Each “This wasn’t me” link works once.',
  expired:
    'This link has expired: “This wasn’t me” links work for 24 hours. Use the Deactivate all keys button in API Keys Management instead.',
} as const;

/** A link that cannot be used answers why; another person's (or a made-up) link is not found. */
function linkRefusal(state: NotMeLinkState): Refusal | null {
  if (state.status === 'valid') return null;
  return state.status === 'invalid' ? notFound() : refuse('ended', LINK_MESSAGES[state.status]);
}

async function checkLink(
  tx: Db | Tx,
  user: UserSummary,
  origin: LockDownOrigin,
  lock = false,
): Promise<Result<{ state: NotMeLinkState | null }>> {
  if (origin.linkToken === null) return { ok: true, state: null };
  const state = await readNotMeLink(tx, origin.linkToken, user.id, { lock });
  return linkRefusal(state) ?? { ok: true, state };
}

/** The step's code waiting to be entered, for its page. */
export function pendingLockDown(db: Db, user: UserSummary): Promise<Challenge | null> {
  return currentChallenge(db, subject(user));
}

/** Sends the SMS or email code (an authenticator needs nothing sent). */
export async function chooseLockDownMethod(
  db: Db,
  user: UserSummary,
  origin: LockDownOrigin,
  method: LockDownMethod,
  ctx: RequestContext,
): Promise<Result> {
  if (!lockDownMethods(user).includes(method)) return refuse('refused', 'That method is not set up for your account.');
  return db.transaction(async (tx) => {
    const link = await checkLink(tx, user, origin);
    if (!link.ok) return link;
    const destination = method === 'email' ? user.email : method === 'sms' ? user.phone : null;
    await startChallenge(tx, ctx, { ...subject(user), method, destination });
    return { ok: true };
  });
}

export async function resendLockDownCode(db: Db, user: UserSummary, origin: LockDownOrigin, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const link = await checkLink(tx, user, origin);
    if (!link.ok) return link;
    const pending = await currentChallenge(tx, subject(user));
    const challenge = pending && (await lockChallenge(tx, pending.id, user.id));
    return challenge ? resendCode(tx, ctx, challenge) : refuse('conflict', 'Ask for a code first.');
  });
}

export type LockDownResult = Result<{ keys: number; sessions: number }>;

/** The right code deactivates every active key and ends every other session, all or nothing. */
export async function confirmLockDown(
  db: Db,
  user: UserSummary,
  origin: LockDownOrigin,
  code: string,
  ctx: RequestContext,
  now = new Date(),
): Promise<LockDownResult> {
  return db.transaction(async (tx) => {
    // The link first (locked): two tabs posting the same link give one lock-down and one "already used".
    const link = await checkLink(tx, user, origin, true);
    if (!link.ok) return link;
    let pending = await currentChallenge(tx, subject(user));
    if (!pending && user.hasTotp) pending = await startChallenge(tx, ctx, { ...subject(user), method: 'totp' }, now);
    const challenge = pending && (await lockChallenge(tx, pending.id, user.id));
    if (!challenge) return refuse('conflict', 'Ask for a code first.');
    const verdict = await verifyChallenge(tx, ctx, challenge, code, now);
    if (!verdict.ok) return verdict;
    if (link.state?.status === 'valid') await useNotMeLink(tx, link.state.link.id, now);

    // A link deactivates the keys of the account it was sent about, and only while this person still owns it.
    const accountId = ownedAccountId(user);
    const linkAccount = link.state?.status === 'valid' ? link.state.link.accountId : accountId;
    const keys = accountId && linkAccount === accountId ? await deactivateAll(tx, ctx, user, accountId, now) : [];
    const sessions = await endSessions(tx, user.id, origin.sessionId, now);
    await audit(tx, ctx, {
      action: 'account.locked_down',
      actorUserId: user.id,
      accountId,
      details: { keys: keys.map((k) => k.name), sessions, via: origin.linkToken ? 'email link' : 'button', method: challenge.method },
    });
    const event = { kind: 'locked_down', keys, sessionsEnded: sessions } as const;
    if (accountId && keys.length) await notifyAccountOwners(tx, ctx, accountId, event, { at: now });
    else await notifyUser(tx, ctx, user.id, event, { at: now });
    return { ok: true, keys: keys.length, sessions };
  });
}

async function deactivateAll(tx: Tx, ctx: RequestContext, user: UserSummary, accountId: string, now: Date) {
  // The same lock as creating or renaming a key: no key turns active halfway through.
  await lockAccountKeys(tx, accountId);
  const active = await tx
    .select({ id: apiKeys.id, name: apiKeys.name, publicKey: apiKeys.publicKey })
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.status, 'active')))
    .orderBy(asc(apiKeys.name))
    .for('update');
  for (const key of active) {
    await updateKey(
      tx,
      ctx,
      key,
      { status: 'inactive', updatedAt: now },
      { action: 'api_key.deactivated', actorUserId: user.id, accountId, details: { reason: 'deactivate all keys' } },
    );
  }
  return active;
}

/** Whether the account has a key the button would deactivate (the button shows only then). */
export async function hasActiveKeys(db: Db, accountId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.status, 'active')))
    .limit(1);
  return row !== undefined;
}
