import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { apiKeys, keyChanges } from '@/db/schema';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { duplicateNameMessage } from './rules';
import { lockAccountKeys, lockOwnedKey, missingKey, nameTaken, type OwnedKey } from './store';
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
import { notifyKeyChanged } from '@/lib/platform/events';
import { diffKey, type KeySettings } from './diff';
import { CHANGE_PURPOSE, revokedMessage, settingsOf, type KeyChangeKind } from './change';
import { applyRotation } from './rotate';
import { notFound, refuse, type Result } from '@/lib/platform/results';
import type { OwnerContext } from '@/lib/identity/owner';
import type { Permission } from './permissions';
import { notifyAccountOwners } from '@/lib/messaging/notify';

/**
 * Step 2 of an edit, a deletion or a secret rotation: the second factor. Every function locks the key first, then
 * the change, then the challenge — the lock order written down in lib/keys/store.ts, so
 * two tabs racing each other wait instead of deadlocking.
 */

export type KeyChange = typeof keyChanges.$inferSelect;

const purposeOf = (change: Pick<KeyChange, 'kind'>) => CHANGE_PURPOSE[change.kind];

/** Whose code confirms this change: what its page and its actions ask currentChallenge for. */
export const changeChallenge = (owner: OwnerContext, change: Pick<KeyChange, 'id' | 'kind'>): ChallengeSubject => ({
  userId: owner.user.id,
  purpose: purposeOf(change),
  subjectId: change.id,
});
const over = () => refuse('conflict', 'This request is no longer waiting for a code.');
const ENDED = 'This request has ended — start again.';

/** The change, scoped to its owner and to the key in the URL. */
const ownedChange = (db: Db | Tx, owner: OwnerContext, keyId: string, changeId: string) =>
  db
    .select()
    .from(keyChanges)
    .where(
      and(
        eq(keyChanges.id, changeId),
        eq(keyChanges.apiKeyId, keyId),
        eq(keyChanges.userId, owner.user.id),
        eq(keyChanges.accountId, owner.accountId),
      ),
    );

/** The change as its confirmation page shows it. */
export async function findKeyChange(db: Db | Tx, owner: OwnerContext, keyId: string, changeId: string): Promise<KeyChange | null> {
  const [row] = await ownedChange(db, owner, keyId, changeId);
  return row ?? null;
}

async function lockChange(tx: Tx, owner: OwnerContext, keyId: string, changeId: string): Promise<KeyChange | null> {
  const [row] = await ownedChange(tx, owner, keyId, changeId).for('update');
  return row ?? null;
}

type Locked = Result<{ key: OwnedKey; change: KeyChange }>;

async function lockBoth(tx: Tx, owner: OwnerContext, keyId: string, changeId: string): Promise<Locked> {
  const key = await lockOwnedKey(tx, owner, keyId);
  if (!key) return missingKey(tx, owner, keyId);
  const change = await lockChange(tx, owner, keyId, changeId);
  return change ? { ok: true, key, change } : notFound();
}

/** For owners with both SMS and an authenticator: the method they pick for this confirmation. */
export async function chooseChangeMethod(
  db: Db,
  owner: OwnerContext,
  keyId: string,
  changeId: string,
  method: 'sms' | 'totp',
  ctx: RequestContext,
): Promise<Result> {
  return db.transaction(async (tx) => {
    const locked = await lockBoth(tx, owner, keyId, changeId);
    if (!locked.ok) return locked;
    if (locked.change.status !== 'pending_confirmation') return over();
    if (!hasMethod(owner.user, method)) return refuse('refused', 'That method is not set up for your account.');
    await startChallenge(tx, ctx, {
      userId: owner.user.id,
      purpose: purposeOf(locked.change),
      subjectId: changeId,
      method,
      destination: owner.user.phone,
    });
    return { ok: true };
  });
}

export async function resendChangeCode(db: Db, owner: OwnerContext, keyId: string, changeId: string, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const locked = await lockBoth(tx, owner, keyId, changeId);
    if (!locked.ok) return locked;
    const pending = await currentChallenge(tx, changeChallenge(owner, locked.change));
    const challenge =
      locked.change.status === 'pending_confirmation' && pending ? await lockChallenge(tx, pending.id, owner.user.id) : null;
    return challenge ? resendCode(tx, ctx, challenge) : over();
  });
}

type ConfirmChangeResult = Result<{ kind: KeyChangeKind; deactivated: boolean }>;

async function voidChange(tx: Tx, owner: OwnerContext, key: OwnedKey, change: KeyChange, ctx: RequestContext, reason: string) {
  await tx.update(keyChanges).set({ status: 'void' }).where(eq(keyChanges.id, change.id));
  await audit(tx, ctx, {
    action: 'key_change.void',
    actorUserId: owner.user.id,
    accountId: owner.accountId,
    apiKeyId: key.id,
    success: false,
    details: { kind: change.kind, name: key.name, reason },
  });
}

