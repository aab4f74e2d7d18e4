import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { signIn } from '@/app/sign-in/actions';
import { endOtherSessionsAction, endSessionAction } from '@/app/settings/security/session-actions';
import { changeOwnPassword } from '@/app/settings/security/password-actions';
import { outboxMessages, userSessions } from '@/db/schema';
import { listSessions } from '@/lib/identity/sessions';
import { getCurrentUser, requireUser } from '@/lib/web/auth';
import { readSessionClaims } from '@/lib/web/session';
import { Browser, useBrowser } from '../support/next-headers';
import {
  advanceTime,
  db,
  DEMO_PASSWORD,
  expectNotFound,
  form,
  IDLE,
  MEMBER,
  NEW_OWNER,
  OWNER,
  redirectOf,
  signInAs,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const LINUX_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** A browser at `ip` with `userAgent`, signed in through the sign-in page as `email` (a person without 2FA). */
async function signInFrom(email: string, ip: string, userAgent: string): Promise<Browser> {
  const browser = useBrowser(new Browser());
  browser.requestHeaders.set('x-keydesk-client-ip', ip);
  browser.requestHeaders.set('user-agent', userAgent);
  expect(await redirectOf(signIn(IDLE, form({ email, password: DEMO_PASSWORD })))).toBe('/settings');
  return browser;
}

async function sessionIdOf(browser: Browser): Promise<string> {
  useBrowser(browser);
  return (await readSessionClaims())!.sessionId;
}

const signedInAs = async (browser: Browser) => {
  useBrowser(browser);
  return (await getCurrentUser())?.email ?? null;
};

const newSignInEmails = async (userId: string) =>
  (await db().select().from(outboxMessages).where(eq(outboxMessages.userId, userId))).filter(
    (m) => m.subject === 'New sign-in to your Keydesk account',
  );

describe('Settings › Security › Sessions', () => {
  it('lists the signed-in browsers by device and address, this one marked', async () => {
    const phone = await signInFrom(NEW_OWNER, '198.51.100.7', ANDROID_CHROME);
    const laptop = await signInFrom(NEW_OWNER, '203.0.113.50', LINUX_FIREFOX);
    const user = await requireUser();
    const sessions = await listSessions(db(), user.id, await sessionIdOf(laptop));
    expect(sessions.map((s) => [s.device, s.ip, s.current])).toEqual([
      ['Firefox on Linux', '203.0.113.50', true],
      ['Chrome on Android', '198.51.100.7', false],
    ]);
    expect(sessions[1].id).toBe(await sessionIdOf(phone));
  });

  it('ending one: that browser is refused at its next request (pages and actions); this one goes on', async () => {
    const phone = await signInFrom(NEW_OWNER, '198.51.100.7', ANDROID_CHROME);
    const phoneSession = await sessionIdOf(phone);
    const laptop = await signInFrom(NEW_OWNER, '203.0.113.50', LINUX_FIREFOX);
    expect(await redirectOf(endSessionAction(form({ sessionId: phoneSession })))).toBe('/settings/security?notice=session-ended');

    expect(await signedInAs(phone)).toBeNull();
    expect(await redirectOf(requireUser('/settings/security'))).toBe('/sign-in?callbackUrl=%2Fsettings%2Fsecurity');
    expect(await redirectOf(endOtherSessionsAction(form({})))).toMatch(/^\/sign-in/);
    expect(await signedInAs(laptop)).toBe(NEW_OWNER);
    const [row] = await db().select().from(userSessions).where(eq(userSessions.id, phoneSession));
    expect(row.endedAt).not.toBeNull();
  });

  it("another person's session id (or a malformed one) is not found, and that session goes on", async () => {
    const theirs = await signInAs(OWNER);
    const theirSession = await sessionIdOf(theirs);
    await signInAs(MEMBER);
    await expectNotFound(endSessionAction(form({ sessionId: theirSession })));
    await expectNotFound(endSessionAction(form({ sessionId: 'not-a-session' })));
    expect(await signedInAs(theirs)).toBe(OWNER);
  });

  it('"end all other sessions" ends every other browser, not this one', async () => {
    const a = await signInFrom(NEW_OWNER, '198.51.100.7', ANDROID_CHROME);
    const b = await signInFrom(NEW_OWNER, '198.51.100.8', ANDROID_CHROME);
    const mine = await signInFrom(NEW_OWNER, '203.0.113.50', LINUX_FIREFOX);
    expect(await redirectOf(endOtherSessionsAction(form({})))).toBe('/settings/security?notice=others-ended');
    expect([await signedInAs(a), await signedInAs(b), await signedInAs(mine)]).toEqual([null, null, NEW_OWNER]);
  });

  it('a new password keeps this session and ends the others', async () => {
    const other = await signInFrom(NEW_OWNER, '198.51.100.7', ANDROID_CHROME);
    const mine = await signInFrom(NEW_OWNER, '203.0.113.50', LINUX_FIREFOX);
    const input = {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'correct-horse-battery-staple',
      confirmPassword: 'correct-horse-battery-staple',
    };
    expect((await changeOwnPassword(IDLE, form(input))).status).toBe('ok');
    expect(await signedInAs(mine)).toBe(NEW_OWNER);
    expect(await signedInAs(other)).toBeNull();
    useBrowser(mine);
    const user = (await getCurrentUser())!;
    expect((await listSessions(db(), user.id, await sessionIdOf(mine))).map((s) => s.current)).toEqual([true]);
  });

  it('last seen is written at most once a minute, with the latest address', async () => {
    const browser = await signInFrom(NEW_OWNER, '198.51.100.7', ANDROID_CHROME);
    const id = await sessionIdOf(browser);
    const lastSeen = async () => (await db().select().from(userSessions).where(eq(userSessions.id, id)))[0];
    const signedInAt = (await lastSeen()).lastSeenAt.getTime();
    advanceTime(30_000);
    await getCurrentUser();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await lastSeen()).lastSeenAt.getTime()).toBe(signedInAt);
    advanceTime(31_000);
    browser.requestHeaders.set('x-keydesk-client-ip', '198.51.100.99');
    await getCurrentUser();
    await vi.waitFor(async () => expect((await lastSeen()).lastSeenAt.getTime()).toBe(signedInAt + 61_000));
    expect((await lastSeen()).ip).toBe('198.51.100.99');
  });
});

