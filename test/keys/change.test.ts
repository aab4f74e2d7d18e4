import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { chooseChangeMethodAction } from '@/app/settings/api-keys/[keyId]/change-actions';
import { saveKeyEdit } from '@/app/settings/api-keys/[keyId]/edit/actions';
import { auditEvents, keyChanges } from '@/db/schema';
import {
  addSms,
  changeRow,
  auditActions,
  countRows,
  db,
  DEMO_TOTP_SECRET,
  expectNotFound,
  form,
  IDLE,
  latestChallenge,
  keyRow,
  latestCode,
  makeKeyFor,
  MEMBER,
  otherThan,
  OWNER,
  redirectOf,
  signInAs,
  SMS_OWNER,
  snapshot,
  totpCode,
  useTestDatabase,
} from '../support/actions';
import { CHANGE_URL, changeIdOf, confirm, editForm, type EditFields } from '../support/key-changes';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

/** Signs the owner in, submits the edit form and returns the pending change. */
async function startEdit(email: string, keyId: string, fields: EditFields) {
  await signInAs(email);
  const to = await redirectOf(saveKeyEdit(IDLE, editForm(keyId, fields)));
  expect(to).toMatch(CHANGE_URL('edit'));
  return changeIdOf(to);
}

async function editedAudit(keyId: string) {
  const [row] = await db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'api_key.edited'), eq(auditEvents.apiKeyId, keyId)));
  return row;
}

describe('an edit confirmed by SMS', () => {
  it('narrowing (rename, a permission removed) applies at once; the key stays active, id and secret unchanged', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER, { permissions: ['read', 'trade', 'funds_internal'] });
    const changeId = await startEdit(SMS_OWNER, key.id, { name: 'Renamed bot', permissions: ['read', 'trade'] });
    // Nothing changes before the code.
    expect(await keyRow(key.id)).toEqual(key);
    expect(await changeRow(changeId)).toMatchObject({ kind: 'edit', status: 'pending_confirmation', widens: false });

    expect(await redirectOf(confirm(key.id, changeId, await latestCode(user.id, 'sms')))).toBe('/settings/api-keys?notice=edited');
    const after = await keyRow(key.id);
    expect(after).toMatchObject({
      id: key.id,
      publicKey: key.publicKey,
      secretEnc: key.secretEnc,
      name: 'Renamed bot',
      permissions: ['read', 'trade'],
      status: 'active',
    });
    expect(after!.updatedAt.getTime()).toBeGreaterThanOrEqual(key.updatedAt.getTime());
    expect((await changeRow(changeId))?.status).toBe('applied');
    expect(await editedAudit(key.id)).toMatchObject({
      actorUserId: user.id,
      success: true,
      details: { name: 'Renamed bot', widens: false, deactivated: false, method: 'sms' },
    });
    expect(await auditActions()).toEqual(expect.arrayContaining(['key_change.pending', 'code.sent', 'api_key.edited']));
  });

  it('widening (a permission added) deactivates the key until it is activated again', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    const changeId = await startEdit(SMS_OWNER, key.id, { permissions: ['read', 'trade', 'funds_wallet'] });
    expect((await changeRow(changeId))?.widens).toBe(true);
    expect(await redirectOf(confirm(key.id, changeId, await latestCode(user.id, 'sms')))).toBe('/settings/api-keys?notice=edited-inactive');
    expect(await keyRow(key.id)).toMatchObject({
      permissions: ['read', 'trade', 'funds_wallet'],
      status: 'inactive',
      publicKey: key.publicKey,
      secretEnc: key.secretEnc,
    });
    expect((await editedAudit(key.id))?.details).toMatchObject({ widens: true, deactivated: true });
  });

  it.each<[string, EditFields, { ipWhitelist?: string[]; expiresAt?: Date | null }]>([
    ['an address added', { ipWhitelist: '198.51.100.0/24 192.0.2.1' }, { ipWhitelist: ['198.51.100.0/24', '192.0.2.1'] }],
    ['the whitelist emptied', { ipWhitelist: '' }, { ipWhitelist: [] }],
    ['the expiry removed', { expiresOn: '' }, { expiresAt: null }],
  ])('widening by %s deactivates too', async (_, fields, expected) => {
    const { key, user } = await makeKeyFor(SMS_OWNER, { expiresAt: new Date(Date.now() + 30 * 86_400_000) });
    const expiresOn = key.expiresAt!.toISOString().slice(0, 10);
    const changeId = await startEdit(SMS_OWNER, key.id, { expiresOn, ...fields });
    await redirectOf(confirm(key.id, changeId, await latestCode(user.id, 'sms')));
    expect(await keyRow(key.id)).toMatchObject({ status: 'inactive', ...expected });
  });

  it('an expiry date in the future narrows; a past one is refused and nothing is stored', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    await signInAs(SMS_OWNER);
    const before = await countRows();
    const past = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(await saveKeyEdit(IDLE, editForm(key.id, { expiresOn: past }))).toMatchObject({
      status: 'error',
      fieldErrors: { expiry: ['Choose a date in the future'] },
    });
    expect(await saveKeyEdit(IDLE, editForm(key.id, { expiresOn: '2030-02-30' }))).toMatchObject({
      status: 'error',
      fieldErrors: { expiry: ['Enter a valid date (YYYY-MM-DD)'] },
    });
    expect(await countRows()).toEqual(before);

    const future = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const changeId = await startEdit(SMS_OWNER, key.id, { expiresOn: future });
    expect(await redirectOf(confirm(key.id, changeId, await latestCode(user.id, 'sms')))).toBe('/settings/api-keys?notice=edited');
    expect(await keyRow(key.id)).toMatchObject({ status: 'active', expiresAt: new Date(`${future}T00:00:00Z`) });
  });

  it('5 wrong codes void the change: the right code then changes nothing', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    const changeId = await startEdit(SMS_OWNER, key.id, { name: 'Other name' });
    const right = await latestCode(user.id, 'sms');
    expect(await confirm(key.id, changeId, otherThan(right))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Incorrect code, 4 attempts left'] },
    });
    for (let i = 0; i < 3; i++) await confirm(key.id, changeId, otherThan(right));
    expect(await confirm(key.id, changeId, otherThan(right))).toEqual({
      status: 'error',
      message: 'Too many incorrect codes. This request has ended — start again.',
    });
    expect((await changeRow(changeId))?.status).toBe('void');
    expect(await confirm(key.id, changeId, right)).toEqual({ status: 'error', message: 'This request has ended — start again.' });
    expect(await keyRow(key.id)).toEqual(key);
    expect(await auditActions()).toContain('key_change.void');
  });
});