/** The right code applies the change — with its audit entry and the API's notice, in one transaction. */
export async function confirmKeyChange(
  db: Db,
  owner: OwnerContext,
  keyId: string,
  changeId: string,
  code: string,
  ctx: RequestContext,
): Promise<ConfirmChangeResult> {
  return db.transaction(async (tx) => {
    // Taken first by every request that might rename a key, so names stay unique under races.
    await lockAccountKeys(tx, owner.accountId);
    const locked = await lockBoth(tx, owner, keyId, changeId);
    if (!locked.ok) return locked;
    const { key, change } = locked;
    if (change.status === 'applied') return { ok: true, kind: change.kind, deactivated: change.widens }; // a double submit
    if (change.status === 'void') return refuse('ended', ENDED);
    const pending = await currentChallenge(tx, changeChallenge(owner, change));
    const challenge = pending && (await lockChallenge(tx, pending.id, owner.user.id));
    if (!challenge) return refuse('conflict', 'Choose how to receive your code first.');

    const verdict = await verifyChallenge(tx, ctx, challenge, code);
    if (!verdict.ok) {
      if (verdict.reason !== 'exhausted') return verdict;
      await voidChange(tx, owner, key, change, ctx, 'too many incorrect codes');
      return refuse('ended', `Too many incorrect codes. ${ENDED}`);
    }
    if (change.kind === 'rotate') return confirmRotation(tx, owner, key, change, challenge, ctx);
    return change.kind === 'delete' ? applyDeletion(tx, owner, key, challenge, ctx) : applyEdit(tx, owner, key, change, challenge, ctx);
  });
}

async function confirmRotation(
  tx: Tx,
  owner: OwnerContext,
  key: OwnedKey,
  change: KeyChange,
  challenge: Challenge,
  ctx: RequestContext,
): Promise<ConfirmChangeResult> {
  if (key.revokedAt) {
    await voidChange(tx, owner, key, change, ctx, 'conflict when applying');
    return refuse('ended', `${revokedMessage(key.revocationReason)}. This request has ended.`);
  }
  await applyRotation(tx, owner, key, change, challenge.method, ctx);
  return { ok: true, kind: 'rotate', deactivated: false };
}

async function applyDeletion(
  tx: Tx,
  owner: OwnerContext,
  key: OwnedKey,
  challenge: Challenge,
  ctx: RequestContext,
): Promise<ConfirmChangeResult> {
  // Hard delete (its pending changes go with it); the audit entry keeps what identified the key.
  await tx.delete(apiKeys).where(eq(apiKeys.id, key.id));
  await notifyKeyChanged(tx, key.id);
  await audit(tx, ctx, {
    action: 'api_key.deleted',
    actorUserId: owner.user.id,
    accountId: owner.accountId,
    apiKeyId: key.id,
    details: { name: key.name, publicKey: key.publicKey, method: challenge.method },
  });
  await notifyAccountOwners(tx, ctx, owner.accountId, { kind: 'key_deleted', key });
  return { ok: true, kind: 'delete', deactivated: false };
}

async function applyEdit(
  tx: Tx,
  owner: OwnerContext,
  key: OwnedKey,
  change: KeyChange,
  challenge: Challenge,
  ctx: RequestContext,
): Promise<ConfirmChangeResult> {
  const saved = change.changes;
  const conflict = !saved
    ? 'This request is incomplete'
    : key.revokedAt
      ? revokedMessage(key.revocationReason)
      : (await nameTaken(tx, owner.accountId, saved.name, { except: key.id }))
        ? duplicateNameMessage(saved.name)
        : null;
  if (!saved || conflict) {
    await voidChange(tx, owner, key, change, ctx, 'conflict when applying');
    return refuse('ended', `${conflict}. This request has ended.`);
  }
  const next: KeySettings = {
    name: saved.name,
    permissions: saved.permissions as Permission[],
    ipWhitelist: saved.ipWhitelist,
    expiresAt: saved.expiresAt ? new Date(saved.expiresAt) : null,
  };
  // Decided again against the key as it is now, not as it was when the change was asked for.
  const diff = diffKey(settingsOf(key), next);
  const widens = diff.widens.length > 0;
  const now = new Date();
  await tx
    .update(apiKeys)
    .set({ ...next, status: widens ? 'inactive' : key.status, updatedAt: now })
    .where(eq(apiKeys.id, key.id));
  await tx.update(keyChanges).set({ status: 'applied', widens }).where(eq(keyChanges.id, change.id));
  await notifyKeyChanged(tx, key.id);
  await audit(tx, ctx, {
    action: 'api_key.edited',
    actorUserId: owner.user.id,
    accountId: owner.accountId,
    apiKeyId: key.id,
    details: {
      name: next.name,
      permissions: next.permissions,
      ipWhitelist: next.ipWhitelist,
      expiresAt: saved.expiresAt,
      changes: diff.summary,
      widens,
      deactivated: widens && key.status === 'active',
      method: challenge.method,
    },
  });
  await notifyAccountOwners(
    tx,
    ctx,
    owner.accountId,
    {
      kind: 'key_edited',
      key: { name: next.name, publicKey: key.publicKey },
      changes: diff.summary,
      deactivated: widens && key.status === 'active',
    },
    { at: now },
  );
  return { ok: true, kind: 'edit', deactivated: widens };
}
