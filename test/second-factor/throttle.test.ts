import { describe, expect, it, vi } from 'vitest';
import { signIn } from '@/app/sign-in/actions';
import { verifySignInCode } from '@/app/sign-in/verify/actions';
import { getCurrentUser } from '@/lib/web/auth';
import { DEFAULT_CODES_SENT_PER_WINDOW, THROTTLED_FAILURES_MESSAGE } from '@/lib/second-factor/throttle';
import { useBrowser, Browser } from '../support/next-headers';
import {
  advanceTime,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  form,
  IDLE,
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

async function passwordStep(email: string) {
  useBrowser(new Browser());
  expect(await redirectOf(signIn(IDLE, form({ email, password: DEMO_PASSWORD, callbackUrl: '/settings' })))).toBe('/sign-in/verify');
}

const enter = (code: string) => verifySignInCode(IDLE, form({ code }));

describe('limits across restarts', () => {
  it('restarting the sign-in does not buy fresh guesses: after 10 wrong codes even the right one waits 15 minutes', async () => {
    for (let round = 0; round < 2; round++) {
      await passwordStep(OWNER);
      for (let i = 0; i < 5; i++) await enter('000000');
    }
    await passwordStep(OWNER);
    const state = await enter(await totpCode(DEMO_TOTP_SECRET));
    expect(state).toMatchObject({ status: 'error', fieldErrors: { code: [THROTTLED_FAILURES_MESSAGE] } });
    expect(await getCurrentUser()).toBeNull();

    advanceTime(16 * 60_000);
    await passwordStep(OWNER);
    expect(await redirectOf(enter(await totpCode(DEMO_TOTP_SECRET)))).toBe('/settings');
  });

  it('a known password cannot flood a phone: codes stop after the limit within 15 minutes', async () => {
    for (let i = 0; i < DEFAULT_CODES_SENT_PER_WINDOW + 3; i++) await passwordStep(SMS_OWNER);
    expect((await outboxOf((await userByEmail(SMS_OWNER)).id)).length).toBe(DEFAULT_CODES_SENT_PER_WINDOW);
  });
});
