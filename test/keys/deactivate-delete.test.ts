import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { chooseChangeMethodAction, resendChangeCodeAction } from '@/app/settings/api-keys/[keyId]/change-actions';
import { deactivateApiKey } from '@/app/settings/api-keys/[keyId]/deactivate/actions';
import { requestDeletion } from '@/app/settings/api-keys/[keyId]/delete/actions';
import { saveKeyEdit } from '@/app/settings/api-keys/[keyId]/edit/actions';
import { requestActivation } from '@/app/settings/api-keys/[keyId]/activate/actions';
import { auditEvents, keyChanges } from '@/db/schema';
import {
  addSms,
  changeRow,
  advanceTime,
  db,
  DEMO_TOTP_SECRET,
  expectNotFound,
  form,
  IDLE,
  latestChallenge,
  keyRow,
  latestCode,
  makeKeyFor,
  otherThan,
  outboxOf,
  OWNER,
  redirectOf,
  signInAs,
  SMS_OWNER,
  snapshot,
  totpCode,
  useTestDatabase,
} from '../support/actions';
import { CHANGE_URL, changeIdOf, confirm, editForm } from '../support/key-changes';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

async function startDeletion(email: string, keyId: string) {
  await signInAs(email);
  const to = await redirectOf(requestDeletion(IDLE, form({ keyId })));
  expect(to).toMatch(CHANGE_URL('delete'));
  return changeIdOf(to);
}

describe('deactivate', () => {
  it('is immediate, audited, and the key can then be activated again', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    await signInAs(SMS_OWNER);
    expect(await redirectOf(deactivateApiKey(IDLE, form({ keyId: key.id })))).toBe('/settings/api-keys?notice=deactivated');
    expect((await keyRow(key.id))?.status).toBe('inactive');
    const [row] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'api_key.deactivated'));
    expect(row).toMatchObject({ apiKeyId: key.id, actorUserId: user.id, details: { name: key.name } });
    // A second press (another tab) changes nothing and says so.
    expect(await deactivateApiKey(IDLE, form({ keyId: key.id }))).toEqual({ status: 'error', message: 'This key is already inactive.' });
    expect(await redirectOf(requestActivation(form({ keyId: key.id })))).toBe(`/settings/api-keys/${key.id}/activate`);
  });

  it('another account’s key answers notFound and stays active', async () => {
    const { key } = await makeKeyFor(OWNER);
    await signInAs(SMS_OWNER);
    const before = await snapshot();
    await expectNotFound(deactivateApiKey(IDLE, form({ keyId: key.id })));
    expect(await snapshot()).toEqual(before);
  });
});