describe('the second factor follows the owner’s methods', () => {
  it('an authenticator user types a TOTP code; no SMS is sent', async () => {
    const { key } = await makeKeyFor(OWNER);
    const changeId = await startEdit(OWNER, key.id, { permissions: ['read'] });
    expect((await latestChallenge(key.createdBy!, 'key_edit'))?.method).toBe('totp');
    expect(await redirectOf(confirm(key.id, changeId, await totpCode(DEMO_TOTP_SECRET)))).toBe('/settings/api-keys?notice=edited');
    expect((await keyRow(key.id))?.permissions).toEqual(['read']);
  });

  it('with both methods the owner picks one first', async () => {
    await addSms(OWNER);
    const { key, user } = await makeKeyFor(OWNER);
    const changeId = await startEdit(OWNER, key.id, { name: 'Picked' });
    expect(await latestChallenge(user.id, 'key_edit')).toBeNull();
    expect(await confirm(key.id, changeId, '123456')).toEqual({
      status: 'error',
      fieldErrors: { code: ['Choose how to receive your code first.'] },
    });
    expect(await redirectOf(chooseChangeMethodAction(form({ keyId: key.id, changeId, method: 'sms' })))).toBe(
      `/settings/api-keys/${key.id}/edit/${changeId}`,
    );
    expect(await redirectOf(confirm(key.id, changeId, await latestCode(user.id, 'sms')))).toBe('/settings/api-keys?notice=edited');
    expect((await keyRow(key.id))?.name).toBe('Picked');
  });
});

