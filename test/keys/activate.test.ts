import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { confirmActivation, requestActivation, resendActivation } from '@/app/settings/api-keys/[keyId]/activate/actions';
import { apiKeys, auditEvents } from '@/db/schema';
import { NO_REQUEST } from '@/lib/platform/audit';
import { requireOwner } from '@/lib/web/auth';
import { requestKeyActivation } from '@/lib/keys/activate';
import {
  advanceTime,
  db,
  expectNotFound,
  form,
  IDLE,
  type KeyFixture,
  latestCode,
  makeKeyFor,
  otherThan,
  outboxOf,
  OWNER,
  redirectOf,
  signInAs,
  SMS_OWNER,
  snapshot,
  userByEmail,
  useTestDatabase,
} from '../support/actions';
import { makeKey } from '../support/keys';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

/** An inactive key of `email`'s account, with that owner signed in. */
async function inactiveKey(email = OWNER) {
  const user = await userByEmail(email);
  const key = await makeKey(db(), { accountId: user.accountId!, name: 'Inactive key', status: 'inactive' });
  await signInAs(email);
  return { keyId: key.id, userId: user.id, accountId: user.accountId! };
}

async function keyRow(keyId: string) {
  const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return row;
}

const emails = async (userId: string) => (await outboxOf(userId)).filter((m) => m.channel === 'email');
const activatePage = (keyId: string) => `/settings/api-keys/${keyId}/activate`;
const confirm = (keyId: string, code: string) => confirmActivation(IDLE, form({ keyId, code }));

describe('requestActivation', () => {
  it('sends a code to the owner’s email and shows the code step; asking again sends nothing new', async () => {
    const { keyId, userId } = await inactiveKey();
    expect(await redirectOf(requestActivation(form({ keyId })))).toBe(activatePage(keyId));
    const sent = await emails(userId);
    expect(sent).toHaveLength(1);
    expect(sent[0].destination).toBe(OWNER);
    expect(await redirectOf(requestActivation(form({ keyId })))).toBe(activatePage(keyId));
    expect(await emails(userId)).toHaveLength(1);
  });

  it('an active key is not activated again: back to the list, nothing sent', async () => {
    const user = await userByEmail(OWNER);
    const key = await makeKey(db(), { accountId: user.accountId!, name: 'Active key' });
    await signInAs(OWNER);
    const before = await snapshot();
    expect(await redirectOf(requestActivation(form({ keyId: key.id })))).toBe('/settings/api-keys');
    expect(await snapshot()).toEqual(before);
  });
});

describe('confirmActivation', () => {
  it('a wrong code is refused with attempts left; the right code makes the key active', async () => {
    const { keyId, userId } = await inactiveKey();
    await redirectOf(requestActivation(form({ keyId })));
    const code = await latestCode(userId, 'email');

    expect(await confirm(keyId, otherThan(code))).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 4 attempts left'] } });
    expect((await keyRow(keyId)).status).toBe('inactive');

    expect(await redirectOf(confirm(keyId, code))).toBe('/settings/api-keys?notice=activated');
    const key = await keyRow(keyId);
    expect(key.status).toBe('active');
    expect(key.activatedAt).not.toBeNull();
    const [audit] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'api_key.activated'));
    expect(audit).toMatchObject({ apiKeyId: keyId, actorUserId: userId, success: true });

    // A double submit is harmless; the used code does not start anything new.
    expect(await redirectOf(confirm(keyId, code))).toBe('/settings/api-keys?notice=activated');
  });

  it('without an activation request there is nothing to confirm', async () => {
    const { keyId } = await inactiveKey();
    expect(await confirm(keyId, '123456')).toEqual({ status: 'error', fieldErrors: { code: ['Ask for a new activation code first.'] } });
    expect((await keyRow(keyId)).status).toBe('inactive');
  });

  it('an expired code is refused; Activate then sends a fresh one', async () => {
    const { keyId, userId } = await inactiveKey();
    await redirectOf(requestActivation(form({ keyId })));
    const old = await latestCode(userId, 'email');
    advanceTime(5 * 60_000 + 1000);
    expect(await confirm(keyId, old)).toEqual({ status: 'error', fieldErrors: { code: ['This code has expired — request a new one'] } });
    await redirectOf(requestActivation(form({ keyId })));
    expect(await emails(userId)).toHaveLength(2);
    expect(await redirectOf(confirm(keyId, await latestCode(userId, 'email')))).toBe('/settings/api-keys?notice=activated');
  });

  it('5 wrong codes end the step; the key stays inactive until a new code', async () => {
    const { keyId, userId } = await inactiveKey();
    await redirectOf(requestActivation(form({ keyId })));
    const code = await latestCode(userId, 'email');
    for (let i = 0; i < 4; i++) await confirm(keyId, otherThan(code));
    expect(await confirm(keyId, otherThan(code))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Too many incorrect codes. Press Activate to get a new code.'] },
    });
    expect(await confirm(keyId, code)).toEqual({ status: 'error', fieldErrors: { code: ['Ask for a new activation code first.'] } });
    expect((await keyRow(keyId)).status).toBe('inactive');
  });

  it('pressing Activate again after wrong codes sends a new code but keeps the count', async () => {
    const { keyId, userId } = await inactiveKey();
    await redirectOf(requestActivation(form({ keyId })));
    const first = await latestCode(userId, 'email');
    for (let i = 0; i < 3; i++) await confirm(keyId, otherThan(first));
    await redirectOf(requestActivation(form({ keyId })));
    expect(await emails(userId)).toHaveLength(2);
    const second = await latestCode(userId, 'email');
    expect(await confirm(keyId, otherThan(second))).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 1 attempt left'] } });
    expect(await redirectOf(confirm(keyId, second))).toBe('/settings/api-keys?notice=activated');
  });

  it('two concurrent confirmations activate once', async () => {
    const { keyId, userId } = await inactiveKey();
    await redirectOf(requestActivation(form({ keyId })));
    const code = await latestCode(userId, 'email');
    const outcomes = await Promise.allSettled([confirm(keyId, code), confirm(keyId, code)]);
    for (const o of outcomes)
      expect(o).toMatchObject({ status: 'rejected', reason: { redirectTo: '/settings/api-keys?notice=activated' } });
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, 'api_key.activated'))).toHaveLength(1);
  });
});

