import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { confirmActivation, requestActivation } from '@/app/settings/api-keys/[keyId]/activate/actions';
import { apiKeys } from '@/db/schema';
import { NO_REQUEST } from '@/lib/platform/audit';
import { requireOwner } from '@/lib/web/auth';
import { requestKeyActivation } from '@/lib/keys/activate';
import { db, form, IDLE, latestCode, outboxOf, OWNER, redirectOf, signInAs, snapshot, useTestDatabase } from '../support/actions';
import { keyRow, makeKey, type KeyFixture } from '../support/lifecycle';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const DAY = 86_400_000;

describe('activation is refused for keys the owner may not turn on', () => {
  it.each<[string, KeyFixture, string]>([
    ['suspended', { suspendedAt: new Date(), suspensionReason: 'unusual withdrawals' }, 'Suspended by an administrator: unusual withdrawals'],
    ['revoked', { revokedAt: new Date(), revocationReason: 'secret published' }, 'Revoked by an administrator: secret published'],
    ['expired', { expiresAt: new Date(Date.now() - DAY) }, 'This key has expired. Edit its expiry date to use it again.'],
  ])('%s: the reason is given, no code is sent, nothing changes', async (_, fixture, message) => {
    const { key, user } = await makeKey(OWNER, { status: 'inactive', ...fixture });
    await signInAs(OWNER);
    const owner = await requireOwner();
    const before = await snapshot();
    expect(await requestKeyActivation(db(), owner, key.id, NO_REQUEST)).toEqual({ ok: false, reason: 'refused', message });
    // The action shows the reason on the activation page instead of a code form.
    expect(await redirectOf(requestActivation(form({ keyId: key.id })))).toBe(`/settings/api-keys/${key.id}/activate`);
    expect(await snapshot()).toEqual(before);
    expect(await outboxOf(user.id)).toHaveLength(0);
  });

  it('a suspended key that is still switched on is reported as suspended, not as already active', async () => {
    const { key } = await makeKey(OWNER, { status: 'active', suspendedAt: new Date(), suspensionReason: 'review' });
    await signInAs(OWNER);
    expect(await requestKeyActivation(db(), await requireOwner(), key.id, NO_REQUEST)).toEqual({ ok: false, reason: 'refused', message: 'Suspended by an administrator: review' });
  });

  it('a key suspended while its code was on the way is not activated by the code', async () => {
    const { key, user } = await makeKey(OWNER, { status: 'inactive' });
    await signInAs(OWNER);
    await redirectOf(requestActivation(form({ keyId: key.id })));
    const code = await latestCode(user.id, 'email');
    await db().update(apiKeys).set({ suspendedAt: new Date(), suspensionReason: 'review' }).where(eq(apiKeys.id, key.id));
    expect(await confirmActivation(IDLE, form({ keyId: key.id, code }))).toEqual({ status: 'error', fieldErrors: { code: ['Suspended by an administrator: review'] } });
    expect((await keyRow(key.id))?.status).toBe('inactive');
  });

  it('a key expiring later can still be activated', async () => {
    const { key, user } = await makeKey(OWNER, { status: 'inactive', expiresAt: new Date(Date.now() + 3 * DAY) });
    await signInAs(OWNER);
    await redirectOf(requestActivation(form({ keyId: key.id })));
    expect(await redirectOf(confirmActivation(IDLE, form({ keyId: key.id, code: await latestCode(user.id, 'email') })))).toBe('/settings/api-keys?notice=activated');
    expect((await keyRow(key.id))?.status).toBe('active');
  });
});
