import { describe, expect, it, vi } from 'vitest';
import {
  beginSmsSetup,
  beginTotpSetup,
  beginTwoFactorDisable,
  confirmDisable,
  confirmSmsSetup,
  confirmTotpSetup,
  resendDisableCode,
  resendSmsSetupCode,
} from '@/app/settings/security/actions';
import { requireUser } from '@/lib/web/auth';
import { pendingTotpSetup } from '@/lib/identity/two-factor';
import {
  advanceTime,
  auditActions,
  DEMO_TOTP_SECRET,
  db,
  form,
  IDLE,
  latestCode,
  NEW_OWNER,
  otherThan,
  outboxOf,
  OWNER,
  redirectOf,
  signedOut,
  signInAs,
  SMS_OWNER,
  snapshot,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const code = (value: string, extra: Record<string, string> = {}) => form({ code: value, ...extra });

/** The secret the setup page would show as a QR code, read back the way the page does. */
async function shownTotpSecret(): Promise<string> {
  const setup = await pendingTotpSetup(db(), await requireUser());
  if (!setup) throw new Error('no authenticator setup in progress');
  expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Keydesk:/);
  return setup.secret;
}

describe('authenticator enrolment', () => {
  it('begin, then confirm with a code from the generated secret: the user has TOTP', async () => {
    await signInAs(NEW_OWNER);
    expect(await redirectOf(beginTotpSetup(form({})))).toBe('/settings/security/totp');
    const secret = await shownTotpSecret();
    expect(secret).not.toBe(DEMO_TOTP_SECRET);
    const stored = await userByEmail(NEW_OWNER);
    expect(stored.totpSecretEnc).toMatch(/^v1\./);
    expect(stored.totpSecretEnc).not.toContain(secret);
    expect(stored.totpEnabledAt).toBeNull();

    expect(await redirectOf(confirmTotpSetup(IDLE, code(await totpCode(secret))))).toBe('/settings/security');
    expect((await userByEmail(NEW_OWNER)).totpEnabledAt).not.toBeNull();
    expect((await requireUser()).hasTotp).toBe(true);
    expect(await auditActions()).toEqual(['two_factor.enabled']);
  });

  it('a wrong code leaves the authenticator off', async () => {
    await signInAs(NEW_OWNER);
    await redirectOf(beginTotpSetup(form({})));
    const secret = await shownTotpSecret();
    const state = await confirmTotpSetup(IDLE, code(otherThan(await totpCode(secret))));
    expect(state).toEqual({
      status: 'error',
      fieldErrors: { code: ['That code does not match. Check the time on your device and enter the current code.'] },
    });
    expect((await userByEmail(NEW_OWNER)).totpEnabledAt).toBeNull();
  });

  it('guessing the first code is limited like every other code: after 10 wrong ones even the right one waits', async () => {
    await signInAs(NEW_OWNER);
    await redirectOf(beginTotpSetup(form({})));
    const secret = await shownTotpSecret();
    const wrong = otherThan(await totpCode(secret));
    for (let i = 0; i < 10; i++) await confirmTotpSetup(IDLE, code(wrong));
    const state = await confirmTotpSetup(IDLE, code(await totpCode(secret)));
    expect(state).toMatchObject({ status: 'error', fieldErrors: { code: [expect.stringContaining('Too many incorrect codes')] } });
    expect((await userByEmail(NEW_OWNER)).totpEnabledAt).toBeNull();
  });

  it('the code that turned it on cannot be replayed right after (its step is used)', async () => {
    await signInAs(NEW_OWNER);
    await redirectOf(beginTotpSetup(form({})));
    const secret = await shownTotpSecret();
    const used = await totpCode(secret);
    await redirectOf(confirmTotpSetup(IDLE, code(used)));
    // Turning it off with the same code is a replay.
    await redirectOf(beginTwoFactorDisable(form({ method: 'totp' })));
    const state = await confirmDisable(IDLE, code(used));
    expect(state).toMatchObject({ status: 'error', fieldErrors: { code: [expect.stringContaining('already used')] } });
    expect((await userByEmail(NEW_OWNER)).totpEnabledAt).not.toBeNull();
  });

  it('returns to a safe returnTo, and ignores an unsafe one', async () => {
    await signInAs(NEW_OWNER);
    expect(await redirectOf(beginTotpSetup(form({ returnTo: '/settings/api-keys/new' })))).toBe(
      '/settings/security/totp?returnTo=%2Fsettings%2Fapi-keys%2Fnew',
    );
    const secret = await shownTotpSecret();
    expect(await redirectOf(confirmTotpSetup(IDLE, code(await totpCode(secret), { returnTo: '//evil.example' })))).toBe(
      '/settings/security',
    );
  });

  it('a user who already has an authenticator cannot overwrite its secret', async () => {
    await signInAs(OWNER);
    const before = await userByEmail(OWNER);
    await redirectOf(beginTotpSetup(form({})));
    expect((await userByEmail(OWNER)).totpSecretEnc).toBe(before.totpSecretEnc);
    expect(await pendingTotpSetup(db(), await requireUser())).toBeNull();
  });

  it('confirming without a setup in progress is refused', async () => {
    await signInAs(NEW_OWNER);
    expect(await confirmTotpSetup(IDLE, code('123456'))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Start the authenticator setup again.'] },
    });
  });
});

