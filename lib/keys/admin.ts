import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '@/db/client';
import { apiKeys } from '@/db/schema';
import type { AuditAction, RequestContext } from '@/lib/platform/audit';
import { updateKey } from './store';
import { notFound, refuse, type Refusal, type Result } from '@/lib/platform/results';
import { notifyAccountOwners } from '@/lib/messaging/notify';
import type { KeyRef, SecurityEvent } from '@/lib/messaging/security-notices';

/**
 * What a platform admin may do to any key: suspend it (the owner cannot activate it until the
 * suspension is lifted), lift that suspension, or revoke it for good. Each step is one
 * transaction with its audit row, the NOTIFY that makes every app process drop the key from
 * its cache (so the API stops or resumes honouring it with the next request), and the email
 * that tells the account's owner, with the reason.
 */

const REASON_MIN = 3;
const REASON_MAX = 500;

/** Shown to the owner as typed, so one line of printable text. One message at a time (`abort`). */
export const reasonSchema = z
  .string({ error: 'Give a reason.' })
  .transform((v) => v.replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(REASON_MIN, { message: `Give a reason of at least ${REASON_MIN} characters.`, abort: true })
      .max(REASON_MAX, { message: `Keep the reason to ${REASON_MAX} characters or fewer.`, abort: true })
      .regex(/^[^\p{C}]*$/u, 'Use printable characters only.'),
  );

export interface AdminActor {
  id: string;
}

async function lockKey(tx: Tx, keyId: string) {
  const [key] = await tx
    .select({
      id: apiKeys.id,
      accountId: apiKeys.accountId,
      name: apiKeys.name,
      publicKey: apiKeys.publicKey,
      suspendedAt: apiKeys.suspendedAt,
      suspensionReason: apiKeys.suspensionReason,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.id, keyId))
    .for('update');
  return key ?? null;
}

type LockedKey = NonNullable<Awaited<ReturnType<typeof lockKey>>>;

/** What one admin step writes to a key it allows, and how the audit log names it. */
interface AdminChange {
  set: Partial<typeof apiKeys.$inferInsert>;
  action: AuditAction;
  details: Record<string, unknown>;
  /** What the owner's email reports. */
  notice: (key: KeyRef) => SecurityEvent;
}

/** Lock the key → check the transition → write → notify → audit, in one transaction. */
function changeKey(
  db: Db,
  admin: AdminActor,
  keyId: string,
  ctx: RequestContext,
  decide: (key: LockedKey) => Refusal | AdminChange,
): Promise<Result> {
  return db.transaction(async (tx) => {
    const key = await lockKey(tx, keyId);
    if (!key) return notFound();
    const change = decide(key);
    if ('ok' in change) return change;
    await updateKey(tx, ctx, key, change.set, {
      action: change.action,
      actorUserId: admin.id,
      accountId: key.accountId,
      details: change.details,
    });
    await notifyAccountOwners(tx, ctx, key.accountId, change.notice(key), { byAdministrator: true });
    return { ok: true };
  });
}

export function suspendKey(
  db: Db,
  admin: AdminActor,
  keyId: string,
  reason: string,
  ctx: RequestContext,
  now = new Date(),
): Promise<Result> {
  return changeKey(db, admin, keyId, ctx, (key) => {
    if (key.revokedAt) return refuse('conflict', 'This key has been revoked; there is nothing to suspend.');
    if (key.suspendedAt) return refuse('conflict', 'This key is already suspended.');
    return {
      set: { suspendedAt: now, suspensionReason: reason, updatedAt: now },
      action: 'api_key.suspended',
      details: { reason },
      notice: (ref) => ({ kind: 'key_suspended', key: ref, reason }),
    };
  });
}

/** The key returns to the state its owner left it in (active keys work again at once). */
export function liftSuspension(db: Db, admin: AdminActor, keyId: string, ctx: RequestContext, now = new Date()): Promise<Result> {
  return changeKey(db, admin, keyId, ctx, (key) => {
    if (key.revokedAt) return refuse('conflict', 'This key has been revoked; revocation cannot be lifted.');
    if (!key.suspendedAt) return refuse('conflict', 'This key is not suspended.');
    return {
      set: { suspendedAt: null, suspensionReason: null, updatedAt: now },
      action: 'api_key.unsuspended',
      details: { suspensionReason: key.suspensionReason },
      notice: (ref) => ({ kind: 'key_unsuspended', key: ref }),
    };
  });
}

/**
 * Permanent. The key is also switched off and marked suspended: every check that already knows
 * suspension (the API gateway, the owner's Activate) then refuses it too, so a revoked key can
 * never come back through a path that has not learnt about revocation.
 */
export function revokeKey(
  db: Db,
  admin: AdminActor,
  keyId: string,
  reason: string,
  ctx: RequestContext,
  now = new Date(),
): Promise<Result> {
  return changeKey(db, admin, keyId, ctx, (key) => {
    if (key.revokedAt) return refuse('conflict', 'This key has already been revoked.');
    return {
      set: {
        status: 'inactive',
        revokedAt: now,
        revocationReason: reason,
        suspendedAt: key.suspendedAt ?? now,
        suspensionReason: key.suspensionReason ?? reason,
        updatedAt: now,
      },
      action: 'api_key.revoked',
      details: { reason },
      notice: (ref) => ({ kind: 'key_revoked', key: ref, reason }),
    };
  });
}