describe('resendActivation', () => {
  it('is refused before 2 minutes, then sends a new code that replaces the old one', async () => {
    const { keyId, userId } = await inactiveKey(SMS_OWNER);
    await redirectOf(requestActivation(form({ keyId })));
    const first = await latestCode(userId, 'email');
    advanceTime(90_000);
    expect(await redirectOf(resendActivation(form({ keyId })))).toBe(activatePage(keyId));
    expect(await emails(userId)).toHaveLength(1);
    advanceTime(30_000);
    expect(await redirectOf(resendActivation(form({ keyId })))).toBe(`${activatePage(keyId)}?resent=1`);
    expect(await emails(userId)).toHaveLength(2);
    const second = await latestCode(userId, 'email');
    if (first !== second) {
      expect(await confirm(keyId, first)).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 4 attempts left'] } });
    }
    expect(await redirectOf(confirm(keyId, second))).toBe('/settings/api-keys?notice=activated');
  });

  it('without a pending activation nothing is sent', async () => {
    const { keyId, userId } = await inactiveKey();
    expect(await redirectOf(resendActivation(form({ keyId })))).toBe(activatePage(keyId));
    expect(await emails(userId)).toHaveLength(0);
  });
});

describe("another account's key", () => {
  it('answers notFound to every activation action and changes nothing', async () => {
    const victim = await inactiveKey(SMS_OWNER);
    await redirectOf(requestActivation(form({ keyId: victim.keyId })));
    const code = await latestCode(victim.userId, 'email');

    await signInAs(OWNER);
    const before = await snapshot();
    await expectNotFound(requestActivation(form({ keyId: victim.keyId })));
    await expectNotFound(resendActivation(form({ keyId: victim.keyId })));
    await expectNotFound(confirm(victim.keyId, code));
    expect(await snapshot()).toEqual(before);
    expect((await keyRow(victim.keyId)).status).toBe('inactive');
  });

  it.each(['nope', '00000000-0000-0000-0000-00000000000g'])('a malformed key id (%s) answers notFound', async (keyId) => {
    await inactiveKey();
    await expectNotFound(requestActivation(form({ keyId })));
    await expectNotFound(resendActivation(form({ keyId })));
    await expectNotFound(confirm(keyId, '123456'));
  });

  it('a well-formed id of no key answers notFound', async () => {
    await inactiveKey();
    await expectNotFound(requestActivation(form({ keyId: '7d4f3a4e-5b1c-4c4e-9a9b-0c1d2e3f4a5b' })));
  });
});

const DAY = 86_400_000;

describe('activation is refused for keys the owner may not turn on', () => {
  it.each<[string, KeyFixture, string]>([
    [
      'suspended',
      { suspendedAt: new Date(), suspensionReason: 'unusual withdrawals' },
      'Suspended by an administrator: unusual withdrawals',
    ],
    ['revoked', { revokedAt: new Date(), revocationReason: 'secret published' }, 'Revoked by an administrator: secret published'],
    ['expired', { expiresAt: new Date(Date.now() - DAY) }, 'This key has expired. Edit its expiry date to use it again.'],
  ])('%s: the reason is given, no code is sent, nothing changes', async (_, fixture, message) => {
    const { key, user } = await makeKeyFor(OWNER, { status: 'inactive', ...fixture });
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
    const { key } = await makeKeyFor(OWNER, { status: 'active', suspendedAt: new Date(), suspensionReason: 'review' });
    await signInAs(OWNER);
    expect(await requestKeyActivation(db(), await requireOwner(), key.id, NO_REQUEST)).toEqual({
      ok: false,
      reason: 'refused',
      message: 'Suspended by an administrator: review',
    });
  });

  it('a key suspended while its code was on the way is not activated by the code', async () => {
    const { key, user } = await makeKeyFor(OWNER, { status: 'inactive' });
    await signInAs(OWNER);
    await redirectOf(requestActivation(form({ keyId: key.id })));
    const code = await latestCode(user.id, 'email');
    await db().update(apiKeys).set({ suspendedAt: new Date(), suspensionReason: 'review' }).where(eq(apiKeys.id, key.id));
    expect(await confirmActivation(IDLE, form({ keyId: key.id, code }))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Suspended by an administrator: review'] },
    });
    expect((await keyRow(key.id))?.status).toBe('inactive');
  });

  it('a key expiring later can still be activated', async () => {
    const { key, user } = await makeKeyFor(OWNER, { status: 'inactive', expiresAt: new Date(Date.now() + 3 * DAY) });
    await signInAs(OWNER);
    await redirectOf(requestActivation(form({ keyId: key.id })));
    expect(await redirectOf(confirmActivation(IDLE, form({ keyId: key.id, code: await latestCode(user.id, 'email') })))).toBe(
      '/settings/api-keys?notice=activated',
    );
    expect((await keyRow(key.id))?.status).toBe('active');
  });
});
