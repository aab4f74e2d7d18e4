import type { Db } from '@/db/client';
import { findUnusedPermissions } from '@/db/queries/unused-permissions';
import { MONEY_MOVING_PERMISSIONS, type Permission } from '@/lib/keys/permissions';
import { API_ACTIONS } from './registry';

/** A money permission unused this long is offered for removal (least privilege). */
export const UNUSED_AFTER_DAYS = 30;

/** The actions each money-moving permission opens, from the registry: the calls that count as using it. */
export const MONEY_PERMISSION_ACTIONS: Record<string, string[]> = Object.fromEntries(
  MONEY_MOVING_PERMISSIONS.map((p) => [p, API_ACTIONS.filter((a) => a.permission === p).map((a) => a.name)]),
);

/**
 * The money-moving permissions a key has held for 30 days or more without one accepted call that
 * needed them: access it holds and does not use, which the owner can remove in one step.
 */
export async function unusedMoneyPermissions(db: Db, accountId: string, keyId: string, now = new Date()): Promise<Permission[]> {
  return (await findUnusedPermissions(db, accountId, keyId, MONEY_PERMISSION_ACTIONS, now, UNUSED_AFTER_DAYS)) as Permission[];
}