describe('SMS enrolment', () => {
  it('a bad phone number is a field error and sends nothing', async () => {
    await signInAs(NEW_OWNER);
    const before = await snapshot();
    const state = await beginSmsSetup(IDLE, form({ phone: '12345' }));
    expect(state).toEqual({
      status: 'error',
      fieldErrors: { phone: ['Enter the number in international format, e.g. +14155550123'] },
      values: { phone: '12345' },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('the code from the SMS turns SMS on for that number', async () => {
    await signInAs(NEW_OWNER);
    const user = await userByEmail(NEW_OWNER);
    expect(await redirectOf(beginSmsSetup(IDLE, form({ phone: '+44 (20) 7946-0958' })))).toBe('/settings/security/sms');
    const [message] = await outboxOf(user.id);
    expect(message).toMatchObject({ channel: 'sms', destination: '+442079460958' });
    expect((await userByEmail(NEW_OWNER)).phone).toBeNull(); // not saved before the code comes back

    const sent = await latestCode(user.id);
    expect(await confirmSmsSetup(IDLE, code(otherThan(sent)))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Incorrect code, 4 attempts left'] },
    });
    expect(await redirectOf(confirmSmsSetup(IDLE, code(sent)))).toBe('/settings/security');
    const after = await userByEmail(NEW_OWNER);
    expect(after.phone).toBe('+442079460958');
    expect(after.smsEnabledAt).not.toBeNull();
    expect(await auditActions()).toEqual(['code.sent', 'code.failed', 'two_factor.enabled']);
  });

  it('resend is refused before 2 minutes and sends a new code after', async () => {
    await signInAs(NEW_OWNER);
    const user = await userByEmail(NEW_OWNER);
    await redirectOf(beginSmsSetup(IDLE, form({ phone: '+14155550123', returnTo: '/settings/api-keys/new' })));
    advanceTime(119_000);
    expect(await redirectOf(resendSmsSetupCode(form({ returnTo: '/settings/api-keys/new' })))).toBe(
      '/settings/security/sms?returnTo=%2Fsettings%2Fapi-keys%2Fnew',
    );
    expect(await outboxOf(user.id)).toHaveLength(1);
    advanceTime(1000);
    await redirectOf(resendSmsSetupCode(form({})));
    expect(await outboxOf(user.id)).toHaveLength(2);
    expect(await redirectOf(confirmSmsSetup(IDLE, code(await latestCode(user.id), { returnTo: '/settings/api-keys/new' })))).toBe(
      '/settings/api-keys/new',
    );
    expect((await userByEmail(NEW_OWNER)).smsEnabledAt).not.toBeNull();
  });

  it('an expired code is refused', async () => {
    await signInAs(NEW_OWNER);
    const user = await userByEmail(NEW_OWNER);
    await redirectOf(beginSmsSetup(IDLE, form({ phone: '+14155550123' })));
    const sent = await latestCode(user.id);
    advanceTime(5 * 60_000);
    expect(await confirmSmsSetup(IDLE, code(sent))).toEqual({
      status: 'error',
      fieldErrors: { code: ['This code has expired — request a new one'] },
    });
    expect((await userByEmail(NEW_OWNER)).smsEnabledAt).toBeNull();
  });

  it('5 wrong codes end the enrolment', async () => {
    await signInAs(NEW_OWNER);
    const user = await userByEmail(NEW_OWNER);
    await redirectOf(beginSmsSetup(IDLE, form({ phone: '+14155550123' })));
    const sent = await latestCode(user.id);
    for (let i = 0; i < 4; i++) await confirmSmsSetup(IDLE, code(otherThan(sent)));
    expect(await confirmSmsSetup(IDLE, code(otherThan(sent)))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Too many incorrect codes — enter your number again.'] },
    });
    expect(await confirmSmsSetup(IDLE, code(sent))).toEqual({
      status: 'error',
      fieldErrors: { code: ['This step has ended — start again.'] },
    });
    expect((await userByEmail(NEW_OWNER)).smsEnabledAt).toBeNull();
  });

  it('a user who already has SMS is refused without a message being sent', async () => {
    await signInAs(SMS_OWNER);
    const user = await userByEmail(SMS_OWNER);
    expect(await beginSmsSetup(IDLE, form({ phone: '+14155550123' }))).toEqual({
      status: 'error',
      message: 'SMS is already on.',
      values: { phone: '+14155550123' },
    });
    expect(await outboxOf(user.id)).toHaveLength(0);
  });
});

describe('turning 2FA off', () => {
  it('the authenticator is turned off only with a right code', async () => {
    await signInAs(OWNER);
    expect(await redirectOf(beginTwoFactorDisable(form({ method: 'totp' })))).toBe('/settings/security/disable');
    const right = await totpCode(DEMO_TOTP_SECRET);
    expect(await confirmDisable(IDLE, code(otherThan(right)))).toEqual({
      status: 'error',
      fieldErrors: { code: ['Incorrect code, 4 attempts left'] },
    });
    expect((await userByEmail(OWNER)).totpEnabledAt).not.toBeNull();
    expect(await redirectOf(confirmDisable(IDLE, code(right)))).toBe('/settings/security');
    const after = await userByEmail(OWNER);
    expect(after.totpEnabledAt).toBeNull();
    expect(after.totpSecretEnc).toBeNull();
    expect(await auditActions()).toEqual(['code.failed', 'two_factor.disabled']);
  });

  it('SMS is turned off with the SMS code; resend waits 2 minutes', async () => {
    await signInAs(SMS_OWNER);
    const user = await userByEmail(SMS_OWNER);
    await redirectOf(beginTwoFactorDisable(form({ method: 'sms' })));
    expect(await outboxOf(user.id)).toHaveLength(1);
    await redirectOf(resendDisableCode(form({})));
    expect(await outboxOf(user.id)).toHaveLength(1);
    advanceTime(2 * 60_000);
    await redirectOf(resendDisableCode(form({})));
    expect(await outboxOf(user.id)).toHaveLength(2);
    expect(await redirectOf(confirmDisable(IDLE, code(await latestCode(user.id))))).toBe('/settings/security');
    const after = await userByEmail(SMS_OWNER);
    expect(after.smsEnabledAt).toBeNull();
    expect(after.phone).toBeNull();
  });

  it('asking to turn off a method that is not on sends nothing and changes nothing', async () => {
    await signInAs(OWNER);
    const before = await snapshot();
    expect(await redirectOf(beginTwoFactorDisable(form({ method: 'sms' })))).toBe('/settings/security/disable');
    expect(await snapshot()).toEqual(before);
    expect(await confirmDisable(IDLE, code('123456'))).toEqual({
      status: 'error',
      fieldErrors: { code: ['This step has ended — start again.'] },
    });
  });
});

describe('signed out', () => {
  it('every security action sends a signed-out caller to sign in, and writes nothing', async () => {
    signedOut();
    const before = await snapshot();
    const toSignIn = '/sign-in?callbackUrl=%2Fsettings%2Fsecurity';
    expect(await redirectOf(beginTotpSetup(form({})))).toBe(toSignIn);
    expect(await redirectOf(confirmTotpSetup(IDLE, code('123456')))).toBe(toSignIn);
    expect(await redirectOf(beginSmsSetup(IDLE, form({ phone: '+14155550123' })))).toBe(toSignIn);
    expect(await redirectOf(confirmSmsSetup(IDLE, code('123456')))).toBe(toSignIn);
    expect(await redirectOf(resendSmsSetupCode(form({})))).toBe(toSignIn);
    expect(await redirectOf(beginTwoFactorDisable(form({ method: 'totp' })))).toBe(toSignIn);
    expect(await redirectOf(resendDisableCode(form({})))).toBe(toSignIn);
    expect(await redirectOf(confirmDisable(IDLE, code('123456')))).toBe(toSignIn);
    expect(await snapshot()).toEqual(before);
  });
});
