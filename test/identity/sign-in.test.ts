import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { signIn } from '@/app/sign-in/actions';
import { SIGN_IN_COOKIE } from '@/app/sign-in/cookie';
import { users } from '@/db/schema';
import { getCurrentUser } from '@/lib/web/auth';
import { sessionCookieName } from '@/lib/web/session';
import { BAD_CREDENTIALS, MAX_PASSWORD_FAILURES } from '@/lib/identity/sign-in';
import { currentBrowser } from '../support/next-headers';
import {
  advanceTime,
  auditActions,
  db,
  DEMO_PASSWORD,
  form,
  IDLE,
  NEW_OWNER,
  OWNER,
  redirectOf,
  SMS_OWNER,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const credentials = (email: string, password: string, callbackUrl?: string) => form({ email, password, callbackUrl });

describe('signIn', () => {
  it('a wrong password gets the generic error and no session', async () => {
    const state = await signIn(IDLE, credentials(NEW_OWNER, 'not-the-password'));
    expect(state).toEqual({ status: 'error', message: BAD_CREDENTIALS, values: { email: NEW_OWNER } });
    expect(currentBrowser().jar.size).toBe(0);
    expect(await getCurrentUser()).toBeNull();
    expect(await auditActions()).toEqual(['sign_in.failure']);
  });

  it('an unknown email gets exactly the same answer', async () => {
    const unknown = await signIn(IDLE, credentials('nobody@keydesk.test', DEMO_PASSWORD));
    const wrong = await signIn(IDLE, credentials(NEW_OWNER, 'nope'));
    expect(unknown).toEqual({ status: 'error', message: BAD_CREDENTIALS, values: { email: 'nobody@keydesk.test' } });
    expect(wrong.status === 'error' && wrong.message).toBe(BAD_CREDENTIALS);
    expect(currentBrowser().jar.size).toBe(0);
  });

  it('a disabled user with the right password gets the same generic error', async () => {
    await db().update(users).set({ disabledAt: new Date() }).where(eq(users.email, NEW_OWNER));
    expect(await signIn(IDLE, credentials(NEW_OWNER, DEMO_PASSWORD))).toEqual({
      status: 'error',
      message: BAD_CREDENTIALS,
      values: { email: NEW_OWNER },
    });
    expect(currentBrowser().jar.size).toBe(0);
  });

  it('a malformed form gets field errors and never echoes the password', async () => {
    const state = await signIn(IDLE, credentials('not-an-email', 'secret-typed-here'));
    expect(state).toMatchObject({ status: 'error', fieldErrors: { email: ['Enter your email address'] } });
    expect(JSON.stringify(state)).not.toContain('secret-typed-here');
    const empty = await signIn(IDLE, credentials(NEW_OWNER, ''));
    expect(empty).toMatchObject({ status: 'error', fieldErrors: { password: ['Enter your password'] } });
  });

  it('a user without 2FA gets a session cookie and goes to the callback URL', async () => {
    const to = await redirectOf(signIn(IDLE, credentials(NEW_OWNER, DEMO_PASSWORD, '/settings/api-keys')));
    expect(to).toBe('/settings/api-keys');
    const cookie = currentBrowser().jar.get(sessionCookieName());
    expect(cookie?.value).toBeTruthy();
    expect(cookie?.options).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/' });
    expect((await getCurrentUser())?.email).toBe(NEW_OWNER);
    expect(await auditActions()).toEqual(['sign_in.success']);
  });

  it('the email is matched case-insensitively and trimmed', async () => {
    const to = await redirectOf(signIn(IDLE, credentials('  New-Owner@Keydesk.TEST ', DEMO_PASSWORD)));
    expect(to).toBe('/settings');
    expect((await getCurrentUser())?.email).toBe(NEW_OWNER);
  });

  it.each(['//evil.example', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'])(
    'an unsafe callbackUrl %s ends on /settings',
    async (callbackUrl) => {
      expect(await redirectOf(signIn(IDLE, credentials(NEW_OWNER, DEMO_PASSWORD, callbackUrl)))).toBe('/settings');
    },
  );

  it('a user with an authenticator gets the sign-in cookie (not a session) and goes to /sign-in/verify', async () => {
    expect(await redirectOf(signIn(IDLE, credentials(OWNER, DEMO_PASSWORD)))).toBe('/sign-in/verify');
    const browser = currentBrowser();
    expect(browser.cookie(SIGN_IN_COOKIE)).toBeTruthy();
    expect(browser.jar.get(SIGN_IN_COOKIE)?.options).toMatchObject({ httpOnly: true, path: '/' });
    expect(browser.cookie(sessionCookieName())).toBeUndefined();
    expect(await getCurrentUser()).toBeNull();
  });

  it('an SMS user also goes to /sign-in/verify, with the code on its way', async () => {
    expect(await redirectOf(signIn(IDLE, credentials(SMS_OWNER, DEMO_PASSWORD)))).toBe('/sign-in/verify');
    expect(currentBrowser().cookie(sessionCookieName())).toBeUndefined();
    expect(await auditActions()).toEqual(['code.sent', 'sign_in.code_required']);
  });

  it(`${MAX_PASSWORD_FAILURES} failures lock the email out for a while, and only that email`, async () => {
    for (let i = 0; i < MAX_PASSWORD_FAILURES; i++) {
      const state = await signIn(IDLE, credentials(NEW_OWNER, `wrong-${i}`));
      expect(state.status === 'error' && state.message).toBe(BAD_CREDENTIALS);
    }
    const locked = await signIn(IDLE, credentials(NEW_OWNER, DEMO_PASSWORD));
    expect(locked).toMatchObject({ status: 'error', message: 'Too many failed sign-ins for this email. Try again in 15 minutes.' });
    expect(currentBrowser().jar.size).toBe(0);

    // Another person is not affected by someone hammering this email.
    expect(await redirectOf(signIn(IDLE, credentials(OWNER, DEMO_PASSWORD)))).toBe('/sign-in/verify');

    advanceTime(16 * 60_000);
    expect(await redirectOf(signIn(IDLE, credentials(NEW_OWNER, DEMO_PASSWORD)))).toBe('/settings');
  });
});
