import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { apiKeys, apiKeyUsageHours, apiUsageTracking } from '@/db/schema';
import { countKeys, keysHref, loadKeysPage, parseKeyListParams } from '@/lib/admin/key-list';
import { makeKey } from '../support/keys';
import { db, useTestDatabase, userByEmail, SMS_OWNER } from '../support/actions';
import { keyQuery } from '../support/admin-lists';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const DAY = 86_400_000;

describe('admin keys list: "has unused money permissions"', () => {
  it('finds keys holding a money permission unused for 30 days, and only those', async () => {
    const now = new Date();
    await db()
      .update(apiUsageTracking)
      .set({ startedAt: new Date(now.getTime() - 100 * DAY) });
    const { accountId } = await userByEmail(SMS_OWNER);
    const old = async (permissions: string[]) => {
      const k = await makeKey(db(), { accountId: accountId!, permissions });
      await db()
        .update(apiKeys)
        .set({ createdAt: new Date(now.getTime() - 40 * DAY) })
        .where(eq(apiKeys.id, k.id));
      return k;
    };
    const idle = await old(['read', 'funds_external']);
    const used = await old(['read', 'funds_wallet']);
    await old(['read', 'trade']);
    await makeKey(db(), { accountId: accountId!, permissions: ['read', 'funds_external'] }); // new: not 30 days yet
    await db()
      .insert(apiKeyUsageHours)
      .values({
        apiKeyId: used.id,
        hour: new Date(now.getTime() - 3 * DAY),
        action: 'do_deposit_funds_from_wallet',
        outcome: 'accepted',
        calls: 1,
      });

    const query = keyQuery({ unused: 'money' });
    const page = await loadKeysPage(db(), query, now, 50);
    expect(page.rows.map((r) => r.id)).toEqual([idle.id]);
    expect(await countKeys(db(), query, now)).toBe(1);
    expect((await loadKeysPage(db(), keyQuery({ unused: 'money', q: idle.name.slice(0, 6) }), now, 50)).rows.map((r) => r.id)).toEqual([
      idle.id,
    ]);
  });

  it('is a search parameter of its own, checked, and kept in the links', () => {
    const parsed = parseKeyListParams({ unused: 'money' });
    expect(parsed).toMatchObject({ ok: true, query: { unused: 'money' } });
    expect(parseKeyListParams({ unused: 'everything' })).toMatchObject({
      ok: false,
      errors: ['Choose "Has unused money permissions" or nothing.'],
    });
    expect(keysHref(keyQuery({ unused: 'money' }), { sort: 'updated' })).toBe('/admin/keys?unused=money&sort=updated');
  });
});
