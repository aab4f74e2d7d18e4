import { describe, expect, it, vi } from 'vitest';
import { signIn } from '@/app/sign-in/actions';
import { SIGN_IN_COOKIE } from '@/app/sign-in/cookie';
import { resendSignIn, switchSignInMethod, verifySignInCode } from '@/app/sign-in/verify/actions';
import { getCurrentUser } from '@/lib/web/auth';
import { sessionCookieName } from '@/lib/web/session';
import { currentBrowser, useBrowser, Browser } from '../support/next-headers';
import {
  addSms,
  advanceTime,
  auditActions,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  form,
  IDLE,
  latestCode,
  otherThan,
  outboxOf,
  OWNER,
  redirectOf,
  SMS_OWNER,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

/** Password step in a fresh browser; returns that browser, now holding the sign-in cookie. */
async function passwordStep(email: string, callbackUrl = '/settings/api-keys'): Promise<Browser> {
  const browser = useBrowser(new Browser());
  expect(await redirectOf(signIn(IDLE, form({ email, password: DEMO_PASSWORD, callbackUrl })))).toBe('/sign-in/verify');
  return browser;
}

const enter = (code: string) => verifySignInCode(IDLE, form({ code }));

describe('verifySignInCode (authenticator)', () => {
  it('the right TOTP code starts the session and goes to the callback URL', async () => {
    const browser = await passwordStep(OWNER);
    expect(await redirectOf(enter(await totpCode(DEMO_TOTP_SECRET)))).toBe('/settings/api-keys');
    expect(browser.cookie(SIGN_IN_COOKIE)).toBeUndefined();
    expect(browser.cookie(sessionCookieName())).toBeTruthy();
    expect((await getCurrentUser())?.email).toBe(OWNER);
  });

  it('codes from one step either side are accepted (clock drift)', async () => {
    await passwordStep(OWNER);
    expect(await redirectOf(enter(await totpCode(DEMO_TOTP_SECRET, -1)))).toBe('/settings/api-keys');
    await passwordStep(OWNER);
    expect(await redirectOf(enter(await totpCode(DEMO_TOTP_SECRET, 1)))).toBe('/settings/api-keys');
    await passwordStep(OWNER);
    const state = await enter(await totpCode(DEMO_TOTP_SECRET, 3));
    expect(state).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 4 attempts left'] } });
  });

  it('a wrong code says how many attempts are left and starts no session', async () => {
    const browser = await passwordStep(OWNER);
    const right = await totpCode(DEMO_TOTP_SECRET);
    expect(await enter(otherThan(right))).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 4 attempts left'] } });
    expect(await enter(otherThan(right))).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 3 attempts left'] } });
    expect(browser.cookie(sessionCookieName())).toBeUndefined();
    expect(browser.cookie(SIGN_IN_COOKIE)).toBeTruthy();
  });

  it('a badly formed code says what a code looks like, and counts like any guess', async () => {
    await passwordStep(OWNER);
    expect(await enter('12ab')).toEqual({ status: 'error', fieldErrors: { code: ['Enter the 6-digit code — 4 attempts left'] } });
    const right = await totpCode(DEMO_TOTP_SECRET);
    expect(await enter(otherThan(right))).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 3 attempts left'] } });
  });

  it('after 5 wrong codes the sign-in must restart, even with the old cookie and the right code', async () => {
    const browser = await passwordStep(OWNER);
    const token = browser.cookie(SIGN_IN_COOKIE)!;
    const right = await totpCode(DEMO_TOTP_SECRET);
    for (let i = 0; i < 4; i++) await enter(otherThan(right));
    expect(await enter(otherThan(right))).toEqual({ status: 'error', message: 'Too many incorrect codes — sign in again.' });
    expect(browser.cookie(SIGN_IN_COOKIE)).toBeUndefined();
    expect(await enter(right)).toEqual({ status: 'error', message: 'This sign-in has expired — start again.' });

    // An attacker who kept the cookie gets nowhere either.
    browser.jar.set(SIGN_IN_COOKIE, { value: token, options: {} });
    expect(await enter(right)).toEqual({ status: 'error', message: 'This sign-in has expired — start again.' });
    expect(browser.cookie(sessionCookieName())).toBeUndefined();
    expect(await auditActions()).toContain('code.locked');
  });

  it('a replayed TOTP step is refused', async () => {
    const code = await totpCode(DEMO_TOTP_SECRET);
    await passwordStep(OWNER);
    expect(await redirectOf(enter(code))).toBe('/settings/api-keys');

    const second = await passwordStep(OWNER);
    expect(await enter(code)).toEqual({
      status: 'error',
      fieldErrors: { code: ['That code was already used — wait for the next one. 4 attempts left'] },
    });
    // An earlier step is a replay too; only a later one works.
    expect((await enter(await totpCode(DEMO_TOTP_SECRET, -1))).status).toBe('error');
    expect(second.cookie(sessionCookieName())).toBeUndefined();
    expect(await redirectOf(enter(await totpCode(DEMO_TOTP_SECRET, 1)))).toBe('/settings/api-keys');
  });

  it('without a sign-in cookie nothing can be verified', async () => {
    useBrowser(new Browser());
    expect(await enter(await totpCode(DEMO_TOTP_SECRET))).toEqual({ status: 'error', message: 'This sign-in has expired — start again.' });
    expect(currentBrowser().jar.size).toBe(0);
  });

  it('the step expires after 10 minutes', async () => {
    await passwordStep(OWNER);
    advanceTime(10 * 60_000 + 1000);
    expect(await enter(await totpCode(DEMO_TOTP_SECRET))).toEqual({ status: 'error', message: 'This sign-in has expired — start again.' });
  });

  it('a completed sign-in cookie cannot sign in twice', async () => {
    const browser = await passwordStep(OWNER);
    const token = browser.cookie(SIGN_IN_COOKIE)!;
    expect(await redirectOf(enter(await totpCode(DEMO_TOTP_SECRET, -1)))).toBe('/settings/api-keys');
    const replay = useBrowser(new Browser());
    replay.jar.set(SIGN_IN_COOKIE, { value: token, options: {} });
    expect(await enter(await totpCode(DEMO_TOTP_SECRET, 1))).toEqual({
      status: 'error',
      message: 'This sign-in has expired — start again.',
    });
    expect(replay.cookie(sessionCookieName())).toBeUndefined();
  });
});

describe('verifySignInCode (SMS)', () => {
  it('the code from the SMS starts the session', async () => {
    const browser = await passwordStep(SMS_OWNER, '/settings/security');
    const user = await userByEmail(SMS_OWNER);
    const messages = await outboxOf(user.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ channel: 'sms', destination: user.phone });
    expect(await redirectOf(enter(await latestCode(user.id)))).toBe('/settings/security');
    expect(browser.cookie(sessionCookieName())).toBeTruthy();
  });

  it('an SMS code expires after 5 minutes', async () => {
    await passwordStep(SMS_OWNER);
    const user = await userByEmail(SMS_OWNER);
    const code = await latestCode(user.id);
    advanceTime(5 * 60_000 + 1000);
    expect(await enter(code)).toEqual({ status: 'error', fieldErrors: { code: ['This code has expired — request a new one'] } });
  });

  it('resend is refused before 2 minutes, then sends a new code that replaces the old one', async () => {
    await passwordStep(SMS_OWNER);
    const user = await userByEmail(SMS_OWNER);
    const first = await latestCode(user.id);

    advanceTime(60_000);
    expect(await redirectOf(resendSignIn(form({})))).toBe('/sign-in/verify');
    expect(await outboxOf(user.id)).toHaveLength(1);

    advanceTime(61_000);
    expect(await redirectOf(resendSignIn(form({})))).toBe('/sign-in/verify?resent=1');
    expect(await outboxOf(user.id)).toHaveLength(2);
    const second = await latestCode(user.id);
    if (second !== first) {
      expect(await enter(first)).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 4 attempts left'] } });
    }
    expect(await redirectOf(enter(second))).toBe('/settings/api-keys');
  });

  it('resend keeps the failed-attempt count (no free guesses)', async () => {
    await passwordStep(SMS_OWNER);
    const user = await userByEmail(SMS_OWNER);
    const first = await latestCode(user.id);
    for (let i = 0; i < 3; i++) await enter(otherThan(first));
    advanceTime(2 * 60_000);
    expect(await redirectOf(resendSignIn(form({})))).toBe('/sign-in/verify?resent=1');
    const second = await latestCode(user.id);
    expect(await enter(otherThan(second))).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 1 attempt left'] } });
  });
});

