import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import AdminKeysPage from '@/app/admin/keys/page';
import { ParamErrors } from '@/app/admin/param-errors';
import { seedLargeDataset } from '@/bench/large-dataset';
import { rowsOf } from '@/db/client';
import { adminKeysSql, type KeySort, type SortDir } from '@/db/queries/admin-keys';
import { fetchKeys, keysHref, loadKeysPage, parseKeyListParams } from '@/lib/admin/key-list';
import { encodeCursor } from '@/lib/admin/cursor';
import { keyState, KEY_STATES } from '@/lib/keys/state';
import { ADMIN, db, signInAs, useTestDatabase } from '../support/actions';
import { expectedOrder, findElement, keyQuery, seedKeys, walk } from '../support/admin-lists';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const SORTS: KeySort[] = ['created', 'updated', 'last_used'];
const DIRS: SortDir[] = ['desc', 'asc'];

describe('what each row of the list says', () => {
  it("each key's account, its type and its owner's email (the earliest owner; none for an account without one)", async () => {
    await seedKeys(db(), 30);
    const [orphan] = rowsOf<{ account_id: string }>(await db().execute(sql`select account_id from api_keys order by created_at limit 1`));
    await db().execute(sql`delete from memberships where account_id = ${orphan.account_id}::uuid and role = 'owner'`);
    const expected = rowsOf<{ id: string; account_name: string; account_type: string; owner_email: string | null }>(
      await db().execute(sql`select k.id, a.name as account_name, a.type::text as account_type,
          (select u.email from memberships m join users u on u.id = m.user_id
           where m.account_id = k.account_id and m.role = 'owner' order by m.created_at limit 1) as owner_email
        from api_keys k join accounts a on a.id = k.account_id`),
    );
    const page = await loadKeysPage(db(), keyQuery(), new Date(), 50);
    expect(page.rows.length).toBe(expected.length);
    const byId = new Map(expected.map((e) => [e.id, e]));
    for (const row of page.rows) {
      const want = byId.get(row.id)!;
      expect([row.accountName, row.accountType, row.ownerEmail]).toEqual([want.account_name, want.account_type, want.owner_email]);
    }
    expect(page.rows.some((r) => r.accountId === orphan.account_id && r.ownerEmail === null)).toBe(true);
    expect(page.rows.filter((r) => r.ownerEmail !== null).length).toBeGreaterThan(0);
  });
});

describe('keyset pagination of every key', () => {
  for (const sort of SORTS) {
    for (const dir of DIRS) {
      it(`sort=${sort} dir=${dir}: Next visits every key exactly once, in order, and Previous walks the same pages back`, async () => {
        await seedKeys(db(), 60);
        const expected = await expectedOrder(db(), sort, dir);
        expect(expected).toHaveLength(60);
        const { forward, backward } = await walk(db(), keyQuery({ sort, dir }), 7);
        expect(forward.flat()).toEqual(expected);
        expect(forward.slice(0, -1).every((page) => page.length === 7)).toBe(true);
        expect(backward).toEqual(forward);
      });
    }
  }

  it('the first page has no Previous, the last no Next; an empty page past the end still links back', async () => {
    await seedKeys(db(), 20);
    const first = await loadKeysPage(db(), keyQuery(), new Date(), 50);
    expect(first.rows).toHaveLength(20);
    expect(first.prev).toBeNull();
    expect(first.next).toBeNull();
    const last = first.rows[19];
    const beyond = await loadKeysPage(db(), keyQuery({ cursor: [last.sortValue, last.id] }), new Date(), 50);
    expect(beyond.rows).toEqual([]);
    expect(beyond.prev).toBe(encodeCursor([last.sortValue, last.id]));
  });

  it('a cursor continues right after its row even when keys were added meanwhile (no OFFSET drift)', async () => {
    await seedKeys(db(), 30);
    const page1 = await loadKeysPage(db(), keyQuery(), new Date(), 10);
    await seedLargeDataset(db(), 25);
    const cursor = page1.rows[9];
    const page2 = await loadKeysPage(db(), keyQuery({ cursor: [cursor.sortValue, cursor.id] }), new Date(), 10);
    const expected = await expectedOrder(db(), 'created', 'desc');
    const at = expected.indexOf(cursor.id);
    expect(page2.rows.map((r) => r.id)).toEqual(expected.slice(at + 1, at + 11));
  });
});

