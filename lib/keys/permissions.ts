/**
 * API key permission levels, in the order the product shows them. Read is implied by every
 * key: it is always stored, so a key can never end up with no permission at all.
 */

export const PERMISSIONS = ['read', 'trade', 'funds_internal', 'funds_wallet', 'funds_external'] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
  read: 'Read',
  trade: 'Trade',
  funds_internal: 'Funds Internal',
  funds_wallet: 'Funds Wallet',
  funds_external: 'Funds External',
};

export function isPermission(v: string): v is Permission {
  return (PERMISSIONS as readonly string[]).includes(v);
}

/** Stored permissions in words, for people (an unknown value is shown as stored). */
export const permissionLabels = (values: readonly string[]): string[] => values.map((v) => (isPermission(v) ? PERMISSION_LABELS[v] : v));

export type PermissionsParse = { ok: true; permissions: Permission[] } | { ok: false; error: string };

/** Adds 'read', drops duplicates and returns canonical order; any unknown value is an error. */
export function normalizePermissions(values: readonly string[]): PermissionsParse {
  const chosen = new Set<Permission>(['read']);
  for (const value of values) {
    if (!isPermission(value)) {
      // Truncated: the value comes straight from a form and is echoed into the error.
      const shown = value.length > 40 ? `${value.slice(0, 37)}…` : value;
      return { ok: false, error: `Unknown permission '${shown}'` };
    }
    chosen.add(value);
  }
  return { ok: true, permissions: PERMISSIONS.filter((p) => chosen.has(p)) };
}

/** True if `after` grants any permission `before` did not (an edit that needs re-activation). */
export function widensAccess(before: readonly Permission[], after: readonly Permission[]): boolean {
  return after.some((p) => !before.includes(p));
}
