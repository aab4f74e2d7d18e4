import type { Db } from '@/db/client';
import type { RequestContext } from '@/lib/platform/audit';
import { currentChallenge, lockChallenge, resendCode, startChallenge, verifyChallenge } from '@/lib/second-factor/challenges';
import { activationRefusal } from './state';
import { lockOwnedKey, missingKey, updateKey } from './store';
import { refuse, type Result } from '@/lib/platform/results';
import type { OwnerContext } from '@/lib/identity/owner';
import { notifyAccountOwners } from '@/lib/messaging/notify';

/**
 * Activation is confirmed by a code sent to the owner's email. Asking again while a code is
 * still valid sends nothing new (Resend does, after two minutes), so the button cannot spam.
 */
export async function requestKeyActivation(
  db: Db,
  owner: OwnerContext,
  keyId: string,
  ctx: RequestContext,
  now = new Date(),
): Promise<Result> {
  return db.transaction(async (tx) => {
    const key = await lockOwnedKey(tx, owner, keyId);
    if (!key) return missingKey(tx, owner, keyId);
    // Suspended, revoked or expired: an administrator or the expiry date decides, not the owner.
    const refusal = activationRefusal(key, now);
    if (refusal) return refuse('refused', refusal);
    if (key.status === 'active') return refuse('conflict', 'This key is already active.');
    const pending = await currentChallenge(tx, { userId: owner.user.id, purpose: 'key_activation', subjectId: keyId });
    if (pending?.expiresAt && pending.expiresAt > now && pending.failedAttempts === 0) return { ok: true };
    await startChallenge(
      tx,
      ctx,
      { userId: owner.user.id, purpose: 'key_activation', subjectId: keyId, method: 'email', destination: owner.user.email },
      now,
    );
    return { ok: true };
  });
}

export async function resendActivationCode(db: Db, owner: OwnerContext, keyId: string, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const key = await lockOwnedKey(tx, owner, keyId);
    if (!key) return missingKey(tx, owner, keyId);
    const pending = await currentChallenge(tx, { userId: owner.user.id, purpose: 'key_activation', subjectId: keyId });
    const challenge = pending && (await lockChallenge(tx, pending.id, owner.user.id));
    if (key.status !== 'inactive' || !challenge) return refuse('conflict', 'There is no activation waiting for a code.');
    return resendCode(tx, ctx, challenge);
  });
}

export async function confirmKeyActivation(db: Db, owner: OwnerContext, keyId: string, code: string, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const key = await lockOwnedKey(tx, owner, keyId);
    if (!key) return missingKey(tx, owner, keyId);
    if (key.status === 'active') return { ok: true }; // a double submit: already done
    const refusal = activationRefusal(key); // it may have been suspended while the code was on its way
    if (refusal) return refuse('refused', refusal);
    const pending = await currentChallenge(tx, { userId: owner.user.id, purpose: 'key_activation', subjectId: keyId });
    const challenge = pending && (await lockChallenge(tx, pending.id, owner.user.id));
    if (!challenge) return refuse('conflict', 'Ask for a new activation code first.');
    const verdict = await verifyChallenge(tx, ctx, challenge, code);
    if (!verdict.ok)
      return verdict.reason === 'exhausted' ? refuse('exhausted', 'Too many incorrect codes. Press Activate to get a new code.') : verdict;
    const now = new Date();
    await updateKey(
      tx,
      ctx,
      key,
      { status: 'active', activatedAt: now, updatedAt: now },
      {
        action: 'api_key.activated',
        actorUserId: owner.user.id,
        accountId: owner.accountId,
      },
    );
    await notifyAccountOwners(tx, ctx, owner.accountId, { kind: 'key_activated', key }, { at: now });
    return { ok: true };
  });
}
