import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { fetchAdminAccounts } from '@/db/queries/admin-accounts';
import { fetchAdminKeys } from '@/db/queries/admin-keys';
import { SQL_KEY_STATES, type SqlKeyState } from '@/db/queries/key-state-sql';
import { accounts, apiKeys } from '@/db/schema';
import { KEY_STATES, keyState, type KeyState, type KeyStateColumns } from '@/lib/keys/state';
import { db, useTestDatabase } from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

/**
 * The admin SQL (db/queries/key-state-sql.ts) restates keyState's order because db/ cannot
 * import lib/. On a real database, every combination of the columns must land in the same state
 * on both sides: in the status filter of the keys list and in the accounts list's active count.
 */

const ACCOUNT_PREFIX = 'State rule';
const NOW = new Date('2025-06-01T12:00:00.000Z');
const PAST = new Date('2025-05-01T08:30:00.000Z');
const FUTURE = new Date('2025-07-01T08:30:00.000Z');

const EXPIRIES = { none: null, past: PAST, 'exactly now': NOW, future: FUTURE } as const;

interface Combination extends KeyStateColumns {
  label: string;
}

function combinations(): Combination[] {
  const out: Combination[] = [];
  for (const revokedAt of [null, PAST]) {
    for (const suspendedAt of [null, PAST]) {
      for (const [expiry, expiresAt] of Object.entries(EXPIRIES)) {
        for (const status of ['active', 'inactive'] as const) {
          const label = `${status}, expiry ${expiry}${suspendedAt ? ', suspended' : ''}${revokedAt ? ', revoked' : ''}`;
          out.push({ label, status, expiresAt, suspendedAt, revokedAt });
        }
      }
    }
  }
  return out;
}

/** One Prime account per combination, holding that one key. Returns the key id of each label. */
async function insertCombinations(all: Combination[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [i, c] of all.entries()) {
    const [account] = await db()
      .insert(accounts)
      .values({ name: `${ACCOUNT_PREFIX} ${String(i).padStart(2, '0')}`, type: 'prime' })
      .returning({ id: accounts.id });
    const [key] = await db()
      .insert(apiKeys)
      .values({
        accountId: account.id,
        name: `state-${i}`,
        publicKey: `kd_state_rule_${String(i).padStart(2, '0')}`,
        secretEnc: 'not-a-secret',
        permissions: ['read'],
        ipWhitelist: [],
        status: c.status,
        expiresAt: c.expiresAt,
        suspendedAt: c.suspendedAt,
        suspensionReason: c.suspendedAt ? 'test' : null,
        revokedAt: c.revokedAt,
        revocationReason: c.revokedAt ? 'test' : null,
      })
      .returning({ id: apiKeys.id });
    ids.set(c.label, key.id);
  }
  return ids;
}

describe('the key state rule, in TypeScript and in SQL', () => {
  it('both sides name the same states', () => {
    expectTypeOf<SqlKeyState>().toEqualTypeOf<KeyState>();
    expect([...SQL_KEY_STATES].sort()).toEqual([...KEY_STATES].sort());
  });

  it('every combination of revoked × suspended × expiry (none, past, exactly now, future) × owner switch: the status filter and the active count follow keyState', async () => {
    const all = combinations();
    expect(all).toHaveLength(2 * 2 * 4 * 2);
    const ids = await insertCombinations(all);
    const expected = Object.fromEntries(all.map((c) => [c.label, keyState(c, NOW)]));
    // Each state occurs, so a change of order on either side shows.
    expect(new Set(Object.values(expected))).toEqual(new Set(KEY_STATES));

    // The keys list's status filter: under which status does each key show?
    const labelOf = new Map([...ids].map(([label, id]) => [id, label]));
    const filtered: Record<string, string> = {};
    for (const status of SQL_KEY_STATES) {
      const rows = await fetchAdminKeys(db(), { now: NOW, status }, { sort: 'created', dir: 'desc', direction: 'after' }, 1000);
      for (const row of rows) {
        const label = labelOf.get(row.id);
        if (label) filtered[label] = label in filtered ? `${filtered[label]} and ${status}` : status;
      }
    }
    expect(filtered).toEqual(expected);

    // The accounts list's count of active keys: each account holds one key of one combination.
    const counted = await fetchAdminAccounts(db(), ACCOUNT_PREFIX, { direction: 'after' }, 100, NOW);
    expect(counted).toHaveLength(all.length);
    const activeByLabel = Object.fromEntries(
      counted.map((row) => [all[Number(row.name.slice(ACCOUNT_PREFIX.length + 1))].label, row.activeKeys]),
    );
    expect(activeByLabel).toEqual(Object.fromEntries(all.map((c) => [c.label, expected[c.label] === 'active' ? 1 : 0])));
    expect(counted.every((row) => row.totalKeys === 1)).toBe(true);
  });
});
