import { keyState, type KeyState, type KeyStateColumns } from './state';

/**
 * What the owner is told about a key's state, built on `keyState` (lib/key-state.ts, shared with
 * the admin views): revocation, then suspension, then expiry override the owner's on/off switch —
 * the same order the API refuses a call in (lib/api/gateway.ts).
 */

export { keyState, type KeyState };

export interface KeyStateFields extends KeyStateColumns {
  suspensionReason: string | null;
  revocationReason: string | null;
}

export const EXPIRY_WARNING_DAYS = 7;
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