describe('filters and search', () => {
  it('status: each key shows under exactly one status, the one its columns mean', async () => {
    await seedKeys(db(), 80);
    await db().execute(
      sql`update api_keys set expires_at = now() - interval '1 day' where id in (select id from api_keys where revoked_at is null and suspended_at is null order by id limit 4)`,
    );
    await db().execute(
      sql`update api_keys set suspended_at = now(), suspension_reason = 'test' where id in (select id from api_keys where revoked_at is null order by id desc limit 3)`,
    );
    await db().execute(
      sql`update api_keys set revoked_at = now(), suspended_at = now(), status = 'inactive' where id in (select id from api_keys where revoked_at is null order by public_key limit 2)`,
    );
    const now = new Date();
    const everything = await fetchKeys(db(), { now }, { sort: 'created', dir: 'desc', direction: 'after' }, 1000);
    const seen = new Map<string, string>();
    for (const status of KEY_STATES) {
      const rows = await fetchKeys(db(), { now, status }, { sort: 'created', dir: 'desc', direction: 'after' }, 1000);
      for (const row of rows) {
        expect(row.state).toBe(status);
        expect(seen.has(row.id)).toBe(false);
        seen.set(row.id, status);
      }
    }
    expect(seen.size).toBe(everything.length);
    for (const s of ['expired', 'suspended', 'revoked'] as const)
      expect([...seen.values()].filter((v) => v === s).length).toBeGreaterThan(0);
    expect(everything.every((r) => r.state === seen.get(r.id))).toBe(true);
  });

  it('keyState: revoked over suspended over expired over the owner switch', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    const past = new Date('2024-01-01T00:00:00Z');
    expect(keyState({ status: 'active', expiresAt: null, suspendedAt: null, revokedAt: null }, now)).toBe('active');
    expect(keyState({ status: 'active', expiresAt: past, suspendedAt: null, revokedAt: null }, now)).toBe('expired');
    expect(keyState({ status: 'active', expiresAt: past, suspendedAt: past, revokedAt: null }, now)).toBe('suspended');
    expect(keyState({ status: 'inactive', expiresAt: null, suspendedAt: past, revokedAt: past }, now)).toBe('revoked');
    expect(keyState({ status: 'inactive', expiresAt: now, suspendedAt: null, revokedAt: null }, now)).toBe('expired');
  });

  it('permission and account type, paged, match a plain query; both account-type strategies agree', async () => {
    await seedKeys(db(), 70);
    const trade = await expectedOrder(db(), 'updated', 'asc', sql`'trade' = any(k.permissions)`);
    expect((await walk(db(), keyQuery({ permission: 'trade', sort: 'updated', dir: 'asc' }), 6)).forward.flat()).toEqual(trade);
    const prime = await expectedOrder(db(), 'created', 'desc', sql`a.type = 'prime'`);
    expect((await walk(db(), keyQuery({ type: 'prime' }), 9)).forward.flat()).toEqual(prime);
    expect((await walk(db(), keyQuery({ type: 'standard' }), 9)).forward.flat()).toEqual([]);
    const now = new Date();
    for (const type of ['prime', 'standard'] as const) {
      const request = { sort: 'created' as const, dir: 'desc' as const, direction: 'after' as const };
      const viaJoin = rowsOf<{ id: string }>(await db().execute(adminKeysSql({ now, accountType: type }, request, 500, 'join'))).map(
        (r) => r.id,
      );
      const viaIds = rowsOf<{ id: string }>(await db().execute(adminKeysSql({ now, accountType: type }, request, 500, 'ids'))).map(
        (r) => r.id,
      );
      expect(viaIds).toEqual(viaJoin);
    }
  });

  it('one search box: prefix of key name (any case), API key, account name or owner email', async () => {
    await seedKeys(db(), 50);
    const [sample] = rowsOf<{ id: string; name: string; public_key: string; account: string; email: string }>(
      await db()
        .execute(sql`select k.id, k.name, k.public_key, a.name as account, u.email from api_keys k join accounts a on a.id = k.account_id
        join memberships m on m.account_id = a.id and m.role = 'owner' join users u on u.id = m.user_id order by k.id limit 1`),
    );
    const search = async (q: string) => (await walk(db(), keyQuery({ q }), 8)).forward.flat();
    expect(await search(sample.name.slice(0, 12).toUpperCase())).toContain(sample.id);
    expect(await search(sample.public_key.slice(0, 10))).toEqual([sample.id]);
    expect(await search(sample.public_key.slice(0, 10).toUpperCase())).toEqual([]); // API keys are case-sensitive
    const byAccount = await search(sample.account);
    expect(byAccount).toContain(sample.id);
    expect(byAccount).toEqual(await expectedOrder(db(), 'created', 'desc', sql`lower(a.name) like ${`${sample.account.toLowerCase()}%`}`));
    const byEmail = await search(sample.email.slice(0, sample.email.indexOf('@')));
    expect(byEmail).toEqual(
      await expectedOrder(db(), 'created', 'desc', sql`k.account_id = (select account_id from api_keys where id = ${sample.id}::uuid)`),
    );
    expect(await search(sample.public_key.slice(1, 10))).toEqual([]); // a prefix, not a substring
  });

  it('search matches every branch once, pages exactly once, and takes % and _ literally', async () => {
    await seedKeys(db(), 64);
    const all = await expectedOrder(
      db(),
      'last_used',
      'desc',
      sql`lower(k.name) like 'tr%' or lower(a.name) like 'tr%' or k.public_key like 'tr%'`,
    );
    expect((await walk(db(), keyQuery({ q: 'TR', sort: 'last_used' }), 4)).forward.flat()).toEqual(all);
    expect((await walk(db(), keyQuery({ q: '%' }), 10)).forward.flat()).toEqual([]);
    expect((await walk(db(), keyQuery({ q: '_' }), 10)).forward.flat()).toEqual([]);
    expect((await walk(db(), keyQuery({ q: 'kd_' }), 25)).forward.flat()).toHaveLength(64);
  });

  it('filters combine with search and with each other', async () => {
    await seedKeys(db(), 64);
    const expected = await expectedOrder(
      db(),
      'created',
      'asc',
      sql`k.public_key like 'kd_%' and 'funds_internal' = any(k.permissions) and k.revoked_at is null and k.suspended_at is null and k.status = 'inactive' and (k.expires_at is null or k.expires_at > now())`,
    );
    const got = (await walk(db(), keyQuery({ q: 'kd_', permission: 'funds_internal', status: 'inactive', dir: 'asc' }), 3)).forward.flat();
    expect(got).toEqual(expected);
  });

  it('account filter by id', async () => {
    await seedKeys(db(), 40);
    const [{ account_id }] = rowsOf<{ account_id: string }>(await db().execute(sql`select account_id from api_keys order by id limit 1`));
    const expected = await expectedOrder(db(), 'last_used', 'asc', sql`k.account_id = ${account_id}::uuid`);
    expect(expected.length).toBeGreaterThan(1);
    expect((await walk(db(), keyQuery({ account: account_id, sort: 'last_used', dir: 'asc' }), 5)).forward.flat()).toEqual(expected);
  });
});

