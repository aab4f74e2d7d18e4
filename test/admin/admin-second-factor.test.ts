import { eq } from 'drizzle-orm';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import AdminLayout from '@/app/admin/layout';
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
import { chooseStepUpMethodAction, confirmStepUpAction } from '@/app/admin/step-up/actions';
import { signIn } from '@/app/sign-in/actions';
import { verifySignInCode } from '@/app/sign-in/verify/actions';
import SecurityPage from '@/app/settings/security/page';
import { beginTotpSetup, confirmTotpSetup } from '@/app/settings/security/actions';
import { auditEvents, users } from '@/db/schema';
import { getCurrentUser } from '@/lib/web/auth';
import { sessionCookieName } from '@/lib/web/session';
import { Browser, useBrowser } from '../support/next-headers';
import {
  accountIdByName,
  addSms,
  ADMIN,
  advanceTime,
  auditActions,
  db,
  DEMO_ADMIN_TOTP_SECRET,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  form,
  IDLE,
  keyRow,
  latestChallenge,
  latestCode,
  otherThan,
  OWNER,
  redirectOf,
  signInAs,
  snapshot,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';
import { makeKey } from '../support/keys';
import { pendingTotpSetup } from '@/lib/identity/two-factor';
import { findUserSummary } from '@/db/queries/users';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const SETUP = '/settings/security?returnTo=%2Fadmin';
const NEEDS_2FA = {
  status: 'error',
  message: 'Administrators must turn on two-factor authentication (an authenticator app or SMS) before using the admin console.',
};
const stepUp = (next: string) => `/admin/step-up?next=${encodeURIComponent(next)}`;
const none = () => Promise.resolve({});
const html = (node: unknown) => renderToStaticMarkup(node as React.ReactElement);
const exportCsv = (query = '') => exportAudit(new Request(`http://localhost/admin/audit/export${query}`));

async function atlasKey(fields: { suspendedAt?: Date; suspensionReason?: string } = {}) {
  return makeKey(db(), { accountId: await accountIdByName('Atlas Capital'), ...fields });
}

async function removeAdminSecondFactor() {
  await db().update(users).set({ totpEnabledAt: null, totpSecretEnc: null, totpLastStep: null }).where(eq(users.email, ADMIN));
}

/** Passes the step-up with the admin's authenticator; where it went afterwards. */
async function confirmItsMe(next: string, offset = 0): Promise<string> {
  return redirectOf(confirmStepUpAction(IDLE, form({ code: await totpCode(DEMO_ADMIN_TOTP_SECRET, offset), next })));
}

describe('an admin without a second factor reaches nothing of the admin console', () => {
  it('every page sends them to Settings › Security to turn one on, which says why', async () => {
    await removeAdminSecondFactor();
    const key = await atlasKey();
    await signInAs(ADMIN);
    const params = Promise.resolve({ keyId: key.id });
    for (const page of [
      () => AdminLayout({ children: null }),
      () => AdminKeysPage({ searchParams: none() }),
      () => AdminAccountsPage({ searchParams: none() }),
      () => AdminAuditPage({ searchParams: none() }),
      () => AdminPeoplePage({ searchParams: none() }),
      () => AdminKeyPage({ params, searchParams: none() }),
      () => SuspendKeyPage({ params }),
      () => RevokeKeyPage({ params }),
      () => StepUpPage({ searchParams: Promise.resolve({ next: '/admin' }) }),
    ]) {
      expect(await redirectOf(page())).toBe(SETUP);
    }
    const security = html(await SecurityPage({ searchParams: Promise.resolve({ returnTo: '/admin' }) }));
    expect(security).toContain('Administrators must turn on two-factor authentication');
  });

  it('every admin action and the CSV export refuse, and nothing changes', async () => {
    await removeAdminSecondFactor();
    const key = await atlasKey({ suspendedAt: new Date(), suspensionReason: 'looking into it' });
    const owner = await userByEmail(OWNER);
    await db().update(users).set({ secondFactorFailures: 100, secondFactorLockedAt: new Date() }).where(eq(users.id, owner.id));
    await signInAs(ADMIN);
    const before = await snapshot();
    expect(await suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'no 2FA' }))).toEqual(NEEDS_2FA);
    expect(await revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'no 2FA' }))).toEqual(NEEDS_2FA);
    expect(await liftSuspensionAction(IDLE, form({ keyId: key.id }))).toEqual(NEEDS_2FA);
    expect(await liftSecondFactorLockAction(IDLE, form({ userId: owner.id }))).toEqual(NEEDS_2FA);
    expect(await confirmStepUpAction(IDLE, form({ code: '123456', next: '/admin' }))).toEqual(NEEDS_2FA);
    const res = await exportCsv();
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('must turn on two-factor authentication');
    expect(await snapshot()).toEqual(before);
  });

  it('signing in with the password alone lands on Security; once an authenticator is on, the console opens', async () => {
    await removeAdminSecondFactor();
    useBrowser(new Browser());
    expect(await redirectOf(signIn(IDLE, form({ email: ADMIN, password: DEMO_PASSWORD, callbackUrl: '/admin' })))).toBe(SETUP);
    expect(await redirectOf(AdminKeysPage({ searchParams: none() }))).toBe(SETUP);
    await redirectOf(beginTotpSetup(form({ returnTo: '/admin' })));
    const admin = await findUserSummary(db(), (await userByEmail(ADMIN)).id);
    const setup = await pendingTotpSetup(db(), admin!);
    expect(await redirectOf(confirmTotpSetup(IDLE, form({ code: await totpCode(setup!.secret), returnTo: '/admin' })))).toBe('/admin');
    await expect(AdminKeysPage({ searchParams: none() })).resolves.toBeTruthy();
    // The password-only session never passed a second factor: sensitive steps still ask.
    const key = await atlasKey();
    expect(await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'needs step-up' })))).toBe(
      stepUp(`/admin/keys/${key.id}/suspend`),
    );
  });
});

