import { asc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { liftSuspensionAction, revokeKeyAction, suspendKeyAction } from '@/app/admin/keys/[keyId]/actions';
import { apiKeys, auditEvents } from '@/db/schema';
import { notifyKeyChanged } from '@/lib/platform/events';
import { TEST_CLIENT_IP, TEST_USER_AGENT } from '../support/next-headers';
import {
  accountIdByName,
  ADMIN,
  db,
  expectNotFound,
  form,
  IDLE,
  redirectOf,
  signInAs,
  snapshot,
  userByEmail,
  useTestDatabase,
} from '../support/actions';
import { makeKey } from '../support/keys';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));
vi.mock('@/lib/platform/events', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/platform/events')>();
  return { ...original, notifyKeyChanged: vi.fn(original.notifyKeyChanged) };
});

useTestDatabase();

const notified = vi.mocked(notifyKeyChanged);
beforeEach(() => {
  notified.mockClear();
});

async function activeKey(): Promise<{ id: string; accountId: string }> {
  const accountId = await accountIdByName('Atlas Capital');
  const key = await makeKey(db(), { accountId, name: 'Market maker' });
  return { id: key.id, accountId };
}

const keyRow = async (id: string) => (await db().select().from(apiKeys).where(eq(apiKeys.id, id)))[0];
const auditOf = (id: string) => db().select().from(auditEvents).where(eq(auditEvents.apiKeyId, id)).orderBy(asc(auditEvents.id));

/** The notification went out inside the action's transaction (not on the pool), for this key. */
function expectNotifiedInTransaction(keyId: string) {
  expect(notified).toHaveBeenCalledTimes(1);
  const [handle, id] = notified.mock.calls[0];
  expect(id).toBe(keyId);
  expect(handle).not.toBe(db());
}

describe('suspend', () => {
  it('stores the reason, stops the key at once (NOTIFY in the transaction) and audits who, why and from where', async () => {
    const key = await activeKey();
    const admin = await userByEmail(ADMIN);
    await signInAs(ADMIN);
    const before = await keyRow(key.id);
    expect(await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: '  Unusual   withdrawal\npattern ' })))).toBe(
      `/admin/keys/${key.id}?notice=suspended`,
    );
    const after = await keyRow(key.id);
    expect(after.suspendedAt).not.toBeNull();
    expect(after.suspensionReason).toBe('Unusual withdrawal pattern');
    expect(after.status).toBe('active'); // the owner's switch is untouched; the suspension overrides it
    expect(after.revokedAt).toBeNull();
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expectNotifiedInTransaction(key.id);
    const [event] = await auditOf(key.id);
    expect(event).toMatchObject({
      action: 'api_key.suspended',
      actorUserId: admin.id,
      accountId: key.accountId,
      apiKeyId: key.id,
      success: true,
      ip: TEST_CLIENT_IP,
      userAgent: TEST_USER_AGENT,
      details: { name: 'Market maker', reason: 'Unusual withdrawal pattern' },
    });
  });

  it('needs a reason of 3 to 500 printable characters; a refused form changes nothing', async () => {
    const key = await activeKey();
    await signInAs(ADMIN);
    const before = await snapshot();
    for (const [reason, message] of [
      [undefined, 'Give a reason.'],
      ['', 'Give a reason of at least 3 characters.'],
      ['  ab  ', 'Give a reason of at least 3 characters.'],
      ['x'.repeat(501), 'Keep the reason to 500 characters or fewer.'],
      ['bad\u0007bell', 'Use printable characters only.'],
    ] as const) {
      const state = await suspendKeyAction(IDLE, form({ keyId: key.id, reason }));
      expect(state).toMatchObject({ status: 'error', fieldErrors: { reason: [message] } });
    }
    expect(await snapshot()).toEqual(before);
    expect(notified).not.toHaveBeenCalled();
    await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'é'.repeat(500) })));
    expect((await keyRow(key.id)).suspensionReason).toHaveLength(500);
  });

  it('refuses a key that is already suspended or revoked, with a message', async () => {
    const key = await activeKey();
    await signInAs(ADMIN);
    await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'first time' })));
    notified.mockClear();
    expect(await suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'second time' }))).toEqual({
      status: 'error',
      message: 'This key is already suspended.',
    });
    expect((await keyRow(key.id)).suspensionReason).toBe('first time');
    await redirectOf(revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'for good' })));
    notified.mockClear();
    expect(await suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'third time' }))).toEqual({
      status: 'error',
      message: 'This key has been revoked; there is nothing to suspend.',
    });
    expect(notified).not.toHaveBeenCalled();
  });
});