describe('switchSignInMethod', () => {
  it('a user with both methods can switch to SMS and sign in with the SMS code', async () => {
    await addSms(OWNER);
    const browser = await passwordStep(OWNER);
    const user = await userByEmail(OWNER);
    expect(await outboxOf(user.id)).toHaveLength(0); // the authenticator is asked first

    expect(await redirectOf(switchSignInMethod(form({ method: 'sms' })))).toBe('/sign-in/verify');
    expect(await outboxOf(user.id)).toHaveLength(1);
    const code = await latestCode(user.id, 'sms');
    expect(await redirectOf(enter(code))).toBe('/settings/api-keys');
    expect(browser.cookie(sessionCookieName())).toBeTruthy();
  });

  it('after switching back to the authenticator, the SMS code no longer works', async () => {
    await addSms(OWNER);
    await passwordStep(OWNER);
    const user = await userByEmail(OWNER);
    await redirectOf(switchSignInMethod(form({ method: 'sms' })));
    const smsCode = await latestCode(user.id, 'sms');
    await redirectOf(switchSignInMethod(form({ method: 'totp' })));
    const totp = await totpCode(DEMO_TOTP_SECRET);
    if (smsCode !== totp) {
      expect((await enter(smsCode)).status).toBe('error');
    }
    expect(await redirectOf(enter(totp))).toBe('/settings/api-keys');
  });

  it('a user without SMS cannot switch to it: nothing is sent, the authenticator step stays', async () => {
    await passwordStep(OWNER);
    const user = await userByEmail(OWNER);
    expect(await redirectOf(switchSignInMethod(form({ method: 'sms' })))).toBe('/sign-in/verify');
    expect(await outboxOf(user.id)).toHaveLength(0);
    expect(await redirectOf(enter(await totpCode(DEMO_TOTP_SECRET)))).toBe('/settings/api-keys');
  });

  it('switching method does not reset the wrong-code count (no extra guesses)', async () => {
    const browser = await passwordStep(OWNER);
    const right = await totpCode(DEMO_TOTP_SECRET);
    for (let i = 0; i < 4; i++) await enter(otherThan(right));
    // The switch form is a plain POST: anyone can send it, for the method already in use too.
    expect(await redirectOf(switchSignInMethod(form({ method: 'totp' })))).toBe('/sign-in/verify');
    expect(await enter(otherThan(right))).toEqual({ status: 'error', message: 'Too many incorrect codes — sign in again.' });
    expect(await enter(right)).toEqual({ status: 'error', message: 'This sign-in has expired — start again.' });
    expect(browser.cookie(sessionCookieName())).toBeUndefined();
  });

  it('switching back and forth between SMS and the authenticator keeps the count too', async () => {
    await addSms(OWNER);
    await passwordStep(OWNER);
    const right = await totpCode(DEMO_TOTP_SECRET);
    for (let i = 0; i < 3; i++) await enter(otherThan(right));
    await redirectOf(switchSignInMethod(form({ method: 'sms' })));
    await redirectOf(switchSignInMethod(form({ method: 'totp' })));
    expect(await enter(otherThan(right))).toEqual({ status: 'error', fieldErrors: { code: ['Incorrect code, 1 attempt left'] } });
  });

  it('without a sign-in cookie, switching sends nothing', async () => {
    await addSms(OWNER);
    useBrowser(new Browser());
    expect(await redirectOf(switchSignInMethod(form({ method: 'sms' })))).toBe('/sign-in/verify');
    expect(await outboxOf((await userByEmail(OWNER)).id)).toHaveLength(0);
  });
});