describe('saveKeyEdit refuses bad input with field errors, storing nothing', () => {
  it('the same parser and errors as creation, a duplicate name, Read removed, no change at all', async () => {
    const { key } = await makeKeyFor(SMS_OWNER);
    await makeKeyFor(SMS_OWNER, { name: 'Other key' });
    await signInAs(SMS_OWNER);
    const before = await countRows();
    expect(await saveKeyEdit(IDLE, editForm(key.id, { ipWhitelist: '1.2.3.4, 5.6.7.8/33' }))).toMatchObject({
      fieldErrors: { ipWhitelist: ["'5.6.7.8/33' is not a valid address or range"] },
    });
    expect(await saveKeyEdit(IDLE, editForm(key.id, { name: 'other KEY' }))).toMatchObject({
      fieldErrors: { name: ["An API key named 'other KEY' already exists in this account"] },
    });
    expect(await saveKeyEdit(IDLE, editForm(key.id, { permissions: ['trade'] }))).toMatchObject({
      fieldErrors: { permissions: ['Read permission is always included and cannot be removed'] },
    });
    const empty = await saveKeyEdit(IDLE, editForm(key.id, { name: '' }));
    expect(empty.status === 'error' && empty.fieldErrors?.name?.[0]).toBe('Enter a name for the key');
    expect(await saveKeyEdit(IDLE, editForm(key.id))).toMatchObject({
      status: 'error',
      message: 'Nothing to save: these are the key’s current settings.',
    });
    // What was typed comes back, so a failed submit loses nothing.
    expect(await saveKeyEdit(IDLE, editForm(key.id, { name: 'other KEY', ipWhitelist: '10.0.0.1' }))).toMatchObject({
      values: { name: 'other KEY', ipWhitelist: '10.0.0.1' },
    });
    expect(await countRows()).toEqual(before);
  });

  it('an allow-everything whitelist is refused with the entry named; the key and its changes are untouched', async () => {
    const { key } = await makeKeyFor(SMS_OWNER);
    await signInAs(SMS_OWNER);
    const before = await countRows();
    for (const [entry, why] of [
      ['0.0.0.0/0', 'IPv4 ranges must be /8 or narrower'],
      ['::/0', 'IPv6 ranges must be /16 or narrower'],
      ['::ffff:0.0.0.0/96', 'an IPv4-mapped range counts as IPv4, and IPv4 ranges must be /8 or narrower'],
    ]) {
      expect(await saveKeyEdit(IDLE, editForm(key.id, { ipWhitelist: `198.51.100.0/24 ${entry}` }))).toMatchObject({
        status: 'error',
        fieldErrors: { ipWhitelist: [`'${entry}' covers too many addresses (${why}); leave the whitelist empty for any address`] },
      });
    }
    expect(await countRows()).toEqual(before);
    expect(await keyRow(key.id)).toEqual(key);
    expect(await db().select().from(keyChanges).where(eq(keyChanges.apiKeyId, key.id))).toEqual([]);
  });

  it('a revoked key cannot be edited', async () => {
    const { key } = await makeKeyFor(SMS_OWNER, { revokedAt: new Date(), revocationReason: 'leaked on GitHub' });
    await signInAs(SMS_OWNER);
    expect(await saveKeyEdit(IDLE, editForm(key.id, { name: 'x' }))).toMatchObject({
      status: 'error',
      message: 'Revoked by an administrator: leaked on GitHub. A revoked key cannot be edited.',
    });
  });
});

describe('refusals change nothing', () => {
  it('another account’s key id answers notFound for the edit and for its confirmation', async () => {
    const victim = await makeKeyFor(OWNER);
    const victimChange = await startEdit(OWNER, victim.key.id, { name: 'Victim renamed' });
    await signInAs(SMS_OWNER);
    const before = await snapshot();
    await expectNotFound(saveKeyEdit(IDLE, editForm(victim.key.id, { name: 'Hijacked' })));
    await expectNotFound(confirm(victim.key.id, victimChange, await totpCode(DEMO_TOTP_SECRET)));
    await expectNotFound(chooseChangeMethodAction(form({ keyId: victim.key.id, changeId: victimChange, method: 'sms' })));
    expect(await snapshot()).toEqual(before);
    // Own key id with another account's change id: not found either.
    const own = await makeKeyFor(SMS_OWNER, { name: 'Mine' });
    const afterInsert = await snapshot();
    await expectNotFound(confirm(own.key.id, victimChange, '123456'));
    expect(await snapshot()).toEqual(afterInsert);
    expect((await keyRow(victim.key.id))?.name).toBe('Trading bot');
  });

  it.each(['nope', '00000000-0000-0000-0000-00000000000g'])('a malformed key id (%s) answers notFound', async (keyId) => {
    await signInAs(SMS_OWNER);
    await expectNotFound(saveKeyEdit(IDLE, editForm(keyId, { name: 'x' })));
  });

  it('a member is sent to the refusal page', async () => {
    const { key } = await makeKeyFor(OWNER);
    await signInAs(MEMBER);
    const before = await snapshot();
    expect(await redirectOf(saveKeyEdit(IDLE, editForm(key.id, { name: 'x' })))).toBe('/settings/api-keys');
    expect(await snapshot()).toEqual(before);
  });
});
