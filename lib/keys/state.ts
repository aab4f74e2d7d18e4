/**
 * The key lifecycle's state machines, and THE rule for whether a key is usable and, if not, why.
 *
 *   key_creations  pending_confirmation → created | void
 *                  (a key asked for, not a key until a second factor confirms it)
 *   key_changes    pending_confirmation → applied | void, kind edit or delete
 *                  (an applied delete removes the api_keys row: the key is deleted)
 *   api_keys       inactive ⇄ active, the owner's switch (column `status`), with overlays that
 *                  stop the key whatever the switch says:
 *                    suspended  suspended_at, set and lifted by an administrator
 *                    revoked    revoked_at, set by an administrator, final
 *                    expired    expires_at <= now, by the clock (the owner may edit the date)
 *                    deleted    the row is gone (an applied key_changes delete)
 *
 * `keyState` decides the one state of a key: revocation wins over suspension, suspension over
 * expiry, expiry over the owner's switch, because each earlier one stops the key whatever the
 * later ones say. Only 'active' is usable. Everything that shows or checks a key's state follows
 * it: the API gateway (REST and WebSocket), the owner's pages, the status badge, the admin list.
 * The admin SQL filters and counts cannot import lib/ (db/queries/key-state-sql.ts restates the
 * order in SQL); test/keys/state-sql.test.ts checks every combination of columns agrees.
 */
export const KEY_STATES = ['active', 'inactive', 'expired', 'suspended', 'revoked'] as const;

export type KeyState = (typeof KEY_STATES)[number];

export const KEY_STATE_LABELS: Record<KeyState, string> = {
  active: 'Active',
  inactive: 'Inactive',
  expired: 'Expired',
  suspended: 'Suspended',
  revoked: 'Revoked',
};

export interface KeyStateColumns {
  status: 'active' | 'inactive';
  expiresAt: Date | null;
  suspendedAt: Date | null;
  revokedAt: Date | null;
}

export function keyState(key: KeyStateColumns, now: Date): KeyState {
  if (key.revokedAt) return 'revoked';
  if (key.suspendedAt) return 'suspended';
  if (key.expiresAt && key.expiresAt <= now) return 'expired';
  return key.status;
}

/** What the owner is told about a key's state: the columns plus the administrator's reasons. */
export interface KeyStateFields extends KeyStateColumns {
  suspensionReason: string | null;
  revocationReason: string | null;
}

const EXPIRY_WARNING_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

const reasonText = (reason: string | null) => (reason?.trim() ? reason.trim() : 'no reason given');

/** The status as the owner reads it, reason included. */
export function keyStateLabel(key: KeyStateFields, now = new Date()): string {
  switch (keyState(key, now)) {
    case 'revoked':
      return `Revoked by an administrator: ${reasonText(key.revocationReason)}`;
    case 'suspended':
      return `Suspended by an administrator: ${reasonText(key.suspensionReason)}`;
    case 'expired':
      return 'Expired';
    case 'active':
      return 'Active';
    default:
      return 'Inactive';
  }
}

/** Why the owner may not activate this key, or null if they may. */
export function activationRefusal(key: KeyStateFields, now = new Date()): string | null {
  switch (keyState(key, now)) {
    case 'revoked':
      return `Revoked by an administrator: ${reasonText(key.revocationReason)}`;
    case 'suspended':
      return `Suspended by an administrator: ${reasonText(key.suspensionReason)}`;
    case 'expired':
      return 'This key has expired. Edit its expiry date to use it again.';
    default:
      return null;
  }
}

/** Whole days left before expiry (rounded up), when the key expires within the warning window. */
export function expiresSoonInDays(key: Pick<KeyStateFields, 'expiresAt'>, now = new Date()): number | null {
  if (!key.expiresAt) return null;
  const left = key.expiresAt.getTime() - now.getTime();
  if (left <= 0 || left > EXPIRY_WARNING_DAYS * DAY_MS) return null;
  return Math.ceil(left / DAY_MS);
}

export const expiresSoonText = (days: number) => `Expires in ${days} ${days === 1 ? 'day' : 'days'}`;
