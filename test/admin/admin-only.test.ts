import { describe, expect, it, vi } from 'vitest';
import AdminLayout from '@/app/admin/layout';
import AdminHome from '@/app/admin/page';
import AdminKeysPage from '@/app/admin/keys/page';
import AdminAccountsPage from '@/app/admin/accounts/page';
import AdminAuditPage from '@/app/admin/audit/page';
import { GET as exportAudit } from '@/app/admin/audit/export/route';
import AdminKeyPage from '@/app/admin/keys/[keyId]/page';
import { liftSuspensionAction, revokeKeyAction, suspendKeyAction } from '@/app/admin/keys/[keyId]/actions';
import RevokeKeyPage from '@/app/admin/keys/[keyId]/revoke/page';
import SuspendKeyPage from '@/app/admin/keys/[keyId]/suspend/page';
import AdminPeoplePage from '@/app/admin/people/page';
import { liftSecondFactorLockAction } from '@/app/admin/people/actions';
import StepUpPage from '@/app/admin/step-up/page';
import { confirmStepUpAction } from '@/app/admin/step-up/actions';
import {
  accountIdByName,
  ADMIN,
  db,
  expectNotFound,
  form,
  IDLE,
  MEMBER,
  NEW_OWNER,
  OWNER,
  redirectOf,
  signedOut,
  signInAs,
  snapshot,
  STANDARD,
  useTestDatabase,
} from '../support/actions';
import { makeKey } from '../support/keys';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const NOT_ADMINS = [OWNER, NEW_OWNER, MEMBER, STANDARD];

async function as(who: string | null) {
  if (who) await signInAs(who);
  else signedOut();
}

describe('everyone but a platform admin gets a 404, from pages, actions and the export', () => {
  for (const who of [...NOT_ADMINS, null]) {
    it(`${who ?? 'signed out'}: nothing is shown and nothing changes`, async () => {
      const key = await makeKey(db(), { accountId: await accountIdByName('Atlas Capital'), name: 'Owned key' });
      await as(who);
      const before = await snapshot();
      const params = Promise.resolve({ keyId: key.id });
      const none = Promise.resolve({});
      await expectNotFound(AdminLayout({ children: null }));
      await expectNotFound(AdminHome({ searchParams: none }));
      await expectNotFound(AdminKeysPage({ searchParams: none }));
      await expectNotFound(AdminAccountsPage({ searchParams: none }));
      await expectNotFound(AdminAuditPage({ searchParams: none }));
      await expectNotFound(AdminKeyPage({ params, searchParams: none }));
      await expectNotFound(SuspendKeyPage({ params }));
      await expectNotFound(RevokeKeyPage({ params }));
      await expectNotFound(AdminPeoplePage({ searchParams: none }));
      await expectNotFound(StepUpPage({ searchParams: Promise.resolve({ next: '/admin' }) }));
      await expectNotFound(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'not allowed' })));
      await expectNotFound(liftSuspensionAction(IDLE, form({ keyId: key.id })));
      await expectNotFound(revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'not allowed' })));
      await expectNotFound(liftSecondFactorLockAction(IDLE, form({ userId: key.id })));
      await expectNotFound(confirmStepUpAction(IDLE, form({ code: '123456', next: '/admin' })));
      const res = await exportAudit(new Request('http://localhost/admin/audit/export'));
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('api_key');
      expect(await snapshot()).toEqual(before);
    });
  }

  it('the admin gets the pages', async () => {
    const key = await makeKey(db(), { accountId: await accountIdByName('Atlas Capital'), name: 'Owned key' });
    await as(ADMIN);
    const none = Promise.resolve({});
    await expect(AdminLayout({ children: null })).resolves.toBeTruthy();
    // /admin is the landing: the keys list, query kept.
    expect(await redirectOf(AdminHome({ searchParams: Promise.resolve({ status: 'inactive', q: ['a', 'b'] }) }))).toBe(
      '/admin/keys?status=inactive&q=a&q=b',
    );
    await expect(AdminKeysPage({ searchParams: none })).resolves.toBeTruthy();
    await expect(AdminAccountsPage({ searchParams: none })).resolves.toBeTruthy();
    await expect(AdminAuditPage({ searchParams: none })).resolves.toBeTruthy();
    await expect(AdminPeoplePage({ searchParams: none })).resolves.toBeTruthy();
    await expect(AdminKeyPage({ params: Promise.resolve({ keyId: key.id }), searchParams: none })).resolves.toBeTruthy();
    await expectNotFound(AdminKeyPage({ params: Promise.resolve({ keyId: 'not-a-uuid' }), searchParams: none }));
    expect((await exportAudit(new Request('http://localhost/admin/audit/export'))).status).toBe(200);
  });
});