describe('delete, confirmed by a second factor', () => {
  it('SMS: the dialog stores a pending deletion; the right code deletes the key for good', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    const changeId = await startDeletion(SMS_OWNER, key.id);
    expect(await changeRow(changeId)).toMatchObject({ kind: 'delete', status: 'pending_confirmation' });
    expect(await keyRow(key.id)).not.toBeNull();
    const code = await latestCode(user.id, 'sms');
    expect(await confirm(key.id, changeId, otherThan(code))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Incorrect code, 4 attempts left'] },
    });
    expect(await redirectOf(confirm(key.id, changeId, code))).toBe('/settings/api-keys?notice=deleted');

    expect(await keyRow(key.id)).toBeNull();
    expect(await db().select().from(keyChanges).where(eq(keyChanges.apiKeyId, key.id))).toHaveLength(0);
    const [row] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'api_key.deleted'));
    expect(row).toMatchObject({
      apiKeyId: key.id,
      actorUserId: user.id,
      details: { name: key.name, publicKey: key.publicKey, method: 'sms' },
    });
    // The secret never reaches the audit log.
    expect(JSON.stringify(row.details)).not.toContain(key.secretEnc);

    // A double submit, or any stale form for the deleted key, gets a clear message.
    expect(await redirectOf(confirm(key.id, changeId, code))).toBe('/settings/api-keys?notice=gone');
    expect(await redirectOf(saveKeyEdit(IDLE, editForm(key.id, { name: 'Too late' })))).toBe('/settings/api-keys?notice=gone');
    expect(await redirectOf(deactivateApiKey(IDLE, form({ keyId: key.id })))).toBe('/settings/api-keys?notice=gone');
    expect(await redirectOf(requestActivation(form({ keyId: key.id })))).toBe('/settings/api-keys?notice=gone');
  });

  it('with both methods the owner picks one; TOTP then confirms', async () => {
    await addSms(OWNER);
    const { key, user } = await makeKeyFor(OWNER);
    const changeId = await startDeletion(OWNER, key.id);
    expect(await latestChallenge(user.id, 'key_deletion')).toBeNull();
    expect(await outboxOf(user.id)).toHaveLength(0);
    expect(await redirectOf(chooseChangeMethodAction(form({ keyId: key.id, changeId, method: 'totp' })))).toBe(
      `/settings/api-keys/${key.id}/delete/${changeId}`,
    );
    expect(await redirectOf(confirm(key.id, changeId, await totpCode(DEMO_TOTP_SECRET)))).toBe('/settings/api-keys?notice=deleted');
    expect(await keyRow(key.id)).toBeNull();
  });

  it('SMS resend waits two minutes', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    const changeId = await startDeletion(SMS_OWNER, key.id);
    const page = `/settings/api-keys/${key.id}/delete/${changeId}`;
    expect(await redirectOf(resendChangeCodeAction(form({ keyId: key.id, changeId })))).toBe(page);
    expect(await outboxOf(user.id)).toHaveLength(1);
    advanceTime(2 * 60_000 + 1000);
    expect(await redirectOf(resendChangeCodeAction(form({ keyId: key.id, changeId })))).toBe(`${page}?resent=1`);
    expect(await outboxOf(user.id)).toHaveLength(2);
    expect(await redirectOf(confirm(key.id, changeId, await latestCode(user.id, 'sms')))).toBe('/settings/api-keys?notice=deleted');
  });

  it('5 wrong codes void the deletion; the key stays', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    const changeId = await startDeletion(SMS_OWNER, key.id);
    const right = await latestCode(user.id, 'sms');
    for (let i = 0; i < 5; i++) await confirm(key.id, changeId, otherThan(right));
    expect((await changeRow(changeId))?.status).toBe('void');
    expect(await confirm(key.id, changeId, right)).toEqual({ status: 'error', message: 'This request has ended — start again.' });
    expect(await keyRow(key.id)).toEqual(key);
  });

  it('another account’s key answers notFound at every step; nothing changes', async () => {
    const victim = await makeKeyFor(OWNER);
    const victimChange = await startDeletion(OWNER, victim.key.id);
    await signInAs(SMS_OWNER);
    const before = await snapshot();
    await expectNotFound(requestDeletion(IDLE, form({ keyId: victim.key.id })));
    await expectNotFound(confirm(victim.key.id, victimChange, await totpCode(DEMO_TOTP_SECRET)));
    await expectNotFound(resendChangeCodeAction(form({ keyId: victim.key.id, changeId: victimChange })));
    expect(await snapshot()).toEqual(before);
    expect(await keyRow(victim.key.id)).not.toBeNull();
  });

  it('a newer request replaces an older one: the old change can no longer be confirmed', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    const first = await startDeletion(SMS_OWNER, key.id);
    const firstCode = await latestCode(user.id, 'sms');
    const edit = changeIdOf(await redirectOf(saveKeyEdit(IDLE, editForm(key.id, { name: 'Kept' }))));
    expect((await changeRow(first))?.status).toBe('void');
    expect(await confirm(key.id, first, firstCode)).toEqual({ status: 'error', message: 'This request has ended — start again.' });
    expect(await redirectOf(confirm(key.id, edit, await latestCode(user.id, 'sms')))).toBe('/settings/api-keys?notice=edited');
    expect((await keyRow(key.id))?.name).toBe('Kept');
  });
});
