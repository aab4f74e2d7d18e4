import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { KEYS_PER_ACCOUNT, seedLargeDataset } from '@/bench/large-dataset';
import { rowsOf } from '@/db/client';
import { z } from 'zod';
import { accountsHref, loadAccountsPage, parseAccountListParams, type AccountListQuery } from '@/lib/admin/account-list';
import { follow } from '../support/admin-lists';
import { db, useTestDatabase } from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const count = async (table: string) =>
  Number(rowsOf<{ n: number }>(await db().execute(sql.raw(`select count(*)::int as n from ${table}`)))[0].n);
const indexNames = async () =>
  rowsOf<{ indexname: string }>(
    await db().execute(sql`select indexname from pg_indexes where schemaname = 'public' order by indexname`),
  ).map((r) => r.indexname);

describe('seed:large', () => {
  it('adds N keys over N/16 Prime accounts with owners, Standard accounts without keys, and audit rows; indexes survive a rebuild', async () => {
    const before = await indexNames();
    const accountsBefore = await count('accounts');
    await seedLargeDataset(db(), 100, { rebuildIndexes: true });
    expect(await indexNames()).toEqual(before);
    expect(await count('api_keys')).toBe(100);
    const prime = Math.ceil(100 / KEYS_PER_ACCOUNT);
    expect((await count('accounts')) - accountsBefore).toBe(prime + Math.ceil(prime / 10));
    expect(await count('audit_events')).toBeGreaterThanOrEqual(100);
    const [stats] = rowsOf<{ per_account: number; standard_keys: number; ownerless: number; bad_names: number }>(
      await db().execute(sql`select
        (select max(n) from (select count(*)::int n from api_keys group by account_id) s)::int as per_account,
        (select count(*) from api_keys k join accounts a on a.id = k.account_id where a.type = 'standard')::int as standard_keys,
        (select count(*) from accounts a where not exists (select 1 from memberships m where m.account_id = a.id and m.role = 'owner'))::int as ownerless,
        (select count(*) from api_keys where name !~ '^[a-z-]+-[0-9a-f]{6}-[0-9]+$' or public_key !~ '^kd_[0-9a-f]{32}$')::int as bad_names`),
    );
    expect(stats).toEqual({ per_account: KEYS_PER_ACCOUNT, standard_keys: 0, ownerless: 0, bad_names: 0 });
    // Generated ids look like any other (version 4), so links and filters built from them validate.
    const ids = rowsOf<{ id: string }>(
      await db().execute(sql`select id from accounts union all select id from users union all select id from api_keys`),
    );
    expect(ids.filter((r) => !z.uuid().safeParse(r.id).success)).toEqual([]);
    await seedLargeDataset(db(), 10); // a second run adds to the first
    expect(await count('api_keys')).toBe(110);
  });
});

describe('accounts list', () => {
  const q = (x: Partial<AccountListQuery> = {}): AccountListQuery => ({ page: { direction: 'after' }, ...x });

  it('by name, keyset-paged both ways, with owner and key counts', async () => {
    await seedLargeDataset(db(), 150);
    await db().execute(sql`update accounts set name = 'Same Name' where id in (select id from accounts order by id limit 5)`);
    await db().execute(
      sql`update api_keys set status = 'active', suspended_at = now() where id in (select id from api_keys order by id limit 7)`,
    );
    const expected = rowsOf<{ id: string; active: number; total: number; email: string | null }>(
      await db()
        .execute(sql`select a.id, (select count(*) from api_keys k where k.account_id = a.id and k.status = 'active' and k.suspended_at is null and k.revoked_at is null and (k.expires_at is null or k.expires_at > now()))::int as active,
        (select count(*) from api_keys k where k.account_id = a.id)::int as total,
        (select u.email from memberships m join users u on u.id = m.user_id where m.account_id = a.id and m.role = 'owner') as email
        from accounts a order by lower(a.name) collate "C", a.id`),
    );
    const pages: string[][] = [];
    let page = await loadAccountsPage(db(), q(), new Date(), 4);
    const seen = [...page.rows];
    pages.push(page.rows.map((r) => r.id));
    while (page.next) {
      page = await loadAccountsPage(db(), follow(accountsHref({}, { after: page.next }), parseAccountListParams), new Date(), 4);
      seen.push(...page.rows);
      pages.push(page.rows.map((r) => r.id));
    }
    expect(seen.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(seen.map((r) => [r.activeKeys, r.totalKeys, r.ownerEmail])).toEqual(expected.map((r) => [r.active, r.total, r.email]));
    const back: string[][] = [page.rows.map((r) => r.id)];
    while (page.prev) {
      page = await loadAccountsPage(db(), follow(accountsHref({}, { before: page.prev }), parseAccountListParams), new Date(), 4);
      back.unshift(page.rows.map((r) => r.id));
    }
    expect(back).toEqual(pages);
  });

  it('searches by name prefix and validates its parameters', async () => {
    const page = await loadAccountsPage(db(), q({ q: 'atlas' }), new Date(), 10);
    expect(page.rows.map((r) => [r.name, r.type, r.ownerEmail])).toEqual([['Atlas Capital', 'prime', 'owner@keydesk.test']]);
    expect(parseAccountListParams({ q: 'x'.repeat(101) })).toEqual({
      ok: false,
      errors: ['Search for at most 100 characters.'],
      values: { q: 'x'.repeat(101) },
    });
    expect(parseAccountListParams({ after: 'bad cursor' })).toMatchObject({
      ok: false,
      errors: ['This page link is invalid or out of date. Start again from the first page.'],
    });
  });
});
