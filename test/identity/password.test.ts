import { describe, expect, it, vi } from 'vitest';
import { changeOwnPassword, signOutAllSessions } from '@/app/settings/security/password-actions';
import { signIn } from '@/app/sign-in/actions';
import { auditEvents } from '@/db/schema';
import { getCurrentUser } from '@/lib/web/auth';
import { BAD_CREDENTIALS } from '@/lib/identity/sign-in';
import { sessionCookieName } from '@/lib/web/session';
import { Browser, useBrowser } from '../support/next-headers';
import {
  auditActions,
  db,
  DEMO_PASSWORD,
  form,
  IDLE,
  NEW_OWNER,
  redirectOf,
  signedOut,
  signInAs,
  snapshot,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const NEW_PASSWORD = 'a brand new passphrase 42';
const change = (currentPassword: string, newPassword: string, confirmPassword = newPassword) =>
  changeOwnPassword(IDLE, form({ currentPassword, newPassword, confirmPassword }));

/** Signs in from a fresh browser: true if it reached a session, false on the generic refusal. */
async function passwordWorks(password: string): Promise<boolean> {
  useBrowser(new Browser());
  try {
    const state = await signIn(IDLE, form({ email: NEW_OWNER, password }));
    expect(state).toMatchObject({ status: 'error', message: BAD_CREDENTIALS });
    return false;
  } catch (error) {
    expect(error).toMatchObject({ redirectTo: '/settings' });
    return true;
  }
}

describe('changeOwnPassword', () => {
  it('a wrong current password is refused and changes nothing but the audit trail', async () => {
    await signInAs(NEW_OWNER);
    const { audit_events: auditBefore, ...before } = await snapshot();
    expect(await change('not-my-password', NEW_PASSWORD)).toEqual({
      status: 'error',
      fieldErrors: { currentPassword: ['That is not your current password'] },
    });
    const { audit_events: auditAfter, ...after } = await snapshot();
    expect(after).toEqual(before);
    expect(auditAfter.length).toBe(auditBefore.length + 1);
    expect(auditAfter.join()).toContain('password.change_failed');
  });

  it('five wrong current passwords in 15 minutes block further tries, even the right one', async () => {
    await signInAs(NEW_OWNER);
    for (let i = 0; i < 5; i++) await change(`wrong-${i}`, NEW_PASSWORD);
    expect(await change(DEMO_PASSWORD, NEW_PASSWORD)).toEqual({
      status: 'error',
      fieldErrors: { currentPassword: ['Too many wrong passwords. Try again in 15 minutes.'] },
    });
    expect(await passwordWorks(DEMO_PASSWORD)).toBe(true);
  });

  it('a short or mismatched new password is a field error', async () => {
    await signInAs(NEW_OWNER);
    expect(await change(DEMO_PASSWORD, 'short')).toMatchObject({
      status: 'error',
      fieldErrors: { newPassword: ['Use at least 12 characters'] },
    });
    expect(await change(DEMO_PASSWORD, NEW_PASSWORD, `${NEW_PASSWORD}!`)).toMatchObject({
      status: 'error',
      fieldErrors: { confirmPassword: ['The two new passwords differ'] },
    });
    expect(await passwordWorks(DEMO_PASSWORD)).toBe(true);
  });

  it('changes the password, keeps this session and ends the others', async () => {
    const other = await signInAs(NEW_OWNER);
    const here = await signInAs(NEW_OWNER);
    const state = await change(DEMO_PASSWORD, NEW_PASSWORD);
    expect(state).toEqual({ status: 'ok', message: 'Password changed. Your other sessions have been signed out.' });
    expect((await getCurrentUser())?.email).toBe(NEW_OWNER);
    expect(here.cookie(sessionCookieName())).toBeTruthy();

    useBrowser(other);
    expect(await getCurrentUser()).toBeNull();

    expect(await passwordWorks(DEMO_PASSWORD)).toBe(false);
    expect(await passwordWorks(NEW_PASSWORD)).toBe(true);

    const rows = JSON.stringify(await db().select().from(auditEvents));
    expect(rows).not.toContain(NEW_PASSWORD);
    expect(rows).not.toContain(DEMO_PASSWORD);
    expect(await auditActions()).toContain('password.changed');
  });
});

describe('signOutAllSessions', () => {
  it('ends every session of the user, this one included', async () => {
    const first = await signInAs(NEW_OWNER);
    const second = await signInAs(NEW_OWNER);
    expect(await redirectOf(signOutAllSessions(form({})))).toBe('/sign-in');
    expect(second.cookie(sessionCookieName())).toBeUndefined();
    useBrowser(first);
    expect(await getCurrentUser()).toBeNull();
    expect(await auditActions()).toEqual(['sign_out.everywhere']);
  });
});

describe('signed out', () => {
  it('both actions send the caller to sign in and write nothing', async () => {
    signedOut();
    const before = await snapshot();
    expect(await redirectOf(change(DEMO_PASSWORD, NEW_PASSWORD))).toBe('/sign-in?callbackUrl=%2Fsettings%2Fsecurity');
    expect(await redirectOf(signOutAllSessions(form({})))).toBe('/sign-in?callbackUrl=%2Fsettings%2Fsecurity');
    expect(await snapshot()).toEqual(before);
  });
});