describe('suspend, revoke, lift and export need a second factor from the last 10 minutes', () => {
  it('without one, each is sent to "confirm it’s you" (coming back to its page) and nothing changes', async () => {
    const key = await atlasKey();
    const suspended = await atlasKey({ suspendedAt: new Date(), suspensionReason: 'looking into it' });
    await signInAs(ADMIN, { secondFactorPassed: false });
    const before = await snapshot();
    expect(await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'Unusual withdrawals' })))).toBe(
      stepUp(`/admin/keys/${key.id}/suspend`),
    );
    expect(await redirectOf(revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'Leaked' })))).toBe(stepUp(`/admin/keys/${key.id}/revoke`));
    expect(await redirectOf(liftSuspensionAction(IDLE, form({ keyId: suspended.id })))).toBe(stepUp(`/admin/keys/${suspended.id}`));
    expect(await redirectOf(SuspendKeyPage({ params: Promise.resolve({ keyId: key.id }) }))).toBe(stepUp(`/admin/keys/${key.id}/suspend`));
    expect(await redirectOf(RevokeKeyPage({ params: Promise.resolve({ keyId: key.id }) }))).toBe(stepUp(`/admin/keys/${key.id}/revoke`));
    const res = await exportCsv();
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Confirm it’s you first');
    // The audit page's Export link goes to the step-up instead of downloading.
    const audit = html(await AdminAuditPage({ searchParams: none() }));
    expect(audit).toContain(`href="${stepUp('/admin/audit').replace(/&/g, '&amp;')}"`);
    expect(audit).not.toContain('href="/admin/audit/export"');
    expect(await snapshot()).toEqual(before);
    // Viewing is not sensitive: the lists and the key's page open.
    await expect(AdminKeyPage({ params: Promise.resolve({ keyId: key.id }), searchParams: none() })).resolves.toBeTruthy();
  });

  it('after the step-up (audited) the same requests go through, and the export is allowed', async () => {
    const key = await atlasKey();
    const admin = await userByEmail(ADMIN);
    await signInAs(ADMIN, { secondFactorPassed: false });
    const page = html(await StepUpPage({ searchParams: Promise.resolve({ next: `/admin/keys/${key.id}/suspend` }) }));
    expect(page).toContain('Confirm it’s you');
    expect(page).toContain('Enter the 6-digit code from your authenticator app.');
    expect(await confirmItsMe(`/admin/keys/${key.id}/suspend`)).toBe(`/admin/keys/${key.id}/suspend`);
    const stepUps = await db()
      .select({ actor: auditEvents.actorUserId, details: auditEvents.details, success: auditEvents.success })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'admin.step_up'));
    expect(stepUps).toEqual([{ actor: admin.id, details: { method: 'totp' }, success: true }]);
    await expect(SuspendKeyPage({ params: Promise.resolve({ keyId: key.id }) })).resolves.toBeTruthy();
    expect(await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'Unusual withdrawals' })))).toBe(
      `/admin/keys/${key.id}?notice=suspended`,
    );
    expect(await redirectOf(liftSuspensionAction(IDLE, form({ keyId: key.id })))).toBe(`/admin/keys/${key.id}?notice=lifted`);
    expect(await redirectOf(revokeKeyAction(IDLE, form({ keyId: key.id, reason: 'Leaked' })))).toBe(`/admin/keys/${key.id}?notice=revoked`);
    expect((await keyRow(key.id))?.revokedAt).not.toBeNull();
    const res = await exportCsv();
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('api_key.revoked');
    // Once confirmed, the step-up page itself just goes on.
    expect(await redirectOf(StepUpPage({ searchParams: Promise.resolve({ next: '/admin/audit' }) }))).toBe('/admin/audit');
  });

  it('the sign-in’s own second factor counts for 10 minutes, and no longer', async () => {
    const key = await atlasKey();
    useBrowser(new Browser());
    expect(await redirectOf(signIn(IDLE, form({ email: ADMIN, password: DEMO_PASSWORD, callbackUrl: '/admin' })))).toBe('/sign-in/verify');
    expect(await redirectOf(verifySignInCode(IDLE, form({ code: await totpCode(DEMO_ADMIN_TOTP_SECRET) })))).toBe('/admin');
    advanceTime(9 * 60_000 + 50_000);
    expect((await exportCsv()).status).toBe(200);
    await expect(SuspendKeyPage({ params: Promise.resolve({ keyId: key.id }) })).resolves.toBeTruthy();
    advanceTime(11_000); // 10 minutes and 1 second after the code
    expect((await exportCsv()).status).toBe(403);
    expect(await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'Too late' })))).toBe(
      stepUp(`/admin/keys/${key.id}/suspend`),
    );
    expect((await keyRow(key.id))?.suspendedAt).toBeNull();
  });

  it('a step-up is stale after 10 minutes too, and vouches only for the browser that passed it', async () => {
    const key = await atlasKey();
    const stolen = await signInAs(ADMIN, { secondFactorPassed: false });
    const mine = await signInAs(ADMIN, { secondFactorPassed: false });
    await confirmItsMe('/admin');
    useBrowser(stolen);
    expect(await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'From the other browser' })))).toBe(
      stepUp(`/admin/keys/${key.id}/suspend`),
    );
    useBrowser(mine);
    advanceTime(10 * 60_000 + 1000);
    expect(await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'Stale' })))).toBe(
      stepUp(`/admin/keys/${key.id}/suspend`),
    );
    expect((await keyRow(key.id))?.suspendedAt).toBeNull();
  });

  it('wrong codes are counted like every other; five end every session of the admin', async () => {
    const key = await atlasKey();
    await signInAs(ADMIN, { secondFactorPassed: false });
    const other = await signInAs(ADMIN, { secondFactorPassed: false });
    const right = await totpCode(DEMO_ADMIN_TOTP_SECRET);
    expect(await confirmStepUpAction(IDLE, form({ code: otherThan(right), next: '/admin' }))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Incorrect code, 4 attempts left'] },
    });
    // The owner's authenticator is not the admin's.
    expect(await confirmStepUpAction(IDLE, form({ code: await totpCode(DEMO_TOTP_SECRET), next: '/admin' }))).toMatchObject({
      status: 'error',
    });
    expect(await redirectOf(suspendKeyAction(IDLE, form({ keyId: key.id, reason: 'Still not' })))).toBe(
      stepUp(`/admin/keys/${key.id}/suspend`),
    );
    for (let i = 0; i < 2; i++) await confirmStepUpAction(IDLE, form({ code: otherThan(right), next: '/admin' }));
    expect(await confirmStepUpAction(IDLE, form({ code: otherThan(right), next: '/admin' }))).toEqual({
      status: 'error',
      message: 'Too many incorrect codes — you have been signed out everywhere. Sign in again.',
    });
    expect(other.cookie(sessionCookieName())).toBeUndefined();
    expect(await getCurrentUser()).toBeNull();
    useBrowser(other);
    expect(await getCurrentUser()).toBeNull();
    const actions = await auditActions();
    expect(actions.filter((a) => a === 'code.failed')).toHaveLength(4);
    expect(actions).toContain('code.locked');
    expect(actions).toContain('admin.step_up_failed');
    expect(actions).not.toContain('admin.step_up');
    expect((await latestChallenge((await userByEmail(ADMIN)).id, 'admin_step_up'))?.status).toBe('void');
  });

  it('by SMS: "Text me a code", then the code from the phone', async () => {
    await removeAdminSecondFactor();
    await addSms(ADMIN, '+15550100777');
    const admin = await userByEmail(ADMIN);
    await signInAs(ADMIN, { secondFactorPassed: false });
    const first = html(await StepUpPage({ searchParams: Promise.resolve({ next: '/admin/audit' }) }));
    expect(first).toContain('Text me a code');
    expect(await redirectOf(chooseStepUpMethodAction(form({ method: 'sms', next: '/admin/audit' })))).toBe(stepUp('/admin/audit'));
    const second = html(await StepUpPage({ searchParams: Promise.resolve({ next: '/admin/audit' }) }));
    expect(second).toContain('We sent a 6-digit code by SMS to +15***77.');
    const code = await latestCode(admin.id, 'sms');
    expect(await redirectOf(confirmStepUpAction(IDLE, form({ code, next: '/admin/audit' })))).toBe('/admin/audit');
    expect((await exportCsv()).status).toBe(200);
  });

  it('comes back only to an admin page', async () => {
    await signInAs(ADMIN, { secondFactorPassed: false });
    expect(await confirmItsMe('https://evil.example/admin')).toBe('/admin');
    await signInAs(ADMIN, { secondFactorPassed: false });
    expect(await confirmItsMe('//evil.example/admin', 1)).toBe('/admin');
    await signInAs(ADMIN, { secondFactorPassed: false });
    advanceTime(30_000);
    expect(await confirmItsMe('/settings/api-keys', 1)).toBe('/admin');
    for (const next of ['/admin/../settings', '/admin/%2e%2e/settings']) {
      await signInAs(ADMIN, { secondFactorPassed: false });
      advanceTime(30_000);
      expect(await confirmItsMe(next, 1)).toBe('/admin');
    }
  });
});