describe('lift suspension', () => {
  it('returns the key to its owner state, notifies and audits', async () => {
    const key = await activeKey();
    await signInAs(ADMIN);
    await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'looking into it' })));
    notified.mockClear();
    expect(await redirectOf(liftSuspensionAction(IDLE, form({ keyId: key.id })))).toBe(`/admin/keys/${key.id}?notice=lifted`);
    const row = await keyRow(key.id);
    expect(row.suspendedAt).toBeNull();
    expect(row.suspensionReason).toBeNull();
    expect(row.status).toBe('active');
    expectNotifiedInTransaction(key.id);
    const events = await auditOf(key.id);
    expect(events.map((e) => e.action)).toEqual(['api_key.suspended', 'api_key.unsuspended']);
    expect(events[1].details).toEqual({ name: 'Market maker', suspensionReason: 'looking into it' });
  });

  it('refuses a key that is not suspended, and a revoked one', async () => {
    const key = await activeKey();
    await signInAs(ADMIN);
    expect(await liftSuspensionAction(IDLE, form({ keyId: key.id }))).toEqual({ status: 'error', message: 'This key is not suspended.' });
    await redirectOf(revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'leaked' })));
    notified.mockClear();
    expect(await liftSuspensionAction(IDLE, form({ keyId: key.id }))).toEqual({
      status: 'error',
      message: 'This key has been revoked; revocation cannot be lifted.',
    });
    expect((await keyRow(key.id)).suspendedAt).not.toBeNull();
    expect(notified).not.toHaveBeenCalled();
  });
});

describe('revoke', () => {
  it('is permanent: switched off, marked suspended too (so every suspension check refuses it), notified and audited', async () => {
    const key = await activeKey();
    const admin = await userByEmail(ADMIN);
    await signInAs(ADMIN);
    expect(await redirectOf(revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'Secret posted on a forum' })))).toBe(
      `/admin/keys/${key.id}?notice=revoked`,
    );
    const row = await keyRow(key.id);
    expect(row).toMatchObject({
      status: 'inactive',
      revocationReason: 'Secret posted on a forum',
      suspensionReason: 'Secret posted on a forum',
    });
    expect(row.revokedAt).not.toBeNull();
    expect(row.suspendedAt).not.toBeNull();
    expectNotifiedInTransaction(key.id);
    const [event] = await auditOf(key.id);
    expect(event).toMatchObject({
      action: 'api_key.revoked',
      actorUserId: admin.id,
      accountId: key.accountId,
      details: { name: 'Market maker', reason: 'Secret posted on a forum' },
    });
    notified.mockClear();
    expect(await revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'again' }))).toEqual({
      status: 'error',
      message: 'This key has already been revoked.',
    });
    expect(notified).not.toHaveBeenCalled();
  });

  it('keeps the suspension reason of an already suspended key', async () => {
    const key = await activeKey();
    await signInAs(ADMIN);
    await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'under review' })));
    await redirectOf(revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'review done: compromised' })));
    expect(await keyRow(key.id)).toMatchObject({ suspensionReason: 'under review', revocationReason: 'review done: compromised' });
  });
});

describe('ids', () => {
  it('an unknown key id or a malformed one is a 404 and changes nothing', async () => {
    await activeKey();
    await signInAs(ADMIN);
    const before = await snapshot();
    await expectNotFound(suspendKeyAction(IDLE, form({ keyId: '00000000-0000-4000-8000-000000000000', reason: 'whatever' })));
    await expectNotFound(revokeKeyAction(IDLE, form({ keyId: 'nope', reason: 'whatever' })));
    await expectNotFound(liftSuspensionAction(IDLE, form({})));
    expect(await snapshot()).toEqual(before);
    expect(notified).not.toHaveBeenCalled();
  });
});
