import { describe, expect, it, vi } from 'vitest';
import { removeUnusedPermission } from '@/app/settings/api-keys/[keyId]/least-privilege-actions';
import {
  changeRow,
  expectNotFound,
  form,
  IDLE,
  keyRow,
  latestCode,
  makeKeyFor,
  OWNER,
  redirectOf,
  signInAs,
  SMS_OWNER,
  snapshot,
  useTestDatabase,
} from '../support/actions';
import { CHANGE_URL, changeIdOf, confirm } from '../support/key-changes';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const MONEY_KEY = { permissions: ['read', 'trade', 'funds_wallet', 'funds_external'], expiresAt: new Date(Date.now() + 90 * 86_400_000) };

describe('removing an unused money permission in one click', () => {
  it('is the narrowing edit of that permission alone, confirmed by the second factor, then applied at once', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER, MONEY_KEY);
    await signInAs(SMS_OWNER);
    const to = await redirectOf(removeUnusedPermission(IDLE, form({ keyId: key.id, permission: 'funds_external' })));
    expect(to).toMatch(CHANGE_URL('edit'));
    const changeId = changeIdOf(to);
    // Nothing changes before the code.
    expect(await keyRow(key.id)).toEqual(key);
    expect(await changeRow(changeId)).toMatchObject({
      kind: 'edit',
      widens: false,
      changes: {
        name: key.name,
        permissions: ['read', 'trade', 'funds_wallet'],
        ipWhitelist: key.ipWhitelist,
        expiresAt: key.expiresAt!.toISOString(),
      },
    });
    expect(await redirectOf(confirm(key.id, changeId, await latestCode(user.id, 'sms')))).toBe('/settings/api-keys?notice=edited');
    expect(await keyRow(key.id)).toMatchObject({
      permissions: ['read', 'trade', 'funds_wallet'],
      status: 'active',
      name: key.name,
      ipWhitelist: key.ipWhitelist,
      expiresAt: key.expiresAt,
    });
  });

  it("another account's key answers 404 and changes nothing", async () => {
    const { key } = await makeKeyFor(SMS_OWNER, MONEY_KEY);
    await signInAs(OWNER);
    const before = await snapshot();
    await expectNotFound(removeUnusedPermission(IDLE, form({ keyId: key.id, permission: 'funds_external' })));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses anything but a money permission, and one the key no longer has, changing nothing', async () => {
    const { key } = await makeKeyFor(SMS_OWNER, { permissions: ['read', 'trade'] });
    await signInAs(SMS_OWNER);
    const before = await snapshot();
    expect(await removeUnusedPermission(IDLE, form({ keyId: key.id, permission: 'read' }))).toMatchObject({
      status: 'error',
      fieldErrors: { permission: ['Unknown permission'] },
    });
    expect(await removeUnusedPermission(IDLE, form({ keyId: key.id, permission: 'funds_external' }))).toEqual({
      status: 'error',
      message: 'The key no longer has the Funds External permission.',
    });
    expect(await snapshot()).toEqual(before);
  });
});
