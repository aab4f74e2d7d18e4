import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { signIn } from '@/app/sign-in/actions';
import { resendSignIn, verifySignInCode } from '@/app/sign-in/verify/actions';
import { createApiKey } from '@/app/settings/api-keys/new/actions';
import { auditEvents, challenges, users } from '@/db/schema';
import { getCurrentUser } from '@/lib/web/auth';
import { DEFAULT_MAX_CODES_PER_HOUR } from '@/lib/platform/config';
import { formatUtcTime } from '@/lib/second-factor/throttle';
import { useBrowser, Browser } from '../support/next-headers';
import {
  advanceTime,
  db,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  form,
  IDLE,
  latestChallenge,
  outboxOf,
  OWNER,
  redirectOf,
  signInAs,
  SMS_OWNER,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const MINUTE = 60_000;

async function passwordStep(email: string) {
  useBrowser(new Browser());
  expect(await redirectOf(signIn(IDLE, form({ email, password: DEMO_PASSWORD, callbackUrl: '/settings' })))).toBe('/sign-in/verify');
}

const enter = (code: string) => verifySignInCode(IDLE, form({ code }));

async function wrongCodesInARow(email: string, n: number) {
  for (let done = 0; done < n;) {
    await passwordStep(email);
    for (let i = 0; i < 5 && done < n; i++, done++) await enter('000000');
  }
}

async function secondFactorState(email: string) {
  const [row] = await db()
    .select({
      failures: users.secondFactorFailures,
      blockedUntil: users.secondFactorBlockedUntil,
      lockedAt: users.secondFactorLockedAt,
    })
    .from(users)
    .where(eq(users.email, email));
  return row;
}

async function auditRows(action: string) {
  return db().select().from(auditEvents).where(eq(auditEvents.action, action));
}

/** Moves this file's audit rows back in time, as if the last `ms` had passed on the database's clock too. */
async function ageAuditTrail(ms: number) {
  await db().execute(sql`update audit_events set at = at - ${ms / 1000} * interval '1 second'`);
}

async function rightCodeSignsIn() {
  await passwordStep(OWNER);
  return redirectOf(enter(await totpCode(DEMO_TOTP_SECRET)));
}

describe('every submission of a code is a counted, audited guess', () => {
  it.each([
    ['five digits', '12345'],
    ['seven digits', '1234567'],
    ['empty', ''],
    ['letters', 'abcdef'],
    ['non-ASCII digits', '١٢٣٤٥٦'],
  ])('%s: "Enter the 6-digit code", and the attempt counts', async (_, code) => {
    await passwordStep(SMS_OWNER);
    const user = await userByEmail(SMS_OWNER);
    expect(await enter(code)).toEqual({ status: 'error', fieldErrors: { code: ['Enter the 6-digit code — 4 attempts left'] } });
    expect((await latestChallenge(user.id, 'sign_in'))?.failedAttempts).toBe(1);
    expect((await secondFactorState(SMS_OWNER)).failures).toBe(1);
    const [failed] = await auditRows('code.failed');
    expect(failed).toMatchObject({ actorUserId: user.id, success: false, details: { purpose: 'sign_in', malformed: true } });
  });

  it('a missing code field counts too, and the fifth malformed code ends the step', async () => {
    await passwordStep(OWNER);
    for (let i = 0; i < 4; i++) await verifySignInCode(IDLE, form({}));
    const last = await verifySignInCode(IDLE, form({ code: 'x'.repeat(10_000) }));
    expect(last).toMatchObject({ status: 'error', message: 'Too many incorrect codes — sign in again.' });
    expect((await secondFactorState(OWNER)).failures).toBe(5);
  });
});

describe('wrong codes in a row: a growing wait, then a lock', () => {
  it('10 wrong codes across sign-ins make even the right code wait 15 minutes', async () => {
    await wrongCodesInARow(OWNER, 10);
    await passwordStep(OWNER);
    const state = await enter(await totpCode(DEMO_TOTP_SECRET));
    const until = (await secondFactorState(OWNER)).blockedUntil!;
    expect(until.getTime() - Date.now()).toBe(15 * MINUTE);
    expect(state).toEqual({
      status: 'error',
      // "00:07 UTC", or "2026-12-04 00:07 UTC" when the wait ends on another day (formatUtcTime).
      fieldErrors: { code: [`Too many incorrect codes. Try again after ${formatUtcTime(until)}.`] },
    });
    expect(await getCurrentUser()).toBeNull();
    advanceTime(16 * MINUTE);
    expect(await rightCodeSignsIn()).toBe('/settings');
    expect(await secondFactorState(OWNER)).toMatchObject({ failures: 0, blockedUntil: null });
  });

  it('the wait grows with every 10 more (15 min, 1 h, 4 h, 24 h) instead of starting again', async () => {
    const waits = [15 * MINUTE, 60 * MINUTE, 240 * MINUTE, 24 * 60 * MINUTE, 24 * 60 * MINUTE];
    for (const wait of waits) {
      await wrongCodesInARow(OWNER, 10);
      const { blockedUntil } = await secondFactorState(OWNER);
      expect(blockedUntil!.getTime() - Date.now()).toBe(wait);
      advanceTime(wait - MINUTE);
      await passwordStep(OWNER);
      expect(await enter(await totpCode(DEMO_TOTP_SECRET))).toMatchObject({
        fieldErrors: { code: [expect.stringMatching(/^Too many incorrect codes\. Try again after/)] },
      });
      advanceTime(MINUTE + 1000);
    }
    expect((await secondFactorState(OWNER)).failures).toBe(50);
  });

  it('100 wrong codes in a row lock the second factor: no wait ends it', async () => {
    await db().update(users).set({ secondFactorFailures: 99 }).where(eq(users.email, OWNER));
    await passwordStep(OWNER);
    const state = await enter('000000');
    const locked = 'Two-factor authentication on this account is locked after too many incorrect codes. Contact support to unlock it.';
    expect(state).toEqual({ status: 'error', fieldErrors: { code: [locked] } });
    expect((await secondFactorState(OWNER)).lockedAt).not.toBeNull();
    advanceTime(30 * 24 * 60 * MINUTE);
    await passwordStep(OWNER);
    expect(await enter(await totpCode(DEMO_TOTP_SECRET))).toEqual({ status: 'error', fieldErrors: { code: [locked] } });
    expect(await getCurrentUser()).toBeNull();
  });

  it('a right code before the tenth starts the count again', async () => {
    await wrongCodesInARow(OWNER, 9);
    expect(await rightCodeSignsIn()).toBe('/settings');
    await wrongCodesInARow(OWNER, 9);
    advanceTime(30_000); // the next authenticator code: the last one was used
    expect(await rightCodeSignsIn()).toBe('/settings');
    expect((await secondFactorState(OWNER)).failures).toBe(0);
  });

  it('no code is sent while the second factor waits: the step says why instead', async () => {
    await wrongCodesInARow(SMS_OWNER, 10);
    const user = await userByEmail(SMS_OWNER);
    const before = (await outboxOf(user.id)).length;
    await passwordStep(SMS_OWNER);
    expect((await outboxOf(user.id)).length).toBe(before);
    const held = await latestChallenge(user.id, 'sign_in');
    expect(held).toMatchObject({ sendHeldBack: 'wrong_codes', codeHash: null });
    expect(held?.sendBlockedUntil?.getTime()).toBe((await secondFactorState(SMS_OWNER)).blockedUntil?.getTime());
  });
});

describe('refusals during a lock-out leave a trace, sampled', () => {
  it('each refused code is audited with its reason, at most once a minute per person', async () => {
    await wrongCodesInARow(OWNER, 10);
    await passwordStep(OWNER);
    for (let i = 0; i < 20; i++) await enter(await totpCode(DEMO_TOTP_SECRET));
    const owner = await userByEmail(OWNER);
    let refused = await auditRows('code.refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actorUserId: owner.id, success: false, details: { reason: 'waiting', purpose: 'sign_in' } });
    await ageAuditTrail(61_000);
    await enter('123456');
    refused = await auditRows('code.refused');
    expect(refused).toHaveLength(2);
    // The refused codes were not guesses that could succeed: they are not counted either.
    expect((await secondFactorState(OWNER)).failures).toBe(10);
  });
});

describe('codes sent: at most 5 per hour on each channel, across every flow, and the page says so', () => {
  it('new sign-ins and new key requests cannot flood a phone: the 6th code is held back and says until when', async () => {
    const user = await userByEmail(SMS_OWNER);
    for (let i = 0; i < 3; i++) await passwordStep(SMS_OWNER);
    await signInAs(SMS_OWNER);
    for (let i = 0; i < 4; i++) {
      await redirectOf(createApiKey(IDLE, form({ name: `bot ${i}`, permissions: ['read'], ipWhitelist: '' })));
    }
    expect((await outboxOf(user.id)).filter((m) => m.channel === 'sms')).toHaveLength(DEFAULT_MAX_CODES_PER_HOUR);
    const [first] = await auditRows('code.sent');
    const held = await db()
      .select()
      .from(challenges)
      .where(and(eq(challenges.userId, user.id), eq(challenges.sendHeldBack, 'hourly_cap')));
    expect(held).toHaveLength(2);
    for (const challenge of held) {
      expect(challenge.codeHash).toBeNull();
      expect(challenge.sendBlockedUntil?.getTime()).toBe(first.at.getTime() + 60 * MINUTE);
    }
    // Two held-back sends within a minute: one audit row.
    expect(await auditRows('code.throttled')).toHaveLength(1);
  });

  it('Resend is refused until the oldest code is an hour old, then sends', async () => {
    const user = await userByEmail(SMS_OWNER);
    for (let i = 0; i < DEFAULT_MAX_CODES_PER_HOUR; i++) await passwordStep(SMS_OWNER);
    advanceTime(55 * MINUTE);
    await passwordStep(SMS_OWNER);
    advanceTime(4 * MINUTE);
    expect(await redirectOf(resendSignIn(form({})))).toBe('/sign-in/verify');
    expect((await outboxOf(user.id)).length).toBe(DEFAULT_MAX_CODES_PER_HOUR);
    advanceTime(2 * MINUTE);
    expect(await redirectOf(resendSignIn(form({})))).toBe('/sign-in/verify?resent=1');
    expect((await outboxOf(user.id)).length).toBe(DEFAULT_MAX_CODES_PER_HOUR + 1);
    expect(await latestChallenge(user.id, 'sign_in')).toMatchObject({ sendHeldBack: null, sendBlockedUntil: null });
  });
});
