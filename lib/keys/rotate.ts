import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { apiKeys, keyChanges } from '@/db/schema';
import type { OwnerContext } from '@/lib/identity/owner';
import { notifyAccountOwners } from '@/lib/messaging/notify';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { decryptSecret, encryptSecret } from '@/lib/platform/crypto';
import { notifyKeyChanged } from '@/lib/platform/events';
import { keyring } from '@/lib/platform/keyring';
import { refuse, type Result } from '@/lib/platform/results';
import { openChange, revokedMessage } from './change';
import { GRACE_LABELS, GRACE_PERIODS, graceEnd, graceText, previousSecretInForce, type GraceChoice } from './grace';
import { newApiSecret, twoFactorMissing } from './rules';
import { lockOwnedKey, missingKey, type OwnedKey } from './store';

/**
 * Rotating a key's secret (Stripe's "roll"). The key keeps its id, name, permissions, whitelist
 * and state; only the secret changes, confirmed by a second factor like an edit:
 *
 *   key_changes (kind 'rotate')   pending_confirmation → applied | void   (lib/keys/confirm-change.ts)
 *   api_keys.secret_enc           the new secret from the moment the rotation applies
 *   api_keys.previous_secret_*    the replaced secret, accepted until its grace ends (none: cleared
 *                                 at once); the next rotation replaces it, and the API never accepts
 *                                 it after previous_secret_expires_at whatever the row still holds
 *
 * The new secret is shown once, on the rotation's own page (revealRotatedSecret), as at creation.
 */

/** Rotate, step 1: a pending rotation awaiting a second factor; nothing changes until then. */
export async function requestKeyRotation(
  db: Db,
  owner: OwnerContext,
  keyId: string,
  grace: GraceChoice,
  ctx: RequestContext,
): Promise<Result<{ changeId: string }>> {
  const noTwoFactor = twoFactorMissing(owner.user, 'rotating the secret of');
  if (noTwoFactor) return noTwoFactor;
  return db.transaction(async (tx) => {
    const key = await lockOwnedKey(tx, owner, keyId);
    if (!key) return missingKey(tx, owner, keyId);
    if (key.revokedAt) return refuse('refused', `${revokedMessage(key.revocationReason)}. A revoked key cannot be rotated.`);
    const summary = [`Rotate the secret (old secret kept: ${GRACE_LABELS[grace]})`];
    const changeId = await openChange(
      tx,
      owner,
      key,
      { kind: 'rotate', changes: null, widens: false, graceSeconds: GRACE_PERIODS[grace] },
      ctx,
      summary,
    );
    return { ok: true, changeId };
  });
}

/**
 * Rotate, step 2 (the right code, in confirmKeyChange's transaction with key and change locked):
 * a new secret, the old one kept for its grace, every process's cached copy dropped, the audit
 * entry and the security email.
 */
export async function applyRotation(
  tx: Tx,
  owner: OwnerContext,
  key: OwnedKey,
  change: typeof keyChanges.$inferSelect,
  method: string,
  ctx: RequestContext,
): Promise<void> {
  const now = new Date();
  const graceEndsAt = graceEnd(change.graceSeconds ?? 0, now);
  const [current] = await tx.select({ secretEnc: apiKeys.secretEnc }).from(apiKeys).where(eq(apiKeys.id, key.id));
  await tx
    .update(apiKeys)
    .set({
      secretEnc: encryptSecret(newApiSecret(), key.publicKey, keyring()),
      // Moved as it is, still sealed: the replaced secret is never decrypted here, nor kept without a grace.
      previousSecretEnc: graceEndsAt ? current.secretEnc : null,
      previousSecretExpiresAt: graceEndsAt,
      updatedAt: now,
    })
    .where(eq(apiKeys.id, key.id));
  // An earlier rotation whose secret was never shown must not show this one: its reveal is over.
  await tx
    .update(keyChanges)
    .set({ secretRevealedAt: now })
    .where(
      and(
        eq(keyChanges.apiKeyId, key.id),
        eq(keyChanges.kind, 'rotate'),
        eq(keyChanges.status, 'applied'),
        isNull(keyChanges.secretRevealedAt),
      ),
    );
  await tx.update(keyChanges).set({ status: 'applied' }).where(eq(keyChanges.id, change.id));
  await notifyKeyChanged(tx, key.id);
  await audit(tx, ctx, {
    action: 'api_key.secret_rotated',
    actorUserId: owner.user.id,
    accountId: owner.accountId,
    apiKeyId: key.id,
    details: {
      name: key.name,
      publicKey: key.publicKey,
      graceEndsAt: graceEndsAt?.toISOString() ?? null,
      changes: [graceText(graceEndsAt)],
      method,
    },
  });
  await notifyAccountOwners(
    tx,
    ctx,
    owner.accountId,
    { kind: 'key_secret_rotated', key: { name: key.name, publicKey: key.publicKey }, graceEndsAt },
    { at: now },
  );
}

