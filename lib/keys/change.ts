import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { keyChanges } from '@/db/schema';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { duplicateNameMessage, keyDetailsFromForm, keyDetailsSchema, twoFactorMissing } from './rules';
import { lockAccountKeys, lockOwnedKey, missingKey, nameTaken, updateKey, type OwnedKey } from './store';
import { startSoleMethod, type ChallengePurpose } from '@/lib/second-factor/challenges';
import { diffKey, type KeySettings } from './diff';
import { expirySchema } from './expiry';
import type { OwnerContext } from '@/lib/identity/owner';
import type { Permission } from './permissions';
import { refuse, refuseFields, type Result } from '@/lib/platform/results';
import { notifyAccountOwners } from '@/lib/messaging/notify';

/** The edit form as the server trusts it: the new-key fields; an unchanged past date may stay (checked with the key). */
export const keyEditSchema = keyDetailsSchema.extend({ expiry: expirySchema({ pastAllowed: true }) });

export type KeyEdit = z.output<typeof keyEditSchema>;

export const keyEditFromForm = keyDetailsFromForm;

export const revokedMessage = (reason: string | null) => `Revoked by an administrator: ${reason?.trim() || 'no reason given'}`;

export const settingsOf = (key: OwnedKey): KeySettings => ({
  name: key.name,
  permissions: key.permissions as Permission[],
  ipWhitelist: key.ipWhitelist,
  expiresAt: key.expiresAt,
});

/** Deactivate: immediate and reversible (Activate, with an email code); no second factor needed. */
export async function deactivateKey(db: Db, owner: OwnerContext, keyId: string, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const key = await lockOwnedKey(tx, owner, keyId);
    if (!key) return missingKey(tx, owner, keyId);
    if (key.status !== 'active') return refuse('conflict', 'This key is already inactive.');
    const now = new Date();
    await updateKey(
      tx,
      ctx,
      key,
      { status: 'inactive', updatedAt: now },
      {
        action: 'api_key.deactivated',
        actorUserId: owner.user.id,
        accountId: owner.accountId,
      },
    );
    await notifyAccountOwners(tx, ctx, owner.accountId, { kind: 'key_deactivated', key }, { at: now });
    return { ok: true };
  });
}

export type KeyChangeKind = (typeof keyChanges.$inferSelect)['kind'];

/** The second-factor purpose that confirms each kind of change (its code message names it). */
export const CHANGE_PURPOSE = {
  edit: 'key_edit',
  delete: 'key_deletion',
  rotate: 'key_rotation',
} as const satisfies Record<KeyChangeKind, ChallengePurpose>;

/** One pending change per key: a new request replaces any earlier one left half-way. */
export async function openChange(
  tx: Tx,
  owner: OwnerContext,
  key: OwnedKey,
  values: Omit<typeof keyChanges.$inferInsert, 'apiKeyId' | 'accountId' | 'userId'>,
  ctx: RequestContext,
  summary: string[],
) {
  await tx
    .update(keyChanges)
    .set({ status: 'void' })
    .where(and(eq(keyChanges.apiKeyId, key.id), eq(keyChanges.status, 'pending_confirmation')));
  const [change] = await tx
    .insert(keyChanges)
    .values({ ...values, apiKeyId: key.id, accountId: owner.accountId, userId: owner.user.id })
    .returning({ id: keyChanges.id });
  await audit(tx, ctx, {
    action: 'key_change.pending',
    actorUserId: owner.user.id,
    accountId: owner.accountId,
    apiKeyId: key.id,
    details: { kind: values.kind, name: key.name, widens: values.widens ?? false, changes: summary },
  });
  await startSoleMethod(tx, ctx, owner.user, { purpose: CHANGE_PURPOSE[values.kind], subjectId: change.id });
  return change.id;
}

/**
 * Edit, step 1: checks the new settings against the key as it is now and stores them as a
 * pending change; nothing about the key changes until a second factor confirms it.
 */
export async function requestKeyEdit(
  db: Db,
  owner: OwnerContext,
  keyId: string,
  edit: KeyEdit,
  ctx: RequestContext,
  now = new Date(),
): Promise<Result<{ changeId: string }>> {
  const noTwoFactor = twoFactorMissing(owner.user, 'editing');
  if (noTwoFactor) return noTwoFactor;
  return db.transaction(async (tx) => {
    await lockAccountKeys(tx, owner.accountId);
    const key = await lockOwnedKey(tx, owner, keyId);
    if (!key) return missingKey(tx, owner, keyId);
    if (key.revokedAt) return refuse('refused', `${revokedMessage(key.revocationReason)}. A revoked key cannot be edited.`);
    const next: KeySettings = { name: edit.name, permissions: edit.permissions, ipWhitelist: edit.ipWhitelist, expiresAt: edit.expiry };
    const diff = diffKey(settingsOf(key), next);
    if (!diff.changed) return refuse('invalid', 'Nothing to save: these are the key’s current settings.');
    // An unchanged past date may stay (the key stays expired); a new one must lie ahead.
    if (next.expiresAt && next.expiresAt.getTime() !== key.expiresAt?.getTime() && next.expiresAt <= now) {
      return refuseFields('invalid', { expiry: ['Choose a date in the future'] });
    }
    if (await nameTaken(tx, owner.accountId, next.name, { except: key.id })) {
      return refuseFields('conflict', { name: [duplicateNameMessage(next.name)] });
    }
    const changes = {
      name: next.name,
      permissions: next.permissions,
      ipWhitelist: next.ipWhitelist,
      expiresAt: next.expiresAt?.toISOString() ?? null,
    };
    const changeId = await openChange(tx, owner, key, { kind: 'edit', changes, widens: diff.widens.length > 0 }, ctx, diff.summary);
    return { ok: true, changeId };
  });
}

/** Delete, step 1 (after the confirmation dialog): a pending deletion awaiting a second factor. */
export async function requestKeyDeletion(
  db: Db,
  owner: OwnerContext,
  keyId: string,
  ctx: RequestContext,
): Promise<Result<{ changeId: string }>> {
  const noTwoFactor = twoFactorMissing(owner.user, 'deleting');
  if (noTwoFactor) return noTwoFactor;
  return db.transaction(async (tx) => {
    await lockAccountKeys(tx, owner.accountId);
    const key = await lockOwnedKey(tx, owner, keyId);
    if (!key) return missingKey(tx, owner, keyId);
    const changeId = await openChange(tx, owner, key, { kind: 'delete', changes: null, widens: false }, ctx, ['Delete the key']);
    return { ok: true, changeId };
  });
}
