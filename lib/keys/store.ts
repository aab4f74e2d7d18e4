import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { countKeysOfAccount } from '@/db/queries/api-keys';
import { apiKeys, auditEvents } from '@/db/schema';
import type { OwnerContext } from '@/lib/identity/owner';
import { audit, type AuditAction, type RequestContext } from '@/lib/platform/audit';
import { notifyKeyChanged } from '@/lib/platform/events';
import { maxKeysPerAccount } from '@/lib/platform/config';
import { GONE_MESSAGE } from './rules';
import { notFound, refuse, type Refusal } from '@/lib/platform/results';

/**
 * The data-access rules of keys: locks, uniqueness and counts. Lock order, for every request that
 * may create or rename a key: the account's keys (lockAccountKeys), then the key, then its
 * pending change, then the challenge — so two tabs racing each other wait instead of deadlocking.
 */

/** Serialises key creation within one account, so limits and unique names hold under races. */
export async function lockAccountKeys(tx: Tx, accountId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`api-keys:${accountId}`}))`);
}

/** A key of the account already has this name (compared case-insensitively), `except` that key. */
export async function nameTaken(tx: Tx, accountId: string, name: string, options: { except?: string } = {}): Promise<boolean> {
  const [row] = await tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.accountId, accountId),
        options.except ? ne(apiKeys.id, options.except) : undefined,
        sql`lower(${apiKeys.name}) = lower(${name})`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** The account holds as many keys as it may (call under lockAccountKeys). */
export async function keyLimitReached(tx: Db | Tx, accountId: string): Promise<boolean> {
  return (await countKeysOfAccount(tx, accountId)) >= maxKeysPerAccount();
}

export type OwnedKey = NonNullable<Awaited<ReturnType<typeof lockOwnedKey>>>;

/** What an owner is shown of a key: who it is and what it may do (never its secret). */
export const keyAccessColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  publicKey: apiKeys.publicKey,
  status: apiKeys.status,
  permissions: apiKeys.permissions,
  ipWhitelist: apiKeys.ipWhitelist,
  expiresAt: apiKeys.expiresAt,
};

/** The key, locked for this transaction, only if it belongs to the owner's account. */
export async function lockOwnedKey(tx: Tx, owner: OwnerContext, keyId: string) {
  const [key] = await tx
    .select({
      ...keyAccessColumns,
      suspendedAt: apiKeys.suspendedAt,
      suspensionReason: apiKeys.suspensionReason,
      revokedAt: apiKeys.revokedAt,
      revocationReason: apiKeys.revocationReason,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, owner.accountId)))
    .for('update');
  return key ?? null;
}

/**
 * A key this account deleted leaves its audit entry behind, so a stale form can be told so; any
 * other unknown id — including another account's key — is simply not found.
 */
export async function keyWasDeleted(db: Db | Tx, accountId: string, keyId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.apiKeyId, keyId), eq(auditEvents.accountId, accountId), eq(auditEvents.action, 'api_key.deleted')))
    .limit(1);
  return Boolean(row);
}

/** The refusal for a key lockOwnedKey did not find: deleted meanwhile (`gone`) or never ours. */
export async function missingKey(db: Db | Tx, owner: OwnerContext, keyId: string): Promise<Refusal> {
  return (await keyWasDeleted(db, owner.accountId, keyId)) ? refuse('gone', GONE_MESSAGE) : notFound();
}

/** Who changed a key and how the audit log names it; the key's name is always recorded. */
export interface KeyEvent {
  action: AuditAction;
  actorUserId: string;
  accountId: string;
  details?: Record<string, unknown>;
}

/**
 * Writes a change to a key locked by the caller, then NOTIFYs every app process (their key
 * caches drop it at commit) and appends the audit row — all in the caller's transaction.
 */
export async function updateKey(
  tx: Tx,
  ctx: RequestContext,
  key: { id: string; name: string },
  set: Partial<typeof apiKeys.$inferInsert>,
  event: KeyEvent,
): Promise<void> {
  await tx.update(apiKeys).set(set).where(eq(apiKeys.id, key.id));
  await notifyKeyChanged(tx, key.id);
  await audit(tx, ctx, { ...event, apiKeyId: key.id, details: { name: key.name, ...event.details } });
}