/**
 * Deletes the replaced secrets whose grace is over: the API refuses them by the clock already,
 * this removes them from the database and (by NOTIFY) from every process's memory. Run by the
 * key upkeep timer (./reminder-job.ts); each process may run it, the second finds nothing.
 */
export async function clearEndedGraces(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const cleared = await tx
      .update(apiKeys)
      .set({ previousSecretEnc: null, previousSecretExpiresAt: null })
      .where(lte(apiKeys.previousSecretExpiresAt, now))
      .returning({ id: apiKeys.id });
    for (const { id } of cleared) await notifyKeyChanged(tx, id);
    return cleared.length;
  });
}

export interface RevealedRotation {
  keyId: string;
  name: string;
  publicKey: string;
  /** Until when the replaced secret still works (null: it does not). */
  previousSecretExpiresAt: Date | null;
  /** Present only on the one view that revealed it. */
  secret: string | null;
}

/**
 * Rotate, step 3: the new secret, exactly once. As at creation, the reveal is claimed by a
 * conditional update, so a reload, a second tab or a racing request gets no secret.
 */
export async function revealRotatedSecret(
  db: Db,
  owner: OwnerContext,
  keyId: string,
  changeId: string,
  ctx: RequestContext,
): Promise<RevealedRotation | null> {
  return db.transaction(async (tx) => {
    const [change] = await tx
      .select({ id: keyChanges.id, status: keyChanges.status })
      .from(keyChanges)
      .where(
        and(
          eq(keyChanges.id, changeId),
          eq(keyChanges.apiKeyId, keyId),
          eq(keyChanges.kind, 'rotate'),
          eq(keyChanges.userId, owner.user.id),
          eq(keyChanges.accountId, owner.accountId),
        ),
      )
      .for('update');
    if (!change || change.status !== 'applied') return null;
    const [key] = await tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        publicKey: apiKeys.publicKey,
        secretEnc: apiKeys.secretEnc,
        previousSecretExpiresAt: apiKeys.previousSecretExpiresAt,
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, owner.accountId)));
    if (!key) return null;
    const claimed = await tx
      .update(keyChanges)
      .set({ secretRevealedAt: new Date() })
      .where(and(eq(keyChanges.id, change.id), isNull(keyChanges.secretRevealedAt)))
      .returning({ id: keyChanges.id });
    const secret = claimed.length ? decryptSecret(key.secretEnc, key.publicKey, keyring()) : null;
    if (secret)
      await audit(tx, ctx, { action: 'api_key.secret_revealed', actorUserId: owner.user.id, accountId: owner.accountId, apiKeyId: key.id });
    const inGrace = previousSecretInForce(key.previousSecretExpiresAt, new Date()) ? key.previousSecretExpiresAt : null;
    return { keyId: key.id, name: key.name, publicKey: key.publicKey, previousSecretExpiresAt: inGrace, secret };
  });
}