describe('URL parameters are validated', () => {
  const errorsOf = (raw: Record<string, string | string[] | undefined>) => {
    const parsed = parseKeyListParams(raw);
    return parsed.ok ? [] : parsed.errors;
  };

  it('accepts the defaults, empty values and every documented value', () => {
    expect(parseKeyListParams({})).toEqual({ ok: true, query: { sort: 'created', dir: 'desc', direction: 'after' } });
    expect(parseKeyListParams({ q: '  ', status: '', permission: '' })).toMatchObject({ ok: true, query: { q: undefined } });
    const parsed = parseKeyListParams({
      q: ' atlas ',
      status: 'suspended',
      permission: 'funds_wallet',
      type: 'standard',
      sort: 'last_used',
      dir: 'asc',
    });
    expect(parsed).toMatchObject({
      ok: true,
      query: { q: 'atlas', status: 'suspended', permission: 'funds_wallet', type: 'standard', sort: 'last_used', dir: 'asc' },
    });
  });

  it('names each bad value with a clear message', () => {
    expect(errorsOf({ status: 'deleted' })).toEqual(['Choose a status from the list.']);
    expect(errorsOf({ sort: 'name' })).toEqual(['Sort by created, last used or last update.']);
    expect(errorsOf({ dir: 'up' })).toEqual(['Sort direction must be asc or desc.']);
    expect(errorsOf({ permission: 'admin' })).toEqual(['Choose a permission from the list.']);
    expect(errorsOf({ type: 'gold' })).toEqual(['Choose an account type from the list.']);
    expect(errorsOf({ account: 'not-a-uuid' })).toEqual(['The account filter must be an account id.']);
    expect(errorsOf({ q: 'x'.repeat(101) })).toEqual(['Search for at most 100 characters.']);
    expect(errorsOf({ q: 'a\u0000b' })).toEqual(['Search with printable characters only.']);
    expect(errorsOf({ status: ['active', 'revoked'] })).toEqual(["Give 'status' once."]);
    expect(errorsOf({ status: 'x', dir: 'y' })).toHaveLength(2);
  });

  it('rejects forged or stale cursors', () => {
    const stale = 'This page link is invalid or out of date. Start again from the first page.';
    expect(errorsOf({ after: 'garbage!' })).toEqual([stale]);
    expect(errorsOf({ after: encodeCursor(['yesterday', '00000000-0000-0000-0000-000000000000']) })).toEqual([stale]);
    expect(errorsOf({ after: encodeCursor(['2024-01-01T00:00:00.000000Z', "1' or 1=1"]) })).toEqual([stale]);
    expect(errorsOf({ after: encodeCursor([null, '00000000-0000-0000-0000-000000000000']) })).toEqual([stale]); // null only for last used
    expect(errorsOf({ sort: 'last_used', after: encodeCursor([null, '00000000-0000-0000-0000-000000000000']) })).toEqual([]);
    const c = encodeCursor(['2024-01-01T00:00:00.000000Z', '00000000-0000-0000-0000-000000000000']);
    expect(errorsOf({ after: c, before: c })).toEqual(['Give either a next-page or a previous-page cursor, not both.']);
  });

  it('the page shows the errors instead of failing', async () => {
    await signInAs(ADMIN);
    const tree = await AdminKeysPage({ searchParams: Promise.resolve({ sort: 'bogus', after: 'zzz' }) });
    const alert = findElement(tree, ParamErrors);
    expect(alert?.props.errors).toEqual([
      'Sort by created, last used or last update.',
      'This page link is invalid or out of date. Start again from the first page.',
    ]);
  });

  it('links keep the filters and leave defaults out', () => {
    const query = keyQuery({ q: 'a b', status: 'active', sort: 'last_used', dir: 'asc' });
    expect(keysHref(query, { after: 'abc' })).toBe('/admin/keys?q=a+b&status=active&sort=last_used&dir=asc&after=abc');
    expect(keysHref(keyQuery())).toBe('/admin/keys');
  });
});
