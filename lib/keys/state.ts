/**
 * What a key's columns mean for people: the one status shown in lists and used by filters.
 * Revocation wins over suspension, suspension over expiry, expiry over the owner's on/off switch,
 * because each earlier one stops the key whatever the later ones say.
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
