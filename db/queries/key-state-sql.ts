import { sql, type SQL } from 'drizzle-orm';

/**
 * A key's state in SQL, for the admin filters and counts over `api_keys k`. The rule is
 * lib/keys/state.ts (keyState), which db/ cannot import: this is the one place it is restated,
 * and test/keys/state-sql.test.ts checks every combination of columns gives the same state.
 */
export const SQL_KEY_STATES = ['active', 'inactive', 'expired', 'suspended', 'revoked'] as const;

/** Structurally the same union as KeyState. */
export type SqlKeyState = (typeof SQL_KEY_STATES)[number];

type Overlay = { state: 'revoked' | 'suspended' | 'expired'; on: SQL; off: SQL };

/**
 * The overlays in the order they win: each applies only when none before it does; with none,
 * the owner's switch (k.status) decides. `off` is written out (not `not on`) so a null
 * expires_at counts as unexpired, and so the partial indexes on revoked_at / suspended_at serve
 * the revoked and suspended filters.
 */
function overlays(now: Date): Overlay[] {
  const at = sql`${now.toISOString()}::timestamptz`;
  return [
    { state: 'revoked', on: sql`k.revoked_at is not null`, off: sql`k.revoked_at is null` },
    { state: 'suspended', on: sql`k.suspended_at is not null`, off: sql`k.suspended_at is null` },
    { state: 'expired', on: sql`k.expires_at <= ${at}`, off: sql`(k.expires_at is null or k.expires_at > ${at})` },
  ];
}

const SWITCH: Record<'active' | 'inactive', SQL> = { active: sql`k.status = 'active'`, inactive: sql`k.status = 'inactive'` };

/** True for the keys (`api_keys k`) in `state` at `now`. */
export function keyStateCondition(state: SqlKeyState, now: Date): SQL {
  const list = overlays(now);
  const at = list.findIndex((o) => o.state === state);
  const parts =
    state === 'active' || state === 'inactive'
      ? [...list.map((o) => o.off), SWITCH[state]]
      : [...list.slice(0, at).map((o) => o.off), list[at].on];
  return sql`(${sql.join(parts, sql` and `)})`;
}
