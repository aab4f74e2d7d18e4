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

/**
 * What each level allows, in one line: under each checkbox, and in the API docs' permission table
 * (which lists the actions of each level from the action registry).
 */
export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  read: 'See balances, orders, transactions and account data. Always on.',
  trade: 'Place and cancel orders.',
  funds_internal: 'Move funds between the main account and its sub-accounts.',
  funds_wallet: "Move funds between a sub-account and the account's wallet.",
  funds_external: 'Withdraw to external crypto addresses, out of the platform.',
};

/** Levels whose actions move money to or from the account's balances: marked as such wherever they are chosen. */
export const MONEY_MOVING_PERMISSIONS: readonly Permission[] = ['funds_wallet', 'funds_external'];

/**
 * A key that can withdraw (Funds External) with no IP whitelist: anyone holding it can send funds
 * out of the platform from anywhere. Allowed, but the owner is warned before saving.
 */
export function withdrawsFromAnyAddress(permissions: readonly string[], ipWhitelist: readonly string[]): boolean {
  return permissions.includes('funds_external') && ipWhitelist.length === 0;
}

export function isPermission(v: string): v is Permission {
  return (PERMISSIONS as readonly string[]).includes(v);
}

/** Stored permissions in words, for people (an unknown value is shown as stored). */
export const permissionLabels = (values: readonly string[]): string[] => values.map((v) => (isPermission(v) ? PERMISSION_LABELS[v] : v));

/** A key's permissions as people read them: "Read, Trade, Funds External". */
export const permissionNames = (permissions: readonly string[]): string => permissionLabels(permissions).join(', ');

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
