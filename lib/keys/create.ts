import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { apiKeys, keyCreations } from '@/db/schema';
import type { OwnerContext } from '@/lib/identity/owner';
import { audit, type RequestContext } from '@/lib/platform/audit';
import { duplicateNameMessage, limitMessage, newApiSecret, newPublicKey, twoFactorMissing, type KeyDetails } from './rules';
import { keyAccessColumns, keyLimitReached, lockAccountKeys, nameTaken } from './store';
import {
  currentChallenge,
  hasMethod,
  lockChallenge,
  resendCode,
  startChallenge,
  startSoleMethod,
  verifyChallenge,
} from '@/lib/second-factor/challenges';
import { decryptSecret, encryptSecret } from '@/lib/platform/crypto';
import { keyring } from '@/lib/platform/keyring';
import { notFound, refuse, refuseFields, type Result } from '@/lib/platform/results';
import { notifyAccountOwners } from '@/lib/messaging/notify';
import { permissionLabels } from './permissions';

export type KeyCreation = typeof keyCreations.$inferSelect;

/** Step 1: remember what the owner asked for; nothing is a key until a second factor confirms it. */
export async function createPendingKey(
  db: Db,
  owner: OwnerContext,
  details: KeyDetails,
  ctx: RequestContext,
): Promise<Result<{ creationId: string }>> {
  const { user, accountId } = owner;
  const noTwoFactor = twoFactorMissing(user, 'creating');
  if (noTwoFactor) return noTwoFactor;
  return db.transaction(async (tx) => {
    await lockAccountKeys(tx, accountId);
    if (await keyLimitReached(tx, accountId)) return refuse('conflict', limitMessage());
    if (await nameTaken(tx, accountId, details.name)) {
      return refuseFields('conflict', { name: [duplicateNameMessage(details.name)] });
    }
    // One pending creation per person: an older one left half-way is over.
    await tx
      .update(keyCreations)
      .set({ status: 'void' })
      .where(and(eq(keyCreations.userId, user.id), eq(keyCreations.status, 'pending_confirmation')));
    const [creation] = await tx
      .insert(keyCreations)
      .values({
        accountId,
        userId: user.id,
        name: details.name,
        permissions: details.permissions,
        ipWhitelist: details.ipWhitelist,
        expiresAt: details.expiry,
      })
      .returning({ id: keyCreations.id });
    await audit(tx, ctx, {
      action: 'key_creation.pending',
      actorUserId: user.id,
      accountId,
      details: {
        name: details.name,
        permissions: details.permissions,
        ipWhitelist: details.ipWhitelist,
        expiresAt: details.expiry?.toISOString() ?? null,
      },
    });
    await startSoleMethod(tx, ctx, user, { purpose: 'key_creation', subjectId: creation.id });
    return { ok: true, creationId: creation.id };
  });
}

async function lockCreation(tx: Tx, owner: OwnerContext, creationId: string): Promise<KeyCreation | null> {
  const [row] = await tx
    .select()
    .from(keyCreations)
    .where(and(eq(keyCreations.id, creationId), eq(keyCreations.userId, owner.user.id), eq(keyCreations.accountId, owner.accountId)))
    .for('update');
  return row ?? null;
}

const over = () => refuse('conflict', 'This request is no longer waiting for a code.');
const ENDED = 'This request has ended — start again.';

/** For owners with both SMS and an authenticator: the method they pick for this confirmation. */
export async function chooseCreationMethod(
  db: Db,
  owner: OwnerContext,
  creationId: string,
  method: 'sms' | 'totp',
  ctx: RequestContext,
): Promise<Result> {
  return db.transaction(async (tx) => {
    const creation = await lockCreation(tx, owner, creationId);
    if (!creation) return notFound();
    if (creation.status !== 'pending_confirmation') return over();
    if (!hasMethod(owner.user, method)) return refuse('refused', 'That method is not set up for your account.');
    await startChallenge(tx, ctx, {
      userId: owner.user.id,
      purpose: 'key_creation',
      subjectId: creationId,
      method,
      destination: owner.user.phone,
    });
    return { ok: true };
  });
}

export async function resendCreationCode(db: Db, owner: OwnerContext, creationId: string, ctx: RequestContext): Promise<Result> {
  return db.transaction(async (tx) => {
    const creation = await lockCreation(tx, owner, creationId);
    if (!creation) return notFound();
    const pending = await currentChallenge(tx, { userId: owner.user.id, purpose: 'key_creation', subjectId: creationId });
    if (creation.status !== 'pending_confirmation' || !pending) return over();
    const challenge = await lockChallenge(tx, pending.id, owner.user.id);
    return challenge ? resendCode(tx, ctx, challenge) : over();
  });
}

/**
 * Step 2: the code is right, so the key is made — in one transaction with its audit entry. The
 * creation row is locked first, so two simultaneous confirmations make exactly one key.
 */
