import ipaddr from 'ipaddr.js';
import { isIpAllowed } from '@/lib/platform/ip-whitelist';
import { utcMinute } from '@/lib/platform/utc-time';
import { PERMISSION_LABELS, isPermission, widensAccess, type Permission } from './permissions';

/**
 * What an edit changes and whether it widens access. Pure, so the edit form can say what will
 * happen as the owner types, and the server decides the same way when the code confirms it.
 */

export interface KeySettings {
  name: string;
  permissions: Permission[];
  /** Canonical entries (lib/platform/ip-whitelist.ts); empty = any address. */
  ipWhitelist: string[];
  expiresAt: Date | null;
}

export interface KeyDiff {
  changed: boolean;
  /** Why the edit widens access; empty when it only narrows (or renames). */
  widens: string[];
  /** Every change, in words, for the confirmation step and the audit log. */
  summary: string[];
}

const permissionLabel = (p: string) => (isPermission(p) ? PERMISSION_LABELS[p] : p);

function listed(items: string[], max = 3): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/** First and last address of a canonical entry ("1.2.3.4", "10.0.0.0/8", "2001:db8::/32"). */
function bounds(entry: string): [string, string] {
  if (!entry.includes('/')) return [entry, entry];
  const family = entry.includes(':') ? ipaddr.IPv6 : ipaddr.IPv4;
  return [family.networkAddressFromCIDR(entry).toString(), family.broadcastAddressFromCIDR(entry).toString()];
}

/**
 * Whether `entry` lies inside one of `entries`. CIDR blocks are either nested or disjoint, so a
 * block is inside another exactly when its first and last addresses are. A block covered only by
 * several smaller ones together counts as new (the cautious answer).
 */
export function entryCovered(entries: readonly string[], entry: string): boolean {
  if (entries.includes(entry)) return true;
  try {
    const [first, last] = bounds(entry);
    return entries.some((e) => isIpAllowed([e], first) && isIpAllowed([e], last));
  } catch {
    return false; // not canonical: treat as new, which only ever asks for more confirmation
  }
}

export function diffKey(before: KeySettings, after: KeySettings): KeyDiff {
  const widens: string[] = [];
  const summary: string[] = [];

  if (after.name !== before.name) summary.push(`Name: ${before.name} → ${after.name}`);

  const added = after.permissions.filter((p) => !before.permissions.includes(p));
  const removed = before.permissions.filter((p) => !after.permissions.includes(p));
  if (widensAccess(before.permissions, after.permissions)) widens.push(`${listed(added.map(permissionLabel))} added`);
  if (added.length) summary.push(`Permissions added: ${added.map(permissionLabel).join(', ')}`);
  if (removed.length) summary.push(`Permissions removed: ${removed.map(permissionLabel).join(', ')}`);

  const newEntries = after.ipWhitelist.filter((e) => !before.ipWhitelist.includes(e));
  const goneEntries = before.ipWhitelist.filter((e) => !after.ipWhitelist.includes(e));
  if (before.ipWhitelist.length > 0 && after.ipWhitelist.length === 0) {
    widens.push('IP whitelist emptied: any address may use the key');
    summary.push('IP whitelist removed: any address may use the key');
  } else {
    // From "any address" to a list only narrows; otherwise an entry outside the old list widens.
    const uncovered = before.ipWhitelist.length === 0 ? [] : newEntries.filter((e) => !entryCovered(before.ipWhitelist, e));
    if (uncovered.length) widens.push(`addresses added: ${listed(uncovered)}`);
    if (newEntries.length) summary.push(`Addresses added: ${listed(newEntries, 10)}`);
    if (goneEntries.length) summary.push(`Addresses removed: ${listed(goneEntries, 10)}`);
  }

  const beforeExpiry = before.expiresAt?.getTime() ?? null;
  const afterExpiry = after.expiresAt?.getTime() ?? null;
  if (beforeExpiry !== afterExpiry) {
    if (afterExpiry === null) {
      widens.push('expiry date removed');
      summary.push('Expiry date removed');
    } else {
      if (beforeExpiry !== null && afterExpiry > beforeExpiry) widens.push('expiry date extended');
      summary.push(`Expires ${utcMinute(after.expiresAt!)}`);
    }
  }

  return { changed: summary.length > 0, widens, summary };
}

export const NARROW_NOTICE = 'These changes only narrow access and apply at once.';

export function widenNotice(widens: string[]): string {
  return `These changes widen access (${widens.join('; ')}): the key will be deactivated until you activate it again with an email code.`;
}