describe('new sign-in email', () => {
  it('is sent for an address or a browser not seen in 90 days, not for a known pair', async () => {
    const user = await userByEmail(NEW_OWNER);
    await signInFrom(NEW_OWNER, '198.51.100.7', ANDROID_CHROME); // the first on record: nothing to compare with
    await signInFrom(NEW_OWNER, '198.51.100.7', ANDROID_CHROME);
    expect(await newSignInEmails(user.id)).toHaveLength(0);

    await signInFrom(NEW_OWNER, '192.0.2.200', ANDROID_CHROME);
    const [byAddress] = await newSignInEmails(user.id);
    expect(byAddress.body).toContain('from an address not seen on your account in the last 90 days');
    expect(byAddress.body).toContain('From address: 192.0.2.200');
    expect(byAddress.body).toContain('Browser:      Chrome 131 on Android');
    expect(byAddress.body).toMatch(/When: +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(byAddress.body).toMatch(/This wasn’t me.*: http:\/\/localhost:3000\/settings\/security\/not-me\/[\w-]{43}/);

    await signInFrom(NEW_OWNER, '192.0.2.200', LINUX_FIREFOX);
    expect((await newSignInEmails(user.id)).at(-1)!.body).toContain('from a browser not seen');
    await signInFrom(NEW_OWNER, '192.0.2.200', LINUX_FIREFOX);
    expect(await newSignInEmails(user.id)).toHaveLength(2);

    // 91 days later both are forgotten: each is new again.
    advanceTime(91 * 24 * 60 * 60_000);
    await signInFrom(NEW_OWNER, '192.0.2.200', LINUX_FIREFOX);
    await signInFrom(NEW_OWNER, '198.51.100.7', ANDROID_CHROME);
    expect(await newSignInEmails(user.id)).toHaveLength(4);
  });
});