export async function confirmKeyCreation(
  db: Db,
  owner: OwnerContext,
  creationId: string,
  code: string,
  ctx: RequestContext,
): Promise<Result> {
  return db.transaction(async (tx) => {
    const creation = await lockCreation(tx, owner, creationId);
    if (!creation) return notFound();
    if (creation.status === 'created') return { ok: true }; // a double submit: the first one made it
    if (creation.status === 'void') return refuse('ended', ENDED);
    const pending = await currentChallenge(tx, { userId: owner.user.id, purpose: 'key_creation', subjectId: creationId });
    const challenge = pending && (await lockChallenge(tx, pending.id, owner.user.id));
    if (!challenge) return refuse('conflict', 'Choose how to receive your code first.');

    const verdict = await verifyChallenge(tx, ctx, challenge, code);
    if (!verdict.ok) {
      if (verdict.reason !== 'exhausted') return verdict;
      await voidCreation(tx, owner, creation, ctx, 'too many incorrect codes');
      return refuse('ended', `Too many incorrect codes. ${ENDED}`);
    }

    // Limits are checked again: other keys may have been made while this one waited for its code.
    await lockAccountKeys(tx, owner.accountId);
    const refusal = (await keyLimitReached(tx, owner.accountId))
      ? limitMessage()
      : (await nameTaken(tx, owner.accountId, creation.name))
        ? duplicateNameMessage(creation.name)
        : null;
    if (refusal) {
      await voidCreation(tx, owner, creation, ctx, 'limit or name conflict');
      return refuse('ended', `${refusal}. This request has ended.`);
    }

    const publicKey = newPublicKey();
    const [key] = await tx
      .insert(apiKeys)
      .values({
        accountId: owner.accountId,
        name: creation.name,
        publicKey,
        secretEnc: encryptSecret(newApiSecret(), publicKey, keyring()),
        permissions: creation.permissions,
        ipWhitelist: creation.ipWhitelist,
        expiresAt: creation.expiresAt,
        status: 'inactive',
        createdBy: owner.user.id,
      })
      .returning({ id: apiKeys.id });
    await tx.update(keyCreations).set({ status: 'created', apiKeyId: key.id }).where(eq(keyCreations.id, creation.id));
    await audit(tx, ctx, {
      action: 'api_key.created',
      actorUserId: owner.user.id,
      accountId: owner.accountId,
      apiKeyId: key.id,
      details: {
        name: creation.name,
        publicKey,
        permissions: creation.permissions,
        ipWhitelist: creation.ipWhitelist,
        expiresAt: creation.expiresAt?.toISOString() ?? null,
        method: challenge.method,
      },
    });
    await notifyAccountOwners(tx, ctx, owner.accountId, {
      kind: 'key_created',
      key: { name: creation.name, publicKey },
      permissions: permissionLabels(creation.permissions),
      ipWhitelist: creation.ipWhitelist,
    });
    return { ok: true };
  });
}

async function voidCreation(tx: Tx, owner: OwnerContext, creation: KeyCreation, ctx: RequestContext, reason: string) {
  await tx.update(keyCreations).set({ status: 'void' }).where(eq(keyCreations.id, creation.id));
  await audit(tx, ctx, {
    action: 'key_creation.void',
    actorUserId: owner.user.id,
    accountId: owner.accountId,
    success: false,
    details: { name: creation.name, reason },
  });
}

export interface RevealedKey {
  keyId: string;
  name: string;
  publicKey: string;
  status: 'active' | 'inactive';
  /** What the key may do and from where, listed next to the secret so the owner can check it. */
  permissions: string[];
  ipWhitelist: string[];
  /** When the key stops working (null: never). */
  expiresAt: Date | null;
  /** Present only on the one view that revealed it. */
  secret: string | null;
}

/**
 * Step 3: the secret, exactly once. The reveal is claimed by a conditional update, so a second
 * view (reload, second tab, a racing request) finds it claimed and gets no secret.
 */
export async function revealCreatedKey(db: Db, owner: OwnerContext, creationId: string, ctx: RequestContext): Promise<RevealedKey | null> {
  return db.transaction(async (tx) => {
    const creation = await lockCreation(tx, owner, creationId);
    if (!creation || creation.status !== 'created' || !creation.apiKeyId) return null;
    const [key] = await tx
      .select({ ...keyAccessColumns, secretEnc: apiKeys.secretEnc })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, creation.apiKeyId), eq(apiKeys.accountId, owner.accountId)));
    if (!key) return null;
    const claimed = await tx
      .update(keyCreations)
      .set({ secretRevealedAt: new Date() })
      .where(and(eq(keyCreations.id, creation.id), isNull(keyCreations.secretRevealedAt)))
      .returning({ id: keyCreations.id });
    const secret = claimed.length ? decryptSecret(key.secretEnc, key.publicKey, keyring()) : null;
    if (secret)
      await audit(tx, ctx, { action: 'api_key.secret_revealed', actorUserId: owner.user.id, accountId: owner.accountId, apiKeyId: key.id });
    const { id: keyId, name, publicKey, status, permissions, ipWhitelist, expiresAt } = key;
    return { keyId, name, publicKey, status, permissions, ipWhitelist, expiresAt, secret };
  });
}

/** The creation as its confirmation page shows it, scoped to its owner. */
export async function findCreation(db: Db, owner: OwnerContext, creationId: string): Promise<KeyCreation | null> {
  const [row] = await db
    .select()
    .from(keyCreations)
    .where(and(eq(keyCreations.id, creationId), eq(keyCreations.userId, owner.user.id), eq(keyCreations.accountId, owner.accountId)));
  return row ?? null;
}
